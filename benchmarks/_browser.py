"""What the browser benchmarks share (app_load.py, app_bench.py, browser_floor.py).

Debian's chromium and its flags, the map page's states as JavaScript predicates, a free port,
the CPU of process trees (the server's, the browsers'), the demo store with accounts, and
``hotspots app`` (or any server that prints a line when ready) started and stopped.

The benchmarks run as scripts (``uv run --frozen python benchmarks/app_load.py``), so this
folder is first on ``sys.path`` and ``from _browser import ...`` finds this module; they put
the repository on ``sys.path`` before importing it (it imports :mod:`hotspots`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from hotspots.access.accounts import add_user

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "FRAME",
    "IDLE",
    "MAP_STATE",
    "PAINTED",
    "UNTHROTTLED_ARGS",
    "Server",
    "browser_cpu_s",
    "browser_processes",
    "cpu_s",
    "demo_store",
    "free_port",
    "hotspots_app",
    "off_machine",
    "process_tree",
    "running",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # every host but this machine is unresolvable: off-machine requests fail in the network
    # stack, without Playwright intercepting (and slowing) each of the app's own requests;
    # nothing leaves the machine
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
#: Added for many pages at once: a page that is not in front must paint like one that is.
UNTHROTTLED_ARGS = [
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
#: The map component's frame.
FRAME = "iframe[title$='hotspots_map']"
#: Where a page's requests may go (anything else tried to leave the machine).
_LOCAL = ("data:", "blob:", "about:", "http://127.0.0.1", "ws://127.0.0.1")

#: The map frame's state: when the frame after the last overlay was painted (ms since the
#: epoch, 0 before) and the text of its info box.
MAP_STATE = """() => {
    const f = document.querySelector("iframe[title$='hotspots_map']");
    const w = f && f.contentWindow;
    const d = f && f.contentDocument;
    const info = d && d.querySelector('.hs-info');
    return {painted: (w && w.hsPaintedAt) || 0, info: info ? info.innerText : null};
}"""
#: True once the map frame painted an overlay (after ``hsPaintedAt`` was reset) and its
#: info box differs from ``before`` (``null``: any info box). The component sets
#: ``window.hsPaintedAt`` two animation frames after the overlay script
#: (:mod:`hotspots.render.assets`).
PAINTED = """(before) => {
    const f = document.querySelector("iframe[title$='hotspots_map']");
    const w = f && f.contentWindow;
    const d = f && f.contentDocument;
    const info = d && d.querySelector('.hs-info');
    return Boolean(w && w.hsPaintedAt > 0 && info && info.innerText !== before);
}"""
#: True when no script run is going on in the page.
IDLE = """() => { const a = document.querySelector('[data-testid=stApp]');
    return Boolean(a) && a.getAttribute('data-test-script-state') === 'notRunning'; }"""


def off_machine(url: str) -> bool:
    """Whether a page's request for ``url`` tried to leave this machine."""
    return not url.startswith(_LOCAL)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------- processes' CPU


def process_tree(pid: int) -> list[psutil.Process]:
    """The process ``pid`` and its descendants (empty once it ended)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_s(procs: list[psutil.Process]) -> float:
    """CPU seconds (user + system) used so far by ``procs`` (those that ended: nothing)."""
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def browser_processes() -> list[psutil.Process]:
    """The chromium processes this benchmark started."""
    out = []
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if "chrom" in p.name():
                out.append(p)
    return out


def browser_cpu_s() -> float:
    """CPU seconds used so far by the chromium processes this benchmark started."""
    return cpu_s(browser_processes())


# ------------------------------------------------------------------------------ the servers


def demo_store(
    folder: Path, accounts: Mapping[str, str], *, password: str, by: str, name: str
) -> Path:
    """``hotspots demo --db`` in ``folder`` (its CSV files there too), then the accounts.

    ``accounts`` maps each user name to its role; every account gets ``password``.
    """
    db = folder / name
    subprocess.run(
        [sys.executable, "-m", "hotspots", "demo", "--db", str(db), "--out", str(folder / "csv")],
        check=True,
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    for user, role in accounts.items():
        add_user(db, user, role, password, by=by)
    return db


@contextlib.contextmanager
def running(
    cmd: Sequence[str],
    *,
    ready: str,
    log: Path,
    cwd: Path,
    env: Mapping[str, str],
    what: str,
    timeout_s: float = 300.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """``cmd`` in a session of its own, its output in ``log``, yielded once ``ready`` is there.

    Exits (``SystemExit`` naming ``what``, with the log) when the process ends or
    ``timeout_s`` passes first. The whole process group is stopped afterwards (SIGTERM, then
    SIGKILL after 20 s).
    """
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(cmd),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout_s
        while ready not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(errors="replace")
                msg = f"{what} did not get ready:\n{text}"
                raise SystemExit(msg)
            time.sleep(0.3)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@dataclass
class Server:
    """A running ``hotspots app``."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        """Resident set of the server's process tree, MB."""
        total = 0
        for p in process_tree(self.process.pid):
            with contextlib.suppress(psutil.NoSuchProcess):
                total += p.memory_info().rss
        return total / 2**20

    def cpu_s(self) -> float:
        """CPU seconds (user + system) used so far by the server's process tree."""
        return cpu_s(process_tree(self.process.pid))


@contextlib.contextmanager
def hotspots_app(db: Path, port: int, *options: str) -> Iterator[Server]:
    """``python -m hotspots app --db DB --port PORT [OPTIONS]``, yielded once it is ready.

    Run in ``db``'s folder without the caller's ``HOTSPOTS_*`` variables; its output goes to
    ``app-<port>-<ns>.log`` there.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTSPOTS_")}
    log = db.parent / f"app-{port}-{time.time_ns()}.log"
    cmd = [sys.executable, "-m", "hotspots", "app", "--db", str(db), "--port", str(port)]
    with running(
        [*cmd, *options],
        ready="hotspots app ready",
        log=log,
        cwd=db.parent,
        env=env,
        what="hotspots app",
    ) as process:
        time.sleep(1.0)  # the warm-up's run ends its work after the map (badge, table)
        yield Server(port, process, log)
