"""The algorithms package is pure: it imports no store, API or ingest code and does no I/O at import."""

import ast
import doctest
import importlib
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "algorithms"
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "networkx", "networkit", "community"}
FORBIDDEN = {"graph", "ingest", "usecases", "api", "cli", "scaleout", "cypher", "bench"}
MODULES = ["projection", "influence", "communities", "trust", "advocacy", "community_labels", "community_map"]


def imported_roots(path: pathlib.Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_algorithms_import_only_numerics_and_the_standard_library(path):
    roots = imported_roots(path)
    assert not roots & FORBIDDEN

    third_party = {r for r in roots if r not in sys.stdlib_module_names and r != "algorithms"}
    assert third_party <= ALLOWED_THIRD_PARTY


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"algorithms.{name}")
    failures, _ = doctest.testmod(module, raise_on_error=False)
    assert failures == 0


def test_public_api_is_re_exported():
    package = importlib.import_module("algorithms")
    for name in package.__all__:
        assert hasattr(package, name)
