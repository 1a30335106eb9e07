"""A real Neo4j 5.26 server with Graph Data Science, run from Maven Central artifacts, without Docker.

The Maven module ``neo4j/`` at the repository root resolves Neo4j Community and the open-source
GDS library and compiles a small launcher (``Neo4jLauncher.java``) that starts the server in its
own JVM: Bolt on a free loopback port, authentication on, ``gds.*`` procedures allowed. The
launcher prints ``RAPPORT_NEO4J_READY bolt://…`` when Bolt accepts connections; :class:`LocalNeo4j`
waits for that line, and stops the JVM with SIGTERM (the launcher's shutdown hook closes the
databases). The JVM also stops when our end of its standard input closes, so a killed test run
leaves no JVM behind.

Used by the test suite (one server per run) and by ``make neo4j`` for a developer's local Neo4j.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from graph.errors import ConfigError, StoreUnavailable

MAVEN_MODULE = Path(__file__).resolve().parents[2] / "neo4j"
READY_PREFIX = "RAPPORT_NEO4J_READY "
HTTP_PREFIX = "RAPPORT_NEO4J_HTTP "


def build_launcher(module: Path = MAVEN_MODULE) -> Path:
    """Compile the launcher and resolve its jars (Maven's cache makes later runs fast).

    Returns the module's ``target`` directory. Rebuilt only when the POM or the launcher's source
    is newer than the last build.
    """
    target = module / "target"
    stamp = target / "classpath.txt"
    sources = [module / "pom.xml", *sorted((module / "src").rglob("*.java"))]
    if not (module / "pom.xml").exists():
        raise ConfigError(
            f"the Neo4j Maven module is missing: {module / 'pom.xml'} (a source checkout has it)"
        )
    if stamp.exists() and all(src.stat().st_mtime <= stamp.stat().st_mtime for src in sources):
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ConfigError("Maven (mvn) is needed to fetch Neo4j and GDS from Maven Central; install it")
    completed = subprocess.run(
        [mvn, "-q", "-B", "-f", str(module / "pom.xml"), "package"],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        tail = (completed.stdout + completed.stderr)[-2000:]
        raise StoreUnavailable(
            f"building the Neo4j launcher failed (mvn exit {completed.returncode}):\n{tail}"
        )
    return target


class LocalNeo4j:
    """One Neo4j server JVM and its home directory (data and logs kept between starts).

    Use as a context manager. ``uri`` is the Bolt address once :meth:`start` returns; the ``neo4j``
    user's password is set to ``password`` at every start.
    """

    def __init__(
        self,
        home: Path,
        *,
        password: str,
        bolt_port: int = 0,
        http_port: int | None = None,
        heap: str = "2g",
        pagecache_mb: int = 256,
        startup_timeout_s: float = 180.0,
    ) -> None:
        if len(password) < 8:  # Neo4j's own minimum; refused here before a JVM starts
            raise ConfigError("the local Neo4j's password must be at least 8 characters")
        self.home = Path(home).resolve()
        self.password = password
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.heap = heap
        self.pagecache_mb = pagecache_mb
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[str] | None = None
        self.uri: str | None = None
        self.http_uri: str | None = None
        self._output: list[str] = []

    def __enter__(self) -> LocalNeo4j:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _command(self, target: Path) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise ConfigError("Java 17 is needed to run the local Neo4j; install a JDK")
        classpath = os.pathsep.join([str(target / "classes"), (target / "classpath.txt").read_text().strip()])
        command = [
            java,
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-cp",
            classpath,
            "org.rapport.neo4j.Neo4jLauncher",
            "--home",
            str(self.home),
            "--password",
            self.password,
            "--plugins",
            str(target / "plugins"),
            "--bolt-port",
            str(self.bolt_port),
            "--pagecache",
            str(self.pagecache_mb),
            "--watch-stdin",
        ]
        if self.http_port is not None:
            command += ["--http-port", str(self.http_port)]
        return command

    def start(self) -> None:
        if self.process is not None:
            return
        target = build_launcher()
        self.home.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self._command(target),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop the JVM in order
        )
        ready = threading.Event()
        threading.Thread(target=self._follow_output, args=(ready,), daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout_s
        while not ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = "".join(self._output[-40:])
                self.stop()
                raise StoreUnavailable(f"the local Neo4j did not start:\n{output}")

    def _follow_output(self, ready: threading.Event) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self._output.append(line)
            del self._output[:-200]
            if line.startswith(READY_PREFIX):
                self.uri = line[len(READY_PREFIX) :].strip()
                if self.http_port is None:
                    ready.set()
            elif line.startswith(HTTP_PREFIX):
                self.http_uri = line[len(HTTP_PREFIX) :].strip()
                ready.set()

    def stop(self, timeout_s: float = 60.0) -> None:
        """SIGTERM the JVM and wait for its clean shutdown; SIGKILL only if it does not end in time."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(OSError):
            if process.stdin:
                process.stdin.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``make neo4j``: run a local Neo4j with GDS in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--home", type=Path, default=Path(".rapport-data/neo4j"))
    parser.add_argument("--password", default=os.environ.get("RAPPORT_NEO4J__PASSWORD", "rapport-local"))
    parser.add_argument("--bolt-port", type=int, default=7687)
    parser.add_argument("--http-port", type=int, default=7474)
    args = parser.parse_args(argv)
    server = LocalNeo4j(args.home, password=args.password, bolt_port=args.bolt_port, http_port=args.http_port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with server:
        print(
            f"Neo4j 5 with GDS at {server.uri} (user neo4j, password {args.password!r}); HTTP {server.http_uri}"
        )
        print(
            f"use it: RAPPORT_STORE=neo4j RAPPORT_NEO4J__URI={server.uri} RAPPORT_NEO4J__PASSWORD=…; Ctrl-C stops"
        )
        sys.stdout.flush()
        while not stop.wait(1.0):
            if server.process is None or server.process.poll() is not None:
                print("the Neo4j JVM ended", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
