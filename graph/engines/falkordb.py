"""FalkorDB engine adapter: the ``falkordb`` client over the embedded server or a URL.

FalkorDB reports every failure as ``redis.exceptions.ResponseError`` with a message; the
messages are mapped to :mod:`graph.errors` here and nowhere else.

Parameters travel inside the statement text (``CYPHER `rows`=[...] UNWIND $rows ...``), so for a
large batch the client spends a good part of the server's time turning the rows into that text.
Writes build it with :func:`encode_query` (the client's own format, faster). It needs no
connection, so the loader's parse worker encodes its statements and the loader only sends them
(:meth:`FalkorDBEngine.write_encoded`).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from graph.engines.base import Row, WriteSummary
from graph.engines.embedded_falkordb import EmbeddedFalkorDB
from graph.errors import (
    ConstraintViolation,
    DataDirLocked,
    QueryError,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)

_log = logging.getLogger(__name__)

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
    kind = cell[0]
    value: Any = cell[1] if len(cell) > 1 else None
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
    raise _NotPrimitive(f"the fast read path decodes primitive values and arrays only (value type {kind})")


class _NotPrimitive(QueryError):
    """A reply holds a value the fast read path does not decode (a node, an edge, a map...)."""


def _decode_column(cells: list[list]) -> list:
    """Decode one column of compact cells; a column of one primitive type takes a single pass."""
    kinds = {cell[0] for cell in cells}
    if kinds == {_INTEGER}:
        return [cell[1] for cell in cells]
    if kinds == {_DOUBLE}:
        return [float(cell[1]) for cell in cells]
    if kinds == {_STRING}:
        return [_text(cell[1]) for cell in cells]
    # a column of one primitive type with nulls (an optional property): still one pass
    if kinds == {_INTEGER, _NULL}:
        return [cell[1] if cell[0] == _INTEGER else None for cell in cells]
    if kinds == {_DOUBLE, _NULL}:
        return [float(cell[1]) if cell[0] == _DOUBLE else None for cell in cells]
    if kinds == {_STRING, _NULL}:
        return [_text(cell[1]) if cell[0] == _STRING else None for cell in cells]
    return [_decode_cell(cell) for cell in cells]


def _receive_integer_reply(sock: Any) -> tuple[list[str], int, bytes]:
    """Read one verbose ``GRAPH.RO_QUERY`` reply off ``sock``: ``(column names, row count, row bytes)``.

    The rows are not parsed here: assuming every value is an integer or a null (one RESP line each),
    a row is ``k + 1`` lines, so the reply is framed by counting newlines in C. A reply that breaks
    the assumption fails in :func:`_integer_matrix` (or here), and the caller drops the connection.
    """
    buf = bytearray()
    pos = 0

    def fill() -> int:
        start = len(buf)
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("FalkorDB closed the connection in the middle of a reply")
        buf.extend(chunk)
        return start

    def line() -> bytes:
        nonlocal pos
        while (end := buf.find(b"\r\n", pos)) < 0:
            fill()
        text, pos = bytes(buf[pos:end]), end + 2
        return text

    def skip(lines: int) -> None:
        nonlocal pos
        if not lines:
            return
        seen = buf.count(b"\n", pos)
        while seen < lines:
            seen += buf.count(b"\n", fill())
        end = len(buf)
        for _ in range(seen - lines + 1):  # the lines-th newline, found from the end (few lines follow it)
            end = buf.rfind(b"\n", pos, end)
        pos = end + 1

    first = line()
    if first[:1] == b"-":
        import redis

        raise redis.ResponseError(first[1:].decode(errors="replace"))
    names: list[str] = []
    rows, body = 0, b""
    if first == b"*3":  # header, rows, statistics; a statement without RETURN sends statistics only
        for _ in range(int(line()[1:])):
            line()  # $length
            names.append(line().decode())
        rows = int(line()[1:])
        start = pos
        skip(rows * (len(names) + 1))
        body = bytes(buf[start:pos])
    elif first != b"*1":
        raise ValueError(f"unexpected reply header {first[:20]!r}")
    statistics = line()
    if statistics[:1] != b"*":
        raise ValueError(f"unexpected statistics header {statistics[:20]!r}")
    skip(2 * int(statistics[1:]))
    if pos != len(buf):
        raise ValueError("the reply did not end where its framing said")
    return names, rows, body


def _integer_matrix(body: bytes, rows: int, columns: int, null: int) -> np.ndarray:
    """Parse the row bytes of :func:`_receive_integer_reply` into a ``rows x columns`` int64 matrix.

    ``*k`` row headers and ``:v`` values become ``k v ...`` text that numpy parses in one C pass;
    nulls (``$-1``, or ``_`` in RESP3) become ``null``. Any other value (a string, a double) raises
    ValueError.
    """
    if not rows:
        return np.zeros((0, columns), dtype=np.int64)
    for absent in (b"\n$-1\r", b"\n_\r"):  # a null: RESP2, RESP3
        if absent in body:
            body = body.replace(absent, b"\n:%d\r" % null)
    values = np.fromstring(body.translate(_RESP_MARKS), dtype=np.int64, sep=" ")
    if values.size != rows * (columns + 1) or not (values[:: columns + 1] == columns).all():
        raise ValueError("a row of the reply is not integers and nulls only")
    return values.reshape(rows, columns + 1)[:, 1:]


_RESP_MARKS = bytes.maketrans(b"*:", b"  ")


def _receive_decoded_reply(sock: Any) -> Any:
    """Read one reply off ``sock``, parsed by hiredis with bulk strings decoded as UTF-8 (in C)."""
    import hiredis
    import redis

    reader = hiredis.Reader(encoding="utf-8", replyError=redis.ResponseError)
    while (reply := reader.gets()) is False:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("FalkorDB closed the connection in the middle of a reply")
        reader.feed(chunk)
    if isinstance(reply, Exception):
        raise reply
    return reply


def _cypher_key(key: Any) -> str:
    """A map key or parameter name in backticks, refused as the client refuses it."""
    text = key.decode() if isinstance(key, bytes) else str(key)
    if text == "":
        raise ValueError("Cypher map key cannot be empty")
    if "`" in text:
        raise ValueError(
            f"Cypher map key cannot contain a backtick: {text!r} (FalkorDB does not support escaped "
            "backticks in identifiers)"
        )
    return f"`{text}`"


_KEYS: dict[str, str] = {}  # backticked map keys already checked (row keys repeat on every row)
_MAX_CACHED_KEYS = 10_000


def _string_literal(value: str) -> str:
    """A string as the client quotes it: backslashes and double quotes escaped, nothing else."""
    if '"' in value or "\\" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


_MAX_CLIENT_PARSED = 4096
"""Statement texts :meth:`FalkorDBEngine.read` remembers as needing the client's parser."""


