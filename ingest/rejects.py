"""Write rejected input lines as JSON Lines: ``{"line": 12, "reason": "rating: ...", "excerpt": "..."}``.

Excerpts are at most 200 characters of the raw line; they may contain personal data from the input, so
the file belongs next to the input (``<input>.rejects.jsonl`` is git-ignored), never in logs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from ingest.records import Rejected


class RejectsWriter:
    """Append rejects to ``path`` (created with its parent directories; ``append=False`` truncates).

    Use as a context manager. The file is opened lazily, so a clean load leaves no empty rejects file.
    """

    def __init__(self, path: str | Path, *, append: bool = True) -> None:
        self.path = Path(path)
        self.count = 0
        self._mode = "a" if append else "w"
        self._stream: TextIO | None = None

    def write(self, rejected: Rejected) -> None:
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = open(self.path, self._mode, encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._stream.write(json.dumps(rejected.as_json(), ensure_ascii=False) + "\n")
        self.count += 1

    def write_all(self, rejects: Iterable[Rejected]) -> None:
        for rejected in rejects:
            self.write(rejected)

    def flush(self) -> None:
        if self._stream is not None:
            self._stream.flush()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> RejectsWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def read_rejects(path: str | Path) -> list[Rejected]:
    """Read a rejects file back (for reports and tests)."""
    with open(path, encoding="utf-8") as stream:
        return [Rejected(**json.loads(line)) for line in stream if line.strip()]
