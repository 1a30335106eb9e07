"""`rapport` as a user runs it: a real process, a real embedded store in a temporary data dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.app import COMMANDS, load_command

RAPPORT = [sys.executable, "-m", "cli"]
ROOT = Path(__file__).resolve().parents[1]


def rapport(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RAPPORT, *args, "--data-dir", str(data_dir)] if args and args[0] != "--help" else [*RAPPORT, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = rapport("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("cypher", "serve", "demo", "status"):
        assert command in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_help_line_is_the_commands_own(name: str) -> None:
    """``rapport --help`` lists commands without importing them; the line it shows must be the real one."""
    own = load_command(name).help or ""
    assert " ".join(own.split("\n\n")[0].split()) == COMMANDS[name].help


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\nfrom cli.app import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(*sorted(sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_commands_are_imported_only_when_they_run() -> None:
    listing = _modules_after("--help")
    assert not {m for m in listing if m.startswith("cli.commands.")}
    cypher = _modules_after("cypher", "--help")
    assert {m for m in cypher if m.startswith("cli.commands.")} == {"cli.commands.cypher"}
    assert not {"ingest.loader", "usecases.analysis", "api.main", "algorithms"} & cypher


def test_cypher_prints_json_rows_keyed_by_column(tmp_path: Path) -> None:
    result = rapport("cypher", 'UNWIND [1, 2] AS x RETURN x AS n, "a\'b" AS s', "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": 1, "s": "a'b"}, {"n": 2, "s": "a'b"}]


def test_cypher_prints_a_table_by_default(tmp_path: Path) -> None:
    result = rapport("cypher", "MATCH (n) RETURN count(n) AS n", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "n" in result.stdout and "0" in result.stdout


def test_writes_are_refused_without_the_write_flag(tmp_path: Path) -> None:
    refused = rapport("cypher", "CREATE (:Brand {id: 'x'})", data_dir=tmp_path)
    assert refused.returncode == 2  # refused by the command line (a usage error), not by the store
    assert "--write" in refused.stderr
    assert "Traceback" not in refused.stderr
    allowed = rapport(
        "cypher", "CREATE (:Brand {id: $id}) RETURN 1 AS ok", "--write", "-p", "id=x", data_dir=tmp_path
    )
    assert allowed.returncode == 0, allowed.stderr
    counted = rapport("cypher", "MATCH (b:Brand) RETURN b.id AS id", "--json", data_dir=tmp_path)
    assert json.loads(counted.stdout) == [{"id": "x"}]


@pytest.mark.parametrize(
    ("statement", "code", "named"),
    [("MATCH (n RETURN n", 65, "error:"), ("RETURN $missing AS x, $a AS a", 2, "$missing")],
)
def test_bad_statements_give_one_line_errors(tmp_path: Path, statement: str, code: int, named: str) -> None:
    result = rapport("cypher", statement, "-p", "a=1", data_dir=tmp_path)
    assert result.returncode == code
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr
    assert named in result.stderr and "$a" not in result.stderr  # the parameter not set is named


def test_cypher_file_takes_its_param_lines_and_p_overrides_them(tmp_path: Path) -> None:
    source = tmp_path / "sum.cypher"
    source.write_text("// a sum\n:param a => 40\n:param b => 1\nRETURN $a + $b AS total\n", encoding="utf-8")
    result = rapport("cypher", "--file", str(source), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"total": 41}]
    overridden = rapport("cypher", "--file", str(source), "-p", "b=2", "--json", data_dir=tmp_path)
    assert json.loads(overridden.stdout) == [{"total": 42}]
    source.write_text(":param a => 40\nRETURN $a + $missing_one AS total\n", encoding="utf-8")
    missing = rapport("cypher", "--file", str(source), data_dir=tmp_path)
    assert missing.returncode != 0 and "$missing_one" in missing.stderr + missing.stdout


def test_tables_show_stored_times_in_utc_and_cypher_shows_what_it_returned(capsys) -> None:
    from cli.output import print_rows

    rows = [{"id": "run-1", "finished_at": 1_796_594_474_765, "note": None}]
    print_rows(rows, as_json=False)
    table = capsys.readouterr().out
    assert "2026-12-06 22:01:14 UTC" in table and "1796594474765" not in table
    print_rows(rows, as_json=False, times=False)
    assert "1796594474765" in capsys.readouterr().out
    print_rows(rows, as_json=True)
    assert json.loads(capsys.readouterr().out) == rows


def test_the_demo_saves_a_segment_a_crm_can_pull_and_keeps_it_on_the_next_run(tmp_path: Path) -> None:
    """``make demo`` leaves one saved segment (a brand's advocates), so the CRM pull it prints works."""
    import io

    from rich.console import Console

    from cli.commands.demo import EXAMPLE_SEGMENT, run_demo
    from cli.options import settings_from
    from graph.store import open_store
    from usecases.crm.run_lists import read_record, segment_list
    from usecases.current_run import current_run
    from usecases.segments import segment_member_ids

    settings = settings_from(tmp_path)
    first, second = io.StringIO(), io.StringIO()
    run_demo(settings, port=None, serve_api=False, console=Console(file=first, width=200))
    assert f"saved segment {EXAMPLE_SEGMENT!r}" in first.getvalue()
    with open_store(settings) as store:  # recorded in the run it was saved in: a delta since it works
        saved_in = str(current_run(store)["id"])
        assert read_record(store, saved_in, segment_list(EXAMPLE_SEGMENT)) is not None
    run_demo(settings, port=None, serve_api=False, console=Console(file=second, width=200))
    assert f"segment {EXAMPLE_SEGMENT!r} kept from an earlier run" in second.getvalue()
    with open_store(settings) as store:
        members = segment_member_ids(store, EXAMPLE_SEGMENT, current_run(store))
        advocates = {
            row["id"]
            for row in store.execute_text(
                "MATCH (run:AnalysisRun {current: true}) MATCH (p:Profile)-[a:ADVOCATES]->(:Brand {id: 'northwind'})"
                " WHERE a.run_id = run.id AND p.role = 'customer' RETURN p.id AS id",
                write=False,
            )
        }
    assert members and set(members) == advocates


def test_the_demo_store_is_where_the_configuration_says(tmp_path, monkeypatch) -> None:
    """``--data-dir``, else ``RAPPORT_DATA_DIR`` (as every other command reads it), else ./.rapport-data."""
    from cli.commands.demo import DEMO_DATA_DIR, demo_settings

    monkeypatch.delenv("RAPPORT_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # no config file of the project's checkout in the way
    assert demo_settings(None).data_dir == DEMO_DATA_DIR
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(tmp_path / "configured"))
    assert demo_settings(None).data_dir == tmp_path / "configured"
    assert demo_settings(tmp_path / "given").data_dir == tmp_path / "given"
