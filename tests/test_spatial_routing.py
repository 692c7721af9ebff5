"""Routed patrols (issue 15, part 3) on a small synthetic town written with pyosmium's writer.

The town: a 4 x 4 block grid of named residential streets (``Gata 0-4`` east-west, ``Väg
0-4`` north-south), a footway across one block, ``Hamnvägen`` (primary) leaving the grid to
the east over a bridge and on for 570 m without a side street to ``Sidogatan``, then as a
trunk road (``Riksväg 63``); a car park beside Hamnvägen; the motorway E18 along the north.
It is built into a geography GeoPackage (``hotspots geography build``) and loaded with its
street layer, as a user would.

Checked: a loop round a block follows the streets (every vertex on a walkable street), its
length is the sum of the network's shortest paths (computed here on a graph of every
segment, with the stops inserted) and the perimeter of the block; the walking time is the
length over the speed; traffic-check sites are never on the bridge, the trunk road or the
motorway, and each has a side street or lay-by within 150 m; a plan on the built geography
routes its loops, a plan on a geography without streets says it draws straight lines.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from osm_town import grid_lonlat, write_osm_pbf
from pyproj import Transformer
from shapely.geometry import LineString, Point

from hotspots.core.config import AnalysisConfig, Filters
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE
from hotspots.planning import PlanOptions, make_plan
from hotspots.render.leaflet.build import _straight_loops
from hotspots.render.leaflet.legend import legend_sections
from hotspots.spatial import routing
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import Geography, load_geography

TO_3006 = Transformer.from_crs(4326, 3006, always_xy=True)


def _xy(i: float, j: float) -> np.ndarray:
    """EPSG:3006 metres of grid position (i, j) (osm_town.grid_lonlat: 0.001 degree steps)."""
    return np.array(TO_3006.transform(*grid_lonlat(i, j)))


#: The grid: street crossings at i = 2, 4, 6, 8, 10 (east) and j = 2, 3, 4, 5, 6 (north).
GRID_I = (2, 4, 6, 8, 10)
GRID_J = (2, 3, 4, 5, 6)


def _grid_id(a: int, b: int) -> int:
    return 1000 + 10 * a + b


@pytest.fixture(scope="module")
def pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nodes: dict[int, tuple[float, float]] = {
        1: (0, 0),
        2: (40, 0),
        3: (40, 20),
        4: (0, 20),
        # Hamnvägen east of the grid (leaves Väg 4 at j = 4): bridge 14 -> 16
        20: (12, 4),
        21: (14, 4),
        22: (16, 4),
        23: (26, 4),  # junction with Sidogatan
        26: (23, 4),  # a service road south to a depot
        27: (23, 2),
        24: (36, 4),  # end of Riksväg 63
        25: (26, 8),  # Sidogatan's north end
        # river under the bridge
        30: (14.3, 0),
        31: (15.7, 0),
        32: (15.7, 20),
        33: (14.3, 20),
        # the district Centrum round the town
        50: (1, 1),
        51: (30, 1),
        52: (30, 10),
        53: (1, 10),
        # E18 along the north
        40: (0, 14),
        41: (20, 14),
        42: (36, 14),
    }
    for a, i in enumerate(GRID_I):
        for b, j in enumerate(GRID_J):
            nodes[_grid_id(a, b)] = (i, j)
    ways: list[tuple[int, list[int], dict[str, str]]] = [
        (1, [1, 2, 3, 4, 1], {}),
        (2, [30, 31, 32, 33, 30], {"natural": "water", "water": "river", "name": "Älven"}),
        (3, [50, 51, 52, 53, 50], {"place": "suburb", "name": "Centrum"}),
    ]
    wid = 10
    for b in range(len(GRID_J)):
        refs = [_grid_id(a, b) for a in range(len(GRID_I))]
        ways.append((wid, refs, {"highway": "residential", "name": f"Gata {b}"}))
        wid += 1
    for a in range(len(GRID_I)):
        refs = [_grid_id(a, b) for b in range(len(GRID_J))]
        ways.append((wid, refs, {"highway": "residential", "name": f"Väg {a}"}))
        wid += 1
    ways += [
        # a footway diagonally across the block between Väg 0-1 and Gata 0-1
        (30, [_grid_id(0, 0), _grid_id(1, 1)], {"highway": "footway", "name": "Parkstigen"}),
        (31, [_grid_id(4, 2), 20, 21], {"highway": "primary", "name": "Hamnvägen"}),
        (32, [21, 22], {"highway": "primary", "name": "Hamnvägen", "bridge": "yes"}),
        (33, [22, 26, 23], {"highway": "primary", "name": "Hamnvägen"}),
        (37, [26, 27], {"highway": "service", "name": "Depåvägen"}),
        (34, [23, 24], {"highway": "trunk", "ref": "63", "name": "Riksväg 63"}),
        (35, [23, 25], {"highway": "residential", "name": "Sidogatan"}),
        (36, [40, 41, 42], {"highway": "motorway", "ref": "E18", "name": "E18"}),
    ]
    return write_osm_pbf(
        tmp_path_factory.mktemp("osm") / "town.osm.pbf",
        nodes={nid: grid_lonlat(i, j) for nid, (i, j) in nodes.items()},
        # a car park 111 m north of Hamnvägen (a lay-by for the traffic checks)
        tagged_nodes=[(90, grid_lonlat(20, 5), {"amenity": "parking"})],
        ways=ways,
    )


@pytest.fixture(scope="module")
def geo(pbf: Path, tmp_path_factory: pytest.TempPathFactory) -> Geography:
    out = write_geography(build_geography(pbf), tmp_path_factory.mktemp("geo") / "town.gpkg")
    overrides: dict[str, str | Path] = {}
    for layer in ("municipality", "water", "districts", "roads", "places", "streets"):
        overrides[layer] = out
        overrides[f"{layer}_layer"] = layer
    return load_geography(overrides=overrides)


def _walk_lines(geo: Geography) -> np.ndarray:
    assert geo.streets is not None
    return geo.streets[geo.streets["walk"].astype(bool)].geometry.to_numpy()


def _on_streets(coords: np.ndarray, lines: np.ndarray, tol_m: float = 1e-6) -> np.ndarray:
    """Distance of each point to the nearest line."""
    tree = shapely.STRtree(lines)
    _, dist = tree.query_nearest(shapely.points(coords), return_distance=True, all_matches=False)
    return np.asarray(dist)


def _segment_graph(lines: np.ndarray, stops: np.ndarray) -> tuple[nx.Graph, list[tuple]]:
    """An independent graph: one edge per straight segment, the stops inserted as nodes."""
    segs: list[tuple[np.ndarray, np.ndarray]] = []
    for line in lines:
        c = np.asarray(line.coords)
        segs += [(c[k], c[k + 1]) for k in range(len(c) - 1)]
    stop_keys: list[tuple] = []
    split: dict[int, list[np.ndarray]] = {}
    for s in stops:
        d = [LineString(seg).distance(Point(s)) for seg in segs]
        k = int(np.argmin(d))
        seg = LineString(segs[k])
        p = np.asarray(seg.interpolate(seg.project(Point(s))).coords[0])
        split.setdefault(k, []).append(p)
        stop_keys.append(tuple(np.round(p, 3)))
    g = nx.Graph()
    for k, (a, b) in enumerate(segs):
        inner = sorted(split.get(k, []), key=lambda p, a=a: float(np.hypot(*(p - a))))
        chain = [a, *inner, b]
        for p, q in itertools.pairwise(chain):
            u, v = tuple(np.round(p, 3)), tuple(np.round(q, 3))
            w = float(np.hypot(*(q - p)))
            if u != v and (not g.has_edge(u, v) or g.edges[u, v]["w"] > w):
                g.add_edge(u, v, w=w)
    return g, stop_keys


# ------------------------------------------------------------------------------ the network
def test_geography_carries_its_street_network(geo: Geography) -> None:
    assert geo.streets is not None
    assert {"walk", "drive", "bridge", "highway", "kind", "name"} <= set(geo.streets.columns)
    walk = routing.network_of(geo, "walk")
    drive = routing.network_of(geo, "drive")
    assert walk is not None
    assert drive is not None
    # walking: the grid, the footway and Hamnvägen/Sidogatan; not the motorway or trunk road
    assert "footway" in set(walk.attributes["highway"])
    assert not {"motorway", "trunk"} & set(walk.attributes["highway"])
    # driving: everything but the footway; the E18 is its own component, kept (2 km long)
    assert "footway" not in set(drive.attributes["highway"])
    assert {"motorway", "trunk", "primary"} <= set(drive.attributes["highway"])
    # cached per street layer: a copy cut to a study area shares the graph
    assert routing.network_of(geo, "walk") is walk
    assert routing.network_of(geo.with_study_area("urban"), "walk") is walk
    # the demo geography has no network
    assert routing.network_of(SimpleNamespace(streets=None), "walk") is None


def test_a_loop_round_a_block_follows_the_streets(geo: Geography) -> None:
    walk = routing.network_of(geo, "walk")
    assert walk is not None
    # the block between Väg 2-3 and Gata 2-3: a stop 10 m inside the middle of each side
    corners = [_xy(6, 4), _xy(8, 4), _xy(8, 5), _xy(6, 5)]  # anticlockwise from south-west
    centre = np.mean(corners, axis=0)
    stops = []
    for k in range(4):
        mid = (corners[k] + corners[(k + 1) % 4]) / 2
        stops.append(mid + 10.0 * (centre - mid) / np.hypot(*(centre - mid)))
    stops = np.array(stops)
    route = routing.route_loop(walk, stops, walking_speed_kmh=4.5)

    lines = _walk_lines(geo)
    coords = np.asarray(route.line.coords)
    assert route.line.is_ring
    assert _on_streets(coords, lines).max() < 1e-6  # every vertex on a street
    assert _on_streets(route.stops_xy, lines).max() < 1e-6
    assert_allclose(route.moved_m, 10.0, atol=0.5)

    # golden: round the block, its perimeter (the four sides between the corners)
    perimeter = sum(float(np.hypot(*(corners[k] - corners[k - 1]))) for k in range(4))
    assert route.length_m == pytest.approx(perimeter, abs=0.01)
    assert route.line.length == pytest.approx(route.length_m, abs=0.01)
    assert sum(route.leg_m) == pytest.approx(route.length_m)

    # the length is the sum of shortest paths on an independent graph of every segment
    g, keys = _segment_graph(lines, stops)
    expected = sum(
        nx.shortest_path_length(g, keys[k], keys[(k + 1) % len(keys)], weight="w")
        for k in range(len(keys))
    )
    assert route.length_m == pytest.approx(expected, abs=0.01)

    # walking time: length over speed
    assert route.walk_minutes == pytest.approx(route.length_m / (4.5 * 1000 / 60))
    slow = routing.route_loop(walk, stops, walking_speed_kmh=3.0)
    assert slow.walk_minutes == pytest.approx(route.walk_minutes * 4.5 / 3.0)


def test_a_loop_takes_the_footway_when_it_is_shorter(geo: Geography) -> None:
    walk = routing.network_of(geo, "walk")
    assert walk is not None
    # stops near the two ends of Parkstigen: through the block, not round it
    a, b = _xy(2, 2), _xy(4, 3)
    stops = np.array([_xy(2.05, 1.96), _xy(3.95, 3.04)])
    route = routing.route_loop(walk, stops)
    lines = _walk_lines(geo)
    assert _on_streets(np.asarray(route.line.coords), lines).max() < 1e-6
    g, keys = _segment_graph(lines, stops)
    there = nx.shortest_path_length(g, keys[0], keys[1], weight="w")
    assert route.length_m == pytest.approx(2 * there, abs=0.01)
    diagonal = float(np.hypot(*(b - a)))
    round_block = float(np.hypot(*(_xy(4, 2) - a)) + np.hypot(*(b - _xy(4, 2))))
    assert route.length_m < 2 * round_block - 50  # the footway, not the streets round
    assert route.length_m == pytest.approx(2 * diagonal, abs=20)  # stops a few m off its ends
    assert route.walk_minutes == pytest.approx(
        routing.walk_minutes(route.length_m, routing.DEFAULT_WALKING_SPEED_KMH)
    )


def _catchment_is_whole(line: Any, radius_m: float) -> bool:
    """The line's buffer covers the buffer of each of its segments (GEOS ring buffers may not)."""
    c = np.asarray(line.coords)
    segments = shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1))
    whole = shapely.union_all(shapely.buffer(segments, radius_m))
    return bool(line.buffer(radius_m).area == pytest.approx(whole.area, rel=5e-3))


