"""What one browser's visit costs in CPU: the floor under benchmarks/app_load.py's painted times.

benchmarks/app_load.py runs ten browsers and the server on one 2-core machine. Whatever the
server does, ten browsers that each need ``c`` CPU seconds to show a page cannot all have
painted before ``10 c / 2`` seconds. This measures ``c`` for three pages, in one run, with
Debian's chromium driven by Playwright (one browser context that used each page twice
before, as a member who uses the app from meeting to meeting):

- **bare**: a Streamlit page with one line of text (``streamlit run``): Streamlit's own cost;
- **sidebar**: a Streamlit page with the widgets of the app's sidebar (language, pages,
  problem area, period, night only, hours, weekdays and the analysis settings) and one line:
  what any Streamlit app with these controls costs;
- **app**: ``hotspots app`` on the demo store: the login form sent, the map painted (an
  ``analytiker``; the map page as a member sees it when the meeting starts).

CPU seconds are those of the chromium processes this benchmark started (psutil), from the
navigation to 2 s after the page is ready (the page's own follow-up work included). The
machine's load average is printed: the CPU seconds of a page do not depend on it much, its
wall time does.

Run: ``uv run --frozen python benchmarks/browser_floor.py`` (``--visits 3``, ``--json``; about
two minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from hotspots.access.accounts import add_user  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
PASSWORD = "golv-lösenord-2026"
USER = "golv"
#: Seconds after a page is ready during which its CPU still counts.
SETTLE_S = 2.0
PAINTED = """() => { const f = document.querySelector("iframe[title$='hotspots_map']");
    return Boolean(f && f.contentWindow && f.contentWindow.hsPaintedAt > 0); }"""
IDLE = """() => { const a = document.querySelector('[data-testid=stApp]');
    return Boolean(a) && a.getAttribute('data-test-script-state') === 'notRunning'; }"""

BARE = """import streamlit as st
st.write("hej")
"""
SIDEBAR = """import datetime as dt
import streamlit as st
st.set_page_config(page_title="golv", layout="wide", initial_sidebar_state="expanded")
with st.sidebar:
    st.radio("Språk / Language", ["sv", "en"], horizontal=True, key="lang")
    st.caption("Inloggad som golv (analytiker)")
    st.radio("Sida", ["Karta", "Patrullplan", "Utvärdering", "Data", "Lägesbild", "Uppföljning"])
    st.header("Urval")
    st.selectbox("Problemområde", ["Alla (utom skyddade kategorier)", "Våld i offentlig miljö"])
    st.date_input("Period", (dt.date(2024, 12, 2), dt.date(2026, 11, 29)))
    st.checkbox("Bara natt (22–04)")
    st.slider("Timmar", 0, 24, (0, 24))
    days = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
    st.multiselect("Veckodagar", days, default=days)
    st.header("Analys")
    st.selectbox("Kärna", ["quartic", "gaussian"])
    st.checkbox("Bandbredd automatiskt (backtest)", value=True)
    st.slider("Täckning (% av ytan)", 1, 20, 5)
    st.select_slider("Cellstorlek (m)", [25, 50, 100])
    st.radio("Profil", ["intern", "planering", "publik"])
    st.radio("Vikt", ["antal", "skada"])
    st.radio("Studieområde", ["Tätorten (stadsdelarna)", "Hela kommunen"])
st.write("hej")
"""


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(proc: subprocess.Popen[str], needle: str, timeout_s: float = 600.0) -> None:
    start = time.monotonic()
    assert proc.stdout is not None
    while time.monotonic() - start < timeout_s:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            msg = f"server ended before {needle!r}"
            raise RuntimeError(msg)
        if needle in line:
            return
    msg = f"no {needle!r} within {timeout_s:.0f} s"
    raise RuntimeError(msg)


@contextlib.contextmanager
def _servers(work: Path) -> Iterator[dict[str, str]]:
    """The three pages' addresses, their servers running."""
    db = work / "golv.gpkg"
    subprocess.run(
        [sys.executable, "-m", "hotspots", "demo", "--db", str(db)],
        check=True,
        capture_output=True,
    )
    add_user(db, USER, "analytiker", PASSWORD, by="browser_floor")
    procs: list[subprocess.Popen[str]] = []
    urls: dict[str, str] = {}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    try:
        for name, text in (("bare", BARE), ("sidebar", SIDEBAR)):
            script = work / f"{name}.py"
            script.write_text(text, encoding="utf-8")
            port = _free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
                 str(port), "--server.headless", "true", "--browser.gatherUsageStats",
                 "false", "--server.address", "127.0.0.1"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            )  # fmt: skip
            procs.append(proc)
            _wait_for(proc, f":{port}")  # "URL: http://127.0.0.1:<port>"
            urls[name] = f"http://127.0.0.1:{port}"
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "hotspots", "app", "--db", str(db), "--port", str(port),
             "--auth", "accounts"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        procs.append(proc)
        _wait_for(proc, "hotspots app ready")
        urls["app"] = f"http://127.0.0.1:{port}"
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _chromium_cpu() -> float:
    """CPU seconds so far of the chromium processes started under this process."""
    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in proc.name():
                times = proc.cpu_times()
                total += times.user + times.system
    return total


async def _visit(page: Any, kind: str, url: str) -> None:
    if kind == "app":
        await page.goto(f"{url}/hotspots/login")
        await page.fill("#user", USER)
        await page.fill("#password", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_function(PAINTED, polling=50, timeout=300_000)
    else:
        await page.goto(url)
        await page.get_by_text("hej").wait_for(timeout=300_000)
    await page.wait_for_function(IDLE, polling=100, timeout=300_000)


async def _measure(urls: dict[str, str], visits: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright  # only when it runs

    out: dict[str, list[float]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for kind, url in urls.items():
            context = await browser.new_context(viewport={"width": 1400, "height": 900})
            page = await context.new_page()
            for _ in range(2):  # the browser has seen the page: its cache holds the files
                await _visit(page, kind, url)
                await context.clear_cookies()
            cpu: list[float] = []
            for _ in range(visits):
                await asyncio.sleep(SETTLE_S)
                before = _chromium_cpu()
                await _visit(page, kind, url)
                await asyncio.sleep(SETTLE_S)
                cpu.append(_chromium_cpu() - before)
                await context.clear_cookies()
            out[kind] = cpu
            await context.close()
        await browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=3, help="measured visits per page (3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="browser-floor-") as tmp, _servers(Path(tmp)) as urls:
        cpu = asyncio.run(_measure(urls, args.visits))
    load_after = os.getloadavg()
    figures = {kind: {"median_cpu_s": statistics.median(v), "visits": v} for kind, v in cpu.items()}
    if args.json:
        print(json.dumps({"load": [load_before, load_after], "pages": figures}, indent=2))
        return
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print("chromium CPU seconds per visit (median of "
          f"{args.visits}; a browser that saw the page twice before)")  # fmt: skip
    for kind, fig in figures.items():
        c = fig["median_cpu_s"]
        print(f"  {kind:8s} {c:5.2f} s   ten browsers on 2 CPUs: at least {10 * c / 2:4.1f} s")


if __name__ == "__main__":
    main()
