"""A short-lived cache of run-scoped GET responses (micro-caching).

Influencer, advocate/detractor and community pages are functions of the current analysis run and
of the request's path and query. Between analysis runs they change only when ingest renames a
profile (handle, platform). Under load, the same few pages (the top 50, one brand's advocates) are
asked for many times a second; computing each one takes two or three store round trips and some
Python. So the API keeps the serialized JSON body of such a response for
``Settings.response_cache_seconds`` (default 2 s): a page is computed at most once per that time,
and an answer is never older than it.

What the cache guarantees
-------------------------
- **Never a mix of runs.** A body is computed in one piece from one run (see
  :mod:`usecases.current_run`) and served whole.
- **Bounded staleness.** After a run is published or data is loaded by another process (the CLI),
  the API answers from the new data at most ``response_cache_seconds`` later. Writes made through
  this API process (``POST /v1/events``, an analysis run started with ``POST /v1/analysis/runs``)
  clear the cache at once.
- **Bounded memory.** At most ``response_cache_max_bytes`` of bodies; least recently used first out.
- **Errors are not cached** (404, 409 ``no_analysis_run``…): only successful bodies are.
- **One computation per page at a time.** When an entry expires under load, the first request
  recomputes it and the others asking for the same page wait for that result instead of all
  computing it at once (no thundering herd at each expiry).
- ``response_cache_seconds = 0`` turns it off. Every cached route answers ``X-Cache: hit|miss``
  (``miss`` also for a request that waited for another's computation).

The cache is keyed on the path and the query parameters (order-insensitive), not on the caller:
every read key sees the same page. It is safe to use from the event loop and from worker threads.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.inline import run_held_first

CacheKey = tuple[str, tuple[tuple[str, str], ...]]


class ResponseCache:
    """Serialized response bodies for ``ttl_seconds``, at most ``max_bytes`` in all (LRU).

    ``clock`` is injectable so tests can move time without sleeping.
    """

    def __init__(
        self, ttl_seconds: float, max_bytes: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_bytes = max_bytes
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[CacheKey, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._generation = 0
        self.inflight: dict[tuple[CacheKey, int], asyncio.Future[bytes]] = {}  # event loop only

    @property
    def enabled(self) -> bool:
        return self.ttl_seconds > 0 and self.max_bytes > 0

    @property
    def generation(self) -> int:
        """Bumped by :meth:`clear`; a body computed under an older generation is not stored."""
        return self._generation

    def get(self, key: CacheKey) -> bytes | None:
        if not self.enabled:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or self._clock() - entry[0] >= self.ttl_seconds:
                if entry is not None:
                    self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: CacheKey, body: bytes, generation: int) -> None:
        """Keep ``body`` unless the cache was cleared since ``generation`` was read, or it is too big."""
        if not self.enabled or len(body) > self.max_bytes:
            return
        with self._lock:
            if generation != self._generation:
                return  # computed from data older than the last clear()
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self._clock(), body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._generation += 1

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: CacheKey) -> None:
        _, body = self._entries.pop(key)
        self._bytes -= len(body)


def request_key(request: Request) -> CacheKey:
    return request.url.path, tuple(sorted(request.query_params.multi_items()))


def response_cache(request: Request) -> ResponseCache:
    return request.app.state.response_cache


def clear_response_cache(app_state: object) -> None:
    """Forget every cached body (after this process wrote to the store)."""
    cache = getattr(app_state, "response_cache", None)
    if cache is not None:
        cache.clear()


async def cached_json(
    request: Request, compute: Callable[[], BaseModel | bytes], *, exclude_none: bool = False
) -> Response:
    """The cached body for this request, or ``compute()`` run (on the event loop when all it reads is
    held, else in the thread pool: :func:`api.inline.run_held_first`) and cached: a model's JSON, or
    the JSON body ``compute`` wrote itself.

    ``compute`` does the blocking store reads; exceptions it raises (404, 409…) propagate to the
    error handlers and nothing is cached. A hit does no store round trip and no thread hop.
    """
    cache = response_cache(request)
    key = request_key(request)
    body = cache.get(key)
    if body is not None:
        return Response(body, media_type="application/json", headers={"X-Cache": "hit"})
    generation = cache.generation
    flight_key = (key, generation)
    running = cache.inflight.get(flight_key) if cache.enabled else None
    if running is not None:  # another request is computing this very page: share its result
        try:
            body = await asyncio.shield(running)
            return Response(body, media_type="application/json", headers={"X-Cache": "miss"})
        except asyncio.CancelledError:
            if not running.cancelled():
                raise  # this request itself was cancelled
            # the computing request was cancelled: compute the page here instead
    flight: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    if cache.enabled:
        cache.inflight[flight_key] = flight
    try:
        computed = await run_held_first(compute)
        body = (
            computed
            if isinstance(computed, bytes)
            else computed.model_dump_json(exclude_none=exclude_none).encode()
        )
    except asyncio.CancelledError:
        flight.cancel()
        raise
    except Exception as exc:
        flight.set_exception(exc)
        flight.exception()  # mark it retrieved: nobody may be waiting
        raise
    finally:
        if cache.inflight.get(flight_key) is flight:
            del cache.inflight[flight_key]
    flight.set_result(body)
    cache.put(key, body, generation)
    return Response(body, media_type="application/json", headers={"X-Cache": "miss"})
