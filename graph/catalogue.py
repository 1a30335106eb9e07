"""The query catalogue: every ``.cypher`` file under the ``cypher`` data package.

Each file holds one statement, a ``//`` summary on line 1, and ``:param name => value``
lines so it runs as-is in the Neo4j Browser. The loader strips the ``:param`` lines and
full-line ``//`` comments and names each query from its path: ``read/counts.cypher`` ->
``read.counts``. Schema files (``schema/<engine>.cypher``) hold several ``;``-separated
statements and are read with :func:`schema_statements`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from graph.errors import QueryError

_PARAM_LINE = re.compile(r"^:param\s+(\w+)\s*=>\s*(.+?);?\s*$")
_PARAM_TOKEN = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class Query:
    """One catalogue statement: its name, summary, text, and Browser example parameters."""

    name: str
    summary: str
    text: str
    example_params: dict[str, str]  # name -> Cypher literal, as written after ``:param name =>``
    path: Path

    @property
    def parameter_names(self) -> set[str]:
        without_strings = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", self.text)
        return set(_PARAM_TOKEN.findall(without_strings))


def cypher_root() -> Path:
    return Path(str(resources.files("cypher")))


def parse_query(name: str, source: str, path: Path) -> Query:
    summary = ""
    params: dict[str, str] = {}
    body: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(":param"):
            match = _PARAM_LINE.match(stripped)
            if not match:
                raise QueryError(f"{path}: malformed :param line {stripped!r}")
            params[match.group(1)] = match.group(2)
        elif stripped.startswith("//"):
            if not summary:
                summary = stripped.lstrip("/ ").strip()
        elif stripped:
            body.append(line.rstrip())
    text = "\n".join(body).rstrip().rstrip(";")
    if not summary or not text:
        raise QueryError(f"{path}: a catalogue file needs a // summary line and one statement")
    return Query(name=name, summary=summary, text=text, example_params=params, path=path)


@cache
def load_catalogue() -> dict[str, Query]:
    """All queries except the schema files, keyed by dotted name."""
    root = cypher_root()
    queries: dict[str, Query] = {}
    for path in sorted(root.rglob("*.cypher")):
        relative = path.relative_to(root).with_suffix("")
        if relative.parts[0] == "schema":
            continue
        name = ".".join(relative.parts)
        queries[name] = parse_query(name, path.read_text(encoding="utf-8"), path)
    return queries


def query(name: str) -> str:
    """The text of catalogue query ``name`` (e.g. ``"write.upsert_profile"``)."""
    try:
        return load_catalogue()[name].text
    except KeyError:
        raise QueryError(f"no catalogue query named {name!r}") from None


def schema_statements(engine_kind: str) -> list[str]:
    path = cypher_root() / "schema" / f"{engine_kind}.cypher"
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("//")
    ]
    return [" ".join(part.split()) for part in "\n".join(lines).split(";") if part.strip()]
