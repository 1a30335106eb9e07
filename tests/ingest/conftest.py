"""Fixtures of the ingest tests (their helpers and sample paths are in ``tests/ingest/helpers.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest


@pytest.fixture
def write_lines(tmp_path: Path) -> Callable[..., Path]:
    def write(lines: Iterable[str | bytes], name: str = "input.jsonl") -> Path:
        path = tmp_path / name
        with open(path, "wb") as stream:
            for line in lines:
                stream.write(line if isinstance(line, bytes) else line.encode("utf-8"))
                stream.write(b"\n")
        return path

    return write
