"""Real ``hotspots app`` servers, the demo store and chromium, shared by the browser tests.

Starting a server costs seconds (the opening map is tuned and the app warmed before it says
``hotspots app ready``), and so does launching chromium; the fixtures in ``conftest.py`` use
these helpers to make the demo store once per session (copied where a test writes to it), to
run one server per set of settings, and to launch one browser per session (a new context per
test). A test that changes a store gets its own copy of it, and its own server.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Debian's chromium, which the browser tests drive (scripts/test.sh installs it as root).
CHROMIUM = Path("/usr/bin/chromium")
#: Why a browser test is skipped where chromium is absent.
NO_CHROMIUM = (
    "/usr/bin/chromium is absent: install Debian's chromium "
    "(apt-get install chromium; scripts/test.sh does it as root) to run the browser tests"
)
#: Chromium's flags: headless, no sandbox (root in CI), nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The project folder (app.py, docs/).
ROOT = Path(__file__).resolve().parents[1]
#: Seconds a server may take to say ``hotspots app ready`` (tuning and warm-up, loaded machine).
READY_TIMEOUT_S = 300.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def is_local(url: str) -> bool:
    """Whether a browser request stays on this machine (a file, data, or localhost)."""
    return url.startswith(("data:", "blob:", "about:", "file:")) or bool(
        re.match(r"^(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])([:/]|$)", url)
    )


def copy_store(store: Path, folder: Path) -> Path:
    """Copy the GeoPackage ``store`` with its siblings (WAL, tuning file) into ``folder``.

    Returns the copy's path; ``folder`` is created when missing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in store.parent.glob(store.name + "*"):
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    return folder / store.name


@dataclass
class AppServer:
    """A running ``hotspots app``: its port, process, log file and store."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path
    db: Path | str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request, redirects not followed: status, headers (lower case), body."""
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            con.request(method, path, body=body, headers=headers or {})
            response = con.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            con.close()

    def login(self, user: str, password: str) -> tuple[int, str | None, bytes]:
        """POST the login form; the status and the session cookie (``None`` when refused)."""
        form = urllib.parse.urlencode({"user": user, "password": password, "next": "/"})
        status, headers, body = self.request(
            "POST",
            "/hotspots/login",
            body=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        found = re.search(r"hotspots_session=([^;]+)", headers.get("set-cookie", ""))
        return status, (found.group(1) if found else None), body

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_app(
    db: Path | str,
    *args: str,
    env_extra: dict[str, str] | None = None,
    folder: Path | None = None,
) -> AppServer:
    """``hotspots app --db DB --port P ARGS`` started as a person starts it (not waited for).

    No ``HOTSPOTS_*`` variable of the test's environment reaches it (``env_extra`` is added);
    it runs in ``folder`` (default: the store's folder) in a process group of its own, so
    :func:`stop_app` ends it with every child.
    """
    folder = folder or Path(db).parent
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTSPOTS_")}
    env.update(env_extra or {})
    log = folder / f"app-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "hotspots", "app", "--db", str(db), "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
            start_new_session=True,
        )
    return AppServer(port, process, log, db)


def wait_ready(server: AppServer, *, timeout_s: float = READY_TIMEOUT_S) -> AppServer:
    """Wait until the server says ``hotspots app ready`` (tuned, warmed) and answers.

    Fails the test (with the server's log) when the process ends or ``timeout_s`` passes
    first.
    """
    deadline = time.monotonic() + timeout_s
    while "hotspots app ready" not in server.log_text():
        if server.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"hotspots app did not start:\n{server.log_text()}")
        time.sleep(0.2)
    status, _, _ = server.request("GET", "/_stcore/health")
    assert status == 200, f"hotspots app is not healthy ({status}):\n{server.log_text()}"
    return server


def stop_app(server: AppServer) -> None:
    """SIGTERM to the server's process group; SIGKILL after 15 s."""
    process = server.process
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def running_app(
    db: Path | str,
    *args: str,
    env_extra: dict[str, str] | None = None,
    folder: Path | None = None,
) -> Iterator[AppServer]:
    """A ready ``hotspots app`` (see :func:`start_app`), stopped on leaving."""
    server = start_app(db, *args, env_extra=env_extra, folder=folder)
    try:
        yield wait_ready(server)
    finally:
        stop_app(server)
