"""Ingest progress: bytes of the file read (compressed bytes for gzip), percentage, rate and time left."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from ingest.loader import LoadProgress, load_file
from ingest.pipeline import read_source
from ingest.progress import LoadEstimator
from ingest.sources.compression import ReadMeter


def events_file(tmp_path: Path, lines: int, *, gz: bool) -> Path:
    rng = random.Random(19)
    path = tmp_path / ("events.jsonl.gz" if gz else "events.jsonl")
    text = "".join(
        json.dumps(
            {
                "kind": "post",
                "id": f"p{i}",
                "author": f"tw:u{i % 50}",
                "text": " ".join(f"{rng.getrandbits(64):x}" for _ in range(8)),  # hardly compressible
                "created_at": 1_700_000_000_000 + i,
            }
        )
        + "\n"
        for i in range(lines)
    )
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_the_meter_follows_the_bytes_of_the_file_on_disk(tmp_path, gz) -> None:
    path = events_file(tmp_path, 4000, gz=gz)
    meter = ReadMeter()
    seen = []
    for number, _ in enumerate(read_source(path, "events", meter=meter), start=1):
        if number % 400 == 0:
            seen.append(meter.bytes_read)
    size = path.stat().st_size
    assert seen == sorted(seen) and 0 < seen[0] < size  # grows with the reading, from early on
    assert meter.bytes_read == size  # and ends at the file's size (compressed size for gzip)


def test_the_estimate_of_known_reports() -> None:
    estimator = LoadEstimator(total_bytes=1000)
    first = estimator.update(400, 2.0)  # a resumed load: 300 of these 400 bytes were a skipped prefix
    assert (first.fraction, first.bytes_per_s, first.seconds_left) == (0.4, None, None)
    later = estimator.update(600, 4.0)  # 200 bytes in 2 s since the first report: 100 B/s
    assert later.fraction == 0.6 and later.bytes_per_s == 100.0 and later.seconds_left == 4.0
    done = estimator.update(1000, 8.0)
    assert done.fraction == 1.0 and done.seconds_left == 0.0
    assert LoadEstimator(0).update(0, 1.0).fraction == 1.0  # an empty file is done


@pytest.mark.parametrize(("gz", "worker"), [(False, False), (True, False), (True, True)])
def test_a_load_reports_how_far_into_the_file_it_is(store, tmp_path, gz, worker) -> None:
    path = events_file(tmp_path, 3000, gz=gz)
    reports: list[LoadProgress] = []
    load_file(store, path, "events", batch_size=500, progress=reports.append, parse_in_worker=worker)
    size = path.stat().st_size
    assert len(reports) == 6 and all(r.total_bytes == size for r in reports)
    read = [r.bytes_read for r in reports]
    assert read == sorted(read) and read[0] < size and read[-1] == size
