"""Which process owns a long-running job recorded in the store, and whether it is still alive.

An analysis run is marked ``running`` in the store when it starts and ``succeeded``/``failed``
when it ends; a process killed in between (``kill -9``, a crash, a SIGTERM that cut the clean-up
short, a reboot) leaves it ``running`` for ever. So a run records its owner: host name, kernel
boot id with the pid namespace, pid and the process's start time (``/proc/<pid>/stat`` field 22, clock ticks since boot).
A later start on the **same host** can then tell for sure whether that owner still runs: the
pid must exist and have the recorded start time (a reused pid has another), on the same boot.

Owners on another host (the API in a container, a CLI on a laptop against a shared Neo4j) cannot
be checked from here; for those the caller falls back to an age limit.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Owner:
    host: str
    boot: str
    pid: int
    started: int  # process start time in clock ticks since boot (0 where /proc is absent)

    def as_properties(self) -> dict[str, Any]:
        """The owner as primitive node properties (``owner_host``, ``owner_boot``, ...)."""
        return {
            "owner_host": self.host,
            "owner_boot": self.boot,
            "owner_pid": self.pid,
            "owner_started": self.started,
        }

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}"


def _boot_id() -> str:
    """The kernel's boot id and this pid namespace: pids are comparable only within both."""
    with contextlib.suppress(OSError):
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink("/proc/self/ns/pid")
        return f"{boot}/{namespace}"
    return ""


def _start_ticks(pid: int) -> int | None:
    """The start time of ``pid`` (clock ticks since boot), or None when no such process exists.

    ``0`` where ``/proc`` is absent (not Linux) but the process exists.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        stat = ""
    if stat:
        fields = stat.rsplit(")", 1)[1].split()  # the name, in parentheses, may hold spaces
        if fields[0] == "Z":  # a zombie has finished; only its exit status is left
            return None
        return int(fields[19])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return 0


def owner_of(pid: int) -> Owner:
    """The :class:`Owner` identity of a process of this host (this process by default, see :func:`this_process`)."""
    return Owner(socket.gethostname(), _boot_id(), pid, _start_ticks(pid) or 0)


def this_process() -> Owner:
    return owner_of(os.getpid())


def owner_from(properties: Mapping[str, Any]) -> Owner | None:
    """The owner recorded in node properties, or None for a record that has none (older runs)."""
    try:
        return Owner(
            str(properties["owner_host"]),
            str(properties["owner_boot"]),
            int(properties["owner_pid"]),
            int(properties["owner_started"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def is_gone(owner: Owner) -> bool | None:
    """True when ``owner`` surely no longer runs, False when it surely does, None when unknowable here
    (another host)."""
    if owner.host != socket.gethostname():
        return None
    if owner.boot != _boot_id():
        their_boot, mine = owner.boot.split("/")[0], _boot_id().split("/")[0]
        # another boot: every process of the old one is gone; same boot, another pid namespace
        # (a container with the same host name): its pids mean nothing here
        return True if their_boot and mine and their_boot != mine else None
    started = _start_ticks(owner.pid)
    if started is None:
        return True
    return bool(owner.started and started and started != owner.started)  # the pid was reused
