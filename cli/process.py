"""Process-wide state a command may change: it runs as the program's entry point, never inside the API."""

from __future__ import annotations

import signal


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so ``with`` blocks close the store (and its server)."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
