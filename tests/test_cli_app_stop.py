"""Stopping a real ``hotspots app``: the server and every child end, the port is free, and no
``hotspots-map-*`` folder is left behind (issue 14, item 12).

Each test has its own ``python -m hotspots app`` on a free port with its own temporary folder
(``TMPDIR``; all are started at once, so each warms up while the tests before it run), waits
until the warm-up has rendered the map (the map component's folder exists), then stops it as
a person would: SIGTERM to the command, Ctrl-C (SIGINT to the terminal's foreground process
group), or kill -9.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotspots.cli.app_cmd import STOP_TIMEOUT_S
from hotspots.render.component_folder import folder_pid, remove_stale_folders

psutil = pytest.importorskip("psutil")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="process groups and signals are POSIX"),
]


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    """Nothing listens on ``port`` and a new server could bind it (as servers do, with
    SO_REUSEADDR: closed connections may linger in TIME_WAIT)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
        return True


def _ended_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _healthy(port: int) -> bool:
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    return False


def _wait(condition: Callable[[], bool], *, timeout_s: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"{what} within {timeout_s:.0f} s; the command said:\n{log.read_text()}")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, make_app_store) -> Path:
    return make_app_store(tmp_path_factory.mktemp("stop") / "store.gpkg")


@dataclass
class _Started:
    """A ``hotspots app`` started by a test: the command's process, port, TMPDIR and log."""

    app: subprocess.Popen[bytes]
    port: int
    tmp: Path
    stale: Path
    log: Path


def _start(store: Path, folder: Path) -> _Started:
    """``python -m hotspots app`` on a free port, its TMPDIR in ``folder`` holding a map folder
    left by an app that was killed; in a process group of its own (a terminal's stand-in)."""
    tmp = folder / "tmp"
    tmp.mkdir()
    stale = tmp / f"hotspots-map-{_ended_pid()}-ab12_x"  # left by an app that was killed
    stale.mkdir()
    (stale / "index.html").write_text("old", encoding="utf-8")
    port = _free_port()
    log = folder / "app.log"
    env = {k: v for k, v in os.environ.items() if k not in ("HOTSPOTS_PASSWORD", "HOTSPOTS_DB")}
    env["TMPDIR"] = str(tmp)
    with log.open("w", encoding="utf-8") as out:
        app = subprocess.Popen(
            [sys.executable, "-m", "hotspots", "app", "--db", str(store), "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the test's stand-in for a terminal's process group
        )
    return _Started(app, port, tmp, stale, log)


LINUX = sys.platform.startswith("linux")
#: The ways of stopping the app; ``kill -9`` relies on Linux's parent-death signal.
HOWS = ["SIGTERM", "Ctrl-C", *(["kill -9"] if LINUX else [])]


@pytest.fixture(scope="module")
def started(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, _Started]]:
    """One app per way of stopping it, all started at once: each warms up while the tests
    before its own run. Whatever a test left running is killed at the end."""
    apps: dict[str, _Started] = {}
    try:
        for how in HOWS:
            apps[how] = _start(store, tmp_path_factory.mktemp("app"))
        yield apps
    finally:
        for one in apps.values():
            if one.app.poll() is None:
                os.killpg(one.app.pid, signal.SIGKILL)
                one.app.wait()
            remove_stale_folders(one.tmp)


@pytest.mark.parametrize(
    "how",
    [
        "SIGTERM",
        "Ctrl-C",
        pytest.param(
            "kill -9",
            marks=pytest.mark.skipif(not LINUX, reason="the parent-death signal is Linux's"),
        ),
    ],
)
def test_stopping_the_app_ends_every_process_and_removes_its_folders(
    how: str, started: dict[str, _Started]
) -> None:
    one = started[how]
    app, port, tmp, stale, log = one.app, one.port, one.tmp, one.stale, one.log
    _wait(lambda: _healthy(port), timeout_s=240, what="the server did not answer", log=log)

    def folders() -> list[Path]:
        return [p for p in tmp.iterdir() if p.name.startswith("hotspots-map-")]

    _wait(
        lambda: any(folder_pid(p) != folder_pid(stale) for p in folders()),
        timeout_s=240,
        what="the warm-up did not render the map",
        log=log,
    )
    assert not stale.exists()  # removed when the command started
    family = psutil.Process(app.pid).children(recursive=True)
    assert family, "no server process under hotspots app"
    server = family[0]
    assert os.getpgid(server.pid) != os.getpgid(app.pid)  # a group of its own
    if how == "SIGTERM":
        app.send_signal(signal.SIGTERM)
    elif how == "Ctrl-C":  # the terminal sends SIGINT to its foreground group: the command
        os.killpg(app.pid, signal.SIGINT)
    else:  # no chance to forward anything: the server gets SIGTERM from the kernel
        app.kill()
    code = app.wait(timeout=STOP_TIMEOUT_S + 30)
    assert code == (-signal.SIGKILL if how == "kill -9" else 0), log.read_text()
    _, alive = psutil.wait_procs(family, timeout=STOP_TIMEOUT_S + 5)
    assert not alive, alive
    assert _port_free(port)
    assert not _healthy(port)
    assert folders() == [], folders()
    if how != "kill -9":
        assert "hotspots app stopped" in log.read_text()


def test_stale_folders_of_ended_processes_only_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"hotspots-map-{_ended_pid()}-zz9"
    live = tmp_path / f"hotspots-map-{os.getpid()}-yy8"
    other = tmp_path / "hotspots-map-notapid"
    for folder in (dead, live, other):
        folder.mkdir()
    assert remove_stale_folders(tmp_path) == [dead]
    assert live.exists()
    assert other.exists()
