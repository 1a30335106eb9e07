"""Where commands print: results on stdout (tables or JSON), progress and messages on stderr."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(stderr=True, soft_wrap=True)
stdout = Console(soft_wrap=True)


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def print_rows(rows: list[dict[str, Any]], *, as_json: bool) -> None:
    """Rows as a JSON array of objects (``--json``) or as a table with a row count on stderr."""
    if as_json:
        stdout.out(json.dumps(rows, ensure_ascii=False, default=str), highlight=False)
        return
    table = Table(show_lines=False)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row[c]) for c in columns))
    stdout.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
