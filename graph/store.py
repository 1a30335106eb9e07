"""The graph store: one protocol speaking the domain, one Cypher-backed implementation.

:class:`CypherGraphStore` runs only catalogue queries (``cypher/``) through an
:class:`~graph.engines.base.Engine`, so the same statements run on Neo4j 5 and FalkorDB;
only :meth:`ensure_schema` reads a per-engine file. Build one with :func:`open_store`.

A write is built in steps that need no connection: :func:`write_rows` checks the ids of a
:class:`GraphWrites` (one row per key already) and chunks its rows into statements, which are
either parameter maps (:func:`write_statements`) or, for FalkorDB, the final statement text.
So :func:`prepare_writes` can run in another process (the loader's parse worker calls it) and the
store only sends what it gets.

Every write method ends by marking the data changed (:meth:`CypherGraphStore.mark_changed`): a fresh
token on the one ``DataVersion`` node, then this process's :func:`writes_in_this_process` count. An
API process holds rows in memory while the token it last read stands (:mod:`usecases.read_view`), so
a write by any process, this one included, is what tells it to read them again. The mark follows the
write (also a failed one, which may have written part), so a reader that sees the new token reads
the new data.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from graph.catalogue import Query, load_catalogue, missing_parameters, query, schema_statements
from graph.config import Settings, StoreKind
from graph.engines import prepare_query, prepare_statement
from graph.engines.base import Engine, Row, WriteSummary
from graph.errors import InvalidInput, QueryError, StoreUnavailable
from graph.inline import may_wait
from graph.model import POSTED, Label, RelRow, RelSpec, check_id
from graph.writes import GraphWrites

_MAX_BATCH_ROWS = 10_000


class _WriteCounter:
    """Writes through any store of this process, counted after each one's change mark."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.value += 1


_WRITES = _WriteCounter()


def writes_in_this_process() -> int:
    """How many writes any store of this process has finished (each after its change mark): a reader
    in this process that saw another count re-reads the data token without waiting
    (:mod:`usecases.read_view`)."""
    return _WRITES.value


@dataclass(frozen=True)
class GraphCounts:
    nodes: dict[str, int]
    relationships: dict[str, int]


Statement = tuple[str, dict[str, Any]]
"""One write: a catalogue query's text and its parameters (``{"rows": [...]}``)."""


@dataclass(frozen=True)
class PreparedWrites:
    """The statements that write one :class:`GraphWrites`, ready to send to one kind of engine.

    Made by :func:`prepare_writes`. For FalkorDB each statement is already its final text, so
    passing prepared writes between processes costs a copy, and applying them costs only the
    server's time. :meth:`CypherGraphStore.apply` refuses writes prepared for another engine kind.
    """

    kind: str
    statements: tuple[Any, ...]


