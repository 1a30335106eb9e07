"""Parse a file in a child process while the loader process writes to the store.

Reading, validating and mapping the input, then encoding each batch's statements, costs the loader
process as much time as the store spends running them, and threads cannot share that work
(the GIL). So :func:`parsed_batches` runs :func:`~ingest.pipeline.load_batches` and
:func:`~graph.store.prepare_writes` in a worker process and hands the loader finished batches, in
input order, whose ``writes`` are :class:`~graph.store.PreparedWrites`: the loader only sends them
and checkpoints, so parsing batch *k + 1* overlaps the store writing batch *k*.

- **Same batches.** The worker runs the same functions on the same items as an in-process load, so
  batches, rejects and checkpoints are identical; only where the work runs changes.
- **Several workers.** With ``ParseJob.shards`` above one (a format of
  :data:`~ingest.pipeline.SHARDABLE_FORMATS`), that many workers read the file, each counting every
  item but parsing only those of its batches (worker ``i`` of ``k``: batches ``i``, ``i + k``, …;
  :class:`~ingest.sources.compression.Shard`), and the loader takes batch ``n`` from worker
  ``n mod k``: the batches of one worker in order, each the batch an in-process load makes.
  Each worker drops the node writes that repeat one of *its own* earlier batches
  (:class:`~ingest.pipeline.NodeWriteMemory`), which the store holds by the time the later batch
  is applied, as with one worker; a repeat of another worker's batch is written again (idempotent).
  A broken file (:class:`~graph.errors.CorruptInput`) still loads every batch before the break:
  each worker reads up to it, the one holding its partial batch yields that first.
- **Flat memory, no lock-step.** The worker queues finished batches in an outbox of
  :data:`OUTBOX_BATCHES` that a thread sends over the pipe (enlarged to 1 MiB), so parsing goes on
  while the loader is busy writing, and a slow batch on either side does not stall the other;
  when the loader falls behind the outbox fills and parsing waits. At most about
  ``OUTBOX_BATCHES + 2`` batches are in flight (the outbox, the pipe, the one being parsed).
- **Fewer garbage collections.** The worker parses under
  :func:`~ingest.pipeline.rare_cycle_collection` (why: see there).
- **Errors.** An exception in the worker ends it and is raised in the loader, as the same type
  with the worker's traceback as its cause; a worker that dies without a word (killed, out of
  memory) raises :class:`ParseWorkerDied`.
- **Stopping.** Leaving :func:`parsed_batches` (normally, on an error, or on Ctrl-C) stops the
  worker and waits for it. The worker runs in its own session, so Ctrl-C reaches only the loader,
  which decides; on Linux it gets SIGTERM when the loader dies, so a ``kill -9`` of the loader
  leaves no orphan. (That signal follows the *thread* that started the worker, which is the one
  consuming it.)
- **A plain child process.** The worker is ``python -P -m ingest.parse_worker`` with the pipe's
  end passed down, not a ``multiprocessing`` spawn: spawn re-runs the caller's main module in the
  child, which breaks callers without an ``if __name__ == "__main__"`` guard and costs the CLI's
  imports.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import itertools
import json
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.engines.embedded_falkordb import die_with_parent
from graph.store import prepare_writes
from ingest.pipeline import SHARDABLE_FORMATS, Batch, load_batches, rare_cycle_collection, read_source
from ingest.sources.compression import ReadMeter, Shard

_STOP_TIMEOUT_S = 30.0
OUTBOX_BATCHES = 4
"""Finished batches (each its statements' text) the worker may hold while the loader writes."""
_PIPE_BYTES = 1 << 20  # the most an unprivileged process may ask for, by default
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ParseWorkerDied(RuntimeError):
    """The parse worker ended without finishing or reporting an error (killed, crashed)."""


class _RemoteTraceback(Exception):
    """The worker's traceback, attached as the ``__cause__`` of an exception re-raised here."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"\nin the parse worker:\n{self.text}"


@dataclass(frozen=True)
class ParseJob:
    """What the worker reads, and for which engine it prepares the writes."""

    path: str
    format: str
    engine_kind: str
    batch_size: int = 5000
    resume_from: int = 0  # skip every item with line <= resume_from (a checkpoint)
    options: dict[str, Any] = field(default_factory=dict)
    shards: int = 1  # workers parsing the file's batches between them
    shard: int = 0  # which of them this job's worker is


@contextlib.contextmanager
def parsed_batches(job: ParseJob) -> Iterator[Iterator[Batch]]:
    """The batches of ``job``, parsed and prepared in ``job.shards`` worker processes, in order.

    Use as ``with parsed_batches(job) as source: for batch in source: ...``; leaving the block
    stops the workers, whatever the reason.
    """
    if job.shards < 1:
        raise ValueError(f"a parse needs at least one worker, not {job.shards}")
    if job.shards > 1 and job.format not in SHARDABLE_FORMATS:
        raise ValueError(f"format {job.format!r} cannot be parsed by several workers")
    with contextlib.ExitStack() as workers:
        sources = [
            workers.enter_context(_worker_batches(dataclasses.replace(job, shard=shard)))
            for shard in range(job.shards)
        ]
        yield sources[0] if len(sources) == 1 else _in_turn(sources)


def _in_turn(sources: list[Iterator[Batch]]) -> Iterator[Batch]:
    """Batch ``n`` from ``sources[n % len(sources)]`` until the source whose turn it is has ended
    (the file has); an error a worker raised surfaces at its turn, after every batch before it."""
    for source in itertools.cycle(sources):
        batch = next(source, None)
        if batch is None:
            break
        yield batch
    for source in sources:  # all at the end of the file; a batch left would be a lost one
        if next(source, None) is not None:
            raise RuntimeError("the parse workers disagree on where the file's batches end")


@contextlib.contextmanager
def _worker_batches(job: ParseJob) -> Iterator[Iterator[Batch]]:
    """The batches of ``job``'s shard, parsed and prepared in one worker process, in order; leaving
    the block stops the worker."""
    read_end, write_end = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # Linux only; the default 64 KiB also works
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    try:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-P",  # not the working directory first on the path: it may hold another `ingest`
                "-m",
                "ingest.parse_worker",
                json.dumps(dataclasses.asdict(job)),
                str(write_end),
                str(os.getpid()),
            ],
            pass_fds=(write_end,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=_environment(),
            start_new_session=True,
        )
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)  # the worker holds its own copy: its exit is the end of file here
    receiver = Connection(read_end, writable=False)
    try:
        yield _received(receiver, worker)
    finally:
        receiver.close()
        _stop(worker)


def _environment() -> dict[str, str]:
    """This environment, with this project first on the path: the worker runs the code we run."""
    paths = [str(_PROJECT_ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _received(receiver: Connection, worker: subprocess.Popen[bytes]) -> Iterator[Batch]:
    while True:
        try:
            tag, payload, detail = receiver.recv()
        except (EOFError, OSError):
            code = _stop(worker)
            raise ParseWorkerDied(
                f"the parse worker ended unexpectedly (exit code {code}); its error output, if any, is above"
            ) from None
        if tag == "batch":
            yield payload
        elif tag == "done":
            return
        else:
            raise payload from _RemoteTraceback(detail)


def _stop(worker: subprocess.Popen[bytes]) -> int:
    """End the worker if it still runs (it holds nothing worth saving) and reap it; its exit code."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            worker.kill()
    return worker.wait()


def main(argv: Sequence[str]) -> None:
    """The worker: ``python -m ingest.parse_worker JOB_JSON PIPE_FD PARENT_PID``."""
    job_json, fd, parent_pid = argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(int(parent_pid))
    outbox: queue.Queue[tuple[str, Any, Any]] = queue.Queue(maxsize=OUTBOX_BATCHES)
    loader_gone = threading.Event()
    sending = threading.Thread(
        target=_send_all, args=(Connection(int(fd), readable=False), outbox, loader_gone), daemon=True
    )
    sending.start()
    failed = False
    try:
        job = ParseJob(**json.loads(job_json))
        meter = ReadMeter()
        shard = Shard(job.shard, job.shards, job.batch_size, job.resume_from) if job.shards > 1 else None
        items = read_source(Path(job.path), job.format, meter=meter, shard=shard, **job.options)
        with rare_cycle_collection():
            for batch in load_batches(items, job.batch_size, resume_from=job.resume_from, meter=meter):
                if loader_gone.is_set():
                    break
                batch.writes = prepare_writes(batch.writes, kind=job.engine_kind, batch_size=job.batch_size)
                outbox.put(("batch", batch, None))
        outbox.put(("done", None, None))
    except BaseException as exc:
        failed = True
        outbox.put(("error", _transferable(exc), traceback.format_exc()))
    sending.join()
    if failed:
        sys.exit(1)


def _send_all(
    sender: Connection, outbox: queue.Queue[tuple[str, Any, Any]], loader_gone: threading.Event
) -> None:
    """Send the outbox's messages in order, up to the last one (``done`` or ``error``).

    If the loader stops listening (it has failed or gone, and stops the worker anyway), or a
    message cannot be sent (reported to the loader as an error, if it still listens),
    ``loader_gone`` is set and the rest is taken off the outbox unsent, so parsing never waits.
    """
    try:
        while True:
            message = outbox.get()
            if not loader_gone.is_set():
                try:
                    sender.send(message)
                except (BrokenPipeError, ConnectionResetError):
                    loader_gone.set()
                except Exception as exc:  # a message that does not pickle: nothing of it was written
                    loader_gone.set()
                    with contextlib.suppress(OSError):
                        sender.send(("error", _transferable(exc), traceback.format_exc()))
            if message[0] != "batch":
                return
    finally:
        sender.close()


def _transferable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError carrying its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__qualname__}: {exc}")
    return exc


def _die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGTERM this process when its parent dies (Linux); exit if it already has."""
    die_with_parent()
    if os.getppid() != parent_pid:
        os._exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
