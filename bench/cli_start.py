"""Benchmark how long a one-line command takes: ``rapport cypher "RETURN 1"`` against a running API.

Loads and analyses the generated demo world into a fresh data directory (``rapport demo --no-serve``),
starts ``rapport serve`` on it (the server owns the embedded store; the command uses that server,
issue #17 item 4), then runs the command ``--runs`` times one after another and prints the wall time
of each whole process (interpreter start, imports, connect, query, print, exit), next to
``python -c pass`` and ``rapport --help`` as the floor. With ``--before DIR`` (an export of an
earlier commit, e.g. ``git archive main | tar -x -C DIR``) the same commands of that tree run
interleaved with this tree's, against the same server, so both see the same machine load.

    .venv/bin/python bench/cli_start.py              # ~1 min on 2 cores (the demo load dominates)
    .venv/bin/python bench/cli_start.py --runs 20 --before /tmp/rapport-main
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
RAPPORT = Path(sys.executable).with_name("rapport")


class Tree(NamedTuple):
    label: str
    root: Path

    def command(self, *args: str) -> list[str]:
        """``python -m <entry> ARGS`` of this tree (the CLI's module moved from api.cli to cli)."""
        entry = "cli" if (self.root / "cli" / "app.py").exists() else "api.cli"
        return [sys.executable, "-m", entry, *args]

    def env(self, base: dict[str, str]) -> dict[str, str]:
        return {**base, "PYTHONPATH": str(self.root)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen[bytes], timeout_s: float = 120.0) -> None:
    """Poll /health until the API answers (readiness, not a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"rapport serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise SystemExit(f"rapport serve did not answer {url} within {timeout_s:.0f} s")


def wall_time(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", type=Path, help="an earlier tree to run interleaved with this one")
    args = parser.parse_args()
    trees = [Tree("this tree", ROOT)]
    if args.before is not None:
        trees.insert(0, Tree(f"before ({args.before})", args.before.resolve()))
    env = {**os.environ, "RAPPORT_STORE": "falkordb"}
    env.pop("RAPPORT_FALKORDB__URL", None)
    with tempfile.TemporaryDirectory(prefix="rapport-cli-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        subprocess.run(
            [str(RAPPORT), "demo", "--no-serve", "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = subprocess.Popen(
            [str(RAPPORT), "serve", "--data-dir", str(data_dir), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}/health", server)
            cases = [("python -c pass", [sys.executable, "-c", "pass"], ROOT, env)]
            for tree in trees:
                cases += [
                    (f"{tree.label}: rapport --help", tree.command("--help"), tree.root, tree.env(env)),
                    (
                        f'{tree.label}: rapport cypher "RETURN 1"',
                        tree.command("cypher", "RETURN 1", "--data-dir", str(data_dir)),
                        tree.root,
                        tree.env(env),
                    ),
                ]
            times: dict[str, list[float]] = {name: [] for name, *_ in cases}
            for _ in range(args.runs):  # interleaved: every case once per round
                for name, command, cwd, case_env in cases:
                    times[name].append(wall_time(command, cwd, case_env))
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(f"wall time per process, {args.runs} runs each, interleaved; demo store served by `rapport serve`")
    width = max(len(name) for name in times) + 2
    print(f"{'command':<{width}} {'min s':>7} {'median s':>9} {'max s':>7}")
    for name, values in times.items():
        print(f"{name:<{width}} {min(values):>7.2f} {statistics.median(values):>9.2f} {max(values):>7.2f}")


if __name__ == "__main__":
    main()