def test_a_loop_out_and_back_along_a_dead_end(geo: Geography) -> None:
    walk = routing.network_of(geo, "walk")
    assert walk is not None
    # Hamnvägen at the car park, the dead end of Sidogatan, and a corner of the grid
    stops = np.array([_xy(20, 4.07), _xy(26, 7.5), _xy(9.93, 5.96)])
    route = routing.route_loop(walk, stops)
    coords = np.asarray(route.line.coords)
    assert _on_streets(coords, _walk_lines(geo)).max() < 1e-6
    g, keys = _segment_graph(_walk_lines(geo), stops)
    expected = sum(
        nx.shortest_path_length(g, keys[k], keys[(k + 1) % 3], weight="w") for k in range(3)
    )
    assert route.length_m == pytest.approx(expected, abs=0.01)
    # it walks Sidogatan twice: the line ends a micrometre short of its start, so that its
    # buffer (a patrol's catchment) is whole
    assert not route.line.is_simple
    assert float(np.hypot(*(coords[-1] - coords[0]))) < 1e-5
    assert _catchment_is_whole(route.line, 100.0)
    closed = LineString([*coords[:-1], coords[0]])
    assert closed.length == pytest.approx(route.length_m, abs=1e-4)


def test_a_single_stop_and_bad_input(geo: Geography) -> None:
    walk = routing.network_of(geo, "walk")
    assert walk is not None
    one = routing.route_loop(walk, _xy(6, 4)[None, :] + 5.0)
    assert one.line.geom_type == "Point"
    assert one.length_m == 0.0
    assert one.walk_minutes == 0.0
    with pytest.raises(InputSchemaError, match="at least one stop"):
        routing.route_loop(walk, np.zeros((0, 2)))
    with pytest.raises(InputSchemaError, match="km/h"):
        routing.route_loop(walk, np.array([_xy(6, 4), _xy(8, 4)]), walking_speed_kmh=0.0)
    with pytest.raises(InputSchemaError, match="walk or drive"):
        routing.street_network(geo.streets, mode="fly")  # type: ignore[arg-type]


