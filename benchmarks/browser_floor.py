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
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# benchmarks/ is first on sys.path when run as a script
from _browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    PAINTED,
    browser_cpu_s,
    demo_store,
    free_port,
    hotspots_app,
    running,
)

PASSWORD = "golv-lösenord-2026"
USER = "golv"
#: Seconds after a page is ready during which its CPU still counts.
SETTLE_S = 2.0

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


@contextlib.contextmanager
def _servers(work: Path) -> Iterator[dict[str, str]]:
    """The three pages' addresses, their servers running."""
    db = demo_store(
        work, {USER: "analytiker"}, password=PASSWORD, by="browser_floor", name="golv.gpkg"
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    urls: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        for name, text in (("bare", BARE), ("sidebar", SIDEBAR)):
            script = work / f"{name}.py"
            script.write_text(text, encoding="utf-8")
            port = free_port()
            cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
                   str(port), "--server.headless", "true", "--browser.gatherUsageStats",
                   "false", "--server.address", "127.0.0.1"]  # fmt: skip
            stack.enter_context(
                running(
                    cmd,
                    ready=f":{port}",  # "URL: http://127.0.0.1:<port>"
                    log=work / f"{name}.log",
                    cwd=work,
                    env=env,
                    what=f"streamlit run {name}.py",
                )
            )
            urls[name] = f"http://127.0.0.1:{port}"
        app = stack.enter_context(hotspots_app(db, free_port(), "--auth", "accounts"))
        urls["app"] = app.url
        yield urls


async def _visit(page: Any, kind: str, url: str) -> None:
    if kind == "app":
        await page.goto(f"{url}/hotspots/login")
        await page.fill("#user", USER)
        await page.fill("#password", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_function(PAINTED, arg=None, polling=50, timeout=300_000)
    else:
        await page.goto(url)
        await page.get_by_text("hej").wait_for(timeout=300_000)
    await page.wait_for_function(IDLE, polling=100, timeout=300_000)


async def _measure(urls: dict[str, str], visits: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright  # only when it runs

    out: dict[str, list[float]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, url in urls.items():
            context = await browser.new_context(viewport={"width": 1400, "height": 900})
            page = await context.new_page()
            for _ in range(2):  # the browser has seen the page: its cache holds the files
                await _visit(page, kind, url)
                await context.clear_cookies()
            cpu: list[float] = []
            for _ in range(visits):
                await asyncio.sleep(SETTLE_S)
                before = browser_cpu_s()
                await _visit(page, kind, url)
                await asyncio.sleep(SETTLE_S)
                cpu.append(browser_cpu_s() - before)
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
