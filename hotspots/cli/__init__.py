"""The ``hotspots`` command line: one Typer app whose commands only compose the package.

Exit codes (README, Command line): 0 on success, 2 on bad input or arguments (one message on
stderr, no traceback), 1 on an internal error.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence

import click
import typer

from hotspots.core.errors import HotspotsError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="hotspots",
    help="Hotspots of violence, unsafe places and drug/alcohol crime; patrol plans; EST lägesbild.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One module per command (or group of commands); each exposes ``register(app)``.
_COMMAND_MODULES: tuple[str, ...] = (
    "import_cmd",
    "demo_cmd",
    "detect_cmd",
    "plan_cmd",
    "evaluate_cmd",
    "snapshot_cmd",
    "report_cmd",
    "actions_cmd",
    "app_cmd",
    "db_cmd",
    "users_cmd",
    "geocode_cmd",
    "geography_cmd",
    "nearrepeat_cmd",
    "tracks_cmd",
    "dosage_cmd",
)

for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"hotspots.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command still being written: leave it out
        if _exc.name != f"hotspots.cli.{_name}":
            raise
        continue
    _module.register(app)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code.

    Errors the package raises on purpose (:class:`~hotspots.HotspotsError`) print one line on
    stderr and give 2; anything else prints ``internal error`` (and the traceback when
    ``HOTSPOTS_DEBUG`` is set) and gives 1.
    """
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="hotspots", standalone_mode=False)
        if isinstance(result, int) and result:  # typer.Exit(n) comes back as a return value
            return result
    except HotspotsError as exc:
        typer.echo(f"hotspots: error: {exc}", err=True)
        return 2
    except typer.Abort:
        typer.echo("hotspots: aborted", err=True)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except click.ClickException as exc:  # usage errors: unknown command or option, bad value
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"hotspots: error: {exc.format_message()}", err=True)
        return 2 if exc.exit_code in (1, 2) else int(exc.exit_code)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    except Exception as exc:
        if os.environ.get("HOTSPOTS_DEBUG"):
            traceback.print_exc()
        typer.echo(
            f"hotspots: internal error: {type(exc).__name__}: {exc} "
            "(set HOTSPOTS_DEBUG=1 for the traceback)",
            err=True,
        )
        return 1
    return 0


def main() -> None:
    """Entry point of the ``hotspots`` console script: :func:`run`, then exit with its code.

    Raises
    ------
    SystemExit
        Always, with the exit code of :func:`run` (a program that embeds the CLI can catch
        it; the interpreter's normal exit runs atexit handlers and flushes the streams).
    """
    raise SystemExit(run())
