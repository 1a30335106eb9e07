"""Sources -> validated records -> batches of graph writes (everything before the store).

``read_source(path, format)`` streams :data:`~ingest.records.SourceItem`\\ s (a Record of events, or a
Rejected, per input line); ``batches(items, batch_size)`` groups them into :class:`Batch`\\ es of at most
``batch_size`` input lines, each carrying the merged, de-duplicated :class:`~graph.writes.GraphWrites` of
its records and the rejects of its lines. Batches are deterministic for one file and batch size, and cover
increasing, disjoint line ranges, so a loader can checkpoint ``last_line`` after applying a batch and resume
by skipping every item with ``line <= checkpoint`` (see :func:`skip_through`).

Formats (``--format``): ``events`` (canonical JSON Lines), ``twcs``, ``snap-signed``, ``higgs``.
Options: ``platform=`` for ``twcs``, ``snap-signed`` and ``higgs`` (the id namespace, see each module).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import dropwhile
from pathlib import Path
from typing import Any

from graph.store import PreparedWrites
from graph.writes import GraphWrites
from ingest.mapping import add_event
from ingest.records import Record, Rejected, SourceItem
from ingest.sentiment import SentimentModel, default_sentiment_model
from ingest.sources.canonical import read_events
from ingest.sources.higgs import read_higgs
from ingest.sources.snap_signed import read_snap_signed
from ingest.sources.twcs import read_twcs

READERS: dict[str, Callable[..., Iterator[SourceItem]]] = {
    "events": read_events,
    "twcs": read_twcs,
    "snap-signed": read_snap_signed,
    "higgs": read_higgs,
}
FORMATS: tuple[str, ...] = tuple(READERS)


def read_source(path: str | Path, format: str, **options: Any) -> Iterator[SourceItem]:  # noqa: A002
    """Stream the items of ``path`` in ``format``; ``options`` go to the format's reader (``platform=``)."""
    try:
        reader = READERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}") from None
    return reader(path, **options)


@dataclass
class Batch:
    """Writes for the input lines ``first_line`` … ``last_line`` (inclusive; 0/0 only for an empty batch).

    :func:`batches` fills ``writes`` with :class:`GraphWrites`; a parse worker replaces them with
    the same writes already prepared for the store (:class:`~graph.store.PreparedWrites`).
    """

    first_line: int
    last_line: int
    writes: GraphWrites | PreparedWrites = field(default_factory=GraphWrites)
    rejected: list[Rejected] = field(default_factory=list)
    events: int = 0
    lines: int = 0


def batches(
    items: Iterable[SourceItem], batch_size: int = 10_000, *, sentiment: SentimentModel | None = None
) -> Iterator[Batch]:
    """Group items into batches of at most ``batch_size`` input lines (records and rejects both count).

    ``sentiment`` scores post texts (default: the process-wide VADER model).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    model = sentiment or default_sentiment_model()
    batch: Batch | None = None
    writes = GraphWrites()
    for item in items:
        if batch is None:
            writes = GraphWrites()
            batch = Batch(first_line=item.line, last_line=item.line, writes=writes)
        batch.last_line = max(batch.last_line, item.line)
        batch.lines += 1
        if isinstance(item, Record):
            for event in item.events:
                add_event(writes, event, source=item.source, sentiment=model)
            batch.events += len(item.events)
        else:
            batch.rejected.append(item)
        if batch.lines >= batch_size:
            yield batch
            batch = None
    if batch is not None:
        yield batch


def skip_through(items: Iterable[SourceItem], checkpoint: int) -> Iterator[SourceItem]:
    """The items after a checkpoint: every item with ``line > checkpoint`` (lines only increase)."""
    return dropwhile(lambda item: item.line <= checkpoint, items)
