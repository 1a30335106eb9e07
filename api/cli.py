"""The ``rapport`` command line.

Every command opens the configured store through :func:`graph.store.open_store` (starting the
embedded FalkorDB server when that is the store) and closes it on exit, on Ctrl-C and on
SIGTERM, so no server process outlives the command. Errors from :mod:`graph.errors` are
printed as one line and mapped to exit codes here, once.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from graph import errors
from graph.config import Settings, load_settings

app = typer.Typer(
    name="rapport",
    help="Rapport: a graph engine for customer relationships and influence (Social CRM).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True, soft_wrap=True)
stdout = Console(soft_wrap=True)

EXIT_CODES: list[tuple[type[errors.RapportError], int]] = [
    (errors.CorruptInput, 6),  # before InvalidInput, its base
    (errors.InvalidInput, 2),
    (errors.ConfigError, 3),
    (errors.NotFound, 4),
    (errors.Conflict, 5),
    (errors.StoreUnavailable, 69),  # EX_UNAVAILABLE
    (errors.StoreError, 65),
]

F = TypeVar("F", bound=Callable[..., Any])


def _exit_code(exc: errors.RapportError) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 1)


def reports_errors(command: F) -> F:
    """Print a Rapport error as one line (no traceback) and exit with its code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except errors.RapportError as exc:
            console.print(f"[bold red]error[/]: {exc}", highlight=False)
            raise typer.Exit(_exit_code(exc)) from None
        except KeyboardInterrupt:
            console.print("interrupted; everything was stopped cleanly")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _terminate_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so ``with`` blocks close the store (and its server)."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def return_freed_memory_promptly(threshold_bytes: int = 1 << 20) -> bool:
    """Have glibc's malloc serve blocks of ``threshold_bytes`` or more by ``mmap``, so freeing one gives it back.

    By default glibc raises its mmap threshold whenever such a block is freed (up to 32 MiB); after
    that the analysis' arrays (tens of MB each, made and dropped stage after stage) come from the
    heap and stay resident when freed. A fixed threshold turns that adjustment off: at 1M edges the
    analysis process peaked ~135 MB lower (``bench/analyze.py``). Process-wide (``mallopt``), so only
    an entry point calls it. Returns False where the C library has no ``mallopt`` (not glibc).
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    m_mmap_threshold = -3  # <malloc.h>
    return bool(mallopt(m_mmap_threshold, threshold_bytes))


def settings_from(data_dir: Path | None) -> Settings:
    return load_settings(**({"data_dir": data_dir} if data_dir else {}))


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Embedded store's data directory (default: RAPPORT_DATA_DIR or user dir)"
    ),
]


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def print_rows(rows: list[dict[str, Any]], *, as_json: bool) -> None:
    if as_json:
        stdout.out(json.dumps(rows, ensure_ascii=False, default=str), highlight=False)
        return
    table = Table(show_lines=False)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row[c]) for c in columns))
    stdout.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def _parse_params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.isidentifier():
            raise errors.InvalidInput(f"--param expects name=value, got {pair!r}")
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    return params


@app.command()
@reports_errors
def cypher(
    statement: Annotated[str | None, typer.Argument(help="One Cypher statement (or --file)")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="A .cypher file, run as the Neo4j Browser runs it (its :param lines)"
        ),
    ] = None,
    param: Annotated[list[str], typer.Option("--param", "-p", help="name=value (JSON or text)")] = [],  # noqa: B006
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of row objects")] = False,
    write: Annotated[bool, typer.Option("--write", help="Allow the statement to write")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Run one Cypher statement on the configured store and print its rows (read-only by default).

    With --file, the file's `:param name => value` lines set its parameters, as in the Neo4j Browser;
    -p overrides them.
    """
    from graph.catalogue import read_cypher_file
    from graph.store import open_store

    _terminate_on_sigterm()
    if (statement is None) == (file is None):
        raise errors.InvalidInput("give one Cypher statement or --file FILE, not both and not neither")
    params = _parse_params(param)
    source = read_cypher_file(file) if file is not None else None
    with open_store(settings_from(data_dir)) as store:
        try:
            if source is not None:
                rows = store.run_file(source, params, write=write)
            else:
                rows = store.execute_text(str(statement), params, write=write)
        except errors.ReadOnlyViolation:
            raise errors.ReadOnlyViolation(
                "this statement writes; add --write to allow writes through `rapport cypher`"
            ) from None
    print_rows(rows, as_json=as_json)


