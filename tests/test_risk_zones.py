"""The "Förhöjd risk" layer: zones from a planted near-repeat pattern, its privacy profiles,
and the layer on the Leaflet map (off until toggled, legend entry) and on the static map."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.core.config import TIMEZONE
from hotspots.core.i18n import t
from hotspots.core.schema import INCIDENT_COLUMNS
from hotspots.engine.nearrepeat import NearRepeatExtent
from hotspots.engine.risk_zones import RecentZones, recent_zones
from hotspots.render import labels
from hotspots.render.leaflet import MapOptions, build_map, map_html
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.privacy import MapContent
from hotspots.render.risk_zones import (
    AREA_COLUMNS,
    PUBLIC_CELL_M,
    RISK_KEY,
    ZONE_COLUMNS,
    risk_zone_layer,
    risk_zones_of,
    with_risk_zones,
)

AS_OF = pd.Timestamp("2026-11-23 00:00", tz=TIMEZONE)
#: A point far outside every district of the demo geography (still in the municipality).
FAR = (430_000.0, 6_600_000.0)


@pytest.fixture(scope="module")
def geography():
    from hotspots.load.settings import base_geography

    return base_geography(None, metric_crs="EPSG:3006")


def _lattice_in(polygon, n: int, step_m: float = 500.0) -> list[tuple[float, float]]:
    """``n`` points of a ``step_m`` lattice well inside ``polygon`` (none within 400 m of
    another, so they make no close pair of their own)."""
    inner = polygon.buffer(-60.0)
    x0, y0, x1, y1 = inner.bounds
    points = [
        (float(x), float(y))
        for y in np.arange(y0 + step_m / 2, y1, step_m)
        for x in np.arange(x0 + step_m / 2, x1, step_m)
        if inner.contains(shapely.Point(x, y))
    ]
    assert len(points) >= n
    return points[:n]


def _district(geography, name: str):
    d = geography.districts
    return d.geometry[d["name"] == name].iloc[0]


@pytest.fixture(scope="module")
def planted(geography) -> gpd.GeoDataFrame:
    """Robberies in pairs (40 m, 2 days apart) over the year before AS_OF; in its last week six
    robberies in Kronoparken, two in Haga and one outside every district; violence in close
    relationships in pairs and recent too (never tested); vandalism at random."""
    rng = np.random.default_rng(12345)
    xs, ys, ts, cs = [], [], [], []
    for code, n_pairs in (("robbery", 40), ("domestic_violence", 40)):
        for _ in range(n_pairs):
            x, y = rng.uniform(410_000, 420_000), rng.uniform(6_581_000, 6_587_000)
            when = AS_OF - pd.Timedelta(days=float(rng.uniform(30, 350)))
            xs += [x, x + 30.0]
            ys += [y, y + 25.0]
            ts += [when, when + pd.Timedelta(days=2)]
            cs += [code, code]
    recent = [
        *_lattice_in(_district(geography, "Kronoparken"), 6),
        *_lattice_in(_district(geography, "Haga"), 2, step_m=420.0),
        FAR,
    ]
    for k, (x, y) in enumerate(recent):
        xs.append(x)
        ys.append(y)
        ts.append(AS_OF - pd.Timedelta(hours=12 + 13 * k))
        cs.append("robbery")
    for k, (x, y) in enumerate(recent[:6]):  # the same places: never a zone
        xs.append(x + 5.0)
        ys.append(y)
        ts.append(AS_OF - pd.Timedelta(hours=20 + 13 * k))
        cs.append("domestic_violence")
    for _ in range(150):
        xs.append(rng.uniform(410_000, 420_000))
        ys.append(rng.uniform(6_581_000, 6_587_000))
        ts.append(AS_OF - pd.Timedelta(days=float(rng.uniform(1, 360))))
        cs.append("vandalism")
    n = len(xs)
    times = pd.DatetimeIndex(ts).tz_convert(TIMEZONE)
    frame = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "occurred_at": times,
            "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
            "time_precision": "exact",
            "category": cs,
            "source_category": cs,
            "precision": "exact",
            "source": "polis",
            "description": "",
            "import_id": "fixture",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(xs, ys), crs="EPSG:3006")


@pytest.fixture(scope="module")
def zones(planted):
    return recent_zones(planted, as_of=AS_OF)


def _recent_robberies(planted: gpd.GeoDataFrame, days: float) -> gpd.GeoDataFrame:
    at = planted["occurred_at"]
    keep = (planted["category"] == "robbery") & (at >= AS_OF - pd.Timedelta(days=days))
    return planted[keep.to_numpy()]


def test_zones_of_a_planted_near_repeat_pattern(zones, planted) -> None:
    assert set(zones.extents) == {"robbery"}  # vandalism is random, the restricted untested
    extent = zones.extents["robbery"]
    assert (extent.distance_m, extent.days) == (100.0, 7.0)  # the first band of each
    assert extent.p_value == pytest.approx(1 / 200)
    recent = _recent_robberies(planted, extent.days)
    assert len(recent) == 9
    z = zones.zones
    assert len(z) == zones.n_zones == 9
    assert set(z["category"]) == {"robbery"}
    # a circle of the Knox distance around each recent robbery, in force for its days
    centres = np.array(sorted((p.x, p.y) for p in z.geometry.centroid))
    points = np.array(sorted((p.x, p.y) for p in recent.geometry))
    np.testing.assert_allclose(centres, points, atol=0.01)
    assert z.geometry.area.to_numpy() == pytest.approx(np.pi * 100.0**2, rel=0.01)
    assert ((z["valid_until"] - z["occurred_at"]) == pd.Timedelta(days=7)).all()
    assert (z["valid_until"] >= AS_OF).all()
    assert zones.parameters["seed"] == 0
    assert zones.parameters["n_tested"] == 2  # robbery and vandalism


def test_the_same_data_give_the_same_zones(zones, planted) -> None:
    again = recent_zones(planted, as_of=AS_OF)
    assert again.extents == zones.extents
    pd.testing.assert_frame_equal(
        pd.DataFrame(again.zones.drop(columns="geometry")),
        pd.DataFrame(zones.zones.drop(columns="geometry")),
    )


def test_internal_layer_is_the_circles(zones, geography) -> None:
    layer = risk_zone_layer(zones, profile="internal", geography=geography)
    assert layer.profile == "internal"
    assert list(layer.areas.columns) == [*ZONE_COLUMNS, "geometry"]
    assert len(layer.areas) == layer.n_zones == 9
    assert layer.as_of.isoformat() == "2026-11-22"  # the last day before AS_OF
    assert layer.extents == (
        ("robbery", 100.0, 7.0, pytest.approx(zones.extents["robbery"].ratio, abs=1e-4)),
    )
    assert (layer.areas["valid_until"] >= layer.as_of).all()
    planning = risk_zone_layer(zones, profile="planning", geography=geography)
    assert planning.profile == "internal"


def test_public_layer_locates_no_incident(zones, planted, geography) -> None:
    """Counts per district (five or more), no circle, no time, no incident coordinates."""
    layer = risk_zone_layer(zones, profile="public", geography=geography)
    areas = layer.areas
    assert list(areas.columns) == [*AREA_COLUMNS, "geometry"]
    # Kronoparken holds six zones; Haga's two and the lone one outside are suppressed
    assert areas["area"].tolist() == ["Kronoparken"]
    assert areas["zones"].tolist() == [6]
    assert areas["by_category"].tolist() == [(("robbery", 6),)]
    assert layer.n_zones == 9  # a total of five or more may be said
    assert areas.geometry.iloc[0].equals(_district(geography, "Kronoparken"))
    # no time of any incident, no vertex at or near an incident
    assert not {"occurred", "valid_until", "occurred_at"} & set(areas.columns)
    vertices = shapely.get_coordinates(areas.geometry.to_numpy())
    recent = _recent_robberies(planted, 7.0)
    for x, y in shapely.get_coordinates(recent.geometry.to_numpy()):
        assert np.min(np.hypot(vertices[:, 0] - x, vertices[:, 1] - y)) > 50.0


def _hand_zones(centres: list[tuple[float, float]], codes: list[str]) -> RecentZones:
    """Zones of 100 m and 7 days around ``centres`` (by hand, no Knox test)."""
    n = len(centres)
    when = pd.Series([AS_OF - pd.Timedelta(days=1)] * n)
    frame = gpd.GeoDataFrame(
        {
            "category": codes,
            "occurred_at": when,
            "valid_until": when + pd.Timedelta(days=7),
            "distance_m": 100.0,
            "days": 7.0,
            "knox_ratio": 3.0,
        },
        geometry=shapely.buffer(shapely.points(centres), 100.0),
        crs="EPSG:3006",
    )
    extents = {c: NearRepeatExtent(100.0, 7.0, 3.0, 0.005) for c in set(codes)}
    return RecentZones(zones=frame, extents=extents, as_of=AS_OF)


def test_public_layer_without_districts_counts_in_km_squares() -> None:
    """Six zones in the square 430-431 km east, 6600-6601 km north (four robberies, two
    burglaries), two in the next square: one square drawn, its burglaries suppressed."""
    inside = [(430_100.0 + 150 * k, 6_600_500.0) for k in range(6)]
    beside = [(431_300.0, 6_600_500.0), (431_600.0, 6_600_700.0)]
    codes = ["robbery"] * 4 + ["vandalism"] * 2 + ["robbery"] * 2
    layer = risk_zone_layer(_hand_zones(inside + beside, codes), profile="public")
    assert len(layer.areas) == 1
    row = layer.areas.iloc[0]
    assert row["area"] == ""
    assert row["zones"] == 6
    assert row["by_category"] == (("robbery", None), ("vandalism", None))  # 4 and 2: under 5
    assert row.geometry.bounds == (430_000.0, 6_600_000.0, 431_000.0, 6_601_000.0)
    assert PUBLIC_CELL_M == 1000.0
    assert layer.n_zones == 8
    restricted = _hand_zones(inside, ["sexual_offence"] * 6)  # never drawn, in any profile
    assert risk_zone_layer(restricted, profile="public").areas.empty
    assert risk_zone_layer(restricted, profile="internal").areas.empty
    assert risk_zone_layer(restricted, profile="internal").extents == ()


def test_public_total_under_five_is_suppressed(planted) -> None:
    two_days = recent_zones(planted, as_of=AS_OF - pd.Timedelta(days=2, hours=18))
    n = two_days.n_zones
    assert 0 < n < 5
    layer = risk_zone_layer(two_days, profile="public", geography=None)
    assert layer.n_zones is None
    assert layer.areas.empty


def test_restricted_categories_never_make_a_zone(planted) -> None:
    only_dv = planted[planted["category"] == "domestic_violence"]
    assert len(only_dv) == 86
    nothing = recent_zones(only_dv, as_of=AS_OF)
    assert nothing.extents == {}
    assert nothing.zones.empty
    assert nothing.parameters["n_tested"] == 0


# ------------------------------------------------------------------------------ the maps


def _content(crs: str = "EPSG:3006", profile: str = "internal") -> MapContent:
    empty = gpd.GeoDataFrame({"kind": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=crs))
    return MapContent(
        profile=profile,  # type: ignore[arg-type]
        crs=crs,
        grid=None,
        density=None,
        survey_density=None,
        hotspots=empty,
        incidents=None,
        suggestions=None,
        schedule=None,
        parameters={"coverage": 0.05},
        filters=None,
        n_incidents=0,
        period=None,
    )


def _js(text: str) -> str:
    """``text`` as it appears inside the page's JSON strings."""
    text = json.dumps(escape_html(text))[1:-1]
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return text


