"""``spark-submit cli/spark_submit.py [options]``: ``rapport analyze --engine spark [options]`` as a
Spark application (spark-submit runs a Python file; its ``--master`` and ``--jars`` then apply).

Rapport must be installed in the driver's Python (``pip install '.[spark]'``): spark-submit puts this
file's directory, not the repository, on ``sys.path``.
"""

from __future__ import annotations

import sys

from cli.app import main as rapport


def main(argv: list[str]) -> None:
    rapport(["analyze", "--engine", "spark", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
