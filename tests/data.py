"""Where the real public data sets the tests use live: ``../shared/data`` beside the repository.

``RAPPORT_SHARED_DATA`` points elsewhere (a git worktree one level deeper than the repository, say).
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("RAPPORT_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