def test_content_carries_the_layer_of_its_own_profile(zones, geography) -> None:
    internal = with_risk_zones(_content(), zones, geography=geography)
    public = with_risk_zones(_content(profile="public"), zones, geography=geography)
    assert risk_zones_of(internal).profile == "internal"
    assert risk_zones_of(public).profile == "public"
    assert RISK_KEY in public.extra
    plain = _content()
    assert with_risk_zones(plain, None) is plain
    assert risk_zones_of(_content()) is None


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_leaflet_layer_off_until_toggled_with_a_legend_entry(zones, geography, lang) -> None:
    content = with_risk_zones(_content(), zones, geography=geography)
    m = build_map(content, options=MapOptions(lang=lang))
    page = map_html(m)
    name = t("layer_risk", lang)
    assert _js(name) in page  # in the layer control
    layer = next(
        c for c in m._children.values() if getattr(c, "layer_name", "") == escape_html(name)
    )
    assert layer.show is False  # off when the map opens
    assert f"{layer.get_name()}.addTo(" not in page
    assert len(layer.data["features"]) == 9
    assert 'data-hs=\\"risk\\"' in page  # the legend entry, shown with the layer
    assert _js(t("legend_risk", lang)) in page
    robbery = labels.category("robbery", lang)
    extent = t("legend_risk_extent", lang, category=robbery, distance="100", days="7")
    assert _js(extent) in page  # "Rån: 100 m, 7 dagar"


