"""The lägesbild's follow-up of the citizen promise: the tables, the effect, the map, the texts.

The demo lägesbild of W47 (tests/lagesbild_demo.py) with synthetic tracks that carry out each
week's schedule with known minutes (tests/followup_demo.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from followup_demo import HOURS, STAY, activity_log, fill, plans
from lagesbild_demo import FAST, PERIOD, demo, lagesbild

from hotspots.core.periods import custom_period, iso_week, month_period
from hotspots.dosage.followup import (
    followup_weeks,
    lagesbild_followup,
    week_deliveries,
    with_followup,
)
from hotspots.dosage.storage import GpkgTrackStore, TrackStore
from hotspots.dosage.storage_pg import PgTrackStore
from hotspots.est.followup import FOLLOWUP_KINDS, FollowUp, kind_totals
from hotspots.est.lagesbild import Lagesbild
from hotspots.render.report import render_html, render_pdf
from hotspots.render.report.document import Section
from hotspots.render.report.figures import report_figures
from hotspots.render.report.figures_dosage import dosage_classes
from hotspots.render.report.sections import build_document

pytestmark = pytest.mark.slow


@functools.cache
def _tracks() -> tuple[GpkgTrackStore, pd.DataFrame]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="followup-"))
    store = GpkgTrackStore(folder / "demo.tracks.gpkg")
    expected = fill(store)
    return store, expected


@functools.cache
def _with(privacy: str = "internal", lang: str = "sv") -> Lagesbild:
    _, data = demo()
    lb = lagesbild(privacy, lang)
    store, _ = _tracks()
    follow = lagesbild_followup(lb, store, data.incidents, survey=data.survey, config=FAST)
    return dataclasses.replace(lb, followup=follow)


# ------------------------------------------------------------------------------ data


def test_weeks_of_a_period() -> None:
    assert [w.label for w in followup_weeks(PERIOD)] == ["2026-W47"]
    # November 2026: W44 has only Sunday 1 Nov in it, W49 only Monday 30 Nov
    assert [w.label for w in followup_weeks(month_period(2026, 11))] == [
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
    ]
    days = custom_period(iso_week(2026, 1).start, iso_week(2026, 40).end)
    assert len(followup_weeks(days, max_weeks=13)) == 13
    assert followup_weeks(days, max_weeks=13)[-1].label == "2026-W40"


def test_week_delivery_matches_the_minutes_carried_out() -> None:
    """Each visited suggestion gets the minutes stayed (within a minute per visit); planned
    minutes are the plan's allocation; the logged pub check and school visit count."""
    geo, data = demo()
    store, expected = _tracks()
    deliveries, notes = week_deliveries(
        [iso_week(2026, 47)],
        store,
        data.incidents,
        geography=geo,
        survey=data.survey,
        config=FAST,
        patrol_hours_per_week=HOURS,
    )
    assert notes == []
    (d,) = deliveries
    plan = plans()["2026-W47"]
    table = d.report.table.set_index("id")
    allocated = plan.suggestions.set_index("id")["allocated_minutes"]
    np.testing.assert_array_equal(table["planned_minutes"], allocated.loc[table.index])
    assert allocated.sum() == HOURS * 60  # the plan's minutes add up to the hours
    done = expected[expected["week"] == "2026-W47"].groupby("id")["minutes"].agg(["sum", "size"])
    areas = d.areas
    checked = 0
    for sid, row in done.iterrows():
        others = [o for o in done.index if o != sid and areas[o].intersects(areas[sid])]
        if others:
            continue  # overlapping areas share their minutes
        checked += 1
        got = table.loc[sid]
        assert abs(got["tracked_minutes"] - row["sum"]) <= row["size"]  # 1 min per visit
        assert got["visits"] == row["size"]
        assert got["koper_visits"] == row["size"]  # every stay is 10 minutes or more
    assert checked >= 2
    for sid in set(table.index) - set(done.index):
        if any(areas[sid].intersects(areas[o]) for o in done.index):
            continue
        assert table.loc[sid, "visits"] == 0
        assert table.loc[sid, "tracked_minutes"] == 0
    log = activity_log()
    pub = table[table["place"] == log["place"].iloc[0]]
    assert (pub["logged_minutes"] == 30.0).sum() >= 1
    by_kind = d.report.by_kind.set_index("kind")
    assert by_kind.loc["school_visit", "unplanned_activities"] == 1
    assert by_kind.loc["school_visit", "unplanned_minutes"] == 45.0
    # the week's total counts a minute in overlapping areas once: at most the kinds' sum,
    # at least the largest kind
    total = d.report.total
    assert total["planned_minutes"] == HOURS * 60
    assert by_kind["delivered_minutes"].max() <= total["delivered_minutes"]
    assert total["delivered_minutes"] <= by_kind["delivered_minutes"].sum()
    assert total["delivered_minutes"] == pytest.approx(
        total["tracked_minutes"] + total["logged_minutes"], abs=0.11
    )


