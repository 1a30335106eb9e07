"""A Neo4j that goes away mid-session is reported within ``max_retry_seconds``, not the driver's 30 s.

The engine talks to the real test Neo4j through a loopback TCP relay; closing the relay (its listening
socket and every connection through it) is the server dying, as the engine sees it, without stopping
the server the other tests share.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlparse

import pytest

from graph.engines.neo4j import Neo4jEngine
from graph.errors import StoreUnavailable


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


def test_a_lost_server_is_reported_within_the_retry_time(neo4j_server) -> None:
    retry_seconds = 1.0  # with the default, 30 s, the write is retried for 30 s before it is reported
    target = urlparse(neo4j_server.uri)
    with relay(target.hostname or "127.0.0.1", target.port or 7687) as (port, cut):
        engine = Neo4jEngine(
            uri=f"bolt://127.0.0.1:{port}",
            user=neo4j_server.user,
            password=neo4j_server.password,
            max_retry_seconds=retry_seconds,
        )
        try:
            assert engine.read("RETURN 1 AS one") == [{"one": 1}]
            cut()
            started = time.monotonic()
            with pytest.raises(StoreUnavailable):
                engine.write("CREATE (:RetryProbe {at: timestamp()})")
            waited = time.monotonic() - started
        finally:
            engine.close()
    assert waited < retry_seconds + 10, f"reported after {waited:.1f} s"
