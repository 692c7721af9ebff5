"""The lägesbild's "Platser som upplevs otrygga men har få brott" (issue 14).

A new user read places whose mean score (2.7-2.9) was below the survey's overall mean (3.0)
and three rows with an empty "Nära". The list is built by
:func:`hotspots.est.lagesbild_tables.survey_summary` (only places clearly above the overall
mean) and named by :func:`~hotspots.est.lagesbild_tables.nearest_place` (a named place or
street, never nothing without saying why); the report's table is
:func:`hotspots.render.report.sections_followup.survey_section`.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from hotspots.est.lagesbild_tables import NEAR_M, nearest_place, survey_summary
from hotspots.render.report.document import near_text
from hotspots.render.report.sections_followup import survey_section

CRS = "EPSG:3006"


def _geography(
    places: list[tuple[str | None, float, float]],
    roads: list[tuple[str | None, str | None, float]],
) -> Any:
    """Places ``(name, x, y)`` and east-west roads ``(name, ref, y)``; one district ``D``."""
    place_frame = gpd.GeoDataFrame(
        {"name": [n for n, _, _ in places], "kind": ["square"] * len(places)},
        geometry=[Point(x, y) for _, x, y in places],
        crs=CRS,
    )
    road_frame = gpd.GeoDataFrame(
        {
            "name": [n for n, _, _ in roads],
            "ref": [r for _, r, _ in roads],
            "kind": ["street"] * len(roads),
        },
        geometry=[LineString([(-5000, y), (5000, y)]) for _, _, y in roads],
        crs=CRS,
    )
    return SimpleNamespace(
        places=place_frame,
        roads=road_frame,
        district_of=lambda geoms: pd.Series("D", index=geoms.index),
    )


HERE = Point(0, 0)


@pytest.mark.parametrize(
    ("places", "roads", "expected"),
    [
        # a named place within NEAR_M (400 m) wins over a nearer street
        ([("Torget", 300.0, 0.0)], [("Storgatan", None, 50.0)], ("Torget", 300.0)),
        # no place that near: the street within 400 m, named once ("E18", not "E18 (E18)")
        ([("Torget", 1200.0, 0.0)], [("E18", "E18", 150.0)], ("E18", 150.0)),
        ([("Torget", 1200.0, 0.0)], [("Ringleden", "63", -150.0)], ("Ringleden (63)", 150.0)),
        # nothing within 400 m: the place (a landmark), with its distance; else the street
        ([("Torget", 1200.0, 0.0)], [("Hagaleden", None, 600.0)], ("Torget", 1200.0)),
        ([], [("Hagaleden", None, 600.0)], ("Hagaleden", 600.0)),
        # unnamed places and roads are passed over
        ([(None, 10.0, 0.0), ("  ", 20.0, 0.0), ("Torget", 900.0, 0.0)], [], ("Torget", 900.0)),
        ([], [(None, None, 20.0), ("Hagaleden", None, -700.0)], ("Hagaleden", 700.0)),
    ],
)
def test_nearest_place_names_a_place_or_a_street(places, roads, expected) -> None:
    name, distance = nearest_place(_geography(places, roads), HERE)
    assert name == expected[0]
    assert distance == pytest.approx(expected[1])


def test_nothing_named_nearby_is_said_not_left_empty() -> None:
    for geography in (None, _geography([], []), _geography([(None, 5.0, 0.0)], [])):
        name, distance = nearest_place(geography, HERE)
        assert name == ""
        assert math.isnan(distance)
    assert near_text("", math.nan, "sv", within_m=NEAR_M) == (
        "inget namngivet ställe i kartunderlaget"
    )
    assert near_text(None, math.nan, "en", within_m=NEAR_M) == "no named place in the base map"


def test_near_text_golden() -> None:
    assert near_text("Torget", 300.0, "sv", within_m=NEAR_M) == "Torget"
    assert near_text("Torget", 650.0, "sv", within_m=NEAR_M) == "Torget (650 m)"
    assert near_text("Torget", 1234.0, "sv", within_m=NEAR_M) == "Torget (1,2 km)"
    assert near_text("Torget", 1234.0, "en", within_m=NEAR_M) == "Torget (1.2 km)"


def _survey_and_hotspots() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """100 marks scored 1-5 (mean 3.0) and five perceived places around the mean.

    Each place's square is 100 m wide and its marks' mean is given directly (as the engine
    reports it); the places lie 1 km apart along y = 0.
    """
    scores = np.tile([1, 2, 3, 4, 5], 20)
    survey = gpd.GeoDataFrame(
        {"unsafe": scores}, geometry=[Point(i, -3000) for i in range(100)], crs=CRS
    )
    # (marks, mean): the 2.7-2.9 below the mean of 3.0, one at it, two clearly above
    perceived = [(40, 2.7), (25, 2.9), (30, 3.0), (30, 4.6), (12, 4.2)]
    hotspots = gpd.GeoDataFrame(
        {
            "kind": ["perceived"] * 5,
            "rank": [1, 2, 3, 4, 5],
            "district": ["A", "B", "C", "D", "E"],
            "survey_marks": [m for m, _ in perceived],
            "mean_unsafe": [v for _, v in perceived],
        },
        geometry=[box(1000 * i, 0, 1000 * i + 100, 100) for i in range(5)],
        crs=CRS,
    )
    return survey, hotspots


def test_only_places_above_the_overall_mean_are_listed_golden() -> None:
    survey, hotspots = _survey_and_hotspots()
    # mean 3.0, sd sqrt(200 / 99) = 1.4213; z = (mean - 3.0) / (1.4213 / sqrt(marks)):
    #   2.7, 2.9 and 3.0 are not above the mean at all;
    #   (30, 4.6): 1.6 above, z = 6.17, listed; (12, 4.2): 1.2 above, z = 2.92, listed
    # Torget lies in place D's square (100 m from its representative point at most); place E
    # has Hagaleden 350 m north of it; the others are far from anything named
    geography = _geography([("Torget", 3050.0, 50.0)], [("Hagaleden", None, 400.0)])
    s = survey_summary(
        survey, geography=geography, hotspots=hotspots, privacy="internal", lang="sv"
    )
    assert s.mean_unsafe == pytest.approx(3.0)
    places = s.perceived_places
    assert places["district"].tolist() == ["D", "E"]
    assert places["marks"].tolist() == [30, 12]
    assert places["mean_unsafe"].tolist() == [4.6, 4.2]
    assert (places["mean_unsafe"] > s.mean_unsafe).all()
    assert places["near"].tolist() == ["Torget", "Hagaleden"]
    assert places["near_m"].iloc[0] <= 1.0
    assert places["near_m"].iloc[1] == pytest.approx(350.0)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_report_table_names_every_place_or_says_why_not(lang: str) -> None:
    survey, hotspots = _survey_and_hotspots()
    for geography, near in (
        (_geography([("Torget", 3050.0, 50.0)], [("Hagaleden", None, 400.0)]), None),
        (
            None,
            "inget namngivet ställe i kartunderlaget"
            if lang == "sv"
            else "no named place in the base map",
        ),
    ):
        s = survey_summary(
            survey, geography=geography, hotspots=hotspots, privacy="internal", lang=lang
        )  # type: ignore[arg-type]
        section = survey_section(SimpleNamespace(lang=lang, survey=s))  # type: ignore[arg-type]
        caption = "Platser som upplevs otrygga" if lang == "sv" else "Places perceived as unsafe"
        table = next(t for t in section.tables if t.caption.startswith(caption))
        assert table.headers[1] == ("Nära" if lang == "sv" else "Near")
        assert [row[3] for row in table.rows] == (
            ["4,6", "4,2"] if lang == "sv" else ["4.6", "4.2"]
        )
        cells = [row[1] for row in table.rows]
        assert all(cells), cells
        assert cells == (["Torget", "Hagaleden"] if near is None else [near, near])
