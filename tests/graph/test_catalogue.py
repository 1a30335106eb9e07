"""The Cypher catalogue: every file is well-formed, its :param lines match its $tokens, it runs on
embedded FalkorDB as written, and every query name the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.catalogue import load_catalogue, schema_statements
from graph.errors import InvalidInput
from graph.model import DATA_LABELS, RELATIONSHIPS
from graph.store import CypherGraphStore

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()


def test_the_catalogue_is_not_empty_and_names_follow_paths() -> None:
    assert "write.upsert_profile" in CATALOGUE
    for name, entry in CATALOGUE.items():
        assert entry.path.with_suffix("").as_posix().endswith(name.replace(".", "/"))
        assert entry.summary, name


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_params_match_tokens(name: str) -> None:
    entry = CATALOGUE[name]
    assert set(entry.example_params) == entry.parameter_names


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_file_runs_as_written(name: str, store: CypherGraphStore) -> None:
    entry = CATALOGUE[name]
    engine = store.engine
    engine.write("CREATE (:Probe {id: 'probe'})")  # the graph must exist for read queries
    params = {
        key: engine.read(f"RETURN {literal} AS value")[0]["value"]
        for key, literal in entry.example_params.items()
    }
    engine.write_rows(entry.text, params)  # writes allowed: analyst and admin files include writes


def test_every_query_the_code_names_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(r"""["']((?:read|write|admin|projection|analysis|analyst|api)\.[a-z0-9_]+)["']""")
    for package in ("graph", "ingest", "algorithms", "api"):
        for path in (ROOT / package).rglob("*.py"):
            used.update(pattern.findall(path.read_text(encoding="utf-8")))
    used |= {f"write.upsert_{label.value.lower()}" for label in DATA_LABELS}
    used |= {f"write.link_{spec.name}" for spec in RELATIONSHIPS}
    missing = sorted(name for name in used if name not in CATALOGUE)
    assert not missing, f"queries named in code but absent from cypher/: {missing}"


@pytest.mark.parametrize("engine", ["falkordb", "neo4j"])
def test_schema_files_cover_every_label_id(engine: str) -> None:
    statements = " ".join(schema_statements(engine))
    for label in (*DATA_LABELS, "AnalysisRun"):
        label = getattr(label, "value", label)
        assert re.search(rf"\(n:{label}\) REQUIRE n\.id IS UNIQUE", statements), (engine, label)


def test_param_literals_are_evaluated_together_and_a_bad_one_is_named(store: CypherGraphStore) -> None:
    literals = {"limit": "10", "name": "'café'", "ids": "['a', 'b']", "ratio": "0.5", "empty": "null"}
    assert store.evaluate_literals(literals) == {
        "limit": 10,
        "name": "café",
        "ids": ["a", "b"],
        "ratio": 0.5,
        "empty": None,
    }
    assert store.evaluate_literals({}) == {}
    with pytest.raises(InvalidInput, match=r":param broken => \[1,"):
        store.evaluate_literals({"limit": "10", "broken": "[1,"})
