"""A Neo4j that goes away mid-session is reported within ``max_retry_seconds``, not the driver's 30 s.

The engine talks to the real test Neo4j through a loopback TCP relay; closing the relay (its listening
socket and every connection through it) is the server dying, as the engine sees it, without stopping
the server the other tests share.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlparse

import pytest

from graph.engines.base import WriteSummary
from graph.engines.neo4j import Neo4jEngine
from graph.errors import StoreUnavailable
from graph.model import Label
from graph.store import CypherGraphStore, prepare_writes
from graph.writes import GraphWrites


@contextmanager
def relay(target_host: str, target_port: int) -> Iterator[tuple[int, Callable[[], None]]]:
    """Forward a free loopback port to the target; yields the port and ``cut()``, which closes the
    listening socket and every connection through it before it returns."""
    listener = socket.create_server(("127.0.0.1", 0))
    opened: list[socket.socket] = []
    lock = threading.Lock()

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def accept() -> None:
        with suppress(OSError):
            while True:
                client, _ = listener.accept()
                server = socket.create_connection((target_host, target_port))
                with lock:
                    opened.extend((client, server))
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=pump, args=(a, b), daemon=True).start()

    def cut() -> None:
        with suppress(OSError):  # shutdown wakes the accept() blocked on it (close alone would not)
            listener.shutdown(socket.SHUT_RDWR)
        with suppress(OSError):
            listener.close()
        with lock:
            for end in opened:
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1], cut
    finally:
        cut()


@contextmanager
def relayed(
    neo4j_server, retry_seconds: float, engine_class: type[Neo4jEngine] = Neo4jEngine
) -> Iterator[tuple[Neo4jEngine, Callable[[], None]]]:
    """An engine of ``engine_class`` reaching the test Neo4j through :func:`relay`, and ``cut()``."""
    target = urlparse(neo4j_server.uri)
    with relay(target.hostname or "127.0.0.1", target.port or 7687) as (port, cut):
        engine = engine_class(
            uri=f"bolt://127.0.0.1:{port}",
            user=neo4j_server.user,
            password=neo4j_server.password,
            max_retry_seconds=retry_seconds,
        )
        try:
            yield engine, cut
        finally:
            engine.close()


def test_a_lost_server_is_reported_within_the_retry_time(neo4j_server) -> None:
    retry_seconds = 1.0  # with the default, 30 s, the write is retried for 30 s before it is reported
    with relayed(neo4j_server, retry_seconds) as (engine, cut):
        assert engine.read("RETURN 1 AS one") == [{"one": 1}]
        cut()
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            engine.write("CREATE (:RetryProbe {at: timestamp()})")
        waited = time.monotonic() - started
    assert waited < retry_seconds + 10, f"reported after {waited:.1f} s"


class _CountingEngine(Neo4jEngine):
    """The real engine, counting the statements it is asked to write (each one a transaction the
    driver retries until ``max_retry_seconds`` when the server is gone)."""

    def __init__(self, **settings: object) -> None:
        super().__init__(**settings)  # type: ignore[arg-type]
        self.writes_tried = 0

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        self.writes_tried += 1
        return super().write(query, params)


def test_a_batch_whose_server_went_away_is_not_followed_by_the_data_token_write(neo4j_server) -> None:
    """A failed batch still renews the data token, except when the server is gone: that write would
    be retried for the whole retry time again, so an ingest whose Neo4j died reported it after twice
    ``max_retry_seconds`` (60 s with the default)."""
    writes = GraphWrites()
    writes.add_node_properties(Label.PROFILE, {"id": "tw:cut-off", "platform": "twitter"})
    with relayed(neo4j_server, 0.5, _CountingEngine) as (engine, cut):
        assert engine.read("RETURN 1 AS one") == [{"one": 1}]
        cut()
        with pytest.raises(StoreUnavailable):
            CypherGraphStore(engine).apply(prepare_writes(writes, kind="neo4j"))
    assert isinstance(engine, _CountingEngine)
    assert engine.writes_tried == 1, "the data token write was tried after the server had gone"
