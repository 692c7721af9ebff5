"""Benchmark: ``hotspots detect`` on a 1,000,000-incident CSV against pandas reading the CSV.

The CSV (``id, occurred_at, category, x, y`` in EPSG:3006) holds planted clusters in central
Karlstad plus background spread over the municipality's land. The command analyses the default
study area of the demo geography (the land of the districts, about 90 km², 25 m cells); the
per-stage timing in this process runs on the whole municipality (about 1,380 km²) for contrast.

Measured in the same run, each in a fresh Python process, best of ``--repeats`` interleaved runs:

* ``detect_s``: the wall time of ``hotspots detect FILE --out ... --cell-m 25`` as a command,
  including interpreter start-up, imports, reading and validating the CSV, the analysis and
  writing the GeoJSON;
* ``pandas_cmd_s``: the wall time of the command ``python -c "import pandas;
  pandas.read_csv(FILE)"``: what pandas needs to read the file, start-up and import included,
  as for detect. ``detect_over_pandas_cmd`` is the like-for-like ratio the target is judged on;
* ``pandas_s``: the ``pandas.read_csv`` call alone (imports and start-up excluded), and
  ``detect_over_pandas``, detect's wall time over it, for reference;
* ``peak_rss_mb``: the detect process's peak resident memory (``ru_maxrss``).

Targets: ``detect_s <= 4 x pandas_cmd_s`` and ``peak_rss_mb < 2048``. The last line printed is
one JSON object. Run: ``uv run python benchmarks/detect_bench.py --json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from hotspots.demo.synthetic import planted_incidents, random_clusters
from hotspots.spatial.geography import default_geography

logger = logging.getLogger("detect_bench")


def make_csv(path: Path, n: int, seed: int) -> None:
    """Write ``n`` incidents: 40 % in 60 clusters near the centre, 60 % over the land."""
    geo = default_geography()
    minx, miny, maxx, maxy = geo.land.bounds
    centre = (413_600.0, 6_584_200.0)
    n_clusters = 60
    per = int(0.4 * n) // n_clusters
    clusters = random_clusters(
        n_clusters,
        bounds=(centre[0] - 5000, centre[1] - 4000, centre[0] + 5000, centre[1] + 4000),
        seed=seed,
        n_per_cluster=per,
        radius_m=120.0,
        min_separation_m=400.0,
        within=geo.land,
    )
    frame = planted_incidents(
        clusters,
        background_n=n - per * n_clusters,
        bounds=(minx, miny, maxx, maxy),
        within=geo.land,
        seed=seed,
        start="2024-11-18",
        days=728,
    )
    table = pd.DataFrame(
        {
            "id": frame["id"],
            "occurred_at": frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "category": frame["category"],
            "x": frame.geometry.x.round(1),
            "y": frame.geometry.y.round(1),
        }
    )
    table.to_csv(path, index=False)


def stage_times(csv: Path, work: Path) -> dict[str, float]:
    """Time the stages of detect in this process: read+validate (as detect reads a file: a
    point frame, on two cores where there are two), analysis, GeoJSON."""
    from hotspots.core.config import AnalysisConfig
    from hotspots.export.geojson import write_geojson
    from hotspots.forecast.analysis import run_analysis
    from hotspots.load.sources import load_incidents
    from hotspots.spatial.geography import choose_geography

    t0 = time.perf_counter()
    frame = load_incidents(csv, db=work / "absent.gpkg", analysis_only=True)
    t1 = time.perf_counter()
    geo = choose_geography(frame, "EPSG:3006")
    result = run_analysis(frame, config=AnalysisConfig(cell_m=25.0), geography=geo)
    t2 = time.perf_counter()
    write_geojson(result.hotspots, work / "stage.geojson", properties=result.parameters)
    t3 = time.perf_counter()
    out = {
        "load_incidents": round(t1 - t0, 2),
        "run_analysis": round(t2 - t1, 2),
        "write_geojson": round(t3 - t2, 2),
    }
    logger.info("stages in process: %s", out)
    return out


_PANDAS = """
import sys, time
t = time.perf_counter()
import pandas as pd
f = pd.read_csv(sys.argv[1])
print(time.perf_counter() - t, len(f))
"""
_PANDAS_CALL = """
import sys, time, pandas as pd
t = time.perf_counter(); f = pd.read_csv(sys.argv[1]); s = time.perf_counter() - t
print(s, len(f))
"""


def _wall(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
    return time.perf_counter() - t, proc


def measure(csv: Path, work: Path, repeats: int) -> dict[str, float]:
    """Best of ``repeats`` runs of each command, interleaved so that load affects all alike."""
    geojson = work / "hotspots.geojson"
    detect = [
        sys.executable, "-m", "hotspots", "detect", str(csv), "--out", str(geojson),
        "--cell-m", "25", "--db", str(work / "absent.gpkg"),
    ]  # fmt: skip
    times: dict[str, list[float]] = {"detect": [], "pandas_cmd": [], "pandas_call": []}
    rows = 0
    for _ in range(repeats):
        wall, proc = _wall(detect)
        if proc.returncode != 0:
            logger.error("detect failed (%d): %s", proc.returncode, proc.stderr)
            sys.exit(1)
        times["detect"].append(wall)
        logger.info("hotspots detect: %.2f s; %s", wall, proc.stdout.strip())
        wall, proc = _wall([sys.executable, "-c", _PANDAS, str(csv)])
        times["pandas_cmd"].append(wall)
        rows = int(proc.stdout.split()[1])
        proc = subprocess.run(
            [sys.executable, "-c", _PANDAS_CALL, str(csv)], check=True, capture_output=True,
            text=True,
        )  # fmt: skip
        times["pandas_call"].append(float(proc.stdout.split()[0]))
    # the children's peak is detect's: the pandas processes need far less
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    logger.info("runs (s): %s", {k: [round(v, 2) for v in vs] for k, vs in times.items()})
    return {
        "detect_s": min(times["detect"]),
        "pandas_cmd_s": min(times["pandas_cmd"]),
        "pandas_s": min(times["pandas_call"]),
        "peak_rss_mb": peak_kb / 1024,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the JSON summary line")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each; the best counts")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--no-stages", action="store_true", help="skip the in-process per-stage timing"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="detect_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    csv = work / f"incidents_{args.n}.csv"
    if not csv.exists():
        t = time.perf_counter()
        make_csv(csv, args.n, args.seed)
        logger.info("wrote %s (%.0f MB) in %.1f s", csv, csv.stat().st_size / 1e6,
                    time.perf_counter() - t)  # fmt: skip

    m = measure(csv, work, args.repeats)
    stages = {} if args.no_stages else stage_times(csv, work)
    data = json.loads((work / "hotspots.geojson").read_text(encoding="utf-8"))
    summary = {
        "benchmark": "detect",
        "n_incidents_csv": m["rows"],
        "n_incidents_analysed": data["n_incidents"],
        "n_hotspots": len(data["features"]),
        "cell_m": data["cell_m"],
        "study_area_km2": data["study_area_km2"],
        "csv_mb": round(csv.stat().st_size / 1e6, 1),
        "repeats": args.repeats,
        "detect_s": round(m["detect_s"], 3),
        "pandas_cmd_s": round(m["pandas_cmd_s"], 3),
        "pandas_s": round(m["pandas_s"], 3),
        "detect_over_pandas_cmd": round(m["detect_s"] / m["pandas_cmd_s"], 2),
        "detect_over_pandas": round(m["detect_s"] / m["pandas_s"], 2),
        "peak_rss_mb": round(m["peak_rss_mb"], 1),
        "stages_in_process_s": stages,
        "targets": {"detect_over_pandas_cmd": 4, "peak_rss_mb": 2048},
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        logger.info("%s", summary)


if __name__ == "__main__":
    main()
