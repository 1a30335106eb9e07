"""Where commands print: results on stdout (tables or JSON), progress and messages on stderr."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(stderr=True, soft_wrap=True)
stdout = Console(soft_wrap=True)


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _time_cell(value: Any) -> str:
    """An ``*_at`` column's epoch milliseconds as a UTC time (the stores keep times as epoch ms)."""
    if type(value) is int and value >= 0:
        return datetime.fromtimestamp(value / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return _cell(value)


def print_rows(rows: list[dict[str, Any]], *, as_json: bool, times: bool = True) -> None:
    """Rows as a JSON array of objects (``--json``, values as they are) or as a table with a row count on
    stderr (with ``times``, ``*_at`` epoch milliseconds shown as UTC times; ``rapport cypher`` shows what
    the statement returned)."""
    if as_json:
        stdout.out(json.dumps(rows, ensure_ascii=False, default=str), highlight=False)
        return
    table = Table(show_lines=False)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column)
    cells = [_time_cell if times and column.endswith("_at") else _cell for column in columns]
    for row in rows:
        table.add_row(*(cell(row[c]) for cell, c in zip(cells, columns, strict=True)))
    stdout.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