def test_public_leaflet_layer_has_no_incident_coordinates(zones, planted, geography) -> None:
    content = with_risk_zones(_content(profile="public"), zones, geography=geography)
    m = build_map(content, options=MapOptions(lang="sv"))
    layer = next(
        c
        for c in m._children.values()
        if getattr(c, "layer_name", "") == escape_html(t("layer_risk", "sv"))
    )
    features = layer.data["features"]
    assert len(features) == 1  # Kronoparken
    props = features[0]["properties"]
    assert "Kronoparken" in props["_t"]
    wgs = planted.to_crs(4326)
    coords = {(round(p.x, 5), round(p.y, 5)) for p in wgs.geometry}
    ring = shapely.get_coordinates(shapely.geometry.shape(features[0]["geometry"]))
    assert not coords & {(round(x, 5), round(y, 5)) for x, y in ring}
    page = map_html(m)
    for day in ("2026-11-22", "2026-11-21", "2026-11-20"):  # no incident date
        assert day not in json.dumps(features)
    assert "2026-11-29" not in page  # no valid-until date either


def test_static_map_draws_the_zones_with_a_legend_entry(zones, geography) -> None:
    from hotspots.render.static_map import render_static_map

    content = with_risk_zones(_content(), zones, geography=geography)
    fig = render_static_map(
        content, geography=None, lang="en", bounds=(410_000, 6_580_000, 421_000, 6_588_000)
    )
    legend = fig.axes[1].get_legend()
    texts = [x.get_text().replace("\n", " ") for x in legend.get_texts()]
    assert any(x.startswith(t("legend_risk", "en")) for x in texts), texts
    assert any("9 zones in force on 2026-11-22" in x for x in texts), texts
    public = with_risk_zones(_content(profile="public"), zones, geography=geography)
    fig = render_static_map(
        public, geography=None, lang="sv", bounds=(410_000, 6_580_000, 421_000, 6_588_000)
    )
    texts = [x.get_text().replace("\n", " ") for x in fig.axes[1].get_legend().get_texts()]
    assert any("färre än 5 visas inte" in x for x in texts), texts