def test_stops_on_separate_networks_are_not_joined(geo: Geography) -> None:
    drive = routing.network_of(geo, "drive")
    assert drive is not None
    # one stop on the E18 (its own component), one on the grid
    at = routing.snap(drive, np.array([_xy(10, 14), _xy(6, 4)]))
    assert at.component[0] != at.component[1]
    with pytest.raises(InsufficientDataError, match="not connected"):
        routing.route_loop(drive, np.array([_xy(10, 14), _xy(6, 4)]))


# ----------------------------------------------------------------------- traffic-check sites
def _junctions_and_parks(geo: Geography) -> np.ndarray:
    """Junction points of ordinary drivable roads (3+ edges) and car parks."""
    assert geo.streets is not None
    s = geo.streets[geo.streets["drive"].astype(bool)]
    s = s[~s["highway"].isin(["motorway", "motorway_link", "trunk", "trunk_link"])]
    ends = [tuple(np.round(c, 2)) for g in s.geometry for c in (g.coords[0], g.coords[-1])]
    # (service roads count: a car can be pulled into one)
    counts = pd.Series(ends).value_counts()
    junctions = [np.array(k) for k, n in counts.items() if n >= 3]
    parks = [np.asarray(p.coords[0]) for p in geo.places_of("car_park").geometry]
    return np.array(junctions + parks)


