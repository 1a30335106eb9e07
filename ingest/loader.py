"""Load a source file into the store: batched, idempotent, resumable, nothing lost or doubled.

Every batch is a set of ``UNWIND $rows MERGE`` statements keyed on ids, so applying it twice
leaves the graph as after once. After a batch is applied, an ``IngestCheckpoint`` node in the
*same store* records its last input line. The checkpoint is written after the data it covers,
and both the FalkorDB append-only file and Neo4j's log are ordered, so a crash (Ctrl-C,
``kill -9`` of the loader, the store restarted) can lose the checkpoint together with the
newest data but never keep a checkpoint for data that was lost. Re-running the same command
resumes after the checkpoint; re-applying a batch whose checkpoint was lost is harmless.

A file is identified by its format, options, size and a hash of its first 1 MiB: a changed
file starts over. A completed load run again is applied again from the start (idempotent), so
"load twice" and "load once" end in the same graph.

Rejected lines go to the rejects file (JSON Lines, ``line``/``reason``/``excerpt``); on resume
the rejects of lines after the checkpoint are dropped first, so no reject is written twice.

Parsing (reading, validation, sentiment, mapping, encoding the statements) costs as much as the
store's own work, so on a machine with more than one core a file of at least
:data:`WORKER_MIN_BYTES` is parsed in worker processes (:mod:`ingest.parse_worker`) while this
process writes the previous batch: one per core up to :data:`MAX_PARSE_WORKERS` for canonical
events (:data:`PARSE_BOUND_FORMATS`), else one, or as many as asked for a format whose batches can
be parsed apart (:data:`~ingest.pipeline.SHARDABLE_FORMATS`). Batches,
rejects and checkpoints are the same either way; only which repeated node writes are dropped
before they reach the store differs (see :mod:`ingest.parse_worker`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.model import Label
from graph.store import GraphStore
from ingest.identity_ledger import ConsentPolicy, enforce_consent
from ingest.identity_links import link_same_person_profiles
from ingest.parse_worker import ParseJob, parsed_batches
from ingest.pipeline import (
    SHARDABLE_FORMATS,
    Batch,
    batches,
    load_batches,
    rare_cycle_collection,
    read_source,
)
from ingest.records import SourceItem
from ingest.rejects import RejectsWriter, read_rejects
from ingest.sources.compression import ReadMeter

_HEAD_BYTES = 1024 * 1024
WORKER_MIN_BYTES = 2 * 1024 * 1024
"""Files from this size up are parsed in a worker process. Starting one has a fixed cost, which a
small canonical file does not win back, while a small Higgs file (short lines, several events
each) already gains; ``bench/ingest.py`` compares the worker with in-process parsing."""
MAX_PARSE_WORKERS = 4
"""The most parse workers one load starts by default. A cap chosen, not measured: the store applies
the batches one at a time, and ``bench/ingest.py`` has only run on two cores."""


@dataclass(frozen=True)
class LoadProgress:
    """Reported after every applied batch: counts of this run, and how far into the file it is
    (``bytes_read`` of ``total_bytes`` on disk; compressed bytes for gzip)."""

    lines: int
    events: int
    rejected: int
    elapsed_s: float
    bytes_read: int = 0
    total_bytes: int = 0


@dataclass(frozen=True)
class LoadSummary:
    path: str
    format: str
    lines: int  # input lines read in this run (after any resumed-from checkpoint)
    events: int  # valid events loaded in this run
    rejected: int
    resumed_from_line: int
    elapsed_s: float
    rejects_path: str | None

    @property
    def events_per_s(self) -> float:
        return self.events / self.elapsed_s if self.elapsed_s > 0 else 0.0


def file_identity(path: Path, format: str, options: dict[str, Any]) -> str:  # noqa: A002
    """A checkpoint key that changes when the file or the way it is read changes."""
    digest = hashlib.sha256()
    digest.update(json.dumps([format, sorted(options.items()), path.stat().st_size], default=str).encode())
    with open(path, "rb") as stream:
        digest.update(stream.read(_HEAD_BYTES))
    return f"{format}:{digest.hexdigest()[:24]}"


def _truncate_rejects_after(path: Path, line: int) -> None:
    if path.exists():
        kept = [r for r in read_rejects(path) if r.line <= line]
        with RejectsWriter(path, append=False) as writer:
            writer.write_all(kept)
        if not kept:
            path.unlink(missing_ok=True)


def apply_batches(
    store: GraphStore,
    items: Iterable[SourceItem],
    *,
    batch_size: int,
    on_batch: Callable[[Batch], None] | None = None,
) -> None:
    """Apply every batch of ``items`` to the store, calling ``on_batch`` after each is written."""
    for batch in batches(items, batch_size):
        store.apply(batch.writes, batch_size=batch_size)
        if on_batch is not None:
            on_batch(batch)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _parse_in_worker_by_default(path: Path) -> bool:
    return usable_cores() > 1 and path.stat().st_size >= WORKER_MIN_BYTES


PARSE_BOUND_FORMATS = frozenset({"events"})
"""Formats parsed on one worker per core by default: canonical events carry posts, whose language
detection and sentiment make the parse, not the store, set a load's pace. The edge lists (``higgs``,
``snap-signed``) parse cheaply and the store sets their pace: a second worker (which reads the
whole file too) took CPU from the store and made a Higgs load slower, so they get one worker
unless asked (docs/benchmarks.md, Ingest, has both)."""


def default_parse_workers(format: str) -> int:  # noqa: A002
    """One parse worker per core, at most :data:`MAX_PARSE_WORKERS`, for a format of
    :data:`PARSE_BOUND_FORMATS`; one for the others."""
    return max(1, min(usable_cores(), MAX_PARSE_WORKERS)) if format in PARSE_BOUND_FORMATS else 1


@contextlib.contextmanager
def _source_batches(
    store: GraphStore,
    path: Path,
    format: str,  # noqa: A002
    options: dict[str, Any],
    *,
    batch_size: int,
    resume_from: int,
    in_worker: bool,
    workers: int,
) -> Iterator[Iterable[Batch]]:
    meter = ReadMeter()
    items = read_source(path, format, meter=meter, **options)  # fails on an unknown format; opens nothing
    if not in_worker:
        with rare_cycle_collection():  # as the worker parses
            yield load_batches(items, batch_size, resume_from=resume_from, meter=meter)
        return
    job = ParseJob(str(path), format, store.kind, batch_size, resume_from, options, shards=workers)
    with parsed_batches(job) as parsed:
        yield parsed


def load_file(
    store: GraphStore,
    path: str | Path,
    format: str,  # noqa: A002
    *,
    rejects_path: str | Path | None = None,
    batch_size: int = 5000,
    progress: Callable[[LoadProgress], None] | None = None,
    options: dict[str, Any] | None = None,
    parse_in_worker: bool | None = None,
    parse_workers: int | None = None,
    consent_policy: ConsentPolicy = "hold",
) -> LoadSummary:
    """Load ``path`` in ``format`` (``events``, ``twcs``, ``snap-signed``, ``higgs``), resuming if a
    previous run of the same load was interrupted.

    ``parse_in_worker`` parses in worker processes (``None``: when there is more than one core and
    the file has at least :data:`WORKER_MIN_BYTES`), ``parse_workers`` of them (``None``:
    :func:`default_parse_workers`; more than one only for a format of
    :data:`~ingest.pipeline.SHARDABLE_FORMATS`). ``consent_policy`` holds or refuses the links of
    customers whose consent forbids joining (:mod:`ingest.identity_ledger`). Either way parsing runs under
    :func:`~ingest.pipeline.rare_cycle_collection`, which is process-wide: run one load per process
    (as ``rapport ingest`` does), not several in threads."""
    path = Path(path)
    options = options or {}
    rejects = Path(rejects_path) if rejects_path else None
    checkpoint_id = file_identity(path, format, options)
    checkpoint = store.get_node(Label.INGEST_CHECKPOINT, checkpoint_id) or {}
    resume_from = 0 if checkpoint.get("completed", True) else int(checkpoint.get("last_line", 0))
    if rejects is not None:
        if resume_from:
            _truncate_rejects_after(rejects, resume_from)
        else:
            rejects.unlink(missing_ok=True)

    started = time.monotonic()
    total_bytes = path.stat().st_size
    totals = {"lines": 0, "events": 0, "rejected": 0, "last_line": resume_from}

    def save_checkpoint(last_line: int, completed: bool) -> None:
        store.upsert_nodes(
            Label.INGEST_CHECKPOINT,
            [
                {
                    "id": checkpoint_id,
                    "path": str(path),
                    "format": format,
                    "last_line": last_line,
                    "completed": completed,
                    "updated_at": int(time.time() * 1000),
                }
            ],
        )

    with RejectsWriter(rejects, append=True) if rejects else _NoRejects() as writer:

        def on_batch(batch: Batch) -> None:
            writer.write_all(batch.rejected)
            writer.flush()
            save_checkpoint(batch.last_line, completed=False)
            totals["lines"] += batch.lines
            totals["events"] += batch.events
            totals["rejected"] += len(batch.rejected)
            totals["last_line"] = batch.last_line
            if progress is not None:
                progress(
                    LoadProgress(
                        totals["lines"],
                        totals["events"],
                        totals["rejected"],
                        time.monotonic() - started,
                        batch.bytes_read,
                        total_bytes,
                    )
                )

        in_worker = _parse_in_worker_by_default(path) if parse_in_worker is None else parse_in_worker
        workers = default_parse_workers(format) if parse_workers is None else parse_workers
        if workers < 1:
            raise ValueError(f"parse_workers must be at least 1, not {workers}")
        if format not in SHARDABLE_FORMATS:
            workers = 1  # its batches cannot be parsed apart (see SHARDABLE_FORMATS)
        with _source_batches(
            store,
            path,
            format,
            options,
            batch_size=batch_size,
            resume_from=resume_from,
            in_worker=in_worker,
            workers=workers,
        ) as source:
            for batch in source:
                store.apply(batch.writes, batch_size=batch_size)
                on_batch(batch)
    link_same_person_profiles(store)
    enforce_consent(store, consent_policy)
    save_checkpoint(totals["last_line"], completed=True)
    store.compact_log()  # a large load leaves a long log tail for the next start to replay
    return LoadSummary(
        path=str(path),
        format=format,
        lines=totals["lines"],
        events=totals["events"],
        rejected=totals["rejected"],
        resumed_from_line=resume_from,
        elapsed_s=time.monotonic() - started,
        rejects_path=str(rejects) if rejects and totals["rejected"] else None,
    )


class _NoRejects:
    """Stands in for a RejectsWriter when no rejects file was asked for (rejects are only counted)."""

    def write_all(self, rejects: Iterable[object]) -> None:
        pass

    def flush(self) -> None:
        pass

    def __enter__(self) -> _NoRejects:
        return self

    def __exit__(self, *exc: object) -> None:
        pass
