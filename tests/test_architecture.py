"""The layers hold: no import cycle between the project's modules, and imports run one way.

The module graph is read from the source with :mod:`ast` (every ``import``, function-level ones
included, relative ones resolved), so a cycle dodged by importing inside a function still fails here.
Direction, by top-level package::

    algorithms                      imports nothing of ours (pure functions over arrays and graphs)
    graph                           nothing of ours (model, store, engines, errors, config)
    ingest      -> graph            loading, and identity resolution applied while loading
    scaleout    -> graph, algorithms                  scores on Spark DataFrames, the Parquet snapshot
    usecases    -> graph, ingest, algorithms, scaleout  the application layer
    api         -> usecases, graph, ingest            HTTP adapters
    cli         -> usecases, graph, ingest, scaleout  command-line adapters, and api.serving only

``cli`` may import exactly one module of ``api``: :mod:`api.serving`, the uvicorn start-up of the
HTTP application that ``rapport serve`` and ``rapport demo`` run (see its docstring).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "ingest", "algorithms", "usecases", "api", "cli", "scaleout")

ALLOWED: dict[str, set[str]] = {
    "algorithms": set(),
    "graph": set(),
    "ingest": {"graph"},
    "scaleout": {"graph", "algorithms"},
    "usecases": {"graph", "ingest", "algorithms", "scaleout"},
    "api": {"usecases", "graph", "ingest"},
    "cli": {"usecases", "graph", "ingest", "scaleout", "api"},
}
# the only modules of another adapter an adapter may import
ADAPTER_EXCEPTIONS = {"cli": {"api.serving"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if ".venv" not in path.parts
    }


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    yield target
    yield from (f"{target}.{alias.name}" for alias in node.names)  # `from pkg import submodule`


def import_graph() -> dict[str, set[str]]:
    """module -> project modules it imports (anywhere in its body)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges.update(t for t in _imported(node, name, is_package) if t in modules and t != name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_sees_a_cycle_through_a_function_level_import() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("def f():\n    from cli.app import main\n")
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom))
    assert "cli.app" in set(_imported(node, "api.x", False))


def test_relative_imports_resolve() -> None:
    node = ast.parse("from .exports import ExportPosition").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert set(_imported(node, "usecases.crm.deltas", False)) >= {"usecases.crm.exports"}


def test_there_is_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_run_one_way(package: str) -> None:
    offenders: dict[str, list[str]] = {}
    for module, targets in import_graph().items():
        if module.split(".")[0] != package:
            continue
        bad = sorted(
            t
            for t in targets
            if t.split(".")[0] != package
            and (
                t.split(".")[0] not in ALLOWED[package]
                or (t.split(".")[0] in ("api", "cli") and t not in ADAPTER_EXCEPTIONS.get(package, set()))
            )
        )
        if bad:
            offenders[module] = bad
    assert offenders == {}


def test_the_adapters_never_import_each_other_beyond_serving() -> None:
    graph = import_graph()
    api_to_cli = {
        m: sorted(t for t in ts if t.startswith("cli")) for m, ts in graph.items() if m.startswith("api")
    }
    assert {m: ts for m, ts in api_to_cli.items() if ts} == {}
    cli_to_api = {t for m, ts in graph.items() if m.startswith("cli") for t in ts if t.startswith("api")}
    assert cli_to_api <= {"api.serving"}
