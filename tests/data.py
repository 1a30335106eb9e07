"""Where the real public data sets the tests use live: ``../shared/data`` beside the repository.

In a git worktree (``.git`` is a file pointing into the main repository's ``.git/worktrees``) the data
sit beside the *main* repository instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def _shared_data() -> Path:
    repository = Path(__file__).resolve().parents[1]
    beside = repository.parent / "shared" / "data"
    marker = repository / ".git"
    if beside.exists() or not marker.is_file():
        return beside
    gitdir = marker.read_text(encoding="utf-8").partition("gitdir:")[2].strip()
    main = Path(gitdir).resolve().parents[2] if gitdir else repository  # <main>/.git/worktrees/<name>
    return main.parent / "shared" / "data"


SHARED_DATA = (
    Path(os.environ["RAPPORT_SHARED_DATA"]) if os.environ.get("RAPPORT_SHARED_DATA") else _shared_data()
)