def cypher_literal(value: Any) -> str:
    """``value`` written as a Cypher literal for the ``CYPHER name=value`` parameter header.

    The text is exactly what the ``falkordb`` client's ``stringify_param_value`` produces (a
    property test holds the two equal on arbitrary JSON-like values), with less work per value:
    it dispatches on the exact type of the JSON-like types, writes a map's primitive values
    without a call each, and checks each map key once per process. Any other type (enums,
    numpy scalars, bytes) goes to the client's function.
    """
    kind = type(value)
    if kind is str:
        return _string_literal(value)
    if kind is int or kind is float or kind is bool:
        return str(value)
    if value is None:
        return "null"
    if kind is dict:
        parts = []
        for key, item in value.items():
            name = _KEYS.get(key)
            if name is None:
                name = _cypher_key(key)
                if type(key) is str and len(_KEYS) < _MAX_CACHED_KEYS:
                    _KEYS[key] = name
            item_kind = type(item)
            if item_kind is str:
                if '"' in item or "\\" in item:
                    item = item.replace("\\", "\\\\").replace('"', '\\"')
                parts.append(f'{name}:"{item}"')
            elif item_kind is int or item_kind is float or item_kind is bool:
                parts.append(f"{name}:{item}")
            else:
                parts.append(f"{name}:{cypher_literal(item)}")
        return "{" + ",".join(parts) + "}"
    if kind is list or kind is tuple:
        return "[" + ",".join([cypher_literal(item) for item in value]) + "]"
    from falkordb.helpers import stringify_param_value

    return stringify_param_value(value)


