"""Where the real public data sets the tests use live: ``../shared/data`` beside the repository."""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
