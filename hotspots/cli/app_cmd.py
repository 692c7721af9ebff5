"""``hotspots app``: start the Streamlit app, bound to localhost by default.

The server is warmed as soon as it answers: one headless run of app.py with the default
settings (Streamlit's script health check, ``/_stcore/script-health-check``) imports the
package and fills the process-wide caches with the default analysis, map, badge and table,
so the first person to open the page gets the map from the cache instead of waiting for
the imports and the computation. That run has no browser and no session; the pages treat it
as the server's own (it shows nobody anything) and fill the caches as for an analyst.

Stopping: Streamlit runs in a process group of its own, so Ctrl-C in the terminal reaches only
this command, which then stops the whole group (:func:`stop_process_group`): SIGTERM to every
process of the group, a wait of :data:`STOP_TIMEOUT_S` seconds, SIGKILL to whatever is left.
SIGTERM and SIGHUP to this command do the same; on Linux the server also gets SIGTERM should
this command die without a chance to forward anything (``kill -9``). Map component folders
left by processes that ended (``<temp>/hotspots-map-<pid>-*``) are removed when the command
starts and after the server stopped (:mod:`hotspots.render.component_folder`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from hotspots.cli._basemap import resolve_basemap
from hotspots.cli._geo import GeographyOpt, base_geography, geography_config
from hotspots.cli._options import (
    BasemapCrsOpt,
    BasemapGridOpt,
    BasemapOpt,
    DbOpt,
    resolve_db,
)
from hotspots.core.config import OPENING
from hotspots.core.errors import InputSchemaError
from hotspots.store import StoreRef, open_store

__all__ = [
    "APP_FILE",
    "LOCAL_HOSTS",
    "OPENING",
    "STOP_TIMEOUT_S",
    "auth_environment",
    "local_url",
    "prepare_opening_bandwidth",
    "register",
    "run_server",
    "start_warm_up",
    "stop_process_group",
    "streamlit_command",
    "wait_until_up",
    "warm_up",
]

#: Seconds the server's processes get to end after SIGTERM before they are killed.
STOP_TIMEOUT_S = 10.0
#: Signals that stop the app (Ctrl-C, ``kill``, a closed terminal).
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

logger = logging.getLogger(__name__)

#: What Streamlit serves: the pages (hotspots/app/entry.py) behind the login gate, an
#: ``st.App`` in hotspots/app/server.py; both ship inside the package.
APP_FILE = Path(__file__).resolve().parents[1] / "app" / "server.py"
#: Addresses that keep the app on this machine.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


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
        # we print the URL ourselves; Streamlit's own banner asks an outside host for this
        # machine's address when bound to 0.0.0.0, and nothing may leave the machine unasked
        "--logger.hideWelcomeMessage",
        "true",
        "--client.toolbarMode",
        "minimal",
        "--global.developmentMode",
        "false",
        # the endpoint that warm_up calls: one headless run of the script
        "--server.scriptHealthCheckEnabled",
        "true",
        # no watching of source files: after every run of every session Streamlit walked
        # every loaded module's path (about 0.4 s of the event loop per run, the largest
        # cost of a meeting's sessions, benchmarks/app_load.py); served code does not change
        "--server.fileWatcherType",
        "none",
        # no full garbage collection after every run of every session (0.1 s each with the
        # analyses in memory); Python still collects as objects are allocated
        "--runner.postScriptGC",
        "false",
    ]


def local_url(host: str, port: int) -> str:
    """The URL this machine reaches the server at (``0.0.0.0`` and ``::`` via loopback)."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _direct() -> Any:
    """A URL opener that ignores HTTP(S)_PROXY: the server is on this machine."""
    import urllib.request  # noqa: PLC0415 (only the app command needs it)

    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def wait_until_up(url: str, *, timeout_s: float = 60.0) -> bool:
    """Poll ``{url}/_stcore/health`` until it answers 200; ``False`` after ``timeout_s`` s."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with _direct().open(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        time.sleep(0.2)
    return False


def warm_up(url: str, *, timeout_s: float = 120.0) -> bool:
    """Run the app once headless on the server at ``url`` (default settings) to fill its caches.

    Parameters
    ----------
    url
        Base URL of a running server started with :func:`streamlit_command`.
    timeout_s
        Longest wait for the run, seconds (Streamlit itself gives up after 60 s).

    Returns
    -------
    bool
        ``True`` when the run finished without an error; ``False`` otherwise (logged; the
        app then simply computes on the first visit).
    """
    started = time.perf_counter()
    try:
        with _direct().open(f"{url}/_stcore/script-health-check", timeout=timeout_s) as response:
            ok = response.status == 200
    except OSError as exc:  # refused, timed out, or an HTTP error (503: the run failed)
        logger.warning("warm-up of %s failed: %s", url, exc)
        return False
    logger.info("warm-up of %s took %.1f s", url, time.perf_counter() - started)
    return ok


def start_warm_up(url: str, *, on_ready: Callable[[bool], None] | None = None) -> threading.Thread:
    """Wait for the server at ``url`` and warm it (:func:`warm_up`) in a background thread.

    ``on_ready(ok)`` is called when the warm-up ended (``ok``: it ran without an error).
    """

    def run() -> None:
        ok = False
        if wait_until_up(url):
            ok = warm_up(url)
        else:
            logger.warning("warm-up: %s did not answer", url)
        if on_ready is not None:
            on_ready(ok)

    thread = threading.Thread(target=run, name="hotspots-warm-up", daemon=True)
    thread.start()
    return thread


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a member run by another user
        return True
    return True


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """In the child: get SIGTERM when the parent dies, however it dies (Linux only)."""
    import ctypes  # noqa: PLC0415 - Linux only, in the child

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_process_group(proc: subprocess.Popen[bytes], *, timeout_s: float = STOP_TIMEOUT_S) -> int:
    """Stop ``proc`` and every process of its group; the return code of ``proc``.

    SIGTERM goes to the whole group (Streamlit shuts down cleanly on it); after
    ``timeout_s`` seconds whatever still runs gets SIGKILL. The group is waited for until no
    member is left, so the port is free when this returns.

    Parameters
    ----------
    proc
        A process started as the leader of its own group (``start_new_session=True``).
    timeout_s
        Seconds between SIGTERM and SIGKILL.
    """
    if os.name != "posix":  # pragma: no cover - no process groups
        proc.terminate()
        try:
            return proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    code: int | None = None
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None and not _group_alive(pgid):
            return code
        time.sleep(0.05)
    logger.warning("the app did not stop within %.0f s; killing it", timeout_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    code = proc.wait()
    while _group_alive(pgid):  # members outside our reach to reap end with the kill
        time.sleep(0.05)
    return code


def run_server(
    cmd: list[str],
    *,
    env: dict[str, str],
    on_started: Callable[[], object] | None = None,
    timeout_s: float = STOP_TIMEOUT_S,
) -> int:
    """Run the server ``cmd`` in a process group of its own until it ends or is told to stop.

    Ctrl-C, SIGTERM and SIGHUP to this process stop the server's whole group
    (:func:`stop_process_group`); afterwards the map component folders of ended processes
    are removed.

    Parameters
    ----------
    cmd
        The command line (:func:`streamlit_command`).
    env
        Its environment.
    on_started
        Called once the process runs (the warm-up starts there).
    timeout_s
        Seconds between SIGTERM and SIGKILL.

    Returns
    -------
    int
        0 when stopped by a signal to this process; else the server's return code.
    """
    from hotspots.render.component_folder import remove_stale_folders  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    stop = threading.Event()
    main = threading.current_thread() is threading.main_thread()

    def on_signal(signum: int, frame: object) -> None:
        logger.info("signal %s: stopping the app", signum)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in _STOP_SIGNALS} if main else {}
    try:
        proc = subprocess.Popen(
            cmd,
            env=env,
            start_new_session=os.name == "posix",
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509 - only prctl, before exec
        )
        try:
            if on_started is not None:
                on_started()
            while not stop.is_set():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.2)
                    break
            code = stop_process_group(proc, timeout_s=timeout_s)
        except BaseException:
            stop_process_group(proc, timeout_s=timeout_s)
            raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        remove_stale_folders()
    return 0 if stop.is_set() else code


def prepare_opening_bandwidth(
    store: StoreRef, *, geography_config: Path | None = None
) -> float | None:
    """Tune the bandwidth of the app's opening settings into the store's tuning file.

    Done before the server starts, so that even the first visit to a just-started app
    finds the tuned bandwidth (:mod:`hotspots.forecast.tuning_cache`) instead of tuning for
    seconds. ``geography_config`` is the app's layers file (``--geography`` /
    ``HOTSPOTS_GEOGRAPHY``). ``None`` for an empty store; errors of the data are left to the
    app to show.
    """
    from hotspots.cli._geo import analysis_geography  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.core.errors import HotspotsError  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.forecast.tuning_cache import tuned_bandwidth  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.store import open_store  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    incidents = open_store(store).incidents()
    if not len(incidents):
        return None
    # the app offers urban / municipality where it has a geography, urban first
    geography = analysis_geography(
        incidents,
        metric_crs=incidents.crs.to_string(),
        config=geography_config,
        study_area=OPENING.study,
    )
    try:
        return tuned_bandwidth(
            store,
            incidents=incidents,
            geography=geography,
            kernel=OPENING.kernel,
            cell_m=float(OPENING.cell_m),
            categories=None,
        )
    except HotspotsError as exc:
        logger.info("no opening bandwidth tuned: %s", exc)
        return None


def auth_environment(
    store: StoreRef,
    *,
    host: str,
    auth: str | None,
    session_minutes: float,
    proxy_roles: list[str],
    proxy_headers: tuple[str, str],
) -> dict[str, str]:
    """The server's login settings (environment variables read by :mod:`hotspots.app.serving`).

    Raises
    ------
    InputSchemaError
        For a host other than this machine without accounts or proxy authentication, an
        unknown mode, ``--auth accounts`` without an active account, or ``--auth proxy``
        without a group mapped to a role.
    """
    from hotspots.access import auth_env  # noqa: PLC0415 - loaded when used, so --help stays fast
    from hotspots.access.roles import parse_proxy_roles  # noqa: PLC0415 - loaded when used, so --help stays fast
    from hotspots.access.sessions import AUTH_MODES  # noqa: PLC0415 - loaded when used, so --help stays fast

    active = 0
    if store.exists():
        users = store.users()
        active = int((users["disabled"].fillna(0).astype(int) == 0).sum()) if len(users) else 0
    mode = (auth or ("accounts" if active else "none")).strip().lower()
    if mode not in AUTH_MODES:
        msg = f"--auth {auth!r}: use accounts, proxy or none"
        raise InputSchemaError(msg)
    if mode == "accounts" and not active:
        msg = (
            "--auth accounts: the store has no active account; create one with "
            "`hotspots users add NAME --role admin`"
        )
        raise InputSchemaError(msg)
    roles = parse_proxy_roles(",".join(proxy_roles))
    if mode == "proxy" and not roles:
        msg = "--auth proxy: map at least one proxy group to a role with --proxy-role GROUP=ROLE"
        raise InputSchemaError(msg)
    if host not in LOCAL_HOSTS and mode == "none":
        msg = (
            f"--host {host}: serving beyond this machine needs accounts (`hotspots users add "
            "NAME --role ROLE`) or --auth proxy; nothing was started"
        )
        raise InputSchemaError(msg)
    if session_minutes <= 0:
        msg = f"--session-minutes {session_minutes}: give a positive number of minutes"
        raise InputSchemaError(msg)
    return {
        auth_env.AUTH_ENV: mode,
        auth_env.SESSION_MINUTES_ENV: str(session_minutes),
        auth_env.PROXY_ROLES_ENV: ",".join(f"{g}={r}" for g, r in roles.items()),
        auth_env.PROXY_USER_HEADER_ENV: proxy_headers[0],
        auth_env.PROXY_GROUPS_HEADER_ENV: proxy_headers[1],
    }


def register(app: typer.Typer) -> None:
    """Add the ``app`` command to ``app``."""

    @app.command("app")
    def run_app(  # noqa: PLR0917 (a Typer command takes its options as parameters)
        db: DbOpt = None,
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8501,
        host: Annotated[
            str,
            typer.Option("--host", help="Address to bind; 127.0.0.1 keeps it on this machine."),
        ] = "127.0.0.1",
        auth: Annotated[
            str | None,
            typer.Option(
                "--auth",
                help="Who may log in: accounts (the store's accounts, `hotspots users add`), "
                "proxy (an authenticating reverse proxy on this machine sends the user and "
                "groups in headers) or none (only this machine, no login). Default: accounts "
                "when the store has any, else none.",
            ),
        ] = None,
        session_minutes: Annotated[
            float,
            typer.Option("--session-minutes", help="A session ends after this many idle minutes."),
        ] = 30.0,
        proxy_role: Annotated[
            list[str] | None,
            typer.Option(
                "--proxy-role",
                help="With --auth proxy: GROUP=ROLE, a proxy group and the role it gives "
                "(repeat for each group).",
            ),
        ] = None,
        proxy_user_header: Annotated[
            str,
            typer.Option("--proxy-user-header", help="With --auth proxy: the user's header."),
        ] = "X-Forwarded-User",
        proxy_groups_header: Annotated[
            str,
            typer.Option("--proxy-groups-header", help="With --auth proxy: the groups' header."),
        ] = "X-Forwarded-Groups",
        tiles: Annotated[
            str | None,
            typer.Option("--tiles", help="Basemap: none (default), osm or a tile URL template."),
        ] = None,
        basemap: BasemapOpt = None,
        basemap_crs: BasemapCrsOpt = None,
        basemap_grid: BasemapGridOpt = None,
        geography_file: GeographyOpt = None,
        frame_log: Annotated[
            Path | None,
            typer.Option(
                "--frame-log",
                help="For load measurements: write when each websocket frame and login was "
                "received and sent, with its size, to FILE (JSON lines; no content, no tokens).",
            ),
        ] = None,
    ) -> None:
        """Start the app (Streamlit) on http://HOST:PORT with the store at --db."""
        from hotspots.demo.store import ensure_demo_store  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.render.leaflet import resolve_tiles  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        if not 1 <= port <= 65535:
            msg = f"--port: {port} is not a port number (1-65535)"
            raise InputSchemaError(msg)
        if not APP_FILE.is_file():
            msg = f"the app's pages are missing ({APP_FILE}); reinstall hotspots"
            raise InputSchemaError(msg)
        from hotspots.render.component_folder import remove_stale_folders  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        remove_stale_folders()  # left by app processes that were killed
        env = dict(os.environ)
        ref = resolve_db(db)
        store = open_store(ref.resolve() if isinstance(ref, Path) else ref)
        env["HOTSPOTS_DB"] = str(store)
        if tiles is not None:
            resolve_tiles(tiles)
            env["HOTSPOTS_TILES"] = tiles
        # the grid of a basemap not in Web Mercator is read here, once (not by every page)
        env["HOTSPOTS_BASEMAP"], env["HOTSPOTS_BASEMAP_GRID"] = resolve_basemap(
            basemap, crs=basemap_crs, grid=basemap_grid
        )
        layers = geography_config(geography_file)
        if layers is not None:  # read once here, so a bad file stops with its message
            layers = layers.resolve()
            base_geography(layers, metric_crs="EPSG:3006")
            env["HOTSPOTS_GEOGRAPHY"] = str(layers)
        env.update(
            auth_environment(
                store,
                host=host,
                auth=auth,
                session_minutes=session_minutes,
                proxy_roles=proxy_role or [],
                proxy_headers=(proxy_user_header, proxy_groups_header),
            )
        )
        if frame_log is not None:
            from hotspots.access import auth_env  # noqa: PLC0415 - loaded when used, so --help stays fast

            env[auth_env.FRAME_LOG_ENV] = str(frame_log.resolve())
        if not store.occupied():  # only a path where nothing is yet gets the demo data
            typer.echo(f"first run: filling the new store {store} with synthetic demo data ...")
            ensure_demo_store(store)
        elif not store.exists():
            msg = f"--db {store}: no store there yet; import data with `hotspots import FILE`"
            raise InputSchemaError(msg)
        typer.echo("tuning the bandwidth of the opening map (once per data version) ...")
        prepare_opening_bandwidth(store, geography_config=layers)
        typer.echo(f"hotspots app on http://{host}:{port} (store {store}); warming up ...")
        typer.echo("stop it with Ctrl-C (or SIGTERM): the server and its processes end", err=True)
        cmd = streamlit_command(app_file=APP_FILE, host=host, port=port)

        def ready(ok: bool) -> None:
            state = "ready" if ok else "started (warm-up failed; the first visit computes)"
            typer.echo(f"hotspots app {state}: http://{host}:{port}")

        returncode = run_server(
            cmd, env=env, on_started=lambda: start_warm_up(local_url(host, port), on_ready=ready)
        )
        typer.echo("hotspots app stopped", err=True)
        if returncode not in (0, -2, -15, 130, 143):
            raise typer.Exit(returncode)