def encode_query(query: str, params: Mapping[str, Any] | None) -> str:
    """The statement text ``GRAPH.QUERY`` takes: ``CYPHER `name`=<literal> ... <query>``.

    Byte for byte what the ``falkordb`` client sends for ``graph.query(query, params)``; ``None``
    sends the query alone. Pure (no connection), so it can run in any thread or process.
    """
    if params is None:
        return query
    header = "".join(f"{_cypher_key(name)}={cypher_literal(value)} " for name, value in params.items())
    return f"CYPHER {header}{query}"


def encode_rows_query(query: str, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """``encode_query(query, {"rows": [dict(zip(fields, row)) for row in rows]})``, without the dicts.

    For the ``UNWIND $rows`` writes, whose rows are ids (strings) then a property map:
    ``fields`` is ``("id", "props")`` or ``("source", "target", "props")``. The field names are
    checked and written once, and each row's values in place; the text is the same (a test holds
    the two equal).
    """
    names = [_cypher_key(name) + ":" for name in fields]
    if len(names) == 2:
        first, last = names
        encoded = [f"{{{first}{_string_literal(a)},{last}{cypher_literal(z)}}}" for a, z in rows]
    elif len(names) == 3:
        first, second, last = names
        encoded = [
            f"{{{first}{_string_literal(a)},{second}{_string_literal(b)},{last}{cypher_literal(z)}}}"
            for a, b, z in rows
        ]
    else:
        raise ValueError(f"rows of ids then properties have 2 or 3 fields, not {len(names)}")
    return f"CYPHER `rows`=[{','.join(encoded)}] {query}"


def _summary(result: Any) -> WriteSummary:
    return WriteSummary(
        nodes_created=int(result.nodes_created),
        relationships_created=int(result.relationships_created),
        properties_set=int(result.properties_set),
        nodes_deleted=int(result.nodes_deleted),
        relationships_deleted=int(result.relationships_deleted),
    )


RETIRED_INDEXES: tuple[tuple[str, str], ...] = (("Profile", "community"), ("Profile", "influence"))
"""Indexes that stores made by earlier versions have and this one drops (see ``cypher/schema/falkordb.cypher``):
FalkorDB 4.16.3 leaves the value 0 out of an index it rebuilds while loading a stored graph, so after
a restart ``MATCH (p:Profile) WHERE p.community = 0`` found none of the largest community's members
(``tests/graph/test_embedded_server.py`` pins the engine's behaviour)."""


class FalkorDBEngine:
    """Speaks Cypher to one FalkorDB graph; starts the embedded server unless ``url`` is given.

    When another process already runs the embedded server of ``data_dir`` (``rapport serve``, the
    demo), :meth:`connect` uses that server instead of refusing the locked directory; :meth:`close`
    then leaves it running for its owner.
    """

    kind = "falkordb"
    projection_page_rows = 100_000  # a reply is built whole in the server before it is sent

    def __init__(
        self,
        *,
        graph_name: str = "rapport",
        url: str | None = None,
        data_dir: Path | None = None,
        password: str | None = None,
        maxmemory: str = "0",
        query_threads: int = 1,
        startup_timeout_s: float = 20.0,
        first_command_timeout_s: float = 15.0,
        log_compaction_min_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        if url is None and data_dir is None:
            raise ValueError("FalkorDBEngine needs a url or a data_dir for the embedded server")
        self.graph_name = graph_name
        self.url = url
        self.server = (
            None
            if url or data_dir is None
            else EmbeddedFalkorDB(
                Path(data_dir),
                password=password,
                maxmemory=maxmemory,
                query_threads=query_threads,
                startup_timeout_s=startup_timeout_s,
            )
        )
        self._password = password
        self.log_compaction_min_bytes = log_compaction_min_bytes
        self.first_command_timeout_s = first_command_timeout_s
        self._db: Any = None
        self._graph: Any = None
        self._created = False
        self._client_parsed: set[str] = set()  # statements whose replies hold nodes, edges or maps

    def connect(self) -> None:
        if self._graph is not None:
            return
        import falkordb
        import redis

        attached = False
        if self.server is not None:
            try:
                self.server.start()
            except DataDirLocked:
                # another process (the API, the demo) owns the directory: use its running server
                if not self.server.serves_this_data_dir():
                    raise
                attached = True
        try:
            if self.server is not None:
                if not attached:  # the owner's server opened its graphs long ago
                    self._touch_graph_restarting_on_hang()
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

    def _touch_graph_restarting_on_hang(self, attempts: int = 3) -> None:
        """Open (or create) the graph on the fresh embedded server, restarting a server that hangs.

        The pinned FalkorDB 4.16.3 sometimes (seen about once in 40 starts) blocks for ever on the
        first command that opens a graph: its main thread waits on a global lock in
        ``Globals_AddGraph`` and nothing answers any more, not even ``PING``. So the first graph
        command is sent here with a bounded wait; a server that does not answer in
        :attr:`first_command_timeout_s` is killed and started again. Nothing has been written by
        that server yet, so its data directory is as the previous one left it.
        """
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        assert self.server is not None
        for attempt in range(1, attempts + 1):
            client = redis.Redis(
                unix_socket_path=str(self.server.socket_path),
                password=self._password,
                socket_timeout=self.first_command_timeout_s,
                retry=Retry(NoBackoff(), 0),  # one bounded wait: redis-py retries timeouts by default
            )
            try:
                client.execute_command("GRAPH.QUERY", self.graph_name, "RETURN 1")
                return
            except redis.TimeoutError:
                _log.warning(
                    "the embedded FalkorDB server (pid %s) did not answer its first graph command in "
                    "%g s (attempt %d of %d)%s",
                    self.server.pid,
                    self.first_command_timeout_s,
                    attempt,
                    attempts,
                    "; restarting it" if attempt < attempts else "",
                )
                self.server.stop(timeout_s=0, compact=False)  # SIGKILL: a hung server handles no SIGTERM
                if attempt < attempts:
                    self.server.start()
            finally:
                client.close()
        raise StoreUnavailable(
            f"the embedded FalkorDB server hung on its first graph command {attempts} times; "
            f"see {self.server.log_path}"
        )

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

    def read_column_major(
        self, query: str, params: Mapping[str, Any] | None = None, *, typed: bool = True
    ) -> tuple[list[str], list[list]]:
        """Run a read-only statement and return its header and **columns** (column-major lists).

        For large results (projection pages of 100k-250k rows): sends ``GRAPH.RO_QUERY <graph>
        <query> --compact`` on the raw connection, so hiredis builds the reply lists in C, and decodes
        the compact cells ``[type, value]`` column by column here instead of row by row in the
        ``falkordb`` client (fewer Python objects per cell). Primitive values (null, string, integer,
        boolean, double) and arrays of them are decoded; nodes, edges, paths and maps are refused
        with :class:`~graph.errors.QueryError` (project their properties in the query instead).

        ``typed=False`` reads the *verbose* reply instead, which hiredis decodes completely in C
        (integers as int, strings as str, nulls as None), with no Python decoding per cell; but
        a verbose reply carries no value types, so doubles and booleans arrive as strings too. Use
        it only for statements that return integers and strings.
        """
        if not self._graph_exists():
            return [], []
        if typed:
            reply = self._raw_read(query, params, "--compact")
        else:
            reply = self._read_reply(query, params, _receive_decoded_reply)
        if len(reply) < 3:  # a statement without RETURN answers with statistics only
            return [], []
        names = [_text(column[1]) for column in reply[0]] if typed else list(reply[0])
        rows = reply[1]
        if not rows:
            return names, [[] for _ in names]
        if not typed:
            return names, [list(column) for column in zip(*rows, strict=True)]
        return names, [_decode_column(list(column)) for column in zip(*rows, strict=True)]

    def _raw_read(self, query: str, params: Mapping[str, Any] | None, *flags: str) -> list:
        import redis

        try:
            return self.connection.execute_command(
                "GRAPH.RO_QUERY", self.graph_name, encode_query(query, params), *flags
            )
        except (redis.RedisError, OSError) as exc:
            raise _map_error(exc) from exc

    def _read_reply(self, query: str, params: Mapping[str, Any] | None, receive: Callable[[Any], Any]) -> Any:
        """Send ``GRAPH.RO_QUERY`` (verbose reply) on a pooled connection; ``receive(socket)`` reads the reply.

        The reply bypasses redis-py's parser, so the connection is dropped if reading fails part way
        (the rest of the reply may still be on its way).
        """
        import redis

        pool = self.connection.connection_pool
        connection = pool.get_connection()
        try:
            connection.send_command("GRAPH.RO_QUERY", self.graph_name, encode_query(query, params))
            return receive(connection._sock)
        except BaseException as exc:
            connection.disconnect()
            if isinstance(exc, TimeoutError):  # the socket's own timeout, as redis-py would report it
                raise _map_error(redis.TimeoutError(str(exc))) from exc
            if isinstance(exc, redis.RedisError | OSError):
                raise _map_error(exc) from exc
            raise
        finally:
            pool.release(connection)

    def read_integer_matrix(
        self, query: str, params: Mapping[str, Any] | None = None, *, null: int
    ) -> tuple[list[str], np.ndarray]:
        """Run a read-only statement whose every value is an integer or null; ``(header, rows x columns)``.

        The fastest read there is, for the projection's id/time columns: the reply is requested in
        FalkorDB's *verbose* form, where an integer is a plain RESP line ``:123``, and goes from the
        socket to numpy without a Python object per value (:func:`_receive_integer_reply` frames it
        by counting lines, :func:`_integer_matrix` parses it in one C pass), instead of hiredis
        building a list per row for ``np.array``. Nulls become ``null``. A value that
        is not an integer raises :class:`~graph.errors.QueryError`.
        """
        if not self._graph_exists():
            return [], np.zeros((0, 0), dtype=np.int64)

        def receive(sock: Any) -> tuple[list[str], np.ndarray]:
            names, rows, body = _receive_integer_reply(sock)
            return names, _integer_matrix(body, rows, len(names), null)

        try:
            names, matrix = self._read_reply(query, params, receive)
        except ValueError as exc:
            raise QueryError(f"read_integer_columns: a value is not an integer ({exc})") from exc
        if not names:
            return [], np.zeros((0, 0), dtype=np.int64)
        return names, matrix

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows of a read-only statement: through :meth:`read_column_major`'s decoding (hiredis and a
        pass per column) unless the statement returned a node, an edge or a map there once (then, for
        this statement's text, the ``falkordb`` client's parser). The client's pure-Python parse of
        every cell was the largest part of an API page's CPU (~930 cells for 50 influencers)."""
        if query not in self._client_parsed:
            try:
                header, columns = self.read_column_major(query, params)
            except _NotPrimitive:
                if len(self._client_parsed) >= _MAX_CLIENT_PARSED:  # ad-hoc texts (`rapport cypher`)
                    self._client_parsed.clear()  # a forgotten text is only tried once more
                self._client_parsed.add(query)
            else:
                return [dict(zip(header, row, strict=True)) for row in zip(*columns, strict=True)]
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
        return self.write_encoded(encode_query(query, dict(params or {})))

    def write_prepared(self, statement: str) -> WriteSummary:
        """Run a statement from :func:`graph.engines.prepare_statement` (its final text)."""
        return self.write_encoded(statement)

    def write_encoded(self, text: str) -> WriteSummary:
        """Run one writing statement already encoded by :func:`encode_query` (in any process)."""
        return _summary(self._write_encoded(text))

    def write_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a writing statement and return its rows (e.g. ``RETURN count(*)``).

        The parameters are encoded by :func:`encode_query` (the client's text, written with less work
        per value).
        """
        return self.write_rows_prepared(encode_query(query, dict(params or {})))

    def write_rows_prepared(self, statement: str) -> list[Row]:
        """Run one writing statement already encoded by :func:`encode_query`; its rows."""
        result = self._write_encoded(statement)
        header = [column[1] for column in result.header]
        return [dict(zip(header, row, strict=True)) for row in result.result_set]

    def _write_encoded(self, text: str) -> Any:
        """``GRAPH.QUERY`` of an encoded writing statement: the client's parsed ``QueryResult``."""
        import redis
        from falkordb.query_result import QueryResult

        graph = self.graph
        try:
            response = graph.execute_command("GRAPH.QUERY", self.graph_name, text, "--compact")
            result = QueryResult(graph, response)
        except (redis.RedisError, OSError) as exc:
            raise _map_error(exc) from exc
        self._created = True
        return result

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Create missing indexes and uniqueness constraints; drop the :data:`RETIRED_INDEXES`.

        FalkorDB has no ``IF NOT EXISTS``; existing ones are read from ``db.indexes()`` /
        ``db.constraints()`` first. Uniqueness is written in the schema file in Neo4j's
        ``CREATE CONSTRAINT FOR (n:L) REQUIRE n.p IS UNIQUE`` form and issued as FalkorDB's
        ``GRAPH.CONSTRAINT CREATE`` command (which needs the index first).
        """
        existing_indexes = {(row["label"], field) for row in self._indexes() for field in row["properties"]}
        existing_unique = {(row["label"], tuple(row["properties"])) for row in self._constraints()}
        changed: list[str] = []
        for label, prop in RETIRED_INDEXES:
            if (label, prop) in existing_indexes:
                statement = f"DROP INDEX FOR (n:{label}) ON (n.{prop})"
                self.write(statement)
                changed.append(statement)
        if changed:
            self._wait_for_indexes({label for label, _ in RETIRED_INDEXES})
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

    def _wait_for_indexes(self, labels: set[str], timeout_s: float = 60.0) -> None:
        """Wait until the indexes of ``labels`` are operational again: dropping one field rebuilds the
        label's index in the background, and until then a lookup may still go through the old one
        (the zero-losing index this drop is for). Bounded: a slow rebuild past ``timeout_s`` is an error."""
        deadline = time.monotonic() + timeout_s
        while True:
            rows = self.read("CALL db.indexes() YIELD label, status RETURN label, status")
            if all(row["status"] == "OPERATIONAL" for row in rows if row["label"] in labels):
                return
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"the indexes of {sorted(labels)} were not rebuilt in {timeout_s:g} s")
            time.sleep(0.05)  # polling the server's own rebuild; nothing to wait on instead

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

    def compact_log(self, min_growth_bytes: int | None = None) -> bool:
        """Rewrite the embedded server's append-only file (``BGREWRITEAOF``) if it grew by at least
        ``min_growth_bytes`` (default: :attr:`log_compaction_min_bytes`) since its last rewrite (its
        increment on disk, :meth:`EmbeddedFalkorDB.log_sizes`); True if a rewrite was started.

        A restart replays the file: a compacted one (a snapshot of the graph) loads in about a second
        per million edges, a long tail of write statements takes many times longer (see
        ``docs/operations.md``). Redis rewrites on its own only when the file doubles, so a large
        load is followed by this. A server this engine did not start (``url``) is left alone.
        """
        if self.server is None:
            return False
        import redis

        if min_growth_bytes is None:
            min_growth_bytes = self.log_compaction_min_bytes
        try:
            info = self.connection.info("persistence")
            sizes = self.server.log_sizes()
            growth = sizes[1] if sizes else 0  # the increment on disk: what the next start replays
            if growth < min_growth_bytes or info.get("aof_rewrite_in_progress"):
                return False
            self.connection.bgrewriteaof()
        except redis.ResponseError as exc:
            if "in progress" in str(exc).lower():  # one is running already: as good
                return False
            raise _map_error(exc) from exc
        except (redis.RedisError, OSError) as exc:
            raise _map_error(exc) from exc
        return True

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
