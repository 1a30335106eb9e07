"""Sources -> validated records -> batches of graph writes (everything before the store).

``read_source(path, format)`` streams :data:`~ingest.records.SourceItem`\\ s (a Record of events, or a
Rejected, per input line); ``batches(items, batch_size)`` groups them into :class:`Batch`\\ es of at most
``batch_size`` input lines, each carrying the merged, de-duplicated :class:`~graph.writes.GraphWrites` of
its records and the rejects of its lines. Batches are deterministic for one file and batch size, and cover
increasing, disjoint line ranges, so a loader can checkpoint ``last_line`` after applying a batch and resume
by skipping every item with ``line <= checkpoint`` (see :func:`skip_through`). A load applies
:func:`load_batches`: the same batches, less the node writes that repeat one it already made.

Formats (``--format``): ``events`` (canonical JSON Lines), ``twcs``, ``snap-signed``, ``higgs``.
Options: ``platform=`` for ``twcs``, ``snap-signed`` and ``higgs`` (the id namespace, see each module).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import dropwhile
from pathlib import Path
from typing import Any

from graph.errors import CorruptInput
from graph.model import Label
from graph.store import PreparedWrites
from graph.writes import GraphWrites
from ingest.mapping import add_event
from ingest.records import Record, Rejected, SourceItem
from ingest.sentiment import SentimentScorer
from ingest.sentiment_scorers import default_sentiment_scorer
from ingest.sources.canonical import read_events
from ingest.sources.compression import ReadMeter, Shard
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
SHARDABLE_FORMATS: frozenset[str] = frozenset({"events", "higgs", "snap-signed"})
"""Formats whose reader can parse one :class:`~ingest.sources.compression.Shard` of a file (one item per
line, so a worker tells items apart without parsing them); ``twcs`` reads CSV rows that may span lines."""


def read_source(
    path: str | Path,
    format: str,  # noqa: A002
    *,
    meter: ReadMeter | None = None,
    shard: Shard | None = None,
    **options: Any,
) -> Iterator[SourceItem]:
    """Stream the items of ``path`` in ``format``; ``options`` go to the format's reader (``platform=``).

    ``meter`` follows how many bytes of the file on disk have been read (for progress); ``shard``
    (a format of :data:`SHARDABLE_FORMATS`) keeps only the items of that shard's batches."""
    try:
        reader = READERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}") from None
    if shard is not None:
        if format not in SHARDABLE_FORMATS:
            raise ValueError(f"format {format!r} cannot be read in shards")
        options = {**options, "shard": shard}
    return reader(path, meter=meter, **options) if meter is not None else reader(path, **options)


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
    # bytes of the file on disk read when the batch was complete (0: not metered); progress only,
    # not part of what the batch writes, so batches compare equal without it
    bytes_read: int = field(default=0, compare=False)


