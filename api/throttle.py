"""Throttling of failed authentication: a client address that presented too many wrong keys waits.

A client address (the TCP peer: behind a reverse proxy, that is the proxy — see
``docs/operations.md``) may present ``allowed`` invalid keys within a sliding window of
``window_s`` seconds; after that **every** request from it answers 429 ``too_many_requests``
with ``Retry-After`` (seconds until its oldest failure leaves the window), whatever key it now
presents, so guessing is capped at ``allowed`` tries per window. A request without any key is not
a guess and is not counted.

Memory is bounded: at most ``max_clients`` addresses are tracked, each with at most ``allowed``
timestamps; when full, the address whose last failure is the oldest is forgotten first. State
is per process (each API worker counts for itself).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class FailedAuthThrottle:
    def __init__(
        self,
        allowed: int = 10,
        window_s: float = 60.0,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allowed = allowed
        self.window_s = window_s
        self.max_clients = max_clients
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def retry_after(self, client: str) -> int | None:
        """Seconds ``client`` must wait before it may try again, or None if it may now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(client, now)
            if failures is None or len(failures) < self.allowed:
                return None
            return max(1, math.ceil(failures[0] + self.window_s - now))

    def failed(self, client: str) -> None:
        """Record one failed authentication of ``client``."""
        with self._lock:
            now = self._clock()
            failures = self._recent(client, now)
            if failures is None:
                failures = self._failures[client] = deque(maxlen=self.allowed)
                while len(self._failures) > self.max_clients:
                    self._failures.popitem(last=False)
            failures.append(now)
            self._failures.move_to_end(client)

    @property
    def tracked(self) -> int:
        return len(self._failures)
