"""The ``rapport`` command line: arguments in, one use case called, a table or JSON out.

``cli.app`` is the entry point (``rapport = "cli.app:main"``); it lists every command by name and
help line and imports a command's module (``cli/commands/<name>.py``) only when that command runs,
so a one-line command pays for its own imports only. The shared pieces are small and single-purpose:
:mod:`cli.exit_codes` (Rapport errors to one line and an exit code, once), :mod:`cli.output` (the
two consoles and row printing), :mod:`cli.options` (``--data-dir`` and the settings it selects) and
:mod:`cli.process` (the one process-wide change a command makes: SIGTERM closes the store).
"""
