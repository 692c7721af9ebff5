"""Benchmark: the store's two backends, GeoPackage and PostgreSQL/PostGIS, in one run.

On a 1,000,000-row incidents CSV (``id, occurred_at, category, x, y`` in EPSG:3006: planted
clusters in central Karlstad and background over the municipality's land, as in
``detect_bench.py``), every measurement is a ``hotspots`` command in its own process, wall time
from start to exit (interpreter start-up and imports included):

* **import**: ``hotspots import FILE --db X`` into (a) a new GeoPackage and (b) a new database
  on a throwaway PostgreSQL cluster this benchmark starts itself
  (:mod:`hotspots.store.pg_cluster`, PostgreSQL's own durability settings unless ``--pg-fast``),
  then the same file again into each (every row unchanged). Rows/s and the command's peak
  RSS: the resident memory of its whole process tree summed, polled with psutil every 20 ms;
  ``maxrss`` is the largest single process's exact peak (``wait4``). The PostgreSQL server's
  own memory is NOT included in the command's peak; it is given apart, as the peak of the
  summed PSS (proportional set size: shared buffers counted once) of the server's processes,
  polled every 0.25 s. CPU seconds are given beside wall times (the command's from ``wait4``,
  the server's from its processes' times), as they suffer less from other work on a shared
  machine.
* **detect**: ``hotspots detect --db X --out F --cell-m 25`` reading the incidents from each
  store, against the peer command ``python -c "import pandas; pandas.read_csv(FILE)"`` on the
  same rows; seconds and the ratio detect/pandas. The two GeoJSON outputs must be
  byte-identical (``cmp``).
* **actions add**: 20 ``hotspots actions add --db X`` processes started at once on each store
  (a barrier releases 20 threads, each timing its own command); p50/p95/max wall time, and a
  check that the 20 printed ids are distinct and 20 new rows are stored, and the CPU seconds
  one add costs (the 20 together over 20). One add alone (no contention) is timed for
  contrast.

Imports and detect are best of ``--repeats`` interleaved runs (GeoPackage, PostgreSQL, the
peer, in turn, so that load on this shared machine affects all alike); the concurrent adds
pool the latencies of all rounds. Compare ratios measured in the same run, not seconds across
runs. The cluster is stopped and its directory removed at the end, also on errors and Ctrl-C.

Run: ``uv run python benchmarks/store_bench.py`` (about 6 minutes on 2 cores);
``--rows 100000`` for a quick run; ``--json`` prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import numpy as np
import pandas as pd
import psutil

from hotspots.demo.synthetic import planted_incidents, random_clusters
from hotspots.spatial.geography import default_geography
from hotspots.store import open_store
from hotspots.store.pg_cluster import PgServer, throwaway_cluster

logger = logging.getLogger("store_bench")

BACKENDS = ("gpkg", "postgis")
LABEL = {"gpkg": "GeoPackage", "postgis": "PostgreSQL"}
#: Karlstad's centre in SWEREF 99 TM metres.
E0, N0 = 413_600.0, 6_584_200.0
_MB = 1024 * 1024


# -- data ------------------------------------------------------------------------------------


def make_csv(path: Path, n: int, seed: int) -> None:
    """Write exactly ``n`` incidents: 40 % in 60 clusters near the centre, 60 % over the land.

    As ``detect_bench.make_csv``, plus 1 % extra background drawn and a seeded sample of ``n``
    rows kept (the generator keeps background points on land only, so it yields a few fewer).
    """
    geo = default_geography()
    n_clusters = 60
    per = max(1, int(0.4 * n) // n_clusters)
    clusters = random_clusters(
        n_clusters,
        bounds=(E0 - 5000, N0 - 4000, E0 + 5000, N0 + 4000),
        seed=seed,
        n_per_cluster=per,
        radius_m=120.0,
        min_separation_m=400.0,
        within=geo.land,
    )
    frame = planted_incidents(
        clusters,
        background_n=int((n - per * n_clusters) * 1.01) + 100,
        bounds=geo.land.bounds,
        within=geo.land,
        seed=seed,
        start="2024-11-18",
        days=728,
    )
    if len(frame) < n:
        msg = f"the generator gave {len(frame)} rows, fewer than --rows {n}"
        raise RuntimeError(msg)
    frame = frame.sample(n=n, random_state=seed).sort_index()
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


# -- running commands ------------------------------------------------------------------------


@dataclass
class Run:
    """One finished command: wall and CPU time (s), exit code, output, memory peaks (MB).

    ``cpu_s`` is the command's user + system time (its waited-for children included);
    ``server_cpu_s`` what the PostgreSQL server's processes used meanwhile. CPU seconds are
    less disturbed than wall time by other work on a shared machine.
    """

    wall_s: float
    cpu_s: float
    returncode: int
    stdout: str
    stderr: str
    tree_rss_mb: float
    maxrss_mb: float
    server_pss_mb: float | None = None
    server_cpu_s: float | None = None


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def _server_pss(postmaster: psutil.Process) -> int:
    total = 0
    for p in [postmaster, *postmaster.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_full_info().pss
    return total


def _server_cpu(postmaster: psutil.Process) -> float:
    """CPU seconds of the server so far: the postmaster, its live and its ended children."""
    own = postmaster.cpu_times()
    total = own.user + own.system + own.children_user + own.children_system
    for p in postmaster.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return float(total)


def run(cmd: list[str], work: Path, *, server: PgServer | None = None, poll_s: float = 0.02) -> Run:
    """Run ``cmd`` to its end, polling the memory of its process tree (and of ``server``)."""
    out_path, err_path = work / "cmd.out", work / "cmd.err"
    postmaster = None
    if server is not None and (pid := server.postmaster_pid()) is not None:
        postmaster = psutil.Process(pid)
        server_cpu0 = _server_cpu(postmaster)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        watched = psutil.Process(proc.pid)
        peaks = {"tree": 0, "server": 0}
        done = threading.Event()

        def poll() -> None:
            k = 0
            while not done.is_set():
                with contextlib.suppress(psutil.Error):
                    peaks["tree"] = max(peaks["tree"], _tree_rss(watched))
                if postmaster is not None and k % max(1, round(0.25 / poll_s)) == 0:
                    with contextlib.suppress(psutil.Error):
                        peaks["server"] = max(peaks["server"], _server_pss(postmaster))
                k += 1
                done.wait(poll_s)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # exact rusage of this command alone
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            done.set()
            poller.join()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    server_cpu = _server_cpu(postmaster) - server_cpu0 if postmaster is not None else None
    return Run(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        returncode=proc.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        tree_rss_mb=peaks["tree"] / _MB,
        maxrss_mb=usage.ru_maxrss / 1024,
        server_pss_mb=peaks["server"] / _MB if postmaster is not None else None,
        server_cpu_s=server_cpu,
    )


def _checked(result: Run, what: str) -> Run:
    if result.returncode != 0:
        msg = f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        raise RuntimeError(msg)
    return result


def _hotspots(*args: str) -> list[str]:
    return [sys.executable, "-m", "hotspots", *args]


def _counts(out: str) -> dict[str, int]:
    """The ``name: number`` lines of an import's output."""
    counts: dict[str, int] = {}
    for line in out.splitlines():
        key, _, value = line.strip().partition(": ")
        if value.strip().isdigit():
            counts[key] = int(value)
    return counts


