"""Options every store command takes, and the settings they select."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.config import Settings, load_settings

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Embedded store's data directory (default: RAPPORT_DATA_DIR or user dir)"
    ),
]


def settings_from(data_dir: Path | None) -> Settings:
    return load_settings(**({"data_dir": data_dir} if data_dir else {}))
