"""`hotspots detect --snap-to-land-m/--dropped`: a cluster planted just off a shoreline is moved
onto land and found; incidents in water or outside the study area are counted in one line
and listed, never dropped silently."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.cli import run
from hotspots.io.csv_safety import read_excel_csv
from hotspots.spatial.geography import Geography, default_geography

#: A point on the demo geography's shoreline in Karlstad (land to the west, the river east).
SHORE_X, SHORE_Y = 415_010.0, 6_585_140.0
N_CLUSTER, N_DEEP, N_OUTSIDE, N_BACKGROUND = 60, 9, 7, 150


@pytest.fixture(scope="module")
def geography() -> Geography:
    return default_geography("EPSG:3006").with_study_area("urban")


def _points(geography: Geography) -> pd.DataFrame:
    """Background on the town's land, a cluster 8-16 m off the shore, points far out in the
    water and points on land outside the districts (with hand-checked preconditions)."""
    rng = np.random.default_rng(7)
    land, water = geography.land, geography.water
    # background: uniform on the study area's land around the centre
    bx = rng.uniform(411_000, 416_000, 4000)
    by = rng.uniform(6_581_500, 6_586_000, 4000)
    on = shapely.contains_xy(land, bx, by)
    bx, by = bx[on][:N_BACKGROUND], by[on][:N_BACKGROUND]
    # the cluster: in the river, 8-16 m east of the shore, spread 60 m along it
    cx = SHORE_X + rng.uniform(8, 16, N_CLUSTER)
    cy = SHORE_Y + rng.uniform(-30, 30, N_CLUSTER)
    # far out in the water: farther than 25 m from any land
    far = np.array([[SHORE_X + d, SHORE_Y] for d in range(40, 400, 5)])
    deep = far[
        shapely.contains_xy(water, far[:, 0], far[:, 1])
        & (shapely.distance(land, shapely.points(far)) > 30)
    ][:N_DEEP]
    # outside the study area: land of the municipality east of the districts
    ox = np.full(N_OUTSIDE, 428_000.0) + np.arange(N_OUTSIDE) * 50
    oy = np.full(N_OUTSIDE, 6_588_000.0)
    frame = pd.DataFrame(
        {
            "x": np.concatenate([bx, cx, deep[:, 0], ox]),
            "y": np.concatenate([by, cy, deep[:, 1], oy]),
            "kind": ["background"] * len(bx)
            + ["cluster"] * N_CLUSTER
            + ["deep"] * len(deep)
            + ["outside"] * N_OUTSIDE,
        }
    )
    n = len(frame)
    frame["id"] = [f"i{i}" for i in range(n)]
    times = pd.Timestamp("2025-03-01 20:00") + pd.to_timedelta(rng.integers(0, 200, n), "D")
    frame["occurred_at"] = times.strftime("%Y-%m-%d %H:%M")
    frame["category"] = "assault_public"
    return frame


def _preconditions(frame: pd.DataFrame, geography: Geography) -> None:
    x, y, kind = frame["x"].to_numpy(), frame["y"].to_numpy(), frame["kind"].to_numpy()
    land = shapely.contains_xy(geography.land, x, y)
    water = shapely.contains_xy(geography.water, x, y)
    dist = shapely.distance(geography.land, shapely.points(x, y))
    assert land[kind == "background"].all()
    assert len(frame[kind == "background"]) == N_BACKGROUND
    assert water[kind == "cluster"].all()
    assert (dist[kind == "cluster"] < 25).all()
    assert water[kind == "deep"].all()
    assert (dist[kind == "deep"] > 25).all()
    assert (kind == "deep").sum() == N_DEEP
    assert not (land | water)[kind == "outside"].any()
    assert shapely.contains_xy(
        geography.municipality, x[kind == "outside"], y[kind == "outside"]
    ).all()


def _near_shore(out: Path) -> float:
    """Distance (m) from the cluster's shore to the nearest crime hotspot written."""
    hot = gpd.read_file(out).to_crs(3006)
    hot = hot[hot["kind"] == "crime"]
    return float(hot.distance(shapely.Point(SHORE_X, SHORE_Y)).min()) if len(hot) else np.inf


