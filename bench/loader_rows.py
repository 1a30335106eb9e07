"""What the loader would write for a file, as plain rows: the bare-statement anchor of both ingest benches.

``bench/ingest.py`` (FalkorDB) and ``bench/ingest_neo4j.py`` (Neo4j) send these rows as bare
``UNWIND $rows`` statements next to Rapport's loader, so both compare against the same data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graph.writes import GraphWrites
from ingest.pipeline import batches, read_source


def chunked(rows: list, size: int) -> Iterator[list]:
    """``rows`` in consecutive slices of at most ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def loader_rows(path: Path, fmt: str) -> GraphWrites:
    """Every node and relationship row the loader would write for ``path``, merged in memory.

    An endpoint that is only referenced (never defined by an event) becomes a bare node with just
    its id, as the loader's upserts create it, so a bare ``MATCH … CREATE`` finds both ends.
    """
    everything = GraphWrites.merged(batch.writes for batch in batches(read_source(path, fmt), 50_000))
    defined = {(label, node_id) for label, rows in everything.nodes.items() for node_id in rows}
    for spec, rels in everything.relationships.items():
        for row in rels.values():
            for label, node_id in ((spec.source, row.source), (spec.target, row.target)):
                if (label, node_id) not in defined:
                    everything.add_node_properties(label, {"id": node_id})
                    defined.add((label, node_id))
    return everything


def event_count(path: Path, fmt: str) -> int:
    """How many events the file's valid records hold."""
    return sum(len(item.events) for item in read_source(path, fmt) if hasattr(item, "events"))
