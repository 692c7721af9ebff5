"""Benchmark: routing a week's foot-patrol loops along a city-sized street network.

No real extract is fetched: the seeded synthetic city of ``geography_build_bench.py`` (a
street grid of ``--blocks`` x ``--blocks`` blocks of about 100 m, residential streets with a
tertiary every tenth, all named) is written with pyosmium's writer, built into a geography
GeoPackage and loaded with its street layer, as a user would. Then:

* the walking graph is built (:func:`hotspots.spatial.routing.network_of`): seconds, graph
  size and the memory it holds (tracemalloc);
* ``--loops`` loops of 4-6 stops (a week's plan; stops scattered within 300 m of a random
  centre, visited by angle round it) are routed with
  :func:`hotspots.spatial.routing.route_loop`: seconds (wall and CPU), peak memory;
* the safe traffic-check sites of the whole city (:func:`~hotspots.spatial.routing.safe_stop_sites`,
  drive graph included): seconds;
* the peer: a plain networkx all-pairs Dijkstra between the stops -- a full single-source
  Dijkstra (``nx.single_source_dijkstra_path_length``) from every end node of every stop's
  edge, the loop lengths read from that table; and the same table from scipy's compiled
  ``csgraph.dijkstra``. Every loop length of the three must agree (to 1 mm).

osmnx is not a dependency of the project, so it is not compared. The last line printed is
one JSON object. Run: ``uv run python benchmarks/routing_bench.py [--blocks 60] [--loops 20]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geography_build_bench import DLAT, DLON, LON0, write_city

from hotspots.spatial import routing
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import load_geography

logger = logging.getLogger("routing_bench")


def _timed(fn: Any, *args: Any) -> tuple[Any, float, float]:
    """Result, wall seconds and CPU seconds of ``fn(*args)``."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - t0, time.process_time() - c0


def _peak_mb(fn: Any, *args: Any) -> tuple[Any, float]:
    """Result and peak memory allocated by ``fn(*args)`` (tracemalloc, a separate run), MB."""
    tracemalloc.start()
    out = fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, peak / 1e6


def _week_of_loops(net: routing.StreetNetwork, *, loops: int, seed: int) -> list[np.ndarray]:
    """``loops`` loops of 4-6 stops within 300 m of a random centre inside the network."""
    rng = np.random.default_rng(seed)
    lo, hi = net.node_xy.min(axis=0) + 400.0, net.node_xy.max(axis=0) - 400.0
    out = []
    for _ in range(loops):
        centre = rng.uniform(lo, hi)
        n = int(rng.integers(4, 7))
        angle = np.sort(rng.uniform(0, 2 * np.pi, n))
        radius = rng.uniform(80.0, 300.0, n)
        out.append(centre + np.column_stack([np.cos(angle), np.sin(angle)]) * radius[:, None])
    return out


def _route_all(net: routing.StreetNetwork, week: list[np.ndarray]) -> list[float]:
    return [routing.route_loop(net, stops, walking_speed_kmh=4.5).length_m for stops in week]


def _loop_lengths_from_table(
    net: routing.StreetNetwork, week: list[np.ndarray], table: dict[int, Any]
) -> list[float]:
    """Loop lengths from a table node -> distances to every node (dict or array)."""
    lengths = []
    for stops in week:
        at = routing.snap(net, stops)
        total = 0.0
        for i in range(len(stops)):
            j = (i + 1) % len(stops)
            ea, eb = int(at.edge[i]), int(at.edge[j])
            oa, ob = float(at.offset_m[i]), float(at.offset_m[j])
            best = abs(oa - ob) if ea == eb else np.inf
            la, lb = float(net.length_m[ea]), float(net.length_m[eb])
            for na, da in ((int(net.u[ea]), oa), (int(net.v[ea]), la - oa)):
                dist = table[na]
                for nb, db in ((int(net.u[eb]), ob), (int(net.v[eb]), lb - ob)):
                    d = dist.get(nb, np.inf) if isinstance(dist, dict) else dist[nb]
                    best = min(best, da + float(d) + db)
            total += best
        lengths.append(total)
    return lengths


def _sources(net: routing.StreetNetwork, week: list[np.ndarray]) -> list[int]:
    nodes: set[int] = set()
    for stops in week:
        at = routing.snap(net, stops)
        nodes.update(int(n) for n in net.u[at.edge])
        nodes.update(int(n) for n in net.v[at.edge])
    return sorted(nodes)


def _networkx_all_pairs(net: routing.StreetNetwork, week: list[np.ndarray]) -> list[float]:
    sources = _sources(net, week)
    table = {
        s: nx.single_source_dijkstra_path_length(net.graph, s, weight="length") for s in sources
    }
    return _loop_lengths_from_table(net, week, table)


