"""Import speed and peak memory for a 1,000,000-row CSV.

Generates a Swedish-Excel-style CSV (``;``, decimal commas, Windows-1252, Swedish column names
and labels) with N rows around Karlstad in a temporary folder, then imports it into a fresh
store in a child process and reports rows per second and the child's peak RSS (resource
``RUSAGE_CHILDREN`` high-water mark). The last line printed is a JSON object.

    uv run python benchmarks/import_bench.py            # 1,000,000 rows
    uv run python benchmarks/import_bench.py --rows 100000
"""

from __future__ import annotations

import argparse
import json
import resource
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

_IMPORT_CHILD = """
import json, sys, time
from pathlib import Path
from hotspots.ingest import import_file
csv, db = Path(sys.argv[1]), Path(sys.argv[2])
t0 = time.perf_counter()
s = import_file(csv, db=db)
import_s = time.perf_counter() - t0
print(json.dumps({"seconds": import_s, "accepted": s.accepted, "inserted": s.inserted,
                  "rejected": s.rejected}))
"""

_PEER_CHILD = """
import json, sys, time
from pathlib import Path
import pandas as pd
import pyogrio
from hotspots.store import Store
csv, db = Path(sys.argv[1]), Path(sys.argv[2])
# peer for the import: pandas alone parsing the same file (no validation, no store)
t0 = time.perf_counter()
n = sum(len(c) for c in pd.read_csv(csv, sep=";", encoding="cp1252", dtype=str, chunksize=100_000))
pandas_s = time.perf_counter() - t0
# reads: the store's reader against GeoPandas/pyogrio (Arrow) on the same layer
t0 = time.perf_counter()
frame = Store(db).incidents()
read_s = time.perf_counter() - t0
del frame
t0 = time.perf_counter()
peer = pyogrio.read_dataframe(db, layer="incidents", use_arrow=True)
peer_read_s = time.perf_counter() - t0
print(json.dumps({"pandas_s": pandas_s, "read_s": read_s, "peer_read_s": peer_read_s,
                  "read_rows": len(peer)}))
"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "incidents_1m.csv"
        t0 = time.perf_counter()
        write_csv(csv, args.rows)
        gen_s = time.perf_counter() - t0
        size_mb = csv.stat().st_size / 1e6
        db = str(Path(tmp) / "bench.gpkg")
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_CHILD, str(csv), db],
            check=True,
            capture_output=True,
            text=True,
        )
        child = json.loads(out.stdout.strip().splitlines()[-1])
        # high-water RSS of the import child alone (KiB on Linux), before the peers run
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        out = subprocess.run(
            [sys.executable, "-c", _PEER_CHILD, str(csv), db],
            check=True,
            capture_output=True,
            text=True,
        )
        child.update(json.loads(out.stdout.strip().splitlines()[-1]))
        store_mb = (Path(tmp) / "bench.gpkg").stat().st_size / 1e6
    rows_per_s = args.rows / child["seconds"]
    result = {
        "rows": args.rows,
        "csv_mb": round(size_mb, 1),
        "generate_s": round(gen_s, 1),
        "import_s": round(child["seconds"], 1),
        "rows_per_s": round(rows_per_s),
        "peak_rss_mb": round(peak_mb),
        "store_mb": round(store_mb, 1),
        "accepted": child["accepted"],
        "rejected": child["rejected"],
        "pandas_read_csv_s": round(child["pandas_s"], 2),
        "import_vs_pandas_read_csv": round(child["seconds"] / child["pandas_s"], 1),
        "store_read_s": round(child["read_s"], 2),
        "store_read_rows_per_s": round(child["read_rows"] / child["read_s"]),
        "pyogrio_arrow_read_s": round(child["peer_read_s"], 2),
        "store_read_vs_pyogrio": round(child["read_s"] / child["peer_read_s"], 2),
    }
    print(
        f"{args.rows} rows ({size_mb:.0f} MB CSV) imported in {child['seconds']:.1f} s: "
        f"{rows_per_s:.0f} rows/s ({result['import_vs_pandas_read_csv']}x pandas.read_csv "
        f"alone), peak RSS {peak_mb:.0f} MB; store read {result['store_read_s']} s "
        f"({result['store_read_vs_pyogrio']}x pyogrio Arrow)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
