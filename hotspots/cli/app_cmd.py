"""``hotspots app``: start the Streamlit app, bound to localhost by default."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from hotspots._errors import InputSchemaError
from hotspots.cli._options import DbOpt, resolve_db

__all__ = ["APP_FILE", "register", "streamlit_command"]

logger = logging.getLogger(__name__)

#: app.py at the root of the project (beside the package).
APP_FILE = Path(__file__).resolve().parents[2] / "app.py"


def streamlit_command(*, app_file: Path, host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line: headless, no telemetry, minimal toolbar."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_file),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--global.developmentMode",
        "false",
    ]


def register(app: typer.Typer) -> None:
    """Add the ``app`` command to ``app``."""

    @app.command("app")
    def run_app(
        db: DbOpt = None,
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8501,
        host: Annotated[
            str,
            typer.Option("--host", help="Address to bind; 127.0.0.1 keeps it on this machine."),
        ] = "127.0.0.1",
        password_env: Annotated[
            str | None,
            typer.Option(
                "--password-env",
                help="Name of an environment variable holding the app password "
                "(copied to HOTSPOTS_PASSWORD for the app).",
            ),
        ] = None,
        tiles: Annotated[
            str | None,
            typer.Option("--tiles", help="Basemap: none (default), osm or a tile URL template."),
        ] = None,
    ) -> None:
        """Start the app (Streamlit) on http://HOST:PORT with the store at --db."""
        from hotspots.demo_store import ensure_demo_store  # noqa: PLC0415
        from hotspots.mapping import resolve_tiles  # noqa: PLC0415

        if not 1 <= port <= 65535:
            msg = f"--port: {port} is not a port number (1-65535)"
            raise InputSchemaError(msg)
        if not APP_FILE.is_file():
            msg = f"app.py not found at {APP_FILE}; run from a checkout of the project"
            raise InputSchemaError(msg)
        env = dict(os.environ)
        store = resolve_db(db).resolve()
        env["HOTSPOTS_DB"] = str(store)
        if tiles is not None:
            resolve_tiles(tiles)
            env["HOTSPOTS_TILES"] = tiles
        if password_env is not None:
            secret = os.environ.get(password_env)
            if not secret:
                msg = f"--password-env: environment variable {password_env} is not set or empty"
                raise InputSchemaError(msg)
            env["HOTSPOTS_PASSWORD"] = secret
        if host not in ("127.0.0.1", "localhost", "::1") and not env.get("HOTSPOTS_PASSWORD"):
            typer.echo(
                f"warning: serving on {host} without a password; set --password-env",
                err=True,
            )
        if not store.exists():
            store.parent.mkdir(parents=True, exist_ok=True)
            typer.echo(f"first run: filling {store} with the demo data ...")
            ensure_demo_store(store)
        typer.echo(f"hotspots app on http://{host}:{port} (store {store})")
        cmd = streamlit_command(app_file=APP_FILE, host=host, port=port)
        completed = subprocess.run(cmd, env=env, check=False)
        if completed.returncode not in (0, -2, 130):
            raise typer.Exit(completed.returncode)
