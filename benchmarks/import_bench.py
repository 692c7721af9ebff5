"""Import and load speed and peak memory for a 1,000,000-row CSV, as ratios to pandas.

Generates a Swedish-Excel-style CSV (``;``, decimal commas, Windows-1252, Swedish column names
and labels) with N rows around Karlstad in a temporary folder (``--variant iso`` writes the
data-contract shape instead: ISO times, codes, lat/lon with decimal points, UTF-8). Each
measurement runs in its own child process, so its peak RSS (``ru_maxrss``) is its own:

* ``pandas.read_csv`` of the file (default engine and options: the peer);
* ``hotspots.load.sources.load_incidents`` of the file (read + validate, no store);
* ``hotspots import`` (``import_file``) into a fresh store;
* the store's reader against pyogrio's Arrow reader of the same layer.

Machines here are shared, so compare the ratios (measured in the same run), not seconds. The
last line printed is a JSON object.

    uv run python benchmarks/import_bench.py            # 1,000,000 rows
    uv run python benchmarks/import_bench.py --rows 100000 --variant iso
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

LABELS = [
    "Misshandel i offentlig miljö",
    "Skadegörelse / klotter",
    "Ordningsstörning",
    "Narkotika, eget bruk / innehav",
    "Rattfylleri / drograttfylleri",
    "Fylleri / alkohollagen",
    "Rån",
    "Övrigt",
]

_CHILD_HEAD = """
import json, resource, sys, time
from pathlib import Path
csv, db, sep, enc = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
def done(**kw):
    kw["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(kw))
"""

_CHILDREN = {
    "pandas": """
import pandas as pd
t0 = time.perf_counter()
frame = pd.read_csv(csv, sep=sep, encoding=enc)
done(seconds=time.perf_counter() - t0, rows=len(frame))
""",
    "load": """
from hotspots.load.sources import load_incidents
t0 = time.perf_counter()
frame = load_incidents(csv, db=db)
done(seconds=time.perf_counter() - t0, rows=len(frame))
""",
    "import": """
from hotspots.load.ingest import import_file
t0 = time.perf_counter()
s = import_file(csv, db=db)
done(seconds=time.perf_counter() - t0, rows=s.accepted, inserted=s.inserted,
     rejected=s.rejected)
""",
    "read": """
import pyogrio
from hotspots.store import open_store
t0 = time.perf_counter()
frame = open_store(db).incidents()
read_s = time.perf_counter() - t0
del frame
t0 = time.perf_counter()
peer = pyogrio.read_dataframe(db, layer="incidents", use_arrow=True)
done(seconds=read_s, peer_seconds=time.perf_counter() - t0, rows=len(peer))
""",
}


def _child(name: str, csv: Path, db: Path, sep: str, enc: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD_HEAD + _CHILDREN[name], str(csv), str(db), sep, enc],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_csv(path: Path, rows: int, *, seed: int = 20261127) -> None:
    rng = np.random.default_rng(seed)
    chunk = 200_000
    start = pd.Timestamp("2024-01-01")
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Tidpunkt;Kategori;Latitud;Longitud;Källa;Beskrivning\r\n")
        for i0 in range(0, rows, chunk):
            n = min(chunk, rows - i0)
            minutes = rng.integers(0, 2 * 365 * 24 * 60, n)
            t = (start + pd.to_timedelta(minutes, unit="min")).strftime("%Y-%m-%d %H:%M")
            lat = np.char.replace((59.38 + rng.normal(0, 0.02, n)).round(6).astype(str), ".", ",")
            lon = np.char.replace((13.50 + rng.normal(0, 0.04, n)).round(6).astype(str), ".", ",")
            cat = np.asarray(LABELS, dtype=object)[rng.integers(0, len(LABELS), n)]
            frame = pd.DataFrame(
                {
                    "t": t,
                    "c": cat,
                    "lat": lat,
                    "lon": lon,
                    "k": "polis",
                    "b": "rad " + pd.Series(np.arange(i0, i0 + n)).astype(str),
                }
            )
            frame.to_csv(fh, sep=";", header=False, index=False, lineterminator="\r\n")


def write_iso_csv(path: Path, rows: int, *, seed: int = 20261127) -> None:
    """The data-contract shape: ISO times, category codes, lat/lon, UTF-8, ``,``."""
    rng = np.random.default_rng(seed)
    codes = ["assault_public", "robbery", "vandalism", "disorder", "drug_use", "dui", "other"]
    start = pd.Timestamp("2024-01-01")
    chunk = 200_000
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("occurred_at,category,lat,lon,source,description\n")
        for i0 in range(0, rows, chunk):
            n = min(chunk, rows - i0)
            minutes = rng.integers(0, 2 * 365 * 24 * 60, n)
            frame = pd.DataFrame(
                {
                    "t": (start + pd.to_timedelta(minutes, unit="min")).strftime(
                        "%Y-%m-%dT%H:%M:%S"
                    ),
                    "c": np.asarray(codes, dtype=object)[rng.integers(0, len(codes), n)],
                    "lat": (59.38 + rng.normal(0, 0.02, n)).round(6),
                    "lon": (13.50 + rng.normal(0, 0.04, n)).round(6),
                    "k": "polis",
                    "b": "rad " + pd.Series(np.arange(i0, i0 + n)).astype(str),
                }
            )
            frame.to_csv(fh, header=False, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--variant", choices=["swedish", "iso"], default="swedish")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / f"incidents_{args.variant}.csv"
        t0 = time.perf_counter()
        if args.variant == "swedish":
            write_csv(csv, args.rows)
            sep, enc = ";", "cp1252"
        else:
            write_iso_csv(csv, args.rows)
            sep, enc = ",", "utf-8"
        gen_s = time.perf_counter() - t0
        size_mb = csv.stat().st_size / 1e6
        db = Path(tmp) / "bench.gpkg"
        peer = _child("pandas", csv, db, sep, enc)
        load = _child("load", csv, db, sep, enc)
        imp = _child("import", csv, db, sep, enc)
        read = _child("read", csv, db, sep, enc)
        peer2 = _child("pandas", csv, db, sep, enc)  # again: load drifts on a shared machine
        store_mb = db.stat().st_size / 1e6
    pandas_s = min(peer["seconds"], peer2["seconds"])
    rows_per_s = args.rows / imp["seconds"]
    result = {
        "rows": args.rows,
        "variant": args.variant,
        "csv_mb": round(size_mb, 1),
        "generate_s": round(gen_s, 1),
        "pandas_read_csv_s": round(pandas_s, 2),
        "pandas_read_csv_peak_rss_mb": round(peer["peak_rss_mb"]),
        "load_incidents_s": round(load["seconds"], 2),
        "load_vs_pandas_read_csv": round(load["seconds"] / pandas_s, 1),
        "load_peak_rss_mb": round(load["peak_rss_mb"]),
        "import_s": round(imp["seconds"], 1),
        "rows_per_s": round(rows_per_s),
        "import_vs_pandas_read_csv": round(imp["seconds"] / pandas_s, 1),
        "peak_rss_mb": round(imp["peak_rss_mb"]),
        "store_mb": round(store_mb, 1),
        "accepted": imp["rows"],
        "rejected": imp["rejected"],
        "store_read_s": round(read["seconds"], 2),
        "store_read_rows_per_s": round(read["rows"] / read["seconds"]),
        "pyogrio_arrow_read_s": round(read["peer_seconds"], 2),
        "store_read_vs_pyogrio": round(read["seconds"] / read["peer_seconds"], 2),
    }
    print(
        f"{args.rows} rows ({size_mb:.0f} MB CSV, {args.variant}): pandas.read_csv "
        f"{pandas_s:.2f} s; load_incidents {load['seconds']:.2f} s "
        f"({result['load_vs_pandas_read_csv']}x); import {imp['seconds']:.1f} s, "
        f"{rows_per_s:.0f} rows/s ({result['import_vs_pandas_read_csv']}x), peak RSS "
        f"{imp['peak_rss_mb']:.0f} MB; store read {result['store_read_s']} s "
        f"({result['store_read_vs_pyogrio']}x pyogrio Arrow)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
