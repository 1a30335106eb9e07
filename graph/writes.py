"""A batch of graph writes: what ingest hands to the store in one call.

Ingest turns validated events into a :class:`GraphWrites`; the store applies it with one
``UNWIND $rows`` statement per label and per relationship spec, nodes first (a post goes with
its author's POSTED link when the batch holds both: :func:`graph.store.authors_written_with_posts`).
Every write is an idempotent upsert keyed on ids, so applying the same batch twice leaves the graph
as after once, and relationship endpoints that do not exist yet are created as bare placeholder nodes
(id only) that a later node write fills in — the graph ends the same whatever the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import Label, Node, RelRow, RelSpec


@dataclass
class GraphWrites:
    """Node rows per label and relationship rows per spec, deduplicated on their keys.

    Later rows for the same key are merged into earlier ones (properties updated, last
    value wins), so a batch never carries one key twice — the pinned FalkorDB gives wrong
    values, or crashes, on duplicate MERGE keys inside one ``UNWIND`` batch.
    """

    nodes: dict[Label, dict[str, dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[RelSpec, dict[tuple, RelRow]] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        self.add_node_properties(node.label, node.properties())

    def add_node_properties(self, label: Label, properties: Mapping[str, Any]) -> None:
        rows = self.nodes.get(label)
        if rows is None:
            rows = self.nodes[label] = {}
        node_id = properties["id"]
        row = rows.get(node_id)
        if row is None:
            rows[node_id] = dict(properties)
        else:
            row.update(properties)

    def add_relationship(self, spec: RelSpec, source: str, target: str, /, **properties: Any) -> None:
        key = (source, target, *[properties.get(name) for name in spec.key]) if spec.key else (source, target)
        rows = self.relationships.get(spec)
        if rows is None:
            rows = self.relationships[spec] = {}
        row = rows.get(key)
        if row is None:
            rows[key] = RelRow(source, target, properties)  # **properties is already a new dict
        else:
            row.properties.update(properties)

    def extend(self, other: GraphWrites) -> None:
        for label, rows in other.nodes.items():
            for properties in rows.values():
                self.add_node_properties(label, properties)
        for spec, rels in other.relationships.items():
            for row in rels.values():
                self.add_relationship(spec, row.source, row.target, **row.properties)

    def node_rows(self) -> Iterator[tuple[Label, list[dict[str, Any]]]]:
        for label, rows in self.nodes.items():
            if rows:
                yield label, list(rows.values())

    def relationship_rows(self) -> Iterator[tuple[RelSpec, list[RelRow]]]:
        for spec, rows in self.relationships.items():
            if rows:
                yield spec, list(rows.values())

    def __len__(self) -> int:
        return sum(len(r) for r in self.nodes.values()) + sum(len(r) for r in self.relationships.values())

    @classmethod
    def merged(cls, parts: Iterable[GraphWrites]) -> GraphWrites:
        total = cls()
        for part in parts:
            total.extend(part)
        return total
