"""``python -m cli``: the same program as the ``rapport`` console script."""

from cli.app import main

main()