class GraphStore(Protocol):
    """What the rest of Rapport may ask of a graph store."""

    kind: str

    def ensure_schema(self) -> list[str]: ...
    def apply(self, writes: GraphWrites | PreparedWrites, *, batch_size: int = ...) -> WriteSummary: ...
    def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> WriteSummary: ...
    def upsert_relationships(self, spec: RelSpec, rows: Sequence[RelRow]) -> WriteSummary: ...
    def get_node(self, label: Label, node_id: str) -> dict[str, Any] | None: ...
    def counts(self) -> GraphCounts: ...
    def run(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...
    def run_write(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...
    def execute_text(
        self, text: str, params: Mapping[str, Any] | None = None, *, write: bool
    ) -> list[Row]: ...
    def evaluate_literals(self, literals: Mapping[str, str]) -> dict[str, Any]: ...
    def run_file(
        self, statement: Query, overrides: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> list[Row]: ...
    def delete_all(self) -> int: ...
    def mark_changed(self) -> None: ...
    def compact_log(self) -> bool: ...
    def ping(self) -> bool: ...
    def close(self) -> None: ...


def _sum(a: WriteSummary, b: WriteSummary) -> WriteSummary:
    return WriteSummary(
        nodes_created=a.nodes_created + b.nodes_created,
        relationships_created=a.relationships_created + b.relationships_created,
        properties_set=a.properties_set + b.properties_set,
        nodes_deleted=a.nodes_deleted + b.nodes_deleted,
        relationships_deleted=a.relationships_deleted + b.relationships_deleted,
    )


def _valid_id(node_id: object, label: str) -> str:
    try:
        return check_id(node_id)
    except ValueError as exc:
        raise InvalidInput(f"{label} id {node_id!r:.80}: {exc}") from None


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _check_node_id(label: Label, node_id: object) -> None:
    try:
        check_id(node_id)
    except ValueError:
        _valid_id(node_id, label.value)  # raises InvalidInput naming the label


def _check_relationship(spec: RelSpec, source: object, target: object, properties: Mapping[str, Any]) -> None:
    try:
        check_id(source)
        check_id(target)
    except ValueError:  # raises InvalidInput naming the label of the bad end
        _valid_id(source, spec.source.value)
        _valid_id(target, spec.target.value)
    if spec.key:
        missing = [name for name in spec.key if properties.get(name) is None]
        if missing:
            raise InvalidInput(f"{spec.type.value} row lacks key properties {missing}")


def node_statements(label: Label, rows: Iterable[Mapping[str, Any]]) -> Iterator[Statement]:
    """The statements that upsert nodes of one label on ``id`` and set the given properties.

    Rows with the same id are merged first (later properties win, as in :class:`GraphWrites`):
    one key per statement. Every id is checked before the first statement is yielded.
    """
    writes = GraphWrites()
    for row in rows:
        _check_node_id(label, row.get("id"))  # before GraphWrites keys on it
        writes.add_node_properties(label, row)  # (copied there)
    return write_statements(writes, _MAX_BATCH_ROWS)


def relationship_statements(spec: RelSpec, rows: Iterable[RelRow]) -> Iterator[Statement]:
    """The statements that upsert relationships of one spec on (source, target, key properties).

    Rows with the same key are merged first; every row is checked before the first statement.
    """
    writes = GraphWrites()
    for row in rows:
        _check_relationship(spec, row.source, row.target, row.properties)  # before GraphWrites keys on it
        writes.add_relationship(spec, row.source, row.target, **row.properties)
    return write_statements(writes, _MAX_BATCH_ROWS)


NODE_FIELDS = ("id", "props")
RELATIONSHIP_FIELDS = ("source", "target", "props")


def authors_written_with_posts(writes: GraphWrites) -> dict[str, str]:
    """Post id -> author id, for the posts of ``writes`` upserted with their ``POSTED`` link.

    A post is loaded with its author, so both go in one statement
    (``write.upsert_post_with_author``): a new post is created with its link instead of being
    looked up twice (once to upsert it, once to link it) and its link checked for a duplicate it
    cannot have. Only a post that exactly one property-less ``POSTED`` row of the batch points at
    goes there (a statement holds each key once, see :class:`GraphWrites`); the others take the
    separate node and relationship statements. The chosen rows are checked here.
    """
    posts, links = writes.nodes.get(Label.POST), writes.relationships.get(POSTED)
    if not posts or not links:
        return {}
    authors: dict[str, str] = {}
    left_apart: set[str] = set()
    for row in links.values():
        if row.target not in posts or row.properties or row.target in authors:
            left_apart.add(row.target)
        else:
            _check_relationship(POSTED, row.source, row.target, row.properties)
            authors[row.target] = row.source
    for post_id in left_apart:
        authors.pop(post_id, None)
    return authors


def write_rows(writes: GraphWrites, batch_size: int = 5000) -> Iterator[tuple[str, tuple[str, ...], list]]:
    """What writes ``writes``: ``(query, fields, rows)`` per statement, nodes first, then relationships.

    A row holds the values of ``fields`` (:data:`NODE_FIELDS` or :data:`RELATIONSHIP_FIELDS`);
    a statement takes at most ``batch_size`` rows. ``writes`` already holds one row per key, so
    rows are not merged again; each label's ids (and each spec's key properties) are checked
    before its first statement. Posts written with their author (:func:`authors_written_with_posts`)
    come after the other nodes, as ``(author id, post id, properties)`` rows, and their
    ``POSTED`` rows are left out of the relationship statements.
    """
    size = max(1, min(batch_size, _MAX_BATCH_ROWS))
    authors = authors_written_with_posts(writes)
    for label, rows in writes.nodes.items():
        if not rows:
            continue
        for node_id in rows:
            _check_node_id(label, node_id)
        items = list(rows.items())
        if label is Label.POST and authors:
            items = [item for item in items if item[0] not in authors]
        statement = query(f"write.upsert_{label.value.lower()}")
        for chunk in _chunks(items, size):
            yield statement, NODE_FIELDS, chunk  # type: ignore[misc]
    if authors:
        posts = writes.nodes[Label.POST]
        with_author = [(author, post_id, posts[post_id]) for post_id, author in authors.items()]
        statement = query("write.upsert_post_with_author")
        for chunk in _chunks(with_author, size):
            yield statement, RELATIONSHIP_FIELDS, chunk  # type: ignore[misc]
    for spec, rels in writes.relationships.items():
        kept = list(rels.values())  # RelRow is the tuple (source, target, properties)
        if spec is POSTED and authors:
            kept = [row for row in kept if row.target not in authors]  # (checked with their post)
        if not kept:
            continue
        for row in kept:
            _check_relationship(spec, row.source, row.target, row.properties)
        statement = query(f"write.link_{spec.name}")
        for chunk in _chunks(kept, size):
            yield statement, RELATIONSHIP_FIELDS, chunk  # type: ignore[misc]


def write_statements(writes: GraphWrites, batch_size: int = 5000) -> Iterator[Statement]:
    """The statements that write ``writes``: nodes first, then relationships, ``batch_size`` rows each."""
    for statement, fields, rows in write_rows(writes, batch_size):
        yield statement, {"rows": [dict(zip(fields, row, strict=True)) for row in rows]}


def prepare_writes(writes: GraphWrites, *, kind: str, batch_size: int = 5000) -> PreparedWrites:
    """``writes`` as the statements an engine of ``kind`` runs; pure (no connection), any process.

    Invalid ids raise :class:`~graph.errors.InvalidInput` here, as :meth:`CypherGraphStore.apply`
    would. For FalkorDB the rows are encoded straight into the statement text.
    """
    return PreparedWrites(
        kind,
        tuple(
            prepare_statement(kind, text, fields, rows)
            for text, fields, rows in write_rows(writes, batch_size)
        ),
    )


class CypherGraphStore:
    """The one :class:`GraphStore` implementation, over any :class:`Engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.kind = engine.kind

    def __enter__(self) -> CypherGraphStore:
        self.engine.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _io(self) -> Engine:
        """The engine, for a call that waits on the server: refused inside
        :func:`graph.inline.without_waiting` (:class:`graph.inline.WouldBlock`)."""
        may_wait("the store")
        return self.engine

    # -- schema -------------------------------------------------------------------------

    def ensure_schema(self) -> list[str]:
        """Create every missing index and constraint; safe to call any number of times."""
        return self._io.apply_schema(schema_statements(self.engine.kind))

    # -- writes -------------------------------------------------------------------------

    def mark_changed(self) -> None:
        """Renew the data token (``admin.data_changed``), then count the write in this process."""
        self._io.write(query("admin.data_changed"), {"token": secrets.token_hex(8)})
        _WRITES.bump()

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Mark the data changed after the block, also when it failed part-way (a mark that fails
        then does not hide the block's own error).

        Not when the block failed because the store is unreachable: the mark would be retried for
        the whole retry time again (Neo4j's ``max_retry_seconds``) and fail the same way, so a
        command whose server died reported it after twice that time. What the block wrote before
        the server went is marked by the next write (a resumed ingest's first batch), as an edit
        made outside Rapport is (:mod:`usecases.read_view`)."""
        try:
            yield
        except StoreUnavailable:
            raise
        except BaseException:
            with contextlib.suppress(Exception):
                self.mark_changed()
            raise
        self.mark_changed()

    def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> WriteSummary:
        """MERGE nodes of one label on ``id`` and set the given properties (``id`` included).

        Rows with the same id are merged first (later properties win): one key per batch.
        """
        with self._changing():
            return self._write(node_statements(label, rows))

    def upsert_relationships(self, spec: RelSpec, rows: Sequence[RelRow]) -> WriteSummary:
        """MERGE relationships of one spec on (source, target, key properties)."""
        with self._changing():
            return self._write(relationship_statements(spec, rows))

    def apply(self, writes: GraphWrites | PreparedWrites, *, batch_size: int = 5000) -> WriteSummary:
        """Write a batch: nodes first, then relationships; each statement is idempotent.

        ``writes`` may be :class:`PreparedWrites` from :func:`prepare_writes` for this engine kind
        (their ``batch_size`` was fixed then); they are sent as they are.
        """
        if not isinstance(writes, PreparedWrites):
            writes = prepare_writes(writes, kind=self.kind, batch_size=batch_size)
        if writes.kind != self.kind:
            raise InvalidInput(f"writes prepared for {writes.kind} cannot be applied to a {self.kind} store")
        total = WriteSummary()
        with self._changing():
            for statement in writes.statements:
                total = _sum(total, self._io.write_prepared(statement))
        return total

    def _write(self, statements: Iterable[Statement]) -> WriteSummary:
        """Run statements in order, stopping at the first error."""
        total = WriteSummary()
        for text, params in statements:
            total = _sum(total, self._io.write(text, params))
        return total

    # -- reads --------------------------------------------------------------------------

    def get_node(self, label: Label, node_id: str) -> dict[str, Any] | None:
        rows = self._io.read(query(f"read.get_{label.value.lower()}"), {"id": node_id})
        return dict(rows[0]["node"]) if rows else None

    def counts(self) -> GraphCounts:
        nodes = {
            row["label"]: int(row["count"])
            for row in self.run("read.count_nodes_by_label")
            if row["label"] != Label.DATA_VERSION  # bookkeeping, not data
        }
        rels = {row["type"]: int(row["count"]) for row in self.run("read.count_relationships_by_type")}
        return GraphCounts(nodes=nodes, relationships=rels)

    def run(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run catalogue query ``name`` read-only."""
        return self._io.read(query(name), params)

    def run_columns(self, name: str, params: Mapping[str, Any] | None = None) -> tuple[list[str], list[list]]:
        return self._io.read_columns(query(name), params)

    def run_column_major(
        self, name: str, params: Mapping[str, Any] | None = None, *, typed: bool = True
    ) -> dict[str, list]:
        """Run catalogue query ``name`` read-only: ``{column: values}`` (the engine's columnar path)."""
        header, columns = self._io.read_column_major(query(name), params, typed=typed)
        return dict(zip(header, columns, strict=True))

    def run_integer_matrix(self, name: str, params: Mapping[str, Any], *, null: int) -> Any:
        """Run catalogue query ``name`` (integers and nulls only): a ``rows x columns`` int64 matrix."""
        header, matrix = self._io.read_integer_matrix(query(name), params, null=null)
        return matrix if header else matrix.reshape(0, 0)

    def run_write(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run catalogue query ``name`` as a write, returning its rows."""
        with self._changing():
            return self._io.write_rows(query(name), params)

    def run_write_batches(
        self, name: str, batches: Iterable[Callable[[], Mapping[str, Any]]]
    ) -> Iterator[list[Row]]:
        """Run catalogue query ``name`` as a write once per batch, in order, yielding each one's rows.

        Each batch is a function giving its parameters. While the engine runs one statement, a
        worker thread builds and encodes the next (Python work that would otherwise wait for the
        engine, and the engine for it): on the 304k profile rows of an analysis, their building and
        encoding took about as long as the engine's writes. One statement at a time, as in
        :meth:`run_write`; the first error stops the batches after it.
        """
        text = query(name)
        kind = self.kind

        def prepared(batch: Callable[[], Mapping[str, Any]]) -> Any:
            return prepare_query(kind, text, batch())

        with (
            self._changing(),
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-encode") as worker,
        ):
            pending: Future[Any] | None = None
            for batch in batches:
                upcoming = worker.submit(prepared, batch)
                if pending is not None:
                    yield self._io.write_rows_prepared(pending.result())
                pending = upcoming
            if pending is not None:
                yield self._io.write_rows_prepared(pending.result())

    def execute_text(self, text: str, params: Mapping[str, Any] | None = None, *, write: bool) -> list[Row]:
        """Run an ad-hoc statement (``rapport cypher``); read-only unless ``write``."""
        if write:
            with self._changing():
                return self._io.write_rows(text, params)
        return self._io.read(text, params)

    def evaluate_literals(self, literals: Mapping[str, str]) -> dict[str, Any]:
        """Cypher literals (``:param`` values) evaluated by the engine, as the Neo4j Browser does."""
        if not literals:
            return {}
        names = list(literals)
        columns = ", ".join(f"{literals[name]} AS v{i}" for i, name in enumerate(names))
        try:  # one round trip for all of them; only a failure evaluates them one by one to name the culprit
            row = self._io.read(f"RETURN {columns}")[0]
        except QueryError:
            row = {}
            for i, name in enumerate(names):
                try:
                    row[f"v{i}"] = self._io.read(f"RETURN {literals[name]} AS value")[0]["value"]
                except QueryError as exc:
                    raise InvalidInput(
                        f":param {name} => {literals[name]:.80}: not a Cypher value ({exc})"
                    ) from None
        return {name: row[f"v{i}"] for i, name in enumerate(names)}

    def run_file(
        self, statement: Query, overrides: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> list[Row]:
        """Run a ``.cypher`` file's statement with its ``:param`` values, ``overrides`` taking precedence."""
        params = self.evaluate_literals(
            {k: v for k, v in statement.example_params.items() if k not in (overrides or {})}
        )
        params.update(overrides or {})
        missing = missing_parameters(statement, params)
        if missing:
            names = ", ".join(f"${name}" for name in missing)
            raise InvalidInput(
                f"{statement.path.name} needs the parameter(s) {names}: add a `:param name => value` line "
                "or pass -p name=value"
            )
        return self.execute_text(statement.text, params, write=write)

    def delete_all(self) -> int:
        """Remove every node and relationship (tests, ``rapport reset``)."""
        deleted = 0
        with self._changing():
            while True:
                rows = self._io.write_rows(query("admin.delete_batch"), {"limit": 10_000})
                batch = int(rows[0]["deleted"]) if rows else 0
                deleted += batch
                if batch == 0:
                    return deleted

    def compact_log(self) -> bool:
        """After a large load: have the embedded FalkorDB rewrite its append-only file if it grew past
        its threshold, so the next start loads a snapshot instead of replaying every statement (see
        :meth:`~graph.engines.falkordb.FalkorDBEngine.compact_log`). Neo4j manages its own logs:
        nothing to do there. True if a rewrite was started."""
        return self._io.compact_log()

    def ping(self) -> bool:
        return self._io.ping()

    def close(self) -> None:
        self.engine.close()

    @staticmethod
    def catalogue_names() -> list[str]:
        return sorted(load_catalogue())


def build_engine(settings: Settings, *, graph_name: str | None = None) -> Engine:
    """The engine the settings describe; nothing is connected or started yet."""
    if settings.store == StoreKind.NEO4J:
        from graph.engines.neo4j import Neo4jEngine

        return Neo4jEngine(
            uri=settings.neo4j.uri,
            user=settings.neo4j.user,
            password=settings.neo4j.password.get_secret_value(),
            database=settings.neo4j.database,
            max_retry_seconds=settings.neo4j.max_retry_seconds,
        )
    from graph.engines.falkordb import FalkorDBEngine

    falkor = settings.falkordb
    return FalkorDBEngine(
        graph_name=graph_name or falkor.graph,
        url=falkor.url,
        data_dir=settings.data_dir / "falkordb",
        password=falkor.password.get_secret_value() if falkor.password else None,
        maxmemory=falkor.maxmemory,
        query_threads=falkor.query_threads,
        startup_timeout_s=falkor.startup_timeout_s,
        log_compaction_min_bytes=falkor.log_compaction_min_bytes,
    )


@contextmanager
def open_store(settings: Settings, *, ensure_schema: bool = True) -> Iterator[CypherGraphStore]:
    """Connect (starting the embedded server if configured), apply the schema, and close on exit."""
    store = CypherGraphStore(build_engine(settings))
    try:
        store.engine.connect()
        if ensure_schema:
            store.ensure_schema()
        yield store
    finally:
        store.close()
