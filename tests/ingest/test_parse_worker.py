"""Parsing in a worker process: the same batches in the same order, and errors, kills and Ctrl-C
end the worker cleanly (no hung or orphaned process)."""

from __future__ import annotations

import contextlib
import gc
import gzip
import itertools
import json
import multiprocessing
import os
import queue
import signal
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from graph.errors import CorruptInput
from graph.store import CypherGraphStore, prepare_writes
from ingest import loader
from ingest.demo import DemoSize, demo_events
from ingest.loader import LoadProgress, load_file
from ingest.parse_worker import ParseJob, ParseWorkerDied, _send_all, parsed_batches
from ingest.pipeline import (
    NodeWriteMemory,
    batches,
    load_batches,
    rare_cycle_collection,
    read_source,
    skip_through,
)
from ingest.rejects import read_rejects
from tests.conftest import new_falkordb_store
from tests.ingest.helpers import HIGGS, TWCS
from tests.ingest.test_loader import BAD_LINES, snapshot


def children() -> set[int]:
    """Child processes of this test process (the session's FalkorDB server among them)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids |= {int(pid) for pid in (task / "children").read_text().split()}
    return pids


def events_file(tmp_path: Path, customers: int = 40) -> Path:
    """Demo events with bad lines among them, and a profile that a later line changes."""
    events = list(demo_events(7, DemoSize(customers=customers)))
    first = {"kind": "profile", "id": "tw:twice", "platform": "twitter", "handle": "first"}
    later = {**first, "handle": "later", "followers": 3}
    lines = [json.dumps(first), *BAD_LINES[:2], *map(json.dumps, events), *BAD_LINES[2:], json.dumps(later)]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def in_process_batches(job: ParseJob) -> list:
    items = read_source(job.path, job.format, **job.options)
    return [
        replace(batch, writes=prepare_writes(batch.writes, kind=job.engine_kind, batch_size=job.batch_size))
        for batch in load_batches(items, job.batch_size, resume_from=job.resume_from)
    ]


def sharded_in_process_batches(job: ParseJob) -> list:
    """What ``job.shards`` workers yield between them, modelled in-process: the batches of the whole
    file in order, batch ``n`` less the node writes repeating one of batches ``n - shards``,
    ``n - 2 * shards``… (each worker remembers only its own)."""
    items = skip_through(read_source(job.path, job.format, **job.options), job.resume_from)
    memories = [NodeWriteMemory() for _ in range(job.shards)]
    expected = []
    for n, batch in enumerate(batches(items, job.batch_size)):
        memories[n % job.shards].drop_repeats(batch.writes)
        expected.append(
            replace(
                batch, writes=prepare_writes(batch.writes, kind=job.engine_kind, batch_size=job.batch_size)
            )
        )
    return expected


@pytest.mark.parametrize(("shards", "resume_from"), [(2, 0), (3, 0), (2, 250), (3, 251)])
def test_workers_sharing_a_file_yield_its_batches_in_order(
    tmp_path: Path, shards: int, resume_from: int
) -> None:
    lines = events_file(tmp_path).read_text(encoding="utf-8").splitlines()
    for at, filler in (
        (5, ""),
        (130, "   "),
        (260, "\u00a0\u3000"),
        (400, "\t"),
    ):  # blank: no item, not counted
        lines.insert(at, filler)
    source = tmp_path / "with-blanks.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    job = ParseJob(str(source), "events", "falkordb", batch_size=37, resume_from=resume_from, shards=shards)
    with parsed_batches(job) as received:
        batches_received = list(received)
    expected = sharded_in_process_batches(job)
    assert len(expected) > 3 * shards and batches_received == expected
    assert [b.first_line for b in batches_received] == sorted(b.first_line for b in batches_received)
    assert sum(b.lines for b in batches_received) == sum(b.lines for b in in_process_batches(job))


def test_a_broken_file_shared_by_workers_loads_every_batch_before_the_break(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl.gz"
    events.write_bytes(gzip.compress(events_file(tmp_path).read_bytes())[:-40])  # truncated: CorruptInput
    single = ParseJob(str(events), "events", "falkordb", batch_size=23)
    received = []
    with pytest.raises(CorruptInput), parsed_batches(replace(single, shards=3)) as source:
        received.extend(source)
    expected = []
    with pytest.raises(CorruptInput), parsed_batches(single) as source:
        expected.extend(source)
    assert len(expected) > 6
    assert [(b.first_line, b.last_line, b.lines) for b in received] == [
        (b.first_line, b.last_line, b.lines) for b in expected
    ]


def test_canonical_events_are_parsed_on_every_core_up_to_four_and_edge_lists_on_one(monkeypatch) -> None:
    for cores, events in ((1, 1), (2, 2), (8, loader.MAX_PARSE_WORKERS)):
        monkeypatch.setattr(loader, "usable_cores", lambda cores=cores: cores)
        assert loader.default_parse_workers("events") == events == min(cores, 4)
        assert [loader.default_parse_workers(f) for f in ("higgs", "snap-signed", "twcs")] == [1, 1, 1]


def test_a_load_asked_for_no_parse_worker_is_refused(falkordb_store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        load_file(falkordb_store, events_file(tmp_path), "events", parse_in_worker=True, parse_workers=0)


def test_twcs_is_not_parsed_in_shards(tmp_path: Path) -> None:
    job = ParseJob(str(TWCS), "twcs", "falkordb", shards=2)
    with pytest.raises(ValueError, match="cannot be parsed by several workers"), parsed_batches(job):
        pass


@pytest.mark.parametrize("resume_from", [0, 250])
def test_the_worker_yields_the_batches_of_an_in_process_load_in_order(
    tmp_path: Path, resume_from: int
) -> None:
    job = ParseJob(str(events_file(tmp_path)), "events", "falkordb", batch_size=97, resume_from=resume_from)
    with parsed_batches(job) as source:
        received = list(source)
    expected = in_process_batches(job)
    assert len(expected) > 5 and received == expected
    assert [batch.first_line for batch in received] == sorted(batch.first_line for batch in received)


def test_other_formats_and_options_reach_the_worker(tmp_path: Path) -> None:
    higgs = tmp_path / "higgs.txt"
    with gzip.open(HIGGS, "rt") as source:
        higgs.write_text("".join(itertools.islice(source, 3000)) + "not a higgs line\n")
    for job in (
        ParseJob(str(higgs), "higgs", "falkordb", batch_size=700, options={"platform": "hx"}),
        ParseJob(str(TWCS), "twcs", "falkordb", batch_size=1500),
    ):
        with parsed_batches(job) as source:
            assert list(source) == in_process_batches(job)


def test_a_load_in_workers_equals_one_in_process(falkordb_server, tmp_path: Path) -> None:
    source = events_file(tmp_path, customers=60)
    results = []
    for workers in (0, 1, 2, 3):  # 0: parsed in-process
        store = new_falkordb_store(falkordb_server)
        reports: list[LoadProgress] = []
        rejects = tmp_path / f"rejects-{workers}.jsonl"
        summary = load_file(
            store,
            source,
            "events",
            rejects_path=rejects,
            batch_size=200,
            progress=reports.append,
            parse_in_worker=workers > 0,
            parse_workers=max(workers, 1),
        )
        results.append(
            (
                snapshot(store),
                rejects.read_bytes(),
                (summary.lines, summary.events, summary.rejected),
                [(report.lines, report.events, report.rejected) for report in reports],
            )
        )
        store.delete_all()
        store.close()
    assert results[1:] == results[:1] * 3
    graph, _, (lines, _, rejected), reports = results[-1]
    assert rejected == len(BAD_LINES) and reports[-1][0] == lines and len(reports) == -(-lines // 200)
    assert any('"handle": "later"' in node for node in graph[0])


def test_an_error_in_the_worker_is_raised_as_in_process_and_ends_it(falkordb_store, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl.gz"
    events.write_bytes(gzip.compress(events_file(tmp_path).read_bytes())[:-40])  # truncated: CorruptInput
    with pytest.raises(CorruptInput):
        load_file(falkordb_store, events, "events", batch_size=100, parse_in_worker=False)
    before = children()
    with pytest.raises(CorruptInput) as raised:
        load_file(falkordb_store, events, "events", batch_size=100, parse_in_worker=True)
    assert "in the parse worker" in str(raised.value.__cause__)
    assert children() == before


@pytest.mark.parametrize("workers", [1, 2])
def test_a_killed_worker_fails_the_load_and_the_rerun_resumes_to_a_clean_result(
    falkordb_server, tmp_path: Path, workers: int
) -> None:
    source = events_file(tmp_path, customers=800)  # more than the pipe holds: the worker is mid-file
    before = children()
    killed: list[int] = []

    def kill_the_worker(progress: LoadProgress) -> None:
        if not killed:
            started = children() - before
            assert len(started) == workers
            worker = max(started)  # with two, the second worker: the first's batches are not enough
            os.kill(worker, signal.SIGKILL)
            killed.append(worker)

    interrupted = new_falkordb_store(falkordb_server)
    rejects = tmp_path / "interrupted.rejects.jsonl"
    with pytest.raises(ParseWorkerDied, match="exit code -9"):
        load_file(
            interrupted,
            source,
            "events",
            rejects_path=rejects,
            batch_size=200,
            progress=kill_the_worker,
            parse_in_worker=True,
            parse_workers=workers,
        )
    assert children() == before
    resumed = load_file(
        interrupted,
        source,
        "events",
        rejects_path=rejects,
        batch_size=200,
        parse_in_worker=True,
        parse_workers=workers,
    )
    assert resumed.resumed_from_line > 0

    clean = new_falkordb_store(falkordb_server)
    clean_rejects = tmp_path / "clean.rejects.jsonl"
    load_file(clean, source, "events", rejects_path=clean_rejects, batch_size=200, parse_in_worker=False)
    assert snapshot(interrupted) == snapshot(clean)
    assert read_rejects(rejects) == read_rejects(clean_rejects)
    for store in (interrupted, clean):
        store.delete_all()
        store.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_in_the_loader_stops_the_workers(
    falkordb_store: CypherGraphStore, tmp_path: Path, workers: int
) -> None:
    before = children()

    def interrupt(progress: LoadProgress) -> None:
        assert len(children() - before) == workers  # the workers run while we load
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_file(
            falkordb_store,
            events_file(tmp_path),
            "events",
            batch_size=20,
            progress=interrupt,
            parse_in_worker=True,
            parse_workers=workers,
        )
    assert children() == before


def test_an_unknown_format_fails_before_any_worker_starts(falkordb_store, tmp_path: Path) -> None:
    before = children()
    with pytest.raises(ValueError, match="unknown format"):
        load_file(falkordb_store, events_file(tmp_path), "nope", parse_in_worker=True)
    assert children() == before


def test_rare_cycle_collection_raises_the_young_threshold_and_restores_it_even_on_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), rare_cycle_collection(12_345):
        assert gc.get_threshold() == (12_345, *before[1:])
        assert gc.isenabled()
        raise RuntimeError("the load failed")
    assert gc.get_threshold() == before


def run_sender(messages: list[tuple[str, Any, Any]], *, reader_open: bool = True):
    """Run the worker's sending thread over a real pipe on ``messages``; what the loader end got."""
    loader_end, worker_end = multiprocessing.Pipe(duplex=False)
    if not reader_open:
        loader_end.close()
    outbox: queue.Queue = queue.Queue()
    for message in messages:
        outbox.put(message)
    gone = threading.Event()
    sending = threading.Thread(target=_send_all, args=(worker_end, outbox, gone))
    sending.start()
    received = []
    if reader_open:
        with contextlib.suppress(EOFError):
            while True:
                received.append(loader_end.recv())
    sending.join(timeout=60)
    assert not sending.is_alive()
    return received, gone.is_set(), outbox.qsize()


def test_the_sending_thread_sends_in_order_up_to_the_last_message() -> None:
    messages = [("batch", n, None) for n in range(5)] + [("done", None, None), ("batch", 99, None)]
    received, gone, left = run_sender(messages)
    assert received == messages[:6] and not gone and left == 1


def test_the_sending_thread_drains_the_outbox_when_the_loader_is_gone() -> None:
    received, gone, left = run_sender(
        [("batch", "x" * 100_000, None)] * 20 + [("done", None, None)], reader_open=False
    )
    assert gone and left == 0


def test_a_message_that_cannot_be_sent_is_reported_to_the_loader_as_an_error() -> None:
    received, gone, _ = run_sender(
        [("batch", 1, None), ("batch", lambda: None, None), ("batch", 3, None), ("done", None, None)]
    )
    assert gone
    assert [tag for tag, *_ in received] == ["batch", "error"]
    assert "pickle" in str(received[1][1]).lower()
