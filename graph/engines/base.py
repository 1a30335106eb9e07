"""The engine seam: the few operations the store needs from a Cypher database.

Each engine adapter (Neo4j over Bolt, FalkorDB over its own protocol) implements
:class:`Engine` and wraps its driver's errors into :mod:`graph.errors` exactly here, so no
other module ever sees a driver exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Row = dict[str, Any]


@dataclass(frozen=True)
class WriteSummary:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0


class Engine(Protocol):
    """A connected Cypher engine. Constructors do no I/O; :meth:`connect` does."""

    kind: str

    def connect(self) -> None:
        """Open connections (and, for the embedded engine, start the server)."""

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only statement; a write inside it raises ``ReadOnlyViolation``."""

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list]]:
        """Like :meth:`read`, returning the header and rows as lists (no per-row dicts)."""

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        """Run one statement that may write, atomically."""

    def write_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one statement that may write, atomically, and return its rows."""

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Create missing indexes/constraints; return the statements that changed something."""

    def ping(self) -> bool:
        """True when the engine answers."""

    def close(self) -> None:
        """Release connections; the embedded engine also stops its server."""
