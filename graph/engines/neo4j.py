"""Neo4j 5 engine adapter over Bolt: the production store.

One driver per process; reads through ``execute_read`` in a READ-mode session (a write there
is refused by the server), writes through managed ``execute_write`` transactions, which the
driver retries on transient errors (deadlocks, leader switches, a lost connection) for up to
``max_retry_seconds`` (``RAPPORT_NEO4J__MAX_RETRY_SECONDS``, default 30, the driver's own), the
database always passed explicitly. Driver errors are mapped to :mod:`graph.errors` here and nowhere else.

Two loads that create the same new node at the same time both succeed: the upserts look a node
up by ``id`` under its uniqueness constraint, and Neo4j locks that index entry for the
transaction, so the second waits for the first (or deadlocks, which is transient and retried)
and then finds the node (tests/graph/test_engine_behaviour.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from graph.engines.base import Row, WriteSummary
from graph.errors import (
    ConfigError,
    ConstraintViolation,
    QueryError,
    RapportError,
    ReadOnlyViolation,
    StoreUnavailable,
)

_SCHEMA_NAME = re.compile(r"^CREATE\s+(?:CONSTRAINT|INDEX)\s+(\w+)\s+IF\s+NOT\s+EXISTS\b", re.IGNORECASE)
_FETCH_SIZE = 10_000  # records per Bolt pull: fewer round trips on the projection's large reads


def _map_error(exc: Exception, *, user: str = "neo4j") -> RapportError:
    from neo4j import exceptions as neo

    if isinstance(exc, neo.AuthError):
        return ConfigError(
            f"Neo4j refused the credentials of user {user!r}: check RAPPORT_NEO4J__USER and "
            "RAPPORT_NEO4J__PASSWORD"
        )
    if isinstance(exc, neo.ServiceUnavailable | neo.SessionExpired | OSError):
        return StoreUnavailable(f"Neo4j is unreachable: {exc}")
    if isinstance(exc, neo.ConstraintError):
        return ConstraintViolation(str(exc))
    message = str(exc)
    if "in read access mode" in message or "AccessMode" in message:
        return ReadOnlyViolation("this statement writes; it was sent through a read-only path")
    return QueryError(message)


def _summary(counters: Any) -> WriteSummary:
    return WriteSummary(
        nodes_created=counters.nodes_created,
        relationships_created=counters.relationships_created,
        properties_set=counters.properties_set,
        nodes_deleted=counters.nodes_deleted,
        relationships_deleted=counters.relationships_deleted,
    )


_IMPORTING_CALL = "CALL {"
"""How a catalogue statement opens a subquery in the portable importing-WITH form."""


class Neo4jEngine:
    kind = "neo4j"
    projection_page_rows = 1 << 40  # Bolt streams records: one query per projection slice

    def __init__(
        self, *, uri: str, user: str, password: str, database: str = "neo4j", max_retry_seconds: float = 30.0
    ) -> None:
        self.uri = uri
        self.user = user
        self._auth = (user, password)
        self.database = database
        self.max_retry_seconds = max_retry_seconds
        self._driver: Any = None

    def connect(self) -> None:
        if self._driver is not None:
            return
        import neo4j

        try:
            self._driver = neo4j.GraphDatabase.driver(
                self.uri, auth=self._auth, max_transaction_retry_time=self.max_retry_seconds
            )
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError, ValueError) as exc:
            self.close()
            if isinstance(exc, ValueError):  # a malformed URI
                raise ConfigError(f"invalid Neo4j URI {self.uri!r}: {exc}") from exc
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> RapportError:
        return _map_error(exc, user=self.user)

    @property
    def driver(self) -> Any:
        if self._driver is None:
            self.connect()
        return self._driver

    def _session(self, *, read_only: bool, quiet_deprecations: bool = False) -> Any:
        """A session; ``quiet_deprecations``: for a statement whose deprecated forms are kept on purpose."""
        import neo4j

        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        # A property or type no write has created yet is normal on a young graph (the catalogue reads
        # optional properties); Neo4j's "does not exist" hints about them would flood the log.
        disabled = [neo4j.NotificationDisabledClassification.UNRECOGNIZED]
        extra: dict[str, Any] = {"notifications_disabled_classifications": disabled}
        if quiet_deprecations:
            # The projection's statements use id(), and catalogue subqueries the importing-WITH form
            # `CALL { WITH x ... }` (the one FalkorDB accepts): both deprecated in Neo4j 5 and kept on
            # purpose (docs/neo4j.md); the notice would be logged on every run. Other statements report.
            extra["notifications_disabled_classifications"] = [
                neo4j.NotificationDisabledClassification.DEPRECATION
            ]
        return self.driver.session(
            database=self.database, default_access_mode=mode, fetch_size=_FETCH_SIZE, **extra
        )

    def _transaction(self, work: Any, *, read_only: bool, quiet_deprecations: bool = False) -> Any:
        """Run ``work(tx)`` in a managed transaction (retried by the driver on transient errors)."""
        import neo4j

        try:
            with self._session(read_only=read_only, quiet_deprecations=quiet_deprecations) as session:
                return session.execute_read(work) if read_only else session.execute_write(work)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise self._error(exc) from exc

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None, *, projection: bool = False
    ) -> tuple[list[str], list[list]]:
        def work(tx: Any) -> tuple[list[str], list[list]]:
            result = tx.run(query, dict(params or {}))
            return list(result.keys()), result.values()

        quiet = projection or _IMPORTING_CALL in query
        return self._transaction(work, read_only=True, quiet_deprecations=quiet)

    def read_column_major(
        self, query: str, params: Mapping[str, Any] | None = None, *, typed: bool = True
    ) -> tuple[list[str], list[list]]:
        """Header and columns; Bolt values are typed already, so ``typed`` changes nothing here."""
        header, rows = self.read_columns(query, params, projection=True)
        if not rows:
            return header, [[] for _ in header]
        return header, [list(column) for column in zip(*rows, strict=True)]

    def read_integer_matrix(
        self, query: str, params: Mapping[str, Any] | None = None, *, null: int
    ) -> tuple[list[str], np.ndarray]:
        header, rows = self.read_columns(query, params, projection=True)
        if not rows:
            return header, np.zeros((0, len(header)), dtype=np.int64)
        matrix = np.empty((len(rows), len(header)), dtype=np.int64)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is None:
                    matrix[i, j] = null
                elif type(value) is int:
                    matrix[i, j] = value
                else:
                    raise QueryError(
                        f"read_integer_matrix: column {header[j]!r} holds {type(value).__name__} {value!r:.40}"
                    )
        return header, matrix

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        header, rows = self.read_columns(query, params)
        return [dict(zip(header, row, strict=True)) for row in rows]

    def write_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        def work(tx: Any) -> list[Row]:
            return [record.data() for record in tx.run(query, dict(params or {}))]

        return self._transaction(work, read_only=False)

    def write_rows_prepared(self, statement: tuple[str, Mapping[str, Any]]) -> list[Row]:
        """Run a statement from :func:`graph.engines.prepare_query`: ``(text, parameters)``."""
        text, params = statement
        return self.write_rows(text, params)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        def work(tx: Any) -> WriteSummary:
            return _summary(tx.run(query, dict(params or {})).consume().counters)

        return self._transaction(work, read_only=False)

    def write_prepared(self, statement: tuple[str, Mapping[str, Any]]) -> WriteSummary:
        """Run a statement from :func:`graph.engines.prepare_statement`: ``(text, parameters)``."""
        text, params = statement
        return self.write(text, params)

    def _schema_names(self) -> set[str]:
        names = {row["name"] for row in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        return names | {row["name"] for row in self.read("SHOW INDEXES YIELD name RETURN name")}

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Run the schema statements (each has ``IF NOT EXISTS``); return those that created something.

        Every statement names its index or constraint; one whose name existed before is a no-op.
        """
        existing = self._schema_names()
        changed: list[str] = []
        for statement in statements:
            match = _SCHEMA_NAME.match(statement.strip())
            if match is None:
                raise QueryError(
                    f"a Neo4j schema statement must be CREATE ... <name> IF NOT EXISTS: {statement!r}"
                )
            self.write(statement)
            if match.group(1) not in existing:
                changed.append(statement)
                existing.add(match.group(1))
        if changed:
            self.write_rows("CALL db.awaitIndexes(300)")
        return changed

    def compact_log(self, min_growth_bytes: int | None = None) -> bool:
        """Nothing to do: Neo4j rotates and prunes its transaction logs itself."""
        return False

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
