"""Sections of code that must not wait: a read answered on the API's event loop.

The API answers a read on its event loop, without handing it to a worker thread, when everything
the read needs is already held in memory (:mod:`usecases.read_view`); the hand-over costs more CPU
than many a held page (docs/benchmarks.md, "Held reads answered on the event loop"). While it runs
there, nothing else on that process is answered, so the read must not wait: not for the store,
not for a lock another thread holds while it builds something, not for a build of its own.

Code that is about to wait calls :func:`may_wait` (or takes a long-held lock with
:func:`waiting_for`); inside :func:`without_waiting` that raises :class:`WouldBlock`, and the
caller (``api.inline``) runs the read again on a worker thread, where waiting is fine. Reads only:
a read that stopped part way changed nothing, so running it again is safe. Everywhere else (worker
threads, the CLI, scripts) these calls do nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_NO_WAITING: ContextVar[bool] = ContextVar("rapport_no_waiting", default=False)


class WouldBlock(BaseException):  # noqa: N818 - a signal, not an error
    """Raised inside :func:`without_waiting` by code about to wait (``str()`` says on what).

    A ``BaseException``, like ``GeneratorExit``: it is a change of thread, not a failure, and must
    pass through the ``except Exception`` of the code between the wait and the caller."""


@contextmanager
def without_waiting() -> Iterator[None]:
    """Within the block, :func:`may_wait` and :func:`waiting_for` raise :class:`WouldBlock`."""
    token = _NO_WAITING.set(True)
    try:
        yield
    finally:
        _NO_WAITING.reset(token)


def may_wait(what: str) -> None:
    """Say that the caller is about to wait on ``what`` (the store, a build): raises
    :class:`WouldBlock` inside :func:`without_waiting`, else does nothing."""
    if _NO_WAITING.get():
        raise WouldBlock(what)


@contextmanager
def waiting_for(lock: threading.Lock, what: str) -> Iterator[None]:
    """``with lock:`` for a lock that may be held a long time (a build): inside
    :func:`without_waiting` a lock another thread holds raises :class:`WouldBlock` instead."""
    if not lock.acquire(blocking=not _NO_WAITING.get()):
        raise WouldBlock(what)
    try:
        yield
    finally:
        lock.release()
