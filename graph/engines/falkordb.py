"""FalkorDB engine adapter: the ``falkordb`` client over the embedded server or a URL.

FalkorDB reports every failure as ``redis.exceptions.ResponseError`` with a message; the
messages are mapped to :mod:`graph.errors` here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from graph.engines.base import Row, WriteSummary
from graph.engines.embedded_falkordb import EmbeddedFalkorDB
from graph.errors import ConstraintViolation, QueryError, ReadOnlyViolation, StoreError, StoreUnavailable

_INDEX = re.compile(r"^CREATE\s+INDEX\s+FOR\s+\((\w+):(\w+)\)\s+ON\s+\(\1\.(\w+)\)$", re.IGNORECASE)
_UNIQUE = re.compile(
    r"^CREATE\s+CONSTRAINT\s+FOR\s+\((\w+):(\w+)\)\s+REQUIRE\s+\1\.(\w+)\s+IS\s+UNIQUE$", re.I
)


def _map_error(exc: Exception) -> StoreError:
    import redis

    message = str(exc)
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError | ConnectionError):
        return StoreUnavailable(f"FalkorDB is unreachable: {message}")
    lowered = message.lower()
    if "unique constraint" in lowered:
        return ConstraintViolation(message)
    if "read-only" in lowered or "ro_query" in lowered or "is to be executed only on read-only" in lowered:
        return ReadOnlyViolation("this statement writes; it was sent through a read-only path")
    if "oom" in lowered or "maxmemory" in lowered:
        return StoreUnavailable(f"FalkorDB is out of memory: {message}")
    return QueryError(message)


# Value types of FalkorDB's compact result set (see its RESP protocol documentation).
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _decode_cell(cell: list) -> Any:
    kind, value = cell[0], cell[1] if len(cell) > 1 else None
    if kind == _INTEGER:
        return value
    if kind == _DOUBLE:
        return float(value)
    if kind == _STRING:
        return _text(value)
    if kind == _NULL:
        return None
    if kind == _BOOLEAN:
        return _text(value) == "true"
    if kind == _ARRAY:
        return [_decode_cell(item) for item in value]
    raise QueryError(f"the fast read path decodes primitive values and arrays only (value type {kind})")


def _decode_column(cells: list[list]) -> list:
    """Decode one column of compact cells; a column of one primitive type takes a single pass."""
    kinds = {cell[0] for cell in cells}
    if kinds == {_INTEGER}:
        return [cell[1] for cell in cells]
    if kinds == {_DOUBLE}:
        return [float(cell[1]) for cell in cells]
    if kinds == {_STRING}:
        return [_text(cell[1]) for cell in cells]
    return [_decode_cell(cell) for cell in cells]


class FalkorDBEngine:
    """Speaks Cypher to one FalkorDB graph; starts the embedded server unless ``url`` is given."""

    kind = "falkordb"

    def __init__(
        self,
        *,
        graph_name: str = "rapport",
        url: str | None = None,
        data_dir: Path | None = None,
        password: str | None = None,
        maxmemory: str = "0",
        startup_timeout_s: float = 20.0,
    ) -> None:
        if url is None and data_dir is None:
            raise ValueError("FalkorDBEngine needs a url or a data_dir for the embedded server")
        self.graph_name = graph_name
        self.url = url
        self.server = (
            None
            if url
            else EmbeddedFalkorDB(
                Path(data_dir), password=password, maxmemory=maxmemory, startup_timeout_s=startup_timeout_s
            )
        )
        self._password = password
        self._db: Any = None
        self._graph: Any = None
        self._created = False

    def connect(self) -> None:
        if self._graph is not None:
            return
        import falkordb
        import redis

        if self.server is not None:
            self.server.start()
        try:
            if self.server is not None:
                self._db = falkordb.FalkorDB(
                    unix_socket_path=str(self.server.socket_path), password=self._password
                )
            else:
                self._db = falkordb.FalkorDB.from_url(self.url)
            self._db.connection.ping()
        except (redis.RedisError, OSError) as exc:
            self.close()
            raise _map_error(exc) from exc
        self._graph = self._db.select_graph(self.graph_name)

    @property
    def graph(self) -> Any:
        if self._graph is None:
            self.connect()
        return self._graph

    @property
    def connection(self) -> Any:
        """The underlying redis connection, for engine-specific commands (BGREWRITEAOF, INFO)."""
        if self._db is None:
            self.connect()
        return self._db.connection

    def _run(self, query: str, params: Mapping[str, Any] | None, *, read_only: bool) -> Any:
        import redis

        graph = self.graph
        try:
            if read_only:
                return graph.ro_query(query, dict(params or {}))
            return graph.query(query, dict(params or {}))
        except (redis.RedisError, OSError) as exc:
            raise _map_error(exc) from exc

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list]]:
        if not self._graph_exists():
            return [], []  # FalkorDB refuses reads of a graph no write has created yet
        result = self._run(query, params, read_only=True)
        return [column[1] for column in result.header], result.result_set

    def read_columns_fast(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list]]:
        """Run a read-only statement and return its header and **columns** (column-major lists).

        For large results (projection pages of 100k-250k rows): sends ``GRAPH.RO_QUERY <graph>
        <query> --compact`` on the raw connection, so hiredis builds the reply lists in C, and decodes
        the compact cells ``[type, value]`` column by column here instead of row by row in the
        ``falkordb`` client (fewer Python objects per cell). Primitive values (null, string, integer,
        boolean, double) and arrays of them are decoded; nodes, edges, paths and maps are refused
        with :class:`~graph.errors.QueryError` (project their properties in the query instead).
        """
        if not self._graph_exists():
            return [], []
        reply = self._raw_read(query, params, "--compact")
        if len(reply) < 3:  # a statement without RETURN answers with statistics only
            return [], []
        names = [_text(column[1]) for column in reply[0]]
        rows = reply[1]
        if not rows:
            return names, [[] for _ in names]
        return names, [_decode_column(list(column)) for column in zip(*rows, strict=True)]

    def _raw_read(self, query: str, params: Mapping[str, Any] | None, *flags: str) -> list:
        import redis
        from falkordb.helpers import stringify_param_value

        header_text = "".join(
            f"{name}={stringify_param_value(value)} " for name, value in (params or {}).items()
        )
        text = f"CYPHER {header_text}{query}" if header_text else query
        try:
            return self.connection.execute_command("GRAPH.RO_QUERY", self.graph_name, text, *flags)
        except (redis.RedisError, OSError) as exc:
            raise _map_error(exc) from exc

    def read_integer_columns(
        self, query: str, params: Mapping[str, Any] | None = None, *, null: int
    ) -> tuple[list[str], np.ndarray]:
        """Run a read-only statement whose every value is an integer or null; ``(header, rows x columns)``.

        The fastest read there is, for the projection's id/time columns: the reply is requested in
        FalkorDB's *verbose* form, where an integer arrives as a plain RESP integer (the compact
        form wraps every value in a ``[type, value]`` pair: three Python objects per value instead
        of one), hiredis builds the row lists in C, and numpy converts them in one call. Nulls
        become ``null``. A value that is not an integer raises :class:`~graph.errors.QueryError`.
        """
        if not self._graph_exists():
            return [], np.zeros((0, 0), dtype=np.int64)
        reply = self._raw_read(query, params)
        if len(reply) < 3:
            return [], np.zeros((0, 0), dtype=np.int64)
        names = [_text(name) for name in reply[0]]
        rows = reply[1]
        if not rows:
            return names, np.zeros((0, len(names)), dtype=np.int64)
        try:
            return names, np.array(rows, dtype=np.int64)
        except (TypeError, ValueError):
            pass
        if not all(value is None or type(value) is int for row in rows for value in row):
            raise QueryError("read_integer_columns: the statement returned a value that is not an integer")
        return names, np.array([[null if v is None else v for v in row] for row in rows], dtype=np.int64)

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        header, rows = self.read_columns(query, params)
        return [dict(zip(header, row, strict=True)) for row in rows]

    def _graph_exists(self) -> bool:
        if self._created:
            return True
        import redis

        try:
            self._created = bool(self.connection.exists(self.graph_name))
        except (redis.RedisError, OSError) as exc:
            raise _map_error(exc) from exc
        return self._created

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        result = self._run(query, params, read_only=False)
        self._created = True
        return WriteSummary(
            nodes_created=int(result.nodes_created),
            relationships_created=int(result.relationships_created),
            properties_set=int(result.properties_set),
            nodes_deleted=int(result.nodes_deleted),
            relationships_deleted=int(result.relationships_deleted),
        )

    def write_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a writing statement and return its rows (e.g. ``RETURN count(*)``)."""
        result = self._run(query, params, read_only=False)
        self._created = True
        header = [column[1] for column in result.header]
        return [dict(zip(header, row, strict=True)) for row in result.result_set]

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Create missing indexes and uniqueness constraints.

        FalkorDB has no ``IF NOT EXISTS``; existing ones are read from ``db.indexes()`` /
        ``db.constraints()`` first. Uniqueness is written in the schema file in Neo4j's
        ``CREATE CONSTRAINT FOR (n:L) REQUIRE n.p IS UNIQUE`` form and issued as FalkorDB's
        ``GRAPH.CONSTRAINT CREATE`` command (which needs the index first).
        """
        existing_indexes = {(row["label"], field) for row in self._indexes() for field in row["properties"]}
        existing_unique = {(row["label"], tuple(row["properties"])) for row in self._constraints()}
        changed: list[str] = []
        for statement in statements:
            if match := _INDEX.match(statement.strip()):
                label, prop = match.group(2), match.group(3)
                if (label, prop) not in existing_indexes:
                    self.write(statement)
                    existing_indexes.add((label, prop))
                    changed.append(statement)
            elif match := _UNIQUE.match(statement.strip()):
                label, prop = match.group(2), match.group(3)
                if (label, (prop,)) not in existing_unique:
                    self._create_unique(label, prop)
                    changed.append(statement)
            else:
                raise QueryError(f"unsupported FalkorDB schema statement: {statement!r}")
        if changed and self.server is not None:
            # Replaying index creation from an uncompacted AOF ignores the index (19 min reloads).
            self.connection.bgrewriteaof()
        return changed

    def _indexes(self) -> list[Row]:
        rows = self.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
        return rows

    def _constraints(self) -> list[Row]:
        return self.read(
            "CALL db.constraints() YIELD type, label, properties, status "
            "WHERE type = 'UNIQUE' AND status <> 'FAILED' RETURN label, properties"
        )

    def _create_unique(self, label: str, prop: str) -> None:
        import redis

        try:
            self.connection.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label, "PROPERTIES", 1, prop
            )
        except redis.RedisError as exc:
            if "already exists" not in str(exc).lower():
                raise _map_error(exc) from exc

    def ping(self) -> bool:
        try:
            return bool(self.connection.ping())
        except Exception:
            return False

    def close(self) -> None:
        if self._db is not None:
            import contextlib

            with contextlib.suppress(Exception):
                self._db.connection.close()
        self._db = None
        self._graph = None
        self._created = False
        if self.server is not None:
            self.server.stop()