def batches(
    items: Iterable[SourceItem],
    batch_size: int = 10_000,
    *,
    sentiment: SentimentScorer | None = None,
    meter: ReadMeter | None = None,
) -> Iterator[Batch]:
    """Group items into batches of at most ``batch_size`` input lines (records and rejects both count).

    ``sentiment`` scores post texts (default: the scorer the ``sentiment_scorer`` setting names); ``meter`` (the one the
    items' reader was given) stamps each batch with the bytes read by then.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    model = sentiment or default_sentiment_scorer()
    batch: Batch | None = None
    writes = GraphWrites()
    try:
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
                if meter is not None:
                    batch.bytes_read = meter.bytes_read
                yield batch
                batch = None
    except CorruptInput:  # the input broke part way: the lines read before it still load
        if batch is not None:
            yield batch
        raise
    if batch is not None:
        if meter is not None:
            batch.bytes_read = meter.bytes_read
        yield batch


def load_batches(
    items: Iterable[SourceItem],
    batch_size: int,
    *,
    resume_from: int = 0,
    memory: NodeWriteMemory | None = None,
    meter: ReadMeter | None = None,
) -> Iterator[Batch]:
    """The batches one load run applies, in order: :func:`batches` of the items after
    ``resume_from``, each less the node writes that repeat an earlier batch's (see
    :class:`NodeWriteMemory`; a fresh memory unless one is given). The loader and its parse worker
    both use this, so their batches are the same.
    """
    memory = memory if memory is not None else NodeWriteMemory()
    for batch in batches(skip_through(items, resume_from) if resume_from else items, batch_size, meter=meter):
        memory.drop_repeats(batch.writes)
        yield batch


PARSING_YOUNG_GC_THRESHOLD = 50_000
"""Allocations between young-generation collections while parsing (CPython's default is 700)."""


@contextlib.contextmanager
def rare_cycle_collection(young: int = PARSING_YOUNG_GC_THRESHOLD) -> Iterator[None]:
    """Run CPython's cyclic garbage collector less often inside the block; restore it after.

    Parsing allocates millions of short-lived containers (events, property dicts, row tuples)
    that reference counting frees at once; hardly any forms a cycle. At the default threshold the
    collector still runs thousands of times per million lines, and each older-generation pass walks
    every live object (a batch, the node memory, the caches); a profile of the parse worker showed
    these passes as a large share of its time (``bench/ingest.py`` measures loads with the setting,
    not without it). Cycles are still collected,
    only in larger steps: memory stays bounded by the threshold. The setting is process-wide:
    the parse worker and ``load_file``'s in-process parsing use it, one load per process. (Two
    overlapping blocks in threads could leave either threshold in place when they end; both
    are valid settings, so nothing breaks, but the restore is then not exact.)
    """
    previous = gc.get_threshold()
    gc.set_threshold(young, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


class NodeWriteMemory:
    """The node writes a load run has made, to drop the ones a later batch repeats unchanged.

    Sources repeat node facts on many lines: every Higgs or SNAP line names its two profiles, and
    a TWCS brand account appears on every reply. Each batch must upsert the nodes it names (a
    batch alone leaves a complete graph), but a node upsert is the dearest write the store makes,
    so a node whose label, id and properties are those an earlier batch of the *same run* wrote is
    dropped from the later batch. That is safe because a run applies its batches in
    order and stops at the first failure, and a resumed run starts with an empty memory: the
    earlier write is in the store whenever the later batch is applied. Relationship rows still
    MERGE their endpoints, so a dropped node write never leaves an endpoint missing.

    Properties are compared by :func:`_fingerprint`, a 128-bit BLAKE2b digest of the exact text
    of their (name, type, value) items, so ``1``, ``1.0`` and ``True`` differ, as they do in the
    store, and so do ``-1`` and ``-2`` (Python's ``hash()`` maps both to -2, which is why it is not
    used). Two different property sets are taken for a repeat only if their digests collide, which
    no one has ever found for BLAKE2b (a birthday bound of 2^64 digests). A row holding a list
    value is always written.

    Remembering costs the parse a little per row, so a label whose first ``trial_rows`` writes
    hold fewer than one repeat in ``min_repeat_ratio`` is no longer remembered in this run (Higgs
    posts, say: each line synthesizes its own). Memory stays bounded: each label remembers the
    ids of its ``per_label`` most recent node writes (an OrderedDict, which forgets its oldest
    entry in constant time), not their properties.
    """

    def __init__(
        self, per_label: int = 100_000, trial_rows: int = 20_000, min_repeat_ratio: int = 100
    ) -> None:
        self.per_label = per_label
        self.trial_rows = trial_rows
        self.min_repeat_ratio = min_repeat_ratio
        self._written: dict[Label, OrderedDict[str, bytes]] = {}
        self._rows_seen: Counter[Label] = Counter()
        self._rows_dropped: Counter[Label] = Counter()
        self._not_remembered: set[Label] = set()

    @property
    def dropped(self) -> int:
        """Node writes dropped so far in this run."""
        return self._rows_dropped.total()

    def drop_repeats(self, writes: GraphWrites) -> None:
        """Remove from ``writes`` the node rows that repeat a remembered write; remember the rest."""
        for label, rows in writes.nodes.items():
            if label not in self._not_remembered:
                self._drop_repeated_rows(label, rows)

    def _drop_repeated_rows(self, label: Label, rows: dict[str, dict[str, Any]]) -> None:
        written = self._written.setdefault(label, OrderedDict())
        seen, dropped = len(rows), 0
        for node_id, properties in list(rows.items()):
            fingerprint = _fingerprint(properties)
            if fingerprint is None:
                written.pop(node_id, None)
                continue
            if written.get(node_id) == fingerprint:
                del rows[node_id]
                dropped += 1
            else:
                written[node_id] = fingerprint
            written.move_to_end(node_id)  # the most recently written
            if len(written) > self.per_label:
                written.popitem(last=False)
        self._rows_seen[label] += seen
        self._rows_dropped[label] += dropped
        total = self._rows_seen[label]
        if total >= self.trial_rows and self._rows_dropped[label] * self.min_repeat_ratio < total:
            self._not_remembered.add(label)
            del self._written[label]


def _fingerprint(properties: dict[str, Any]) -> bytes | None:
    """128-bit BLAKE2b digest of ``repr`` of the (name, type name, value) items; None for a list value.

    ``repr`` of ints, floats (``-0.0``, ``1e300`` exact), bools, strings and None is exact and
    tells the types apart, so equal digests mean equal properties (up to a BLAKE2b collision).
    """
    items = tuple((name, type(value).__name__, value) for name, value in properties.items())
    if any(kind == "list" for _, kind, _ in items):
        return None
    return hashlib.blake2b(repr(items).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def skip_through(items: Iterable[SourceItem], checkpoint: int) -> Iterator[SourceItem]:
    """The items after a checkpoint: every item with ``line > checkpoint`` (lines only increase)."""
    return dropwhile(lambda item: item.line <= checkpoint, items)