# -- the measurements ------------------------------------------------------------------------


def measure_imports(
    csv: Path, rows: int, work: Path, server: PgServer, repeats: int
) -> tuple[dict[str, dict[str, list[Run]]], dict[str, str]]:
    """Import into a new store, then again (unchanged), per backend, ``repeats`` rounds.

    Returns the runs per backend and phase, and the stores of the last round.
    """
    runs: dict[str, dict[str, list[Run]]] = {b: {"new": [], "again": []} for b in BACKENDS}
    stores: dict[str, str] = {}
    for r in range(repeats):
        previous = dict(stores)
        stores = {
            "gpkg": str(work / f"store_{r}.gpkg"),
            "postgis": server.url(server.create_database(f"bench_{r}")),
        }
        Path(stores["gpkg"]).unlink(missing_ok=True)
        for phase, expect in (("new", "inserted"), ("again", "unchanged")):
            for backend in BACKENDS:
                res = _checked(
                    run(
                        _hotspots("import", str(csv), "--db", stores[backend]),
                        work,
                        server=server if backend == "postgis" else None,
                    ),
                    f"import ({backend}, {phase})",
                )
                counts = _counts(res.stdout)
                if counts.get("accepted") != rows or counts.get(expect) != rows:
                    msg = f"import ({backend}, {phase}): expected {rows} {expect}: {res.stdout}"
                    raise RuntimeError(msg)
                runs[backend][phase].append(res)
                logger.info(
                    "round %d import %-5s %-7s %6.2f s  CPU %5.1f s  tree RSS %4.0f MB%s",
                    r + 1, phase, backend, res.wall_s, res.cpu_s, res.tree_rss_mb,
                    f"  server: CPU {res.server_cpu_s:.1f} s, PSS {res.server_pss_mb:.0f} MB"
                    if res.server_pss_mb else "",
                )  # fmt: skip
        if previous:  # keep disk use flat: only the last round's stores stay
            Path(previous["gpkg"]).unlink(missing_ok=True)
            server.drop_database(previous["postgis"].rsplit("/", 1)[1])
    return runs, stores


