"""Reads answered on the event loop when all they need is held in memory.

FastAPI runs a ``def`` handler on a worker thread: each request is handed over to the thread pool
and back, which costs a page of held rows more CPU than building it (docs/benchmarks.md, "Held reads
answered on the event loop"). Most reads need nothing but what this process holds until the data
changes (:mod:`usecases.read_view`), so a read handler is first run on the event loop itself inside
:func:`graph.inline.without_waiting`: the store, a lock held by a build, and a build of its own
raise :class:`graph.inline.WouldBlock` there, and the read is then run again on a worker thread, as
before. A read stopped part way changed nothing, so the second run answers as the only one would.

Answered this way: ``GET`` routes with a ``def`` handler (:class:`HeldFirstRoute`) and the pages
the response cache computes on a miss (:func:`api.cache.cached_json`); writes always go to a worker
thread.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from graph.inline import WouldBlock, without_waiting

T = TypeVar("T")


async def run_held_first(read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``read(*args, **kwargs)`` on the event loop unless it would wait, and then on a worker thread."""
    try:
        with without_waiting():
            return read(*args, **kwargs)
    except WouldBlock:
        pass  # it needs the store or a build: on a worker thread, where it may wait
    return await run_in_threadpool(read, *args, **kwargs)


def held_first(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` (a ``def`` read) as a coroutine that answers by :func:`run_held_first`. FastAPI
    reads the parameters through ``__wrapped__``."""

    @functools.wraps(handler)
    async def answer(*args: Any, **kwargs: Any) -> Any:
        return await run_held_first(handler, *args, **kwargs)

    return answer


class HeldFirstRoute(APIRoute):
    """An :class:`APIRoute` whose ``GET`` handlers written as ``def`` are :func:`held_first`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {method.upper() for method in kwargs.get("methods") or ("GET",)}
        if methods <= {"GET", "HEAD"} and not inspect.iscoroutinefunction(endpoint):
            endpoint = held_first(endpoint)
        super().__init__(path, endpoint, **kwargs)
