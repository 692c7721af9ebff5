"""Harm benchmark (issue 16): harm spots against count spots, and Knox p-values against pointpats.

Part 1, harm. For the demo data (``hotspots demo --db`` into a temporary store) and the two
police.uk sets in ``../shared/data/policeuk`` (read through the police.uk reader, whose crime
types map to our codes), one count analysis per coverage and :func:`harm_analysis` on it with
the shipped brottsskadeindex weights (``--weights harm``):

- overlap of harm spots and count spots (Jaccard of cells, share of harm-spot cells inside
  count spots) and the share of all harm each kind of spot holds;
- concentration: the share of the cells that holds half of all harm and half of all
  incidents, the share of harm and of incidents in the top 1 % of cells, and the Gini of each
  (cells of the study area; police.uk points are snapped to anonymous points, so their cells
  concentrate more than the crimes themselves).

Study areas: the demo geography's urban land (25 m cells, 200 m quartic, as ``detect``); for
police.uk every 50 m cell within 500 m of an incident (as ``backtest_policeuk.py``; 150 m
quartic), since their extracts hold a few points geocoded far outside the force area.

Part 2, Knox. The Knox test of :mod:`hotspots.engine.nearrepeat` against PySAL pointpats'
``Knox`` on the same data (incidents of exact, address or street precision), one space band
and one time band, R permutations each (ours with its own ``rng``, pointpats with NumPy's
global seed): the same count of close pairs, and p-values whose difference is compared with
the Monte Carlo standard error of a difference of two independent estimates,
``sqrt(2 p (1 - p) / R)``. Demo categories have exact times (200 m, 14 days); police.uk times
are months, so there the time band is "the same month" (``tau = 0.5`` month on the month index).

Run from the project root: ``uv run python benchmarks/harm_bench.py [--out FILE.md]``
(a few minutes; pointpats' permutations run in Python). Contains public sector information
licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import argparse
import logging
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "policeuk"

from hotspots.core.config import AnalysisConfig  # noqa: E402
from hotspots.engine.harm import harm_analysis, load_weights  # noqa: E402
from hotspots.engine.nearrepeat import knox_by_category, knox_test  # noqa: E402
from hotspots.forecast.analysis import run_analysis  # noqa: E402

COVERAGES = (0.01, 0.05)
PERMUTATIONS = 999


def demo_incidents(tmp: Path) -> pd.DataFrame:
    from hotspots.store import open_store

    db = tmp / "demo.gpkg"
    subprocess.run(
        [sys.executable, "-m", "hotspots", "demo", "--db", str(db)],
        check=True,
        capture_output=True,
        cwd=tmp,
    )
    return open_store(db).incidents()


def policeuk_incidents(folder: str) -> pd.DataFrame:
    from hotspots.load.sources import load_incidents

    frames = [
        load_incidents(path, db=ROOT / "data" / "unused.gpkg")
        for path in sorted((DATA / folder).glob("*.csv"))
    ]
    crs = frames[0].crs
    return pd.concat([f.to_crs(crs) for f in frames], ignore_index=True)


def buffer_geography(incidents: pd.DataFrame, *, radius_m: float):
    """A study area of every place within ``radius_m`` of an incident (police.uk extracts hold
    a few points geocoded far outside the force area: their hull would be mostly empty)."""
    import geopandas as gpd
    import shapely

    from hotspots.spatial.geography import Geography
    from hotspots.spatial.points import frame_crs, point_xy

    crs = frame_crs(incidents)
    x, y = point_xy(incidents)
    xy = np.unique(np.column_stack((np.round(x), np.round(y))), axis=0)
    land = shapely.union_all(shapely.buffer(shapely.points(xy), radius_m, quad_segs=4))
    empty = shapely.GeometryCollection()
    districts = gpd.GeoDataFrame(
        {"name": pd.Series(dtype="string"), "population": pd.Series(dtype=float)},
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )
    roads = gpd.GeoDataFrame(
        {"name": [], "ref": [], "kind": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
    )
    places = gpd.GeoDataFrame(
        {"name": [], "kind": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
    )
    return Geography(
        crs=crs, municipality=land, water=empty, land=land, districts=districts, roads=roads,
        places=places, study_area="within 500 m of an incident",
    )  # fmt: skip


def harm_rows(name: str, incidents: pd.DataFrame, *, geography, cell_m: float, bw: float):
    weights = load_weights("harm")
    rows = []
    for coverage in COVERAGES:
        config = AnalysisConfig(bandwidth_m=bw, cell_m=cell_m, coverage=coverage)
        t0 = time.perf_counter()
        result = run_analysis(incidents, config=config, geography=geography)
        t1 = time.perf_counter()
        harm = harm_analysis(result, weights, geography=geography)
        t2 = time.perf_counter()
        p = harm.parameters()
        rows.append(
            {
                "data": name,
                "coverage": coverage,
                "n": len(result.incidents),
                "harm": harm.total_harm,
                "cells": harm.harm_curve.n_cells,
                "cell_m": cell_m,
                "bw": bw,
                "jaccard": harm.overlap.jaccard,
                "harm_in_count": harm.overlap.harm_in_count,
                "captured_harm_spots": p["harm_captured"]["harm_spots"],
                "captured_count_spots": p["harm_captured"]["count_spots"],
                "half_harm": harm.harm_curve.area_for(0.5),
                "half_count": harm.count_curve.area_for(0.5),
                "top1_harm": harm.harm_curve.share_in(0.01),
                "top1_count": harm.count_curve.share_in(0.01),
                "gini_harm": harm.harm_curve.gini,
                "gini_count": harm.count_curve.gini,
                "analysis_s": t1 - t0,
                "harm_s": t2 - t1,
            }
        )
    return rows


def harm_table(rows: list[dict]) -> str:
    lines = [
        "| data | coverage | incidents | harm (months) | Jaccard harm/count spots | harm spots "
        "in count spots | harm held by harm spots / count spots | cells for half the harm / "
        "incidents | harm / incidents in top 1 % of cells | Gini harm / incidents "
        "| harm_analysis s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['data']} ({r['cell_m']:g} m cells, {r['bw']:g} m quartic) | "
            f"{100 * r['coverage']:g} % | {r['n']} | {r['harm']:.0f} | {r['jaccard']:.3f} | "
            f"{r['harm_in_count']:.3f} | {100 * r['captured_harm_spots']:.1f} % / "
            f"{100 * r['captured_count_spots']:.1f} % | {100 * r['half_harm']:.2f} % / "
            f"{100 * r['half_count']:.2f} % | {100 * r['top1_harm']:.1f} % / "
            f"{100 * r['top1_count']:.1f} % | {r['gini_harm']:.3f} / {r['gini_count']:.3f} | "
            f"{r['harm_s']:.2f} |"
        )
    return "\n".join(lines)


def knox_rows(name: str, incidents: pd.DataFrame, *, categories, delta: float, monthly: bool):
    from pointpats.spacetime import Knox

    from hotspots.core.schema import KDE_PRECISIONS
    from hotspots.spatial.points import point_xy

    rows = []
    for code in categories:
        sel = incidents[
            (incidents["category"] == code) & incidents["precision"].isin(KDE_PRECISIONS)
        ]
        x, y = point_xy(sel)
        at = pd.DatetimeIndex(sel["occurred_at"])
        if monthly:
            t = np.asarray((at.year - at.year.min()) * 12 + at.month, dtype=float)
            tau, label = 0.5, "same month"
        else:
            t = (at.asi8 - at.asi8.min()) / 86_400e9
            tau, label = 14.0, "14 days"
        rng = np.random.default_rng(2026)
        t0 = time.perf_counter()
        ours = knox_test(
            x, y, t, distance_bands_m=(delta,), day_bands=(tau,), permutations=PERMUTATIONS,
            rng=rng,
        )  # fmt: skip
        t1 = time.perf_counter()
        np.random.seed(2026)  # noqa: NPY002 (pointpats permutes with the global generator)
        theirs = Knox(
            np.column_stack((x, y)), t.reshape(-1, 1), delta=delta, tau=tau,
            permutations=PERMUTATIONS,
        )  # fmt: skip
        t2 = time.perf_counter()
        p_ours = float(ours.p_value[0, 0])
        p_theirs = float(theirs.p_sim)
        p = 0.5 * (p_ours + p_theirs)
        se = math.sqrt(max(p * (1 - p), 1 / (PERMUTATIONS + 1)) * 2 / PERMUTATIONS)
        rows.append(
            {
                "data": name,
                "code": code,
                "n": len(sel),
                "band": f"{delta:g} m x {label}",
                "obs": int(ours.observed[0, 0]),
                "obs_pp": int(theirs.statistic_),
                "ratio": float(ours.ratio[0, 0]),
                "p": p_ours,
                "p_pp": p_theirs,
                "se": se,
                "z": abs(p_ours - p_theirs) / se,
                "ours_s": t1 - t0,
                "pp_s": t2 - t1,
            }
        )
    return rows


def knox_table(rows: list[dict]) -> str:
    lines = [
        f"| data | category | n | band | close pairs ours / pointpats | Knox ratio | p ours | "
        f"p pointpats | MC s.e. of difference | abs(difference) / s.e. | time ours / pointpats "
        f"(R = {PERMUTATIONS}) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['data']} | {r['code']} | {r['n']} | {r['band']} | {r['obs']} / {r['obs_pp']} "
            f"| {r['ratio']:.2f} | {r['p']:.3f} | {r['p_pp']:.3f} | {r['se']:.4f} | "
            f"{r['z']:.2f} | {r['ours_s']:.2f} s / {r['pp_s']:.2f} s |"
        )
    return "\n".join(lines)


def extents_table(incidents: pd.DataFrame) -> tuple[str, float]:
    t0 = time.perf_counter()
    analysis = knox_by_category(incidents, permutations=199, rng=np.random.default_rng(0))
    elapsed = time.perf_counter() - t0
    lines = [
        "| category | n | Knox ratio (100 m, 7 d) | p | near-repeat extent |",
        "|---|---|---|---|---|",
    ]
    for code, table in analysis.tables.items():
        extent = table.near_repeat_extent()
        lines.append(
            f"| {code} | {table.n_events} | {table.ratio[0, 0]:.2f} | {table.p_value[0, 0]:.3f} | "
            + (f"{extent.distance_m:g} m, {extent.days:g} days |" if extent else "none |")
        )
    return "\n".join(lines), elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, help="Also write the report to this Markdown file.")
    parser.add_argument(
        "--demo-db", type=Path, help="A demo store made earlier (default: a new `hotspots demo`)."
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    from hotspots.spatial.geography import default_geography

    parts = ["## Harm spots and count spots (brottsskadeindex weights, `--weights harm`)", ""]
    if args.demo_db is not None:
        from hotspots.store import open_store

        demo = open_store(args.demo_db).incidents()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            demo = demo_incidents(Path(tmp))
    geo = default_geography("EPSG:3006").with_study_area("urban")
    rows = harm_rows("demo", demo, geography=geo, cell_m=25.0, bw=200.0)
    have_uk = DATA.is_dir()
    uk = {}
    if have_uk:
        for name, folder in (
            ("City of London", "city-of-london"),
            ("West Yorkshire", "west-yorkshire"),
        ):
            uk[name] = policeuk_incidents(folder)
            area = buffer_geography(uk[name], radius_m=500.0)
            rows += harm_rows(name, uk[name], geography=area, cell_m=50.0, bw=150.0)
    else:
        parts.append(f"(police.uk data not found at {DATA}: only the demo)")
    parts += [harm_table(rows), ""]

    parts += ["## Knox test against pointpats", ""]
    krows = knox_rows(
        "demo",
        demo,
        categories=("robbery", "weapons", "unsafe_place", "dui", "motor_disorder"),
        delta=200.0,
        monthly=False,
    )
    for name, frame in uk.items():
        krows += knox_rows(
            name, frame, categories=("weapons", "robbery"), delta=100.0, monthly=True
        )
    parts += [knox_table(krows), ""]
    within = sum(r["z"] <= 3 for r in krows)
    parts.append(
        f"{within} of {len(krows)} p-values within 3 Monte Carlo standard errors of "
        f"pointpats'; close pairs identical in {sum(r['obs'] == r['obs_pp'] for r in krows)} "
        f"of {len(krows)}."
    )
    table, elapsed = extents_table(demo)
    parts += [
        "",
        f"## Near-repeat extents on the demo (4 x 4 bands, 199 permutations, {elapsed:.1f} s)",
        "",
        table,
    ]
    text = "\n".join(parts)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