def test_followup_tables_add_up() -> None:
    f = _with().followup
    assert f is not None
    assert f.weeks == ("2026-W47",)
    assert f.tracked
    assert list(f.per_period["kind"])[: len(FOLLOWUP_KINDS)] == list(FOLLOWUP_KINDS)
    pd.testing.assert_frame_equal(
        f.per_period, kind_totals(f.per_week.drop(columns="week")), check_dtype=False
    )
    assert f.totals["week"].tolist() == ["2026-W47"]
    assert f.period_total()["planned_minutes"] == HOURS * 60
    assert f.period_total()["delivered_minutes"] <= f.per_period["delivered_minutes"].sum()
    week = f.per_week.set_index("kind")
    plan = plans()["2026-W47"].suggestions
    for kind in FOLLOWUP_KINDS:
        planned = plan.loc[plan["kind"] == kind, "allocated_minutes"].sum()
        got = week.loc[kind, "planned_minutes"]
        assert (planned == got) or (planned == 0 and (pd.isna(got) or got == 0))
    fp = week.loc["foot_patrol"]
    assert fp["share_delivered"] == pytest.approx(
        fp["delivered_minutes"] / fp["planned_minutes"], abs=1e-3
    )
    # foot patrols stayed 75 % of the scheduled minutes at two visits of three
    assert 0.3 < fp["share_delivered"] < 0.9
    assert set(STAY) <= set(f.per_week.loc[f.per_week["delivered_minutes"] > 0, "kind"])
    # the places: numbered by delivered minutes, each planned or visited
    places = f.places
    assert list(places["label"]) == [str(k + 1) for k in range(len(places))]
    assert places["delivered_minutes"].is_monotonic_decreasing
    assert ((places["planned_minutes"].fillna(0) > 0) | (places["delivered_minutes"] > 0)).all()
    assert places.crs.equals(demo()[0].crs)


def test_effect_is_given_with_its_interval_and_its_limits() -> None:
    f = _with().followup
    assert f is not None
    assert list(f.effect["where"]) == ["place", "buffer"]
    assert (f.effect["low"] <= f.effect["estimate"]).all()
    assert (f.effect["estimate"] <= f.effect["high"]).all()
    assert f.effect_window == (dt.date(2026, 10, 26), dt.date(2026, 11, 23))  # hotspot window
    text = " ".join(f.effect_text)
    assert "lottades inte ut" in text  # not randomised
    assert "samband" in text  # an association
    assert "oberoende" in text  # the intervals are too narrow
    assert "effekt av besöken" in text  # "not proven to be an effect of the visits"
    # the demo's patrols went to the busy places: more incidents on visit days, and by the
    # WDQ the places did not fall against the others, so the two agree and no sentence
    # reconciles them (tests/test_dosage_effect.py has the one that does)
    assert f.effect.set_index("where").loc["place", "estimate"] > 0
    assert "WDQ jämför hela tiden sedan första besöket" in text
    assert "WDQ: Ingen minskning på platsen" in text
    assert "Jämförelserna pekar åt olika håll" not in text
    assert not re.search(r"\d\.\d\d", text)  # Swedish decimal comma


def test_public_followup_has_no_places() -> None:
    f = _with("public").followup
    assert f is not None
    assert f.places.empty
    assert len(f.per_week)
    assert len(f.effect)


# ------------------------------------------------------------------------------ document


def _section(lb: Lagesbild) -> tuple[list[str], Section | None]:
    doc = build_document(lb)
    keys = [s.key for s in doc.sections]
    return keys, doc.sections[keys.index("followup")] if "followup" in keys else None


def test_no_tracks_no_section(tmp_path: Path) -> None:
    lb = lagesbild()
    _, section = _section(lb)
    assert section is None
    assert "dosage" in report_figures(lb)
    empty = GpkgTrackStore(tmp_path / "none.tracks.gpkg")
    assert with_followup(lb, tmp_path / "none.gpkg", tracks_db=empty.path) is lb


