"""The engine seam: the few operations the store needs from a Cypher database.

Each engine adapter (Neo4j over Bolt, FalkorDB over its own protocol) implements
:class:`Engine` and wraps its driver's errors into :mod:`graph.errors` exactly here, so no
other module ever sees a driver exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

Row = dict[str, Any]


@dataclass(frozen=True)
class WriteSummary:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0


PreparedStatement = Any
"""One write statement in the form its engine sends it: FalkorDB's final statement text, or Neo4j's
``(text, parameters)``. Made by :func:`graph.engines.prepare_statement`, in any process."""


class Engine(Protocol):
    """A connected Cypher engine. Constructors do no I/O; :meth:`connect` does.

    Every engine implements every method; a fast path one engine has is a method here with a
    plain implementation in the other.
    """

    kind: str
    projection_page_rows: int
    """How many rows a projection read should ask for at once: FalkorDB builds a whole reply in
    memory before sending it (small pages), Bolt streams records (one page per slice)."""

    def connect(self) -> None:
        """Open connections (and, for the embedded engine, start the server)."""

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only statement; a write inside it raises ``ReadOnlyViolation``."""

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list]]:
        """Like :meth:`read`, returning the header and rows as lists (no per-row dicts)."""

    def read_column_major(
        self, query: str, params: Mapping[str, Any] | None = None, *, typed: bool = True
    ) -> tuple[list[str], list[list]]:
        """Like :meth:`read_columns`, returning **columns** (column-major lists) for large reads.

        ``typed=False`` allows an engine to skip value types for statements returning only integers,
        strings and nulls."""

    def read_integer_matrix(
        self, query: str, params: Mapping[str, Any] | None = None, *, null: int
    ) -> tuple[list[str], np.ndarray]:
        """Run a read-only statement whose every value is an integer or null: ``(header, rows x columns)``
        as int64, nulls replaced by ``null``; a non-integer value raises ``QueryError``."""

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        """Run one statement that may write, atomically."""

    def write_prepared(self, statement: PreparedStatement) -> WriteSummary:
        """Run one statement made by :func:`graph.engines.prepare_statement` for this engine's kind."""

    def write_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one statement that may write, atomically, and return its rows."""

    def write_rows_prepared(self, statement: PreparedStatement) -> list[Row]:
        """:meth:`write_rows` of a statement made by :func:`graph.engines.prepare_query` for this kind."""

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Create missing indexes/constraints; return the statements that changed something."""

    def compact_log(self, min_growth_bytes: int | None = None) -> bool:
        """After a large load: shorten what the next start must replay, if the engine needs it; True if
        a compaction was started."""

    def ping(self) -> bool:
        """True when the engine answers."""

    def close(self) -> None:
        """Release connections; the embedded engine also stops its server."""
