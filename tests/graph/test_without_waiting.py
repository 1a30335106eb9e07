"""Sections that must not wait (graph.inline): what raises WouldBlock there, and nothing elsewhere."""

from __future__ import annotations

import threading

import pytest

from graph.inline import WouldBlock, may_wait, waiting_for, without_waiting
from graph.model import Label
from graph.store import CypherGraphStore


def test_may_wait_raises_only_inside_a_section_that_must_not_wait() -> None:
    may_wait("the store")  # nothing outside
    with without_waiting(), pytest.raises(WouldBlock, match="the store"):
        may_wait("the store")
    may_wait("the store")  # the section ended, also after raising


def test_would_block_passes_through_except_exception() -> None:
    """The code between a wait and the caller that runs the read again may catch ``Exception``."""
    with without_waiting(), pytest.raises(WouldBlock):
        try:
            may_wait("a build")
        except Exception:  # noqa: BLE001 - what such code does
            pytest.fail("WouldBlock was caught as an error")


def test_a_lock_another_thread_holds_is_not_waited_for_inside() -> None:
    lock = threading.Lock()
    with without_waiting(), waiting_for(lock, "a build"):
        assert lock.locked()  # a free lock is taken as usual
    assert not lock.locked()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        with without_waiting(), pytest.raises(WouldBlock, match="a build"), waiting_for(lock, "a build"):
            pytest.fail("entered a lock another thread holds")
    finally:
        release.set()
        holder.join()
    with waiting_for(lock, "a build"):  # outside, it waits as `with lock:` does
        assert lock.locked()


def test_every_store_call_is_refused_inside_and_nothing_is_written(store: CypherGraphStore) -> None:
    with without_waiting():
        with pytest.raises(WouldBlock):
            store.upsert_nodes(Label.PROFILE, [{"id": "tw:inline", "handle": "inline"}])
        with pytest.raises(WouldBlock):
            store.run("api.read_view")
        with pytest.raises(WouldBlock):
            store.ping()
    assert store.get_node(Label.PROFILE, "tw:inline") is None
