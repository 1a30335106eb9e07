"""What every source yields, one item per input line: a :class:`Record` or a :class:`Rejected`.

Line numbers are 1-based physical line numbers of the input file (for CSV, the line on which the record
starts; the header is line 1). For a JSON array given to the API they are 1-based element numbers.
A loader checkpoints on them: resuming after checkpoint ``n`` means skipping every item with ``line <= n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ingest.events import Event

EXCERPT_LENGTH = 200


def excerpt(raw: str | bytes) -> str:
    """The first :data:`EXCERPT_LENGTH` characters of a raw input line (bytes decoded leniently)."""
    if isinstance(raw, bytes):
        raw = raw[: EXCERPT_LENGTH * 4].decode("utf-8", errors="replace")
    return raw[:EXCERPT_LENGTH]


def renamed_field(reason: str, names: dict[str, str]) -> str:
    """``reason`` with its leading ``field:`` renamed through ``names`` (event field -> input column)."""
    field, separator, rest = reason.partition(": ")
    return f"{names.get(field, field)}{separator}{rest}"


class Record(NamedTuple):
    """The validated events read from one input line, and the format (``source``) they came from.

    A named tuple (immutable, and cheaper to make than a frozen dataclass: one per input line).
    """

    line: int
    events: tuple[Event, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input line that was not loaded: ``reason`` starts with the offending field (``text: ...``)."""

    line: int
    reason: str
    excerpt: str

    def as_json(self) -> dict[str, int | str]:
        return {"line": self.line, "reason": self.reason, "excerpt": self.excerpt}


SourceItem = Record | Rejected
