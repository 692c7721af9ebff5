"""Planted hotspots: the share of planted clusters the engine recovers, over many seeds.

Target (issue 3): at least 90 % of the planted clusters lie inside the hotspots at 2 % coverage,
and their ``peak_hours`` overlap the planted hours. Two settings per seed, both with the
generator of :mod:`hotspots.demo.synthetic`:

* ``open``: 8 clusters of 40 incidents plus 2,500 background incidents in an 8 x 6 km box, no
  geography (the study area is the data's extent);
* ``karlstad``: 10 clusters of 30 incidents plus 3,000 background incidents on the land of the
  demo geography around the centre (clusters and background never in water).

Run: ``uv run python benchmarks/planted_bench.py --json`` (last line: one JSON object).
"""

from __future__ import annotations

import argparse
import json
import logging

from shapely.geometry import Point

from hotspots.core.config import AnalysisConfig
from hotspots.demo.synthetic import PlantedCluster, planted_incidents, random_clusters
from hotspots.forecast.analysis import run_analysis
from hotspots.spatial.geography import Geography, default_geography

logger = logging.getLogger("planted_bench")

OPEN_BOUNDS = (400_000.0, 6_580_000.0, 408_000.0, 6_586_000.0)
CENTRE = (413_600.0, 6_584_200.0)


def recovered(clusters: list[PlantedCluster], hotspots: object) -> tuple[int, int]:
    """Clusters whose centre lies in a hotspot, and of those the ones with an overlapping peak."""
    found = overlap = 0
    for c in clusters:
        inside = hotspots[hotspots.contains(Point(c.x, c.y))]  # type: ignore[index]
        if len(inside):
            found += 1
            overlap += bool(set(inside.iloc[0]["peak_hours"]) & set(c.hours.hours()))
    return found, overlap


def run_seed(seed: int, geo: Geography) -> dict[str, tuple[int, int, int]]:
    """``{setting: (planted, found, peak hours overlapping)}`` for one seed."""
    config = AnalysisConfig(coverage=0.02)
    out: dict[str, tuple[int, int, int]] = {}
    clusters = random_clusters(8, bounds=OPEN_BOUNDS, seed=seed, n_per_cluster=40)
    frame = planted_incidents(clusters, background_n=2500, bounds=OPEN_BOUNDS, seed=seed)
    hot = run_analysis(frame, config=config, geography=None).hotspots
    out["open"] = (len(clusters), *recovered(clusters, hot))
    x, y = CENTRE
    bounds = (x - 6000, y - 5000, x + 6000, y + 5000)
    clusters = random_clusters(10, bounds=bounds, seed=seed, n_per_cluster=30, within=geo.land)
    frame = planted_incidents(
        clusters, background_n=3000, bounds=bounds, within=geo.land, seed=seed
    )
    hot = run_analysis(frame, config=config, geography=geo).hotspots
    out["karlstad"] = (len(clusters), *recovered(clusters, hot))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds 1..N")
    parser.add_argument("--json", action="store_true", help="print the JSON summary line")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("hotspots").setLevel(logging.WARNING)
    geo = default_geography()
    totals = {"open": [0, 0, 0], "karlstad": [0, 0, 0]}
    for seed in range(1, args.seeds + 1):
        per = run_seed(seed, geo)
        logger.info("seed %d: %s", seed, per)
        for key, values in per.items():
            totals[key] = [a + b for a, b in zip(totals[key], values, strict=True)]
    summary: dict[str, object] = {"benchmark": "planted", "seeds": args.seeds, "coverage": 0.02}
    for key, (planted, found, overlap) in totals.items():
        summary[key] = {
            "planted": planted,
            "recovered": found,
            "recovered_share": round(found / planted, 4),
            "peak_hours_overlap_share": round(overlap / found, 4) if found else None,
        }
    summary["targets"] = {"recovered_share": 0.9}
    if args.json:
        print(json.dumps(summary))
    else:
        logger.info("%s", summary)


if __name__ == "__main__":
    main()
