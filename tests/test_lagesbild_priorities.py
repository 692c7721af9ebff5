"""Harm and raised risk in the lägesbild (est.lagesbild_harm, est.lagesbild_nearrepeat, and
their sections in render.report): golden values by hand, privacy, HTML and PDF.

Harm, by hand on a grid of 2 x 3 cells:

- count spots are cells (0,0) and (0,1), harm spots (0,1) and (0,2): one shared cell, so
  half of the harm-spot cells are count-spot cells and the Jaccard overlap is 1/3;
- harm per cell 6, 0, 3 / 1, 0, 0 (total 10) sorts to 6, 3, 1, 0, 0, 0: the densest sixth
  of the area holds 60 % of the harm, a third 90 %; the incidents 1, 1, 1 / 1, 0, 0 hold
  25 % and 50 %. Half of the harm lies in 1/6 = 16.7 % of the area, half of the incidents in
  2/6 = 33.3 %. At 0.1 % of the area (interpolated in the first sixth) the harm curve holds
  0.6 x 0.006 = 0.36 %, the count curve 0.25 x 0.006 = 0.15 %.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from lagesbild_demo import FAST as FAST_CONFIG
from lagesbild_demo import MADE, PERIOD, RESTRICTED_LABELS, demo, demo_actions, lagesbild
from numpy.testing import assert_allclose
from pypdf import PdfReader
from shapely.geometry import box

from hotspots.core.periods import iso_week
from hotspots.core.schema import TIMEZONE
from hotspots.engine.harm import (
    HarmResult,
    concentration_curve,
    load_weights,
    spot_overlap,
)
from hotspots.est.lagesbild import build_lagesbild
from hotspots.est.lagesbild_harm import (
    HarmPicture,
    concentration_rows,
    harm_spot_table,
)
from hotspots.est.lagesbild_nearrepeat import ZONE_COLUMNS, near_repeat_picture
from hotspots.render.report import build_document, render_html, render_pdf
from hotspots.render.report.sections_priorities import harm_section

COUNT_CELLS = np.array([[1, 1, 0], [0, 0, 0]], dtype=bool)
HARM_CELLS = np.array([[0, 1, 1], [0, 0, 0]], dtype=bool)
HARM_PER_CELL = np.array([[6.0, 0.0, 3.0], [1.0, 0.0, 0.0]])
INCIDENTS_PER_CELL = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])


def _hand_harm() -> HarmResult:
    labels = np.where(HARM_CELLS, 1, 0).astype(np.int32)
    hot = gpd.GeoDataFrame(
        {"rank": [1], "district": ["Centrum"], "incidents": [9.0], "n_incidents": [3]},
        geometry=[box(25, 25, 75, 50)],
        crs="EPSG:3006",
    )
    return HarmResult(
        weights=load_weights("harm"),
        incident_weights=np.array([6.0, 3.0, 1.0, 0.0]),
        harm_counts=HARM_PER_CELL,
        harm_density=HARM_PER_CELL,
        count_density=INCIDENTS_PER_CELL,
        count_cells=COUNT_CELLS,
        harm_cells=HARM_CELLS,
        overlap=spot_overlap(COUNT_CELLS, HARM_CELLS),
        harm_curve=concentration_curve(HARM_PER_CELL),
        count_curve=concentration_curve(INCIDENTS_PER_CELL),
        hotspots=hot,
        labels=labels,
    )


def test_overlap_and_concentration_golden() -> None:
    harm = _hand_harm()
    assert harm.overlap.harm_in_count == pytest.approx(0.5)
    assert harm.overlap.jaccard == pytest.approx(1 / 3)
    rows = concentration_rows(harm.harm_curve, harm.count_curve, shares=(0.001, 1 / 6, 2 / 6))
    assert_allclose(rows, [(0.001, 0.0036, 0.0015), (1 / 6, 0.6, 0.25), (2 / 6, 0.9, 0.5)])
    assert harm.harm_curve.area_for(0.5) == pytest.approx(1 / 6)
    assert harm.count_curve.area_for(0.5) == pytest.approx(2 / 6)


def test_harm_spot_table_shares_and_suppression() -> None:
    harm = _hand_harm()
    internal = harm_spot_table(harm, privacy="internal", top_n=5)
    assert internal.to_dict("records") == [
        {"rank": 1, "district": "Centrum", "harm": 9.0, "incidents": 3, "in_count_spots": 0.5}
    ]
    public = harm_spot_table(harm, privacy="public", top_n=5)
    assert public["harm"].isna().all()  # 3 incidents: their harm would tell what they were
    assert public["incidents"].isna().all()
    assert public["in_count_spots"].tolist() == [0.5]


def test_harm_section_texts_golden() -> None:
    harm = _hand_harm()
    picture = HarmPicture(
        weights=harm.weights.describe(),
        view=None,
        count_hotspots=harm.hotspots.iloc[:0],
        overlap=harm.overlap,
        harm_curve=harm.harm_curve,
        count_curve=harm.count_curve,
        spots=harm_spot_table(harm, privacy="internal", top_n=5),
    )
    lb = dataclasses.replace(lagesbild(), harm=picture)
    section = harm_section(lb)
    assert section is not None
    text = " ".join(p.text for p in section.paragraphs)
    assert ("50 % av skade-hotspotcellerna är också hotspotceller räknat i antal händelser "
            "(1 av 2 celler; 2 celler räknat i antal, Jaccard 0,33).") in text  # fmt: skip
    assert "Hälften av all skada ligger på 16,7 % av ytan, hälften av alla händelser på 33,3 %" \
        in text
    assert "Rån 20" in text  # the weights, heaviest first
    assert "brottsskadeindex" in text
    for word in RESTRICTED_LABELS:
        assert word not in text
    concentration, spots = section.tables
    assert concentration.rows[0] == ("0,10 %", "0,36 %", "0,15 %")
    assert spots.rows == (("1", "Centrum", "9", "3", "50 %"),)
    assert [f.key for f in section.figures] == ["harm_map", "harm_curve"]
    assert [f.kind for f in section.figures] == ["map", "chart"]


# ------------------------------------------------------------------------------ near repeats
X0, Y0 = 674_000.0, 6_580_000.0
W47 = iso_week(2026, 47)  # ends 2026-11-23 00:00 local time


def _near_repeat_frame(make_incidents, rng) -> gpd.GeoDataFrame:
    """Robberies in pairs (50 m, 2 days apart) over a year, three in the period's last week;
    vandalism at random; violence in close relationships in pairs too (never tested)."""
    end = W47.end_ts
    xs, ys, ts, cs = [], [], [], []
    for code, n_pairs in (("robbery", 40), ("domestic_violence", 30)):
        for _ in range(n_pairs):
            x, y = rng.uniform(0, 8000, 2)
            t = end - pd.Timedelta(days=float(rng.uniform(30, 350)))
            xs += [X0 + x, X0 + x + 40]
            ys += [Y0 + y, Y0 + y + 30]
            ts += [t, t + pd.Timedelta(days=2)]
            cs += [code, code]
    for k in range(3):  # in force at the period's end: within its 7 days
        xs.append(X0 + 1000 * k)
        ys.append(Y0 + 9000)
        ts.append(end - pd.Timedelta(days=1 + k))
        cs.append("robbery")
    for _ in range(120):
        xs.append(X0 + rng.uniform(0, 8000))
        ys.append(Y0 + rng.uniform(0, 8000))
        ts.append(end - pd.Timedelta(days=float(rng.uniform(10, 360))))
        cs.append("vandalism")
    times = pd.DatetimeIndex(ts).tz_convert(TIMEZONE)
    return make_incidents(np.array(xs), np.array(ys), times=times, categories=cs)


def test_near_repeat_picture_golden(make_incidents, rng) -> None:
    frame = _near_repeat_frame(make_incidents, rng)
    internal = near_repeat_picture(frame, period=W47, geography=None, privacy="internal",
                                   lang="sv")  # fmt: skip
    cats = internal.categories
    assert cats["category"].tolist() == ["robbery"]  # only the significant category
    row = cats.iloc[0]
    assert (row["distance_m"], row["days"]) == (100.0, 7.0)  # the first band of each
    assert row["n_events"] == 83
    assert row["p_value"] == pytest.approx(1 / 200)  # none of 199 permutations as many pairs
    assert row["ratio"] > 5
    assert row["zones"] == 3
    assert "vandalism" in internal.tested
    assert "domestic_violence" not in internal.tested
    assert internal.n_zones == 3
    zones = internal.zones
    assert list(zones.columns) == list(ZONE_COLUMNS)
    assert len(zones) == 3
    assert not {"id", "description", "x", "y", "geometry"} & set(zones.columns)
    occurred = [d.isoformat() for d in zones["occurred"]]
    assert occurred == ["2026-11-22", "2026-11-21", "2026-11-20"]  # newest first
    for _, z in zones.iterrows():
        assert (z["valid_until"] - z["occurred"]).days == 7
        assert z["distance_m"] == 100.0
    assert internal.zone_areas is not None
    areas = internal.zone_areas.geometry.area.tolist()
    assert areas == pytest.approx([np.pi * 100**2] * 3, rel=0.01)  # circles of 100 m
    assert internal.parameters["as_of"] == "2026-11-22"
    assert internal.parameters["last"] <= "2026-11-22"

    public = near_repeat_picture(frame, period=W47, geography=None, privacy="public", lang="en")
    assert public.categories["zones"].tolist() == [None]  # 3 zones: under 5, suppressed
    assert public.categories["label"].tolist() == ["Robbery"]
    assert public.zones.empty
    assert public.zone_areas is None
    assert public.districts["zones"].tolist() == [None]


def test_near_repeat_uses_no_data_after_the_period(make_incidents, rng) -> None:
    frame = _near_repeat_frame(make_incidents, rng)
    later = frame.copy()
    later["occurred_at"] = later["occurred_at"] + pd.Timedelta(days=400)
    both = pd.concat([frame, later], ignore_index=True)
    assert isinstance(both, gpd.GeoDataFrame)
    a = near_repeat_picture(frame, period=W47, geography=None, privacy="internal", lang="sv")
    b = near_repeat_picture(both, period=W47, geography=None, privacy="internal", lang="sv")
    pd.testing.assert_frame_equal(a.categories, b.categories)
    pd.testing.assert_frame_equal(a.zones, b.zones)


# ------------------------------------------------------------------------------ documents


@pytest.fixture(scope="module")
def harm_lagesbild() -> dict[str, Any]:
    geo, data = demo()
    out = {}
    for privacy, lang in (("internal", "sv"), ("public", "en")):
        out[privacy] = build_lagesbild(
            data.incidents, period=PERIOD, geography=geo, survey=data.survey,
            actions=demo_actions(geo), config=FAST_CONFIG, privacy=privacy, lang=lang,
            generated_at=MADE, weights=load_weights("harm"),
        )  # fmt: skip
    return out


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(io.BytesIO(data)).pages)  # fmt: skip


@pytest.mark.slow
def test_near_repeat_section_in_html_and_pdf_by_default() -> None:
    lb = lagesbild()
    assert lb.harm is None  # no weights: no harm section
    keys = [s.key for s in build_document(lb).sections]
    assert keys.index("near_repeat") == keys.index("emerging") + 1
    assert "harm" not in keys
    html = render_html(lb).decode("utf-8")
    assert '<section id="near_repeat"><h2>Förhöjd risk</h2>' in html
    assert "Knox-testet (199 slumpningar" in html
    text = _pdf_text(render_pdf(lb))
    assert "Förhöjd risk" in text
    assert "Knox-kvot" in text


@pytest.mark.slow
def test_harm_and_near_repeat_sections_internal(harm_lagesbild) -> None:
    lb = harm_lagesbild["internal"]
    assert lb.harm is not None
    assert lb.harm.weights["name"] == "harm"
    keys = [s.key for s in build_document(lb).sections]
    assert keys.index("harm") == keys.index("map") + 1
    html = render_html(lb).decode("utf-8")
    assert '<section id="harm"><h2>Skadevägda hotspots</h2>' in html
    assert html.count("data:image/png;base64,") == 4  # map, harm map, harm curve, emerging
    pdf = render_pdf(lb)
    text = _pdf_text(pdf)
    for heading in ("Skadevägda hotspots", "Koncentration: andel av skadan",
                    "Skade-hotspots, störst skada först", "Förhöjd risk"):  # fmt: skip
        assert heading in text, heading
    if lb.near_repeat is not None and len(lb.near_repeat.zones):
        assert "Zoner med förhöjd risk vid periodens slut" in text
    reader = PdfReader(io.BytesIO(pdf))
    wide = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    assert len(wide) == 3  # the hotspot map, the harm map, the emerging map
    section = next(s for s in build_document(lb).sections if s.key == "harm")
    words = " ".join(p.text for p in section.paragraphs) + repr([t.rows for t in section.tables])
    for word in RESTRICTED_LABELS:  # internal tables count them; harm never names them
        assert word not in words


@pytest.mark.slow
def test_harm_and_near_repeat_sections_public_english(harm_lagesbild) -> None:
    lb = harm_lagesbild["public"]
    html = render_html(lb).decode("utf-8")
    text = _pdf_text(render_pdf(lb))
    for doc in (html, text):
        assert "Harm-weighted hotspots" in doc
        assert "Raised risk" in doc
        assert "Zones of raised risk at the end of the period, newest first" not in doc
        for word in RESTRICTED_LABELS:
            assert word not in doc
    near = lb.near_repeat
    assert near is not None
    assert near.zones.empty
    assert near.zone_areas is None
    for value in near.districts["zones"]:
        assert value is None or value >= 5
    for value in lb.harm.spots["incidents"]:
        assert value is None or pd.isna(value) or value >= 5
