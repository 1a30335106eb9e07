"""Neo4j 5 engine adapter over Bolt: the production store.

One driver per process; reads through ``execute_read`` in a READ-mode session (a write there
is refused by the server), writes through retried ``execute_write`` transactions, the
database always passed explicitly. Driver errors are mapped to :mod:`graph.errors` here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.engines.base import Row, WriteSummary
from graph.errors import ConstraintViolation, QueryError, ReadOnlyViolation, StoreError, StoreUnavailable


def _map_error(exc: Exception) -> StoreError:
    from neo4j import exceptions as neo

    if isinstance(exc, neo.ServiceUnavailable | neo.SessionExpired | neo.AuthError | OSError):
        return StoreUnavailable(f"Neo4j is unreachable: {exc}")
    if isinstance(exc, neo.ConstraintError):
        return ConstraintViolation(str(exc))
    message = str(exc)
    if "in read access mode" in message or "AccessMode" in message:
        return ReadOnlyViolation("this statement writes; it was sent through a read-only path")
    return QueryError(message)


class Neo4jEngine:
    kind = "neo4j"

    def __init__(self, *, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri = uri
        self._auth = (user, password)
        self.database = database
        self._driver: Any = None

    def connect(self) -> None:
        if self._driver is not None:
            return
        import neo4j

        try:
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=self._auth)
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            self.close()
            raise _map_error(exc) from exc

    @property
    def driver(self) -> Any:
        if self._driver is None:
            self.connect()
        return self._driver

    def _session(self, *, read_only: bool) -> Any:
        import neo4j

        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode)

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list]]:
        import neo4j

        def work(tx: Any) -> tuple[list[str], list[list]]:
            result = tx.run(query, dict(params or {}))
            return list(result.keys()), [list(record.values()) for record in result]

        try:
            with self._session(read_only=True) as session:
                return session.execute_read(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _map_error(exc) from exc

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        header, rows = self.read_columns(query, params)
        return [dict(zip(header, row, strict=True)) for row in rows]

    def write_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        import neo4j

        def work(tx: Any) -> list[Row]:
            return [record.data() for record in tx.run(query, dict(params or {}))]

        try:
            with self._session(read_only=False) as session:
                return session.execute_write(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _map_error(exc) from exc

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        import neo4j

        def work(tx: Any) -> WriteSummary:
            counters = tx.run(query, dict(params or {})).consume().counters
            return WriteSummary(
                nodes_created=counters.nodes_created,
                relationships_created=counters.relationships_created,
                properties_set=counters.properties_set,
                nodes_deleted=counters.nodes_deleted,
                relationships_deleted=counters.relationships_deleted,
            )

        try:
            with self._session(read_only=False) as session:
                return session.execute_write(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _map_error(exc) from exc

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Neo4j's schema statements carry ``IF NOT EXISTS``; running them again is a no-op."""
        for statement in statements:
            self.write(statement)
        return list(statements)

    def ping(self) -> bool:
        try:
            self.driver.verify_connectivity()
            return True
        except Exception:
            return False

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
