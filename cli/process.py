"""Process-wide state a command may change: it runs as the program's entry point, never inside the API."""

from __future__ import annotations

import signal


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so ``with`` blocks close the store (and its server)."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def return_freed_memory_promptly(threshold_bytes: int = 1 << 20) -> bool:
    """Have glibc's malloc serve blocks of ``threshold_bytes`` or more by ``mmap``, so freeing one gives it back.

    By default glibc raises its mmap threshold whenever such a block is freed (up to 32 MiB); after
    that the analysis' arrays (tens of MB each, made and dropped stage after stage) come from the
    heap and stay resident when freed. A fixed threshold turns that adjustment off: at 1M edges the
    analysis process peaked ~135 MB lower (``bench/analyze.py``). Process-wide (``mallopt``), so only
    an entry point calls it. Returns False where the C library has no ``mallopt`` (not glibc).
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    m_mmap_threshold = -3  # <malloc.h>
    return bool(mallopt(m_mmap_threshold, threshold_bytes))