def test_traffic_sites_are_off_bridges_and_motorways_with_a_side_street_near(
    geo: Geography,
) -> None:
    sites = routing.safe_stop_sites(geo)
    assert sites is not None
    assert len(sites.xy) > 20
    assert geo.streets is not None
    bad = geo.streets[
        geo.streets["bridge"].astype(bool)
        | geo.streets["highway"].isin(["motorway", "trunk", "service"])
    ]
    assert set(bad["name"]) == {"Hamnvägen", "E18", "Riksväg 63", "Depåvägen"}
    off = shapely.distance(shapely.points(sites.xy)[:, None], bad.geometry.to_numpy()[None, :])
    assert off.min() > 1.0  # never on the bridge, the trunk road, the motorway or a service road
    assert not set(sites.highway) & {"motorway", "trunk", "service"}
    assert set(sites.kind) <= {"primary", "secondary", "street"}
    assert "primary" in set(sites.kind)  # Hamnvägen off its bridge
    assert (sites.side_m <= 150.0).all()
    # a side street or lay-by within 150 m, checked here in a straight line
    near = _junctions_and_parks(geo)
    d = np.hypot(*(sites.xy[:, None, :] - near[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    assert (d <= 150.0 + 1e-6).all()
    # on Hamnvägen between the bridge and the car park's reach, nothing; beside it, sites;
    # and where the service road joins (a side street to pull into, though no site itself)
    x16, x18, x20, x23 = (_xy(i, 4)[0] for i in (16.3, 18, 20, 23))
    on_hamn = sites.name == "Hamnvägen"
    assert not (on_hamn & (sites.xy[:, 0] > x16) & (sites.xy[:, 0] < x18)).any()
    assert (on_hamn & (np.abs(sites.xy[:, 0] - x20) < 60)).any()
    assert (on_hamn & (np.abs(sites.xy[:, 0] - x23) < 30)).any()


def test_no_drivable_network_no_sites() -> None:
    assert routing.safe_stop_sites(SimpleNamespace(streets=None)) is None


# ------------------------------------------------------------------------------- the plan
def _incidents(centres: list[tuple[np.ndarray, str, int]], seed: int = 3) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    monday = pd.Timestamp("2026-01-05", tz=TIMEZONE)
    xs, ys, cats, times = [], [], [], []
    for (cx, cy), category, n in centres:
        xs.append(rng.normal(cx, 25, n))
        ys.append(rng.normal(cy, 25, n))
        cats += [category] * n
        for _ in range(n):  # Friday and Saturday evenings
            day = 7 * int(rng.integers(0, 30)) + int(rng.choice([4, 5]))
            times.append(monday + pd.Timedelta(days=day, hours=21, minutes=int(rng.integers(120))))
    n = len(cats)
    frame = pd.DataFrame(
        {
            "id": [f"i{i}" for i in range(n)],
            "occurred_at": pd.DatetimeIndex(times).tz_convert(TIMEZONE),
            "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
            "time_precision": "exact",
            "category": cats,
            "source_category": cats,
            "precision": "exact",
            "source": "polis",
            "description": "",
            "import_id": "synthetic",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    x, y = np.concatenate(xs), np.concatenate(ys)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs="EPSG:3006")


def _plan(geo: Any) -> Any:
    block = (_xy(6, 4) + _xy(8, 5)) / 2
    incidents = _incidents(
        [
            # assaults at the four corners of a block: a loop of four stops
            (_xy(6, 4), "assault_public", 30),
            (_xy(8, 4), "assault_public", 30),
            (_xy(8, 5), "assault_public", 30),
            (_xy(6, 5), "assault_public", 30),
            (_xy(15, 4), "dui", 30),  # on the bridge
            (_xy(20, 14), "dui", 30),  # on the motorway
        ]
    )
    hot = gpd.GeoDataFrame(
        {"rank": [1], "kind": ["crime"], "incidents": [120]},
        geometry=[Point(block).buffer(150)],
        crs="EPSG:3006",
    )
    result = SimpleNamespace(hotspots=hot, config=AnalysisConfig(filters=Filters()))
    return make_plan(
        result,
        geography=geo,
        incidents=incidents,
        options=PlanOptions(
            week="2026-W50",
            now=dt.datetime(2026, 12, 4, 12),
            kinds=("foot_patrol", "traffic_check"),
            include_proactive=True,  # drink-driving is found by police checks
        ),
    )


def test_plan_on_a_built_geography_routes_loops_and_sites_checks_safely(geo: Geography) -> None:
    plan = _plan(geo)
    s = plan.suggestions
    foot = s[s["kind"] == "foot_patrol"]
    loops = foot[foot.geometry.geom_type == "LineString"]
    assert len(loops) >= 1
    lines = _walk_lines(geo)
    for r in loops.itertuples():
        assert r.loop_path == "streets"
        assert _on_streets(np.asarray(r.geometry.coords), lines).max() < 1e-6
        assert r.loop_length_m == pytest.approx(r.geometry.length, abs=0.1)
        assert _catchment_is_whole(r.geometry, 100.0)
        assert r.walk_minutes == pytest.approx(r.loop_length_m / (4000 / 60), abs=0.1)
        assert "följer gatorna" in r.reason_sv
        assert "follows the streets" in r.reason_en
        assert "raka linjer" not in r.reason_sv
    traffic = s[s["kind"] == "traffic_check"]
    assert len(traffic) >= 1
    near = _junctions_and_parks(geo)
    assert geo.streets is not None
    bad = geo.streets[
        geo.streets["bridge"].astype(bool)
        | geo.streets["highway"].isin(["motorway", "trunk", "service"])
    ].geometry.to_numpy()
    for r in traffic.itertuples():
        p = np.asarray(r.geometry.coords[0])
        assert min(Point(p).distance(b) for b in bad) > 1.0
        assert np.hypot(*(near - p).T).min() <= 150.0 + 1e-6
        assert r.road_class in {"primary", "secondary", "street"}
        assert "inte på bro eller motorväg" in r.reason_sv
        assert "not on a bridge or a motorway" in r.reason_en


def test_plan_without_a_network_says_it_draws_straight_lines(geo: Geography) -> None:
    bare = Geography(
        crs=geo.crs,
        municipality=geo.municipality,
        water=geo.water,
        land=geo.land,
        districts=geo.districts,
        roads=geo.roads,
        places=geo.places,
    )
    assert bare.streets is None
    plan = _plan(bare)
    s = plan.suggestions
    loops = s[(s["kind"] == "foot_patrol") & (s.geometry.geom_type == "LineString")]
    assert len(loops) >= 1
    for r in loops.itertuples():
        assert r.loop_path == "straight"
        assert "raka linjer" in r.reason_sv
        assert "straight lines" in r.reason_en
        assert r.loop_length_m == pytest.approx(r.geometry.length, abs=0.1)
        # straight: the line's vertices are the stops and the loop closes
        assert len(r.geometry.coords) == r.stops + 1
    traffic = s[s["kind"] == "traffic_check"]
    assert (traffic["road_class"] == "").all()
    # the map's legend says so too, in both languages; a routed plan's legend does not
    assert _straight_loops(s)
    assert not _straight_loops(_plan(geo).suggestions)
    for lang, text in (("sv", "Slingorna är raka linjer"), ("en", "Loops are straight lines")):
        sections = dict(
            legend_sections(
                classes=None,
                survey_classes=None,
                kinds=["foot_patrol"],
                n_hotspots=0,
                n_perceived=0,
                lang=lang,  # type: ignore[arg-type]
                straight_loops=_straight_loops(s),
            )
        )
        assert text in sections["suggestions"]