_PANDAS = "import sys, pandas; print(len(pandas.read_csv(sys.argv[1])))"


def measure_detect(
    csv: Path, rows: int, work: Path, *, stores: dict[str, str], server: PgServer, repeats: int
) -> tuple[dict[str, list[Run]], bool, int]:
    """detect on each store and the pandas peer, ``repeats`` interleaved rounds.

    Returns the runs, whether every round's two GeoJSON files were byte-identical, and the
    number of hotspots found.
    """
    runs: dict[str, list[Run]] = {"gpkg": [], "postgis": [], "pandas": []}
    identical = True
    n_hotspots = -1
    for r in range(repeats):
        outs = {}
        for backend in BACKENDS:
            outs[backend] = work / f"detect_{backend}.geojson"
            outs[backend].unlink(missing_ok=True)
            cmd = _hotspots(
                "detect", "--db", stores[backend], "--out", str(outs[backend]), "--cell-m", "25"
            )
            res = _checked(
                run(cmd, work, server=server if backend == "postgis" else None),
                f"detect ({backend})",
            )
            if f"from {rows} incidents" not in res.stdout:
                logger.warning("detect (%s) did not analyse %d incidents: %s", backend, rows,
                               res.stdout.strip())  # fmt: skip
            runs[backend].append(res)
        peer = _checked(run([sys.executable, "-c", _PANDAS, str(csv)], work), "pandas.read_csv")
        if int(peer.stdout.strip()) != rows:
            msg = f"pandas read {peer.stdout.strip()} rows, expected {rows}"
            raise RuntimeError(msg)
        runs["pandas"].append(peer)
        same = filecmp.cmp(outs["gpkg"], outs["postgis"], shallow=False)
        identical = identical and same
        n_hotspots = len(json.loads(outs["gpkg"].read_text(encoding="utf-8"))["features"])
        logger.info(
            "round %d detect gpkg %.2f s, postgis %.2f s (server CPU %.1f s), pandas %.2f s; "
            "GeoJSON identical: %s",
            r + 1, runs["gpkg"][-1].wall_s, runs["postgis"][-1].wall_s,
            runs["postgis"][-1].server_cpu_s or 0.0, peer.wall_s, same,
        )  # fmt: skip
    return runs, identical, n_hotspots


def _action_add(db: str, k: int) -> list[str]:
    return _hotspots(
        "actions", "add", "--db", db, "--problem", "violence", "--actor", "polis",
        "--action", "fotpatrull", "--note", f"bench {k}", "--point", f"{E0 + k},{N0}",
        "--date", "2026-11-20",
    )  # fmt: skip


def _actions_stored(db: str) -> set[str]:
    return set(open_store(db).read_layer("actions")["id"].astype(str))


def concurrent_adds(db: str, writers: int, first: int) -> tuple[list[float], list[str], int, float]:
    """``writers`` ``actions add`` at once.

    Returns their wall times (s), the ids they printed, the number of new rows stored, and the
    CPU seconds all of them used together.
    """
    before = _actions_stored(db)
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    barrier = threading.Barrier(writers)
    walls: list[float] = [0.0] * writers
    ids: list[str] = [""] * writers
    errors: list[str] = []

    def writer(i: int) -> None:
        cmd = _action_add(db, first + i)
        barrier.wait()
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        walls[i] = time.perf_counter() - t0
        if done.returncode != 0:
            errors.append(f"writer {i} failed ({done.returncode}): {done.stderr.strip()}")
        ids[i] = done.stdout.split(":")[0].strip()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    if errors:
        raise RuntimeError("\n".join(errors))
    after = _actions_stored(db)
    new = after - before
    if new != set(ids):
        logger.warning("printed ids %s differ from the new stored ids %s", sorted(ids),
                       sorted(new))  # fmt: skip
    return walls, ids, len(new), cpu