def test_section_follows_the_actions_with_tables_map_and_effect() -> None:
    keys, section = _section(_with())
    assert keys.index("followup") == keys.index("actions") + 1
    assert section.title == "Uppföljning av medborgarlöftet"
    week, period, places, effect = section.tables
    assert week.headers[1:6] == (
        "Fotpatrull på otrygga platser",
        "Trafikkontroller",
        "Krogkontroller",
        "Skolbesök",
        "Fritidsgårdar, uppsökande",
    )
    assert week.rows[0][0] == "2026-W47"
    f = _with().followup
    fp = f.per_week.set_index("kind").loc["foot_patrol"]
    assert week.rows[0][1].startswith(
        f"{fp['delivered_minutes']:.0f} / {fp['planned_minutes']:.0f}"
    )
    # the total column is the week's total (each minute once), not the kinds' sum
    assert week.headers[-1] == "Totalt"
    total = f.totals.set_index("week").loc["2026-W47"]
    assert week.rows[0][-1].startswith(
        f"{total['delivered_minutes']:.0f} / {total['planned_minutes']:.0f}"
    )
    assert [r[0] for r in period.rows][:5] == list(week.headers[1:6])
    assert places.headers[0] == "#"
    assert [r[0] for r in places.rows] == [str(k + 1) for k in range(len(places.rows))]
    assert effect.rows[0][0] == "På platserna"
    assert "intervall" in effect.headers[4]
    (figure,) = section.figures
    assert figure.key == "dosage"
    assert section.blocks.index(figure) < section.blocks.index(week)  # the map first
    texts = " ".join(p.text for p in section.paragraphs)
    assert "10 patrulltimmar per vecka" in texts
    assert "lottades inte ut" in texts


def test_public_section_has_totals_but_no_places_or_map() -> None:
    _, section = _section(_with("public"))
    assert section is not None
    assert not section.figures
    assert len(section.tables) == 3  # week, period, effect
    assert any("inte var och när" in p.text for p in section.paragraphs)


def test_english_section() -> None:
    _, section = _section(_with("internal", "en"))
    assert section.title == "Follow-up of the citizen promise"
    assert section.tables[0].headers[1] == "Foot patrols at unsafe places"
    texts = " ".join(p.text for p in section.paragraphs)
    assert "not randomised" in texts
    assert "patrol hours per week" in texts


def test_dosage_classes() -> None:
    got = dosage_classes(np.array([0.0, np.nan, 0.5, 29.9, 30.0, 59.0, 60.0, 239.0, 240.0, 900.0]))
    assert got.tolist() == [-1, -1, 0, 0, 1, 1, 2, 3, 4, 4]


def test_html_has_the_section_the_table_and_the_map() -> None:
    html = render_html(_with()).decode("utf-8")
    assert '<section id="followup">' in html
    part = html[html.index('<section id="followup">') :]
    part = part[: part.index("</section>")]
    assert "<table>" in part
    assert 'alt="Levererad tid per plats, 2026-W47"' in part
    assert "data:image/png;base64," in part


def test_pdf_has_the_section_and_a_landscape_map_page(tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_pdf(_with()))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    with_heading = [i for i, p in enumerate(pages) if "Uppföljning av medborgarlöftet" in p]
    assert len(with_heading) == 2  # the map's landscape page, then the tables in portrait
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)
    first = sizes[with_heading[0]]
    assert float(first[1]) > float(first[2])  # landscape: the map
    second = sizes[with_heading[1]]
    assert float(second[1]) < float(second[2])  # portrait: the tables
    assert "Förslagens områden färgade efter levererade minuter" in pages[with_heading[0]]
    assert "Blev det skillnad?" in pages[with_heading[1]]


# ------------------------------------------------------------------------------ backends


@pytest.mark.postgres
def test_the_postgresql_store_gives_the_same_followup(pg_url: str) -> None:
    _, data = demo()
    store: TrackStore = PgTrackStore(pg_url)
    fill(store)
    lb = with_followup(
        lagesbild(), pg_url, incidents=data.incidents, survey=data.survey, config=FAST
    )
    got: FollowUp | None = lb.followup
    want = _with().followup
    assert got is not None
    assert want is not None
    pd.testing.assert_frame_equal(got.per_week, want.per_week)
    pd.testing.assert_frame_equal(got.totals, want.totals)
    pd.testing.assert_frame_equal(
        got.places.drop(columns="geometry"), want.places.drop(columns="geometry")
    )
    pd.testing.assert_frame_equal(got.effect, want.effect)
    assert got.effect_text == want.effect_text