@pytest.mark.slow
def test_snapshot_raised_risk_adds_the_layer(tmp_path, planted, capsys) -> None:
    """``hotspots snapshot --raised-risk``: the layer and its legend in the HTML (the zones of
    the data's last week); without the flag, no layer."""
    from hotspots.cli import run

    frame = planted.drop(columns="geometry").copy()
    frame["x"] = planted.geometry.x
    frame["y"] = planted.geometry.y
    frame["occurred_at"] = frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    path = tmp_path / "incidents.csv"
    cols = ["id", "occurred_at", "category", "x", "y", "precision", "source"]
    frame[cols].to_csv(path, index=False)
    common = ["snapshot", str(path), "--db", str(tmp_path / "none.gpkg"), "--bandwidth-m", "200"]
    name = _js(t("layer_risk", "sv"))
    extent = _js(t("legend_risk_extent", "sv", category=labels.category("robbery", "sv"),
                   distance="100", days="7"))  # fmt: skip
    with_layer, without = tmp_path / "with.html", tmp_path / "without.html"
    assert run([*common, "--out", str(with_layer), "--raised-risk"]) == 0, capsys.readouterr().err
    assert run([*common, "--out", str(without)]) == 0, capsys.readouterr().err
    page = with_layer.read_text(encoding="utf-8")
    assert name in page
    assert extent in page
    assert name not in without.read_text(encoding="utf-8")


def test_zones_follow_the_categories_and_the_end_not_the_hours(zones, planted) -> None:
    """A night-only or weekend map shows the zones in force (from every hour's incidents):
    the app and snapshot ask with the analysis's filters and get the same zones."""
    from hotspots.core.config import Filters, HourWindow
    from hotspots.engine.risk_zones import zones_for_filters

    end = AS_OF.date()
    every = zones_for_filters(planted, Filters(until=end))
    narrowed = zones_for_filters(
        planted,
        Filters(until=end, since=end - pd.Timedelta(days=20), hours=HourWindow(22, 4),
                weekdays=(4, 5)),
    )  # fmt: skip
    assert every.extents == narrowed.extents == zones.extents
    pd.testing.assert_frame_equal(
        pd.DataFrame(narrowed.zones.drop(columns="geometry")),
        pd.DataFrame(zones.zones.drop(columns="geometry")),
    )
    # the categories do choose: vandalism alone is random, so no zone
    only_vandalism = zones_for_filters(planted, Filters(categories=("vandalism",), until=end))
    assert only_vandalism.n_zones == 0