def measure_actions(
    stores: dict[str, str], work: Path, writers: int, repeats: int
) -> dict[str, dict[str, object]]:
    """Concurrent adds (pooled over rounds) and a lone add (best of rounds), per backend."""
    pooled: dict[str, list[float]] = {b: [] for b in BACKENDS}
    rounds: dict[str, list[dict[str, object]]] = {b: [] for b in BACKENDS}
    alone: dict[str, list[float]] = {b: [] for b in BACKENDS}
    k = 0
    for r in range(repeats):
        for backend in BACKENDS:
            walls, ids, stored, cpu = concurrent_adds(stores[backend], writers, k)
            k += writers
            pooled[backend] += walls
            rounds[backend].append(
                {
                    "p95_s": round(float(np.percentile(walls, 95)), 3),
                    "max_s": round(max(walls), 3),
                    "distinct_ids": len(set(ids)),
                    "rows_stored": stored,
                    "cpu_per_add_s": round(cpu / writers, 2),
                }
            )
            logger.info(
                "round %d actions add x%d %-7s p50 %.2f s p95 %.2f s max %.2f s; "
                "%d distinct ids, %d rows stored; CPU %.2f s per add",
                r + 1, writers, backend, np.percentile(walls, 50), np.percentile(walls, 95),
                max(walls), len(set(ids)), stored, cpu / writers,
            )  # fmt: skip
        for backend in BACKENDS:
            res = _checked(run(_action_add(stores[backend], k), work), "actions add")
            k += 1
            alone[backend].append(res.wall_s)
    out: dict[str, dict[str, object]] = {}
    for backend in BACKENDS:
        walls = pooled[backend]
        out[backend] = {
            "p50_s": round(float(np.percentile(walls, 50)), 3),
            "p95_s": round(float(np.percentile(walls, 95)), 3),
            "max_s": round(max(walls), 3),
            "alone_s": round(min(alone[backend]), 3),
            "cpu_per_add_s": min(x["cpu_per_add_s"] for x in rounds[backend]),
            "all_ids_distinct": all(x["distinct_ids"] == writers for x in rounds[backend]),
            "all_rows_stored": all(x["rows_stored"] == writers for x in rounds[backend]),
            "rounds": rounds[backend],
        }
    return out


# -- summary ---------------------------------------------------------------------------------


def _best(runs: list[Run]) -> Run:
    return min(runs, key=lambda x: x.wall_s)


def _cpu(runs: list[Run]) -> tuple[float, float]:
    """CPU seconds (command, server) of the run that used the least of both together."""
    least = min(runs, key=lambda x: x.cpu_s + (x.server_cpu_s or 0.0))
    return round(least.cpu_s, 1), round(least.server_cpu_s or 0.0, 1)


