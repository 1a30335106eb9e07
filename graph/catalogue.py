"""The query catalogue: every ``.cypher`` file under the ``cypher`` data package.

Each file holds one statement, a ``//`` summary on line 1, and ``:param name => value``
lines so it runs as-is in the Neo4j Browser. The loader strips the ``:param`` lines and
full-line ``//`` comments and names each query from its path: ``read/counts.cypher`` ->
``read.counts``. Schema files (``schema/<engine>.cypher``) hold several ``;``-separated
statements and are read with :func:`schema_statements`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from graph.errors import InvalidInput, QueryError

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


def read_cypher_file(path: Path) -> Query:
    """A ``.cypher`` file as the Neo4j Browser runs it: its statement and its ``:param`` lines.

    For ``rapport cypher --file``; any file in the catalogue's form (one statement, ``//`` lines,
    ``:param name => value`` lines) is accepted, inside or outside ``cypher/``.
    """
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the Cypher file {path}: {exc}") from None
    if not any(line.strip().startswith("//") for line in source.splitlines()):
        source = (
            f"// {Path(path).name}\n{source}"  # a summary line is the catalogue's rule, not the Browser's
        )
    return parse_query(Path(path).stem, source, Path(path))


def missing_parameters(statement: Query, params: Mapping[str, object]) -> list[str]:
    """The ``$names`` the statement uses that ``params`` does not set, sorted."""
    return sorted(statement.parameter_names - set(params))
