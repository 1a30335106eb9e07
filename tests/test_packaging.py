"""The generic top-level package names resolve to this project, and imports run one way."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "ingest", "algorithms", "usecases", "api", "cli", "cypher", "scaleout")

# package -> project packages it must never import
# (tests/test_architecture.py checks the whole direction, module by module, and that no cycle exists)
FORBIDDEN = {
    "algorithms": {"graph", "ingest", "usecases", "api", "cli"},
    "graph": {"ingest", "algorithms", "usecases", "api", "cli"},
    "ingest": {"algorithms", "usecases", "api", "cli"},
    "usecases": {"api", "cli"},
    "cypher": {"graph", "ingest", "algorithms", "usecases", "api", "cli"},
}


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_imports_from_the_project(name: str) -> None:
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().parent == ROOT / name


def test_packages_resolve_to_the_project_from_another_directory(tmp_path: Path) -> None:
    """A clash with an installed `graph`/`api` package would show here (we run from elsewhere)."""
    names = ", ".join(PACKAGES)
    code = f"import {names}; print(*[m.__file__ for m in ({names})])"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    for path, name in zip(out.stdout.split(), PACKAGES, strict=True):
        assert Path(path).resolve().parent == ROOT / name


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_run_one_way(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_top_levels(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_app_module_does_no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_API_PORT", "not-a-port")  # would fail if settings were read at import
    for name in [m for m in sys.modules if m == "api.main"]:
        del sys.modules[name]
    importlib.import_module("api.main")
