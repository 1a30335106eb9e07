"""`rapport export --format parquet` as a user runs it, on the embedded store."""

from pathlib import Path

from tests.test_cli import rapport


def test_export_writes_the_snapshot_and_refuses_other_formats(tmp_path: Path) -> None:
    data = tmp_path / "data"
    created = rapport(
        "cypher", "CREATE (:Profile {id: 'a'}), (:Profile {id: 'b'}) RETURN 1 AS ok", "--write", data_dir=data
    )
    assert created.returncode == 0, created.stderr
    out = tmp_path / "snapshot"
    exported = rapport("export", "--format", "parquet", "--out", str(out), data_dir=data)
    assert exported.returncode == 0, exported.stderr
    assert "exported 2 profiles and 0 interactions" in exported.stdout
    assert list((out / "profiles").glob("*.parquet"))
    refused = rapport("export", "--format", "csv", "--out", str(out), data_dir=data)
    assert refused.returncode != 0
    assert "parquet" in refused.stderr and "Traceback" not in refused.stderr