def _scipy_all_pairs(net: routing.StreetNetwork, week: list[np.ndarray]) -> list[float]:
    sources = _sources(net, week)
    edges = np.array([(a, b, d["length"]) for a, b, d in net.graph.edges(data=True)])
    n = len(net.node_xy)
    matrix = scipy.sparse.coo_matrix(
        (edges[:, 2], (edges[:, 0].astype(int), edges[:, 1].astype(int))), shape=(n, n)
    ).tocsr()
    dist = dijkstra(matrix, directed=False, indices=sources)
    table = {s: dist[k] for k, s in enumerate(sources)}
    return _loop_lengths_from_table(net, week, table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=60)
    parser.add_argument("--loops", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        pbf = Path(tmp) / "city.osm.pbf"
        write_city(pbf, blocks=args.blocks, buildings=0, seed=args.seed)
        gpkg = write_geography(build_geography(pbf), Path(tmp) / "city.gpkg")
        overrides: dict[str, str | Path] = {}
        for layer in ("municipality", "water", "roads", "places", "streets"):
            overrides[layer] = gpkg
            overrides[f"{layer}_layer"] = layer
        overrides["districts"] = gpkg  # the synthetic city has no districts: one, the whole
        overrides["districts_layer"] = "municipality"
        geo = load_geography(overrides=overrides)

    assert geo.streets is not None
    _, graph_mb = _peak_mb(lambda: routing.street_network(geo.streets, mode="walk"))
    net, graph_s, graph_cpu = _timed(routing.network_of, geo, "walk")
    assert net is not None
    _, cached_s, _ = _timed(routing.network_of, geo, "walk")
    sites, sites_s, sites_cpu = _timed(routing.safe_stop_sites, geo)
    assert sites is not None
    week = _week_of_loops(net, loops=args.loops, seed=args.seed)
    stops = sum(len(w) for w in week)

    methods = (
        ("route_loop", _route_all),
        ("nx", _networkx_all_pairs),
        ("scipy", _scipy_all_pairs),
    )
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in methods}
    peaks: dict[str, float] = {}
    results: dict[str, list[float]] = {}
    for _ in range(args.repeat):  # interleaved, best of ``repeat``
        for name, fn in methods:
            out, wall, cpu = _timed(fn, net, week)
            runs[name].append((wall, cpu))
            results[name] = out
    for name, fn in methods:
        _, peaks[name] = _peak_mb(fn, net, week)
    diff_nx = float(np.max(np.abs(np.subtract(results["route_loop"], results["nx"]))))
    diff_sp = float(np.max(np.abs(np.subtract(results["route_loop"], results["scipy"]))))
    if max(diff_nx, diff_sp) > 1e-3:
        msg = f"loop lengths disagree: {diff_nx:.4f} m (networkx), {diff_sp:.4f} m (scipy)"
        raise SystemExit(msg)

    def best(name: str) -> dict[str, float]:
        wall, cpu = min(runs[name])
        return {"s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_mb": round(peaks[name], 3)}

    result = {
        "benchmark": "routing",
        "blocks": args.blocks,
        "grid_extent_km": round(args.blocks * DLON * 111.32 * np.cos(np.radians(59.4)), 2),
        "lon0": LON0,
        "dlat": DLAT,
        "graph": {
            "nodes": net.graph.number_of_nodes(),
            "edges": net.graph.number_of_edges(),
            "street_km": round(net.total_length_m / 1000, 1),
            "build_s": round(graph_s, 3),
            "build_cpu_s": round(graph_cpu, 3),
            "build_peak_mb": round(graph_mb, 2),
            "cached_s": round(cached_s, 6),
        },
        "traffic_sites": {
            "sites": len(sites.xy),
            "s": round(sites_s, 3),
            "cpu_s": round(sites_cpu, 3),
        },
        "loops": args.loops,
        "stops": stops,
        "loop_length_m": {
            "mean": round(float(np.mean(results["route_loop"])), 1),
            "max": round(float(np.max(results["route_loop"])), 1),
        },
        "route_loop": best("route_loop"),
        "networkx_all_pairs_from_stops": best("nx"),
        "scipy_csgraph_from_stops": best("scipy"),
        "max_length_difference_m": round(max(diff_nx, diff_sp), 6),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "networkx": nx.__version__,
    }
    logger.info(
        "graph %d nodes, %d edges (%.0f km): built in %.2f s (%.1f MB traced), cached %.6f s",
        result["graph"]["nodes"],
        result["graph"]["edges"],
        net.total_length_m / 1000,
        graph_s,
        graph_mb,
        cached_s,
    )
    logger.info(
        "safe traffic-check sites (drive graph included): %d in %.2f s (CPU %.2f s)",
        len(sites.xy),
        sites_s,
        sites_cpu,
    )
    for name, label in (
        ("route_loop", "route_loop (bidirectional Dijkstra per leg)"),
        ("nx", "networkx all-pairs Dijkstra from the stops"),
        ("scipy", "scipy csgraph Dijkstra from the stops"),
    ):
        b = best(name)
        logger.info(
            "%-46s %2d loops, %3d stops: %.3f s (CPU %.3f s), peak %.3f MB",
            label,
            args.loops,
            stops,
            b["s"],
            b["cpu_s"],
            b["peak_mb"],
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
