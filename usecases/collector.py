"""Long-lived objects of a serving process, kept out of CPython's cyclic garbage collector.

The API process holds, per analysis run, structures of hundreds of thousands of Python objects (the
read model of ranked lists, its filtered lists, the trust network and its path search). Every full
pass of the cyclic collector walked all of them, every few hundred requests: a pause that set the
API's tail latency (``bench/api.py``, one client, top-50 influencers: p99 87.2 ms before, 3.5 ms
after; docs/benchmarks.md). So a serving process collects the garbage of the moment and then
moves every surviving object into the collector's permanent generation (``gc.freeze``) after
start-up and after each such build. Reference counting still frees a replaced structure; only a
reference cycle among frozen objects outlives its last reference, which these structures do not
form.

Off by default: a process that builds and drops many apps and stores (a test session) would keep
their cycles. The API's lifespan turns it on (:func:`freeze_long_lived_builds`).
"""

from __future__ import annotations

import gc
import threading

_ENABLED = threading.Event()


def freeze_long_lived_builds(enabled: bool = True) -> None:
    """Turn on (or off) :func:`after_long_lived_build` for this process."""
    if enabled:
        _ENABLED.set()
    else:
        _ENABLED.clear()


def after_long_lived_build() -> None:
    """Called when a per-run structure has been built: :func:`keep_out_of_collections` if turned on."""
    if _ENABLED.is_set():
        keep_out_of_collections()


def keep_out_of_collections() -> None:
    """Collect the garbage of now, then freeze every surviving object (``gc.freeze``)."""
    gc.collect()
    gc.freeze()
