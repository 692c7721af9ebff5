from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point

from hotspots.actions import add_action, close_action, empty_actions
from hotspots.config import AnalysisConfig
from hotspots.periods import iso_week
from hotspots.report import (
    Lagesbild,
    build_lagesbild,
    hotspot_window,
    render_html,
    render_pdf,
)
from hotspots.taxonomy import CATEGORIES

pytestmark = pytest.mark.slow

RESTRICTED_LABELS = [w for c in CATEGORIES if c.restricted for w in (c.sv, c.en)]
PERIOD = iso_week(2026, 47)


@pytest.fixture(scope="module")
def demo() -> Any:
    from hotspots.demo import generate_demo
    from hotspots.geography import default_geography

    geo = default_geography()
    return geo, generate_demo(geo, seed=7, end=dt.date(2026, 11, 23), years=1)


def _actions(geo: Any) -> gpd.GeoDataFrame:
    torget = geo.places[geo.places["name"] == "Stora torget"].geometry.iloc[0]
    frame, _ = add_action(
        empty_actions(),
        date="2026-10-05",
        place_kind="place",
        place_ref="Stora torget",
        problem="violence",
        actor="polis",
        action="fotpatrull",
        geometry=torget.representative_point(),
        follow_up="2026-11-27",
        status="pågår",
        note="<b>Fre-lör</b> & 22-03",
    )
    kp = geo.districts[geo.districts["name"] == "Kronoparken"].geometry.iloc[0]
    frame, _ = add_action(
        frame,
        date="2026-09-14",
        place_kind="district",
        place_ref="Kronoparken",
        problem="unsafe",
        actor="bostadsbolag",
        action="belysning",
        geometry=kp.representative_point(),
        follow_up="2026-11-20",
        status="klar",
    )
    frame, _ = add_action(
        frame,
        date="2026-11-01",
        place_kind="point",
        place_ref="Parkeringen",
        problem="drugs_alcohol",
        actor="kommun",
        action="röjning",
        geometry=Point(413_000.0, 6_584_000.0),
        follow_up="2026-11-25",
    )
    return close_action(frame, "A-0003", status="avbruten", closed=dt.date(2026, 11, 10))


@pytest.fixture(scope="module")
def internal(demo: Any) -> Lagesbild:
    geo, data = demo
    return build_lagesbild(
        data.incidents,
        period=PERIOD,
        geography=geo,
        survey=data.survey,
        actions=_actions(geo),
        config=AnalysisConfig(cell_m=100.0, bandwidth_m=300.0),
        generated_at=dt.datetime(2026, 11, 24, 8, 0),
    )


@pytest.fixture(scope="module")
def public(demo: Any) -> Lagesbild:
    geo, data = demo
    return build_lagesbild(
        data.incidents,
        period=PERIOD,
        geography=geo,
        survey=data.survey,
        actions=_actions(geo),
        config=AnalysisConfig(cell_m=100.0, bandwidth_m=300.0),
        privacy="public",
    )


def test_hotspot_window() -> None:
    assert hotspot_window(PERIOD).label == "2026-W44–W47"