def test_cluster_off_the_shore_is_moved_onto_land_and_the_rest_counted(
    tmp_path: Path, geography: Geography, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _points(geography)
    _preconditions(frame, geography)
    src = tmp_path / "incidents.csv"
    frame.drop(columns="kind").to_csv(src, index=False)
    out, dropped = tmp_path / "h.geojson", tmp_path / "lists" / "utanfor.csv"
    args = ["detect", str(src), "--out", str(out), "--db", str(tmp_path / "none.gpkg")]
    args += ["--bandwidth-m", "150", "--coverage", "0.02"]
    assert run([*args, "--dropped", str(dropped)]) == 0
    printed = capsys.readouterr().err
    left_out = N_DEEP + N_OUTSIDE
    assert (
        f"{left_out} incidents left out of the analysis ({N_OUTSIDE} outside the study area "
        f"(land of the districts), {N_DEEP} in water); {N_CLUSTER} moved onto land from just "
        "off the shore"
    ) in printed
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["n_incidents"] == len(frame) - left_out
    assert (doc["n_left_out"], doc["n_outside_study_area"], doc["n_in_water"]) == (
        left_out,
        N_OUTSIDE,
        N_DEEP,
    )
    assert (doc["n_moved_onto_land"], doc["snap_to_land_m"]) == (N_CLUSTER, 25.0)
    assert _near_shore(out) < 30  # the cluster is found, on the shore

    # a file's incidents are listed by time, category and place (a store's also by id)
    listed = read_excel_csv(dropped)
    assert list(listed.columns) == [
        "Tidpunkt",
        "Kategori",
        "Lägesnoggrannhet",
        "X (m)",
        "Y (m)",
        "Orsak",
        "Avstånd till land (m)",
    ]
    xy = listed[["X (m)", "Y (m)"]].apply(lambda c: c.str.replace(",", ".").astype(float))
    place = frame.assign(x=frame["x"].round(1), y=frame["y"].round(1)).set_index(["x", "y"])
    kinds = place.loc[list(zip(xy["X (m)"], xy["Y (m)"], strict=True)), "kind"].tolist()
    assert sorted(kinds) == ["deep"] * N_DEEP + ["outside"] * N_OUTSIDE
    reasons = listed["Orsak"].tolist()
    assert all(
        r == ("i vatten" if k == "deep" else "utanför studieområdet")
        for k, r in zip(kinds, reasons, strict=True)
    )
    assert set(listed["Kategori"]) == {"Misshandel i offentlig miljö"}
    deep = listed[listed["Orsak"] == "i vatten"]
    assert (deep["Avstånd till land (m)"].str.replace(",", ".").astype(float) > 25).all()


def test_the_store_s_incidents_are_listed_by_id(
    tmp_path: Path, geography: Geography, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _points(geography)
    src = tmp_path / "incidents.csv"
    frame.drop(columns="kind").to_csv(src, index=False)
    db = tmp_path / "s.gpkg"
    assert run(["import", str(src), "--db", str(db)]) == 0
    dropped = tmp_path / "utanfor.csv"
    args = ["detect", "--out", str(tmp_path / "h.geojson"), "--db", str(db)]
    assert run([*args, "--bandwidth-m", "150", "--dropped", str(dropped)]) == 0
    assert f"{N_DEEP + N_OUTSIDE} incidents left out" in capsys.readouterr().err
    listed = read_excel_csv(dropped)
    assert list(listed.columns)[:2] == ["Id", "Tidpunkt"]
    expected = frame.loc[frame["kind"].isin(["deep", "outside"]), "id"]
    assert sorted(listed["Id"]) == sorted(expected)


def test_without_snapping_the_cluster_is_left_out_in_water(
    tmp_path: Path, geography: Geography, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _points(geography)
    src = tmp_path / "incidents.csv"
    frame.drop(columns="kind").to_csv(src, index=False)
    out = tmp_path / "h.geojson"
    args = ["detect", str(src), "--out", str(out), "--db", str(tmp_path / "none.gpkg")]
    args += ["--bandwidth-m", "150", "--coverage", "0.02", "--snap-to-land-m", "0"]
    assert run(args) == 0
    printed = capsys.readouterr().err
    in_water = N_DEEP + N_CLUSTER
    assert (
        f"{in_water + N_OUTSIDE} incidents left out of the analysis ({N_OUTSIDE} outside the "
        f"study area (land of the districts), {in_water} in water)\n"
    ) in printed
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["n_incidents"] == N_BACKGROUND
    assert doc["n_moved_onto_land"] == 0
    assert _near_shore(out) > 100  # nothing found where the cluster was


def test_bad_placement_options_exit_2(
    tmp_path: Path, geography: Geography, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "incidents.csv"
    _points(geography).drop(columns="kind").to_csv(src, index=False)
    out = tmp_path / "h.geojson"
    base = ["detect", str(src), "--out", str(out), "--db", str(tmp_path / "none.gpkg")]
    assert run([*base, "--dropped", str(tmp_path / "x.txt")]) == 2
    assert "--dropped" in capsys.readouterr().err
    assert run([*base, "--snap-to-land-m", "-1"]) == 2
    capsys.readouterr()


def test_snapshot_counts_and_lists_in_its_language(
    tmp_path: Path, geography: Geography, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "incidents.csv"
    _points(geography).drop(columns="kind").to_csv(src, index=False)
    out, dropped = tmp_path / "map.html", tmp_path / "left_out.csv"
    args = ["snapshot", str(src), "--out", str(out), "--db", str(tmp_path / "none.gpkg")]
    args += ["--bandwidth-m", "150", "--no-plan", "--lang", "en", "--dropped", str(dropped)]
    assert run(args) == 0
    printed = capsys.readouterr()
    assert f"{N_DEEP + N_OUTSIDE} incidents left out of the analysis" in printed.err
    assert f"from {N_BACKGROUND + N_CLUSTER} incidents" in printed.out
    listed = read_excel_csv(dropped)
    assert list(listed.columns)[:3] == ["Id", "Time", "Category"]  # a file's own ids
    assert sorted(set(listed["Reason"])) == ["in water", "outside the study area"]
    assert run([*args[:-2], "--dropped", str(tmp_path / "x.json")]) == 2
    assert "--dropped" in capsys.readouterr().err
