"""Benchmark: 1,000,000 GPS pings turned into visits -- seconds and peak memory.

A seeded synthetic week of patrol tracks: ``--units`` units (a third on foot at 1.4 m/s, the
rest driving at 8-12 m/s), pinging every 5-10 s with 5 m jitter, going between ``--places``
places in a 6 x 6 km town and stopping at most of them for 2-30 minutes, until ``--pings``
pings are written (1,000,000 by default). Two measurements, each in a child process of its
own so that its peak resident memory (``ru_maxrss``) is its own:

``memory``
    The computation alone, on a ping frame already in memory: stops
    (:func:`~hotspots.dosage.stops.detect_stops`), passages and visits at the places
    (:func:`~hotspots.dosage.movement.movement_from_pings`) and the per place, day and shift
    table (:func:`~hotspots.dosage.visits.visit_summary`).
``end_to_end``
    What ``hotspots tracks import`` and ``hotspots tracks visits`` do: read and validate the
    CSV, pseudonymise, store in the tracks GeoPackage in one transaction, read the week back
    and turn it into visits.
``end_to_end_postgres`` (with ``--postgres``)
    The same with the tracks in a PostgreSQL store (:class:`~hotspots.dosage.storage_pg.
    PgTrackStore`, a throwaway cluster of :mod:`hotspots.store.pg_cluster`); the peak memory
    is the benchmark process's, not the server's.

The last line printed is one JSON object. Run:
``uv run python benchmarks/dosage_bench.py [--pings 1000000] [--units 60] [--places 150]
[--postgres]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TZ = "Europe/Stockholm"
X0, Y0 = 410_000.0, 6_580_000.0
WEEK_START = pd.Timestamp("2026-11-23 07:00", tz=TZ)


def make_pings(n_pings: int, *, units: int, places: int, seed: int) -> tuple[pd.DataFrame, dict]:
    """Seeded synthetic tracks of about ``n_pings`` pings, and the place areas."""
    from shapely.geometry import Point

    from hotspots.dosage.synthetic import Waypoint, simulate_track

    rng = np.random.default_rng(seed)
    sites = rng.uniform(0, 6000, size=(places, 2)) + np.array([X0, Y0])
    areas = {
        f"P{k}": Point(x, y).buffer(rng.choice([60.0, 100.0, 150.0]))
        for k, (x, y) in enumerate(sites)
    }
    per_unit = n_pings // units
    frames = []
    for u in range(units):
        foot = u % 3 == 0
        speed = 1.4 if foot else float(rng.uniform(8, 12))
        interval = float(rng.choice([5.0, 10.0]))
        wanted_s = per_unit * interval
        wps = [Waypoint(*sites[rng.integers(places)])]
        total = 0.0
        while total < wanted_s:
            x, y = sites[rng.integers(places)]
            dwell = (
                float(rng.choice([0, 120, 300, 600, 780, 900, 1200, 1800]))
                if rng.random() < 0.8
                else 0.0
            )
            total += np.hypot(x - wps[-1].x, y - wps[-1].y) / speed + dwell
            wps.append(Waypoint(x, y, dwell))
        pings, _ = simulate_track(
            wps,
            unit=f"U-{u:03d}",
            start=WEEK_START + pd.Timedelta(hours=int(u % 3) * 8),
            speed_m_s=speed,
            interval_s=interval,
            jitter_m=5.0,
            rng=rng,
        )
        frames.append(pings.iloc[:per_unit])
    return pd.concat(frames, ignore_index=True), areas


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_memory(args: argparse.Namespace) -> dict:
    from hotspots.dosage.movement import movement_from_pings
    from hotspots.dosage.visits import visit_summary

    pings, areas = make_pings(args.pings, units=args.units, places=args.places, seed=args.seed)
    rss_data = _peak_mb()
    t0 = time.perf_counter()
    movement = movement_from_pings(pings, areas)
    t1 = time.perf_counter()
    table = visit_summary(movement.visits, movement.passages)
    t2 = time.perf_counter()
    return {
        "pings": len(pings),
        "stops": len(movement.stops),
        "visits": len(movement.visits),
        "koper_visits": int(movement.visits["koper"].isin(["koper", "long"]).sum()),
        "passages": len(movement.passages),
        "drive_throughs": int((~movement.passages["stopped"].astype(bool)).sum()),
        "table_rows": len(table),
        "stops_passages_visits_s": round(t1 - t0, 2),
        "summary_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "peak_rss_mb_with_data": round(_peak_mb(), 1),
        "peak_rss_mb_after_generating": round(rss_data, 1),
        "peak_rss_growth_mb": round(_peak_mb() - rss_data, 1),
    }


def phase_write_csv(args: argparse.Namespace) -> dict:
    pings, _ = make_pings(args.pings, units=args.units, places=args.places, seed=args.seed)
    local = pd.to_datetime(pings["t_ms"], unit="ms", utc=True).dt.tz_convert(TZ)
    frame = pd.DataFrame(
        {
            "unit": pings["unit"],
            "time": local.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "x": pings["x"].round(2),
            "y": pings["y"].round(2),
        }
    )
    frame.to_csv(args.csv, sep=";", index=False)
    return {"pings": len(frame), "csv_mb": round(Path(args.csv).stat().st_size / 2**20, 1)}


def phase_end_to_end(args: argparse.Namespace) -> dict:
    from hotspots.dosage.movement import load_movement
    from hotspots.dosage.pings import read_pings
    from hotspots.dosage.pseudonym import PseudonymKey
    from hotspots.dosage.storage import GpkgTrackStore, ImportRecord, TrackStore
    from hotspots.dosage.storage_pg import PgTrackStore
    from hotspots.dosage.visits import visit_summary

    _, areas = make_pings(1000, units=1, places=args.places, seed=args.seed)  # same places
    key = PseudonymKey(secret=b"benchmark-key-0123456789abcdef-0123")
    store: TrackStore = (
        PgTrackStore(args.tracks_url)
        if args.tracks_url
        else GpkgTrackStore(Path(args.csv).with_suffix(".tracks.gpkg"))
    )
    t0 = time.perf_counter()
    reading = read_pings(Path(args.csv), key=key, now=pd.Timestamp("2026-12-04", tz=TZ))
    t1 = time.perf_counter()
    record = ImportRecord(
        "bench",
        "pings.csv",
        "pings",
        reading.rows_read,
        len(reading.pings),
        reading.rejected,
        key.key_id,
    )
    store.add_pings(reading.pings, record)
    t2 = time.perf_counter()
    del reading
    start = int(WEEK_START.normalize().tz_convert("UTC").value // 1_000_000)
    movement = load_movement(store, areas, start_ms=start, end_ms=start + 14 * 86_400_000)
    table = visit_summary(movement.visits, movement.passages)
    t3 = time.perf_counter()
    return {
        "pings_read_back": movement.pings,
        "visits": len(movement.visits),
        "table_rows": len(table),
        "read_validate_pseudonymise_s": round(t1 - t0, 2),
        "store_s": round(t2 - t1, 2),
        "load_stops_visits_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "tracks_file_mb": (
            round(store.path.stat().st_size / 2**20, 1)
            if isinstance(store, GpkgTrackStore)
            else None
        ),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def _child(phase: str, args: argparse.Namespace, csv: Path, tracks_url: str = "") -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--pings",
        str(args.pings),
        "--units",
        str(args.units),
        "--places",
        str(args.places),
        "--seed",
        str(args.seed),
        "--csv",
        str(csv),
        "--tracks-url",
        tracks_url,
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pings", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--places", type=int, default=150)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--phase", choices=["memory", "write_csv", "end_to_end"])
    parser.add_argument("--csv", type=str, default="")
    parser.add_argument("--tracks-url", type=str, default="")
    parser.add_argument(
        "--postgres", action="store_true", help="Also store the tracks in a PostgreSQL store."
    )
    args = parser.parse_args()
    if args.phase == "memory":
        print(json.dumps(phase_memory(args)))
        return
    if args.phase == "write_csv":
        print(json.dumps(phase_write_csv(args)))
        return
    if args.phase == "end_to_end":
        print(json.dumps(phase_end_to_end(args)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "pings.csv"
        memory = _child("memory", args, csv)
        written = _child("write_csv", args, csv)
        end = _child("end_to_end", args, csv)
        end_pg = None
        if args.postgres:
            from hotspots.store.pg_cluster import throwaway_cluster

            with throwaway_cluster() as server:
                url = server.url(server.create_database("dosage_bench"))
                end_pg = _child("end_to_end", args, csv, tracks_url=url)
    result = {
        "benchmark": "dosage",
        "pings": memory["pings"],
        "units": args.units,
        "places": args.places,
        "memory": memory,
        "csv": written,
        "end_to_end": end,
        "end_to_end_postgres": end_pg,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    print(
        f"{memory['pings']} pings -> {memory['stops']} stops, {memory['visits']} visits: "
        f"{memory['total_s']} s in memory (peak RSS {memory['peak_rss_mb_with_data']} MB); "
        f"CSV import + store + visits {end['total_s']} s (peak RSS {end['peak_rss_mb']} MB)"
        + (
            f"; in PostgreSQL {end_pg['total_s']} s (peak RSS {end_pg['peak_rss_mb']} MB)"
            if end_pg
            else ""
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
