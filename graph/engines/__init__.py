"""Engine adapters behind :class:`graph.engines.base.Engine`: Neo4j 5 (Bolt) and FalkorDB.

:func:`prepare_statement` turns one ``UNWIND $rows`` write into the form an engine of a given kind
sends, without a connection, so the loader's parse worker can do it in another process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.engines.base import PreparedStatement


def prepare_statement(
    kind: str, query: str, fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> PreparedStatement:
    """``query`` with ``$rows`` = one map per row of ``rows`` (keys ``fields``), as ``kind`` sends it."""
    if kind == "falkordb":
        from graph.engines.falkordb import encode_rows_query

        return encode_rows_query(query, fields, rows)
    if kind == "neo4j":
        return query, {"rows": [dict(zip(fields, row, strict=True)) for row in rows]}
    raise ValueError(f"unknown engine kind {kind!r}")


def prepare_query(kind: str, query: str, params: Mapping[str, Any]) -> PreparedStatement:
    """``query`` with ``params`` as an engine of ``kind`` sends it (FalkorDB: the whole text), without a
    connection, so it can be made in another thread while the engine runs the previous statement."""
    if kind == "falkordb":
        from graph.engines.falkordb import encode_query

        return encode_query(query, dict(params))
    if kind == "neo4j":
        return query, dict(params)
    raise ValueError(f"unknown engine kind {kind!r}")
