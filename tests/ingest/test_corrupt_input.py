"""A truncated or corrupt gzip input: a clear error naming the file and where it broke, the valid
lines before the break loaded (their rejects written as usual), and its own exit code."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from graph.errors import CorruptInput
from ingest.loader import load_file
from ingest.rejects import read_rejects
from ingest.sources.compression import open_text

ROOT = Path(__file__).resolve().parents[2]
LINES = 3000


def events_gz(path: Path) -> Path:
    """``LINES`` profile events, every 100th line invalid (a reject), gzipped; random handles so the
    compressed stream is long enough to cut in the middle."""
    rng = random.Random(7)
    lines = []
    for i in range(1, LINES + 1):
        if i % 100 == 0:
            lines.append('{"kind": "profile", "id": "tw:bad"}')  # no platform, no handle
        else:
            handle = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=24))
            lines.append(
                json.dumps({"kind": "profile", "id": f"tw:u{i}", "platform": "twitter", "handle": handle})
            )
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


def complete_lines_before_the_cut(data: bytes) -> int:
    """Lines a reader can fully decompress from a cut gzip stream."""
    prefix = zlib.decompressobj(wbits=31).decompress(data)
    return prefix.count(b"\n")


def truncated(tmp_path: Path) -> tuple[Path, int]:
    whole = events_gz(tmp_path / "whole.jsonl.gz").read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    return cut, complete_lines_before_the_cut(cut.read_bytes())


@pytest.mark.parametrize("in_worker", [False, True])
def test_a_truncated_gzip_stops_with_a_clear_error_and_keeps_the_lines_before(
    store, tmp_path: Path, in_worker: bool
) -> None:
    path, complete = truncated(tmp_path)
    assert 0 < complete < LINES
    rejects = tmp_path / "rejects.jsonl"
    with pytest.raises(CorruptInput) as caught:
        load_file(store, path, "events", rejects_path=rejects, batch_size=250, parse_in_worker=in_worker)
    message = str(caught.value)
    assert str(path) in message and f"line {complete + 1}" in message and "byte" in message, message
    loaded = {row["id"] for row in store.execute_text("MATCH (p:Profile) RETURN p.id AS id", write=False)}
    expected = {f"tw:u{i}" for i in range(1, complete + 1) if i % 100}
    assert loaded == expected
    assert [r.line for r in read_rejects(rejects)] == [i for i in range(100, complete + 1, 100)]
    checkpoint = store.execute_text(
        "MATCH (c:IngestCheckpoint) RETURN c.last_line AS last, c.completed AS done", write=False
    )
    assert checkpoint == [{"last": complete, "done": False}]


def test_a_corrupt_gzip_names_the_file_and_where_it_broke(tmp_path: Path) -> None:
    whole = bytearray(events_gz(tmp_path / "whole.jsonl.gz").read_bytes())
    middle = len(whole) // 2
    whole[middle : middle + 64] = bytes(64)  # zeroes in the middle of the deflate stream
    path = tmp_path / "corrupt.jsonl.gz"
    path.write_bytes(bytes(whole))
    pattern = r"corrupt\.jsonl\.gz.*byte \d+.*line \d+"
    with pytest.raises(CorruptInput, match=pattern), open_text(path) as stream:  # the text path (twcs)
        for _ in stream:
            pass


def test_rapport_ingest_of_a_truncated_gzip_exits_with_its_own_code(tmp_path: Path) -> None:
    path, complete = truncated(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "ingest", str(path), "--data-dir", str(tmp_path / "data"),
         "--rejects", str(tmp_path / "r.jsonl")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 6, result.stderr
    assert "Aborted" not in result.stderr
    assert str(path) in result.stderr.replace("\n", "") and f"line {complete + 1}" in result.stderr, (
        result.stderr
    )
    # the data dir holds the lines before the break
    status = subprocess.run(
        [sys.executable, "-m", "cli", "cypher", "MATCH (p:Profile) RETURN count(p) AS n", "--json",
         "--data-dir", str(tmp_path / "data")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert json.loads(status.stdout) == [{"n": complete - complete // 100}]
