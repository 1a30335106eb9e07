"""``spark-submit scaleout/submit.py [options]``: ``rapport analyze --engine spark [options]`` as a
Spark application (spark-submit runs a Python file; its ``--master`` and ``--jars`` then apply)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    from api.cli import main as rapport

    sys.argv = ["rapport", "analyze", "--engine", "spark", *argv]
    rapport()


if __name__ == "__main__":
    main(sys.argv[1:])