def test_lagesbild_holds_each_part(internal: Lagesbild) -> None:
    lb = internal
    assert lb.parameters["period"] == "2026-W47"
    assert lb.parameters["previous"] == "2026-W46"
    assert lb.parameters["year_earlier"] == "2025-W47"
    assert lb.parameters["hotspot_window"] == "2026-W44–W47"
    # Summary per problem area: the three areas, the restricted row and the public total.
    keys = set(lb.comparison.areas["key"])
    assert {"violence", "unsafe", "drugs_alcohol", "total"} <= keys
    total = lb.comparison.areas.set_index("key").loc["total", "current"]
    assert total == lb.parameters["n_incidents_period"] - int(
        lb.comparison.areas.set_index("key").get("current").get("restricted", 0)
    )
    # Map content, top places with time windows and proposals from the planner.
    assert lb.map_content is not None
    assert len(lb.top_places) == 5
    assert all(re.fullmatch(r"\d\d-\d\d", w) for w in lb.top_places["window"])
    assert any(len(p) for p in lb.top_places["proposals"])
    # Emerging hotspots.
    assert lb.emerging is not None
    assert lb.emerging.weeks[-1].label == "2026-W47"
    assert len(lb.emerging_table) > 0
    # Open actions and due follow-ups (A-0003 is cancelled, so neither open nor due).
    assert lb.actions_open["id"].tolist() == ["A-0001"]
    assert lb.follow_ups["id"].tolist() == ["A-0002", "A-0001"]
    assert set(lb.effects["id"]) == {"A-0001", "A-0002"}
    # Perceived unsafety.
    assert lb.survey is not None
    assert lb.survey.n_marks > 0
    assert 1 <= lb.survey.mean_unsafe <= 5
    # Restricted categories never on a place.
    text = " ".join(lb.top_places["categories"])
    assert not any(w in text for w in RESTRICTED_LABELS)


def test_html_holds_each_section_and_escapes(internal: Lagesbild) -> None:
    page = render_html(internal).decode("utf-8")
    for key in ("cover", "summary", "map", "emerging", "places", "actions", "survey"):
        assert f'<section id="{key}">' in page
    assert page.count("data:image/png;base64,") == 2
    assert "Sammanfattning per problemområde" in page
    assert "Öppna åtgärder" in page
    assert "A-0001" in page
    assert "&lt;b&gt;Fre-lör&lt;/b&gt; &amp; 22-03" in page
    assert "<b>Fre-lör" not in page
    assert "Våld i nära relation" in page  # internal tables count restricted categories


def test_public_html_hides_what_it_must(public: Lagesbild) -> None:
    page = render_html(public).decode("utf-8")
    for word in RESTRICTED_LABELS:
        assert word not in page
    assert "A-0001" not in page  # actions only as district, kind and status
    assert "Fre-lör" not in page  # no notes
    assert "Föreslagna insatser" not in page  # no operational suggestions
    assert public.map_content is not None
    assert public.map_content.incidents is None
    assert public.map_content.suggestions is None
    assert public.action_points is None
    cats = public.comparison.categories
    small = cats["current"].isna()
    assert (cats.loc[small, "verdict_prev"] == "suppressed").all()
    assert "Publik version" in page


def test_pdf_is_multipage_with_metadata(internal: Lagesbild, tmp_path: Path) -> None:
    data = render_pdf(internal)
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type /Page\b", data))
    assert pages >= 6
    path = tmp_path / "lagesbild.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed; page count checked only")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in (
        "Lägesbild EST",
        "Att ta upp på mötet",
        "Sammanfattning per problemområde",
        "hotspots och förslag",
        "Nya och förändrade hotspots",
        "Prioriterade platser och förslag",
        "Åtgärder och uppföljning",
        "Upplevd otrygghet",
    ):
        assert heading in text, heading
    assert "A-0001" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Lägesbild EST 2026-W47" in info.stdout


def test_english(demo: Any) -> None:
    geo, data = demo
    lb = build_lagesbild(
        data.incidents,
        period=PERIOD,
        geography=geo,
        survey=data.survey,
        config=AnalysisConfig(cell_m=100.0, bandwidth_m=300.0),
        lang="en",
    )
    page = render_html(lb).decode("utf-8")
    assert '<html lang="en">' in page
    assert "Summary by problem area" in page
    assert "Perceived unsafety" in page
    assert "Sammanfattning" not in page


def test_period_beyond_the_data_is_flagged(demo: Any) -> None:
    geo, data = demo
    lb = build_lagesbild(
        data.incidents,
        period=iso_week(2027, 10),
        geography=geo,
        config=AnalysisConfig(cell_m=100.0, bandwidth_m=300.0),
    )
    assert any("ofullständig" in n for n in lb.notes)
    assert lb.map_content is None  # no incidents in the hotspot window
    page = render_html(lb).decode("utf-8")
    assert "ofullständig" in page
    assert "p &lt;0,001" in page or "p = " in page