@app.command()
@reports_errors
def status(data_dir: DataDirOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the store in use and how many nodes and relationships it holds."""
    from graph.store import open_store

    _terminate_on_sigterm()
    settings = settings_from(data_dir)
    with open_store(settings) as store:
        counts = store.counts()
    rows = [{"kind": "node", "name": k, "count": v} for k, v in counts.nodes.items()]
    rows += [{"kind": "relationship", "name": k, "count": v} for k, v in counts.relationships.items()]
    if not as_json:
        console.print(
            f"store: {settings.store.value}"
            + (
                f" (embedded, data in {settings.data_dir})"
                if settings.store == "falkordb" and not settings.falkordb.url
                else ""
            )
        )
    print_rows(rows, as_json=as_json)


@app.command()
@reports_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default RAPPORT_API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default RAPPORT_API_PORT)")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="API worker processes sharing one store")] = 1,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the HTTP API and the web console (console at /console, docs at /docs) on the configured store."""
    from graph.store import open_store

    _terminate_on_sigterm()  # uvicorn handles SIGTERM while serving; this covers start-up and shutdown
    settings = settings_from(data_dir)
    with open_store(settings) as store:
        if workers == 1:
            run_api(settings, store, host=host, port=port)
        else:
            run_api_workers(settings, store, workers, host=host, port=port)


def run_api(settings: Settings, store: Any, *, host: str | None = None, port: int | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM (uvicorn handles both and returns)."""
    import uvicorn

    from api.main import create_app

    application = create_app(settings, store=store)
    config = uvicorn.Config(
        application,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    server.run()


def run_api_workers(
    settings: Settings, store: Any, workers: int, *, host: str | None = None, port: int | None = None
) -> None:
    """Serve with ``workers`` uvicorn processes; this process keeps owning the store.

    Each worker builds ``api.main:app`` from the environment, so the settings travel there: the
    embedded FalkorDB is reached through its unix socket (the workers never start a server), and
    Neo4j through its URI as configured.
    """
    import os

    import uvicorn

    server = getattr(store.engine, "server", None)
    if server is not None:
        os.environ["RAPPORT_FALKORDB__URL"] = f"unix://{server.socket_path}"
        os.environ["RAPPORT_FALKORDB__GRAPH"] = store.engine.graph_name
    from api.key_store import key_file_of

    os.environ["RAPPORT_API_KEYS"] = json.dumps(
        [
            {"key": k.key.get_secret_value(), "role": k.role, "name": k.name}
            if k.key is not None
            else {"key_id": k.key_id, "key_hash": k.key_hash, "role": k.role, "name": k.name}
            for k in settings.api_keys
        ]
    )
    os.environ["RAPPORT_API_KEY_FILE"] = str(key_file_of(settings))
    uvicorn.run(
        "api.main:app",
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@app.command()
@reports_errors
def demo(
    port: Annotated[int | None, typer.Option(help="API port (default RAPPORT_API_PORT, 8000)")] = None,
    data_dir: DataDirOption = None,
    serve_api: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the API afterwards")] = True,
) -> None:
    """Load the generated demo data set into the embedded store, then serve the API."""
    from api.demo import run_demo

    settings = settings_from(data_dir or Path(".rapport-data"))
    run_demo(settings, port=port, serve_api=serve_api, console=console)


def _register_commands() -> None:
    """Commands that live in their own modules (api/commands/<name>.py) add themselves here."""
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"api.commands.{name}").register(app, reports_errors=reports_errors)


# Each module defines ``register(app, *, reports_errors)`` adding its typer command(s).
COMMAND_MODULES: tuple[str, ...] = (
    "ingest",
    "analyze",
    "outreach",
    "identity",
    "sync",
    "keys",
    "alerts",
    "export",
)


def main() -> None:
    _register_commands()
    app(prog_name="rapport")


if __name__ == "__main__":
    sys.exit(main())