def summarise(
    args: argparse.Namespace,
    csv: Path,
    server: PgServer,
    *,
    imports: dict[str, dict[str, list[Run]]],
    detect: dict[str, list[Run]],
    identical: bool,
    n_hotspots: int,
    actions: dict[str, dict[str, object]],
) -> dict[str, object]:
    """The one JSON object: every figure, ratios included."""
    pandas_s = _best(detect["pandas"]).wall_s
    backends: dict[str, dict[str, object]] = {}
    for b in BACKENDS:
        new, again, det = _best(imports[b]["new"]), _best(imports[b]["again"]), _best(detect[b])
        entry: dict[str, object] = {
            "import_s": round(new.wall_s, 2),
            "import_rows_per_s": round(args.rows / new.wall_s),
            "import_peak_rss_mb": round(max(r.tree_rss_mb for r in imports[b]["new"])),
            "import_maxrss_mb": round(max(r.maxrss_mb for r in imports[b]["new"])),
            "reimport_s": round(again.wall_s, 2),
            "reimport_rows_per_s": round(args.rows / again.wall_s),
            "reimport_peak_rss_mb": round(max(r.tree_rss_mb for r in imports[b]["again"])),
            "import_over_pandas_cmd": round(new.wall_s / pandas_s, 2),
            "detect_s": round(det.wall_s, 2),
            "detect_over_pandas_cmd": round(det.wall_s / pandas_s, 2),
            "detect_peak_rss_mb": round(max(r.tree_rss_mb for r in detect[b])),
            "cpu_s": {  # (command, server); the server's is 0 for a GeoPackage
                "import": _cpu(imports[b]["new"]),
                "reimport": _cpu(imports[b]["again"]),
                "detect": _cpu(detect[b]),
            },
            "actions_add": actions[b],
            "runs_s": {
                "import": [round(r.wall_s, 2) for r in imports[b]["new"]],
                "reimport": [round(r.wall_s, 2) for r in imports[b]["again"]],
                "detect": [round(r.wall_s, 2) for r in detect[b]],
            },
        }
        if b == "postgis":
            # the command's peak above is the client only; the server's is measured apart
            entry["server_memory_included"] = False
            entry["server_pss_peak_mb"] = {
                "import": round(max(r.server_pss_mb or 0.0 for r in imports[b]["new"])),
                "reimport": round(max(r.server_pss_mb or 0.0 for r in imports[b]["again"])),
                "detect": round(max(r.server_pss_mb or 0.0 for r in detect[b])),
            }
        backends[b] = entry
    g, p = backends["gpkg"], backends["postgis"]
    ratio = {
        key: round(float(p[key]) / float(g[key]), 2)  # type: ignore[arg-type]
        for key in ("import_s", "reimport_s", "detect_s", "import_peak_rss_mb")
    }
    for key in ("p50_s", "p95_s", "max_s", "alone_s"):
        ratio[f"actions_{key}"] = round(
            float(p["actions_add"][key]) / float(g["actions_add"][key]),  # type: ignore[index]
            2,
        )
    return {
        "benchmark": "store",
        "rows": args.rows,
        "csv_mb": round(csv.stat().st_size / 1e6, 1),
        "repeats": args.repeats,
        "writers": args.writers,
        "cell_m": 25,
        "n_hotspots": n_hotspots,
        "pandas_cmd_s": round(pandas_s, 2),
        "pandas_cmd_runs_s": [round(r.wall_s, 2) for r in detect["pandas"]],
        "detect_geojson_identical": identical,
        "postgresql": {
            "version": server.install.major,
            "durable": server.durable,
            "settings": "PostgreSQL defaults"
            if server.durable
            else "fsync, synchronous_commit, full_page_writes off",
        },
        "backends": backends,
        "postgis_over_gpkg": ratio,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def table(s: dict[str, object]) -> str:
    """The figures as a plain-text table."""
    b: dict[str, dict[str, object]] = s["backends"]  # type: ignore[assignment]
    g, p = b["gpkg"], b["postgis"]
    ga: dict[str, object] = g["actions_add"]  # type: ignore[assignment]
    pa: dict[str, object] = p["actions_add"]  # type: ignore[assignment]
    ratio: dict[str, float] = s["postgis_over_gpkg"]  # type: ignore[assignment]
    pg: dict[str, object] = s["postgresql"]  # type: ignore[assignment]
    pss: dict[str, int] = p["server_pss_peak_mb"]  # type: ignore[assignment]
    w = s["writers"]
    rss = "  peak RSS of the command (MB) *"
    gc: dict[str, list[float]] = g["cpu_s"]  # type: ignore[assignment]
    pc: dict[str, list[float]] = p["cpu_s"]  # type: ignore[assignment]
    cpu = "  CPU s: command + server"

    def cpus(phase: str) -> tuple[str, object, object, object]:
        return (cpu, f"{gc[phase][0]}", f"{pc[phase][0]} + {pc[phase][1]}", "")

    per_pandas = "  / pandas.read_csv command"
    # (label, GeoPackage, PostgreSQL, PostgreSQL / GeoPackage)
    rows: list[tuple[str, object, object, object]] = [
        ("", "GeoPackage", "PostgreSQL", "PG/GPKG"),
        ("import, new store (s)", g["import_s"], p["import_s"], ratio["import_s"]),
        ("  rows/s", f"{g['import_rows_per_s']:,}", f"{p['import_rows_per_s']:,}", ""),
        (per_pandas, g["import_over_pandas_cmd"], p["import_over_pandas_cmd"], ""),
        cpus("import"),
        (rss, g["import_peak_rss_mb"], p["import_peak_rss_mb"], ratio["import_peak_rss_mb"]),
        ("re-import, all unchanged (s)", g["reimport_s"], p["reimport_s"], ratio["reimport_s"]),
        ("  rows/s", f"{g['reimport_rows_per_s']:,}", f"{p['reimport_rows_per_s']:,}", ""),
        cpus("reimport"),
        (rss, g["reimport_peak_rss_mb"], p["reimport_peak_rss_mb"], ""),
        ("detect --cell-m 25 from the store (s)", g["detect_s"], p["detect_s"], ratio["detect_s"]),
        (per_pandas, g["detect_over_pandas_cmd"], p["detect_over_pandas_cmd"], ""),
        cpus("detect"),
        (rss, g["detect_peak_rss_mb"], p["detect_peak_rss_mb"], ""),
        (f"actions add, {w} at once: p50 (s)", ga["p50_s"], pa["p50_s"], ratio["actions_p50_s"]),
        ("  p95 (s)", ga["p95_s"], pa["p95_s"], ratio["actions_p95_s"]),
        ("  max (s)", ga["max_s"], pa["max_s"], ratio["actions_max_s"]),
        (
            f"  {w} distinct ids and {w} rows stored",
            _yes(ga["all_ids_distinct"] and ga["all_rows_stored"]),
            _yes(pa["all_ids_distinct"] and pa["all_rows_stored"]),
            "",
        ),
        ("  CPU s per add (client)", ga["cpu_per_add_s"], pa["cpu_per_add_s"], ""),
        ("actions add alone (s)", ga["alone_s"], pa["alone_s"], ratio["actions_alone_s"]),
    ]
    lines = [
        f"store benchmark: {s['rows']:,} incidents ({s['csv_mb']} MB CSV), {s['cpus']} CPUs, "
        f"best of {s['repeats']} interleaved runs",
        f"PostgreSQL {pg['version']} throwaway cluster ({pg['settings']}); peer: pandas.read_csv "
        f"as a command {s['pandas_cmd_s']} s",
        "",
        *(f"{name:<40}{a!s:>12}{c!s:>12}{r!s:>9}" for name, a, c, r in rows),
        "",
        "detect GeoJSON byte-identical (cmp), GeoPackage vs PostgreSQL: "
        f"{_yes(s['detect_geojson_identical'])} ({s['n_hotspots']} hotspots)",
        "* the command's process tree (psutil, 20 ms polls); the PostgreSQL server's own memory "
        "is NOT included:",
        f"  its processes' summed PSS peaked at {pss['import']} MB (import), "
        f"{pss['reimport']} MB (re-import), {pss['detect']} MB (detect).",
    ]
    return "\n".join(lines)


def _yes(flag: object) -> str:
    return "yes" if flag else "NO"


# -- main ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C, so the cluster is stopped on the way out."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rows", type=int, default=1_000_000, help="incidents in the CSV")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the best counts")
    parser.add_argument("--writers", type=int, default=20, help="concurrent actions add")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the CSV (and stores) here")
    parser.add_argument(
        "--pg-fast",
        action="store_true",
        help="run PostgreSQL as the tests do (fsync, synchronous_commit, full_page_writes off)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    own_work = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="store_bench_")) if own_work else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    try:
        csv = work / f"incidents_{args.rows}_{args.seed}.csv"
        if not csv.exists():
            t = time.perf_counter()
            make_csv(csv, args.rows, args.seed)
            logger.info("wrote %s (%.0f MB) in %.1f s", csv, csv.stat().st_size / 1e6,
                        time.perf_counter() - t)  # fmt: skip
        with _sigterm_as_interrupt(), throwaway_cluster(durable=not args.pg_fast) as server:
            logger.info("PostgreSQL %s on port %d (%s)", server.install.major, server.port,
                        "durable" if server.durable else "fast")  # fmt: skip
            imports, stores = measure_imports(csv, args.rows, work, server, args.repeats)
            detect, identical, n_hotspots = measure_detect(
                csv, args.rows, work, stores=stores, server=server, repeats=args.repeats
            )
            actions = measure_actions(stores, work, args.writers, args.repeats)
            summary = summarise(
                args,
                csv,
                server,
                imports=imports,
                detect=detect,
                identical=identical,
                n_hotspots=n_hotspots,
                actions=actions,
            )
    except KeyboardInterrupt:
        logger.error("interrupted; the PostgreSQL cluster is stopped")
        sys.exit(130)
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for store in work.glob("store_*.gpkg*"):
                store.unlink(missing_ok=True)
    if args.json:
        print(json.dumps(summary))
    else:
        print(table(summary))


if __name__ == "__main__":
    main()
