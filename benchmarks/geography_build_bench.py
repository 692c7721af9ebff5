"""Benchmark: ``geography build`` time and peak memory on a synthetic city-sized extract.

No real extract is fetched: a seeded synthetic ``.osm.pbf`` of about the size of Karlstad
municipality's OpenStreetMap data is written with pyosmium's writer -- a street grid of
``--blocks`` x ``--blocks`` blocks (residential streets with a tertiary every tenth, footways
through every other block), one four-corner building per ``--buildings``, 200 small lakes, a
few thousand places of interest and a municipality boundary. The build reads it, splits the
streets at junctions, assembles the areas, clips, derives land and writes the GeoPackage.

With ``--addresses N`` (default 30,000, about Karlstad's Belägenhetsadresser) a seeded
synthetic address register (a CSV like Lantmäteriet's: street, number, letter, postcode, post
town, lat/lon) is built in as the ``addresses`` layer (``geography build --addresses``): the
JSON gives the time to read the register (``addresses_read_s``), to write its layer alone
(``addresses_write_s``; ``build_s`` and ``write_gpkg_s`` include it, and the build's own
share, reprojecting and clipping the points, is a small part of ``build_s``, most of which is
reading the extract) and the time an import needs to open the geography's geocoder
(``addresses_geocoder_s``, ``hotspots import --geography``).

The last line printed is one JSON object. Run:
``uv run python benchmarks/geography_build_bench.py [--blocks 150] [--buildings 40000]
[--addresses 30000]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import osmium
from osmium.osm.mutable import Node, Relation, Way

from hotspots.cli.geography_cmd import addresses_layer
from hotspots.load.geocode import geography_geocoder
from hotspots.spatial.build import BuiltGeography, build_geography, write_geography

logger = logging.getLogger("geography_build_bench")

LON0, LAT0 = 13.40, 59.33
DLON, DLAT = 0.0018, 0.0009  # about 100 m x 100 m blocks at 59.4 N


def write_city(path: Path, *, blocks: int, buildings: int, seed: int) -> dict[str, int]:
    """Write the synthetic extract; return what it holds."""
    rng = np.random.default_rng(seed)
    writer = osmium.SimpleWriter(str(path))
    nid, wid = 1, 1
    counts = {"nodes": 0, "ways": 0}

    def node(lon: float, lat: float, tags: dict[str, str] | None = None) -> int:
        nonlocal nid
        writer.add_node(Node(id=nid, location=(lon, lat), tags=tags or {}))
        nid += 1
        counts["nodes"] += 1
        return nid - 1

    def way(refs: list[int], tags: dict[str, str]) -> int:
        nonlocal wid
        writer.add_way(Way(id=wid, nodes=refs, tags=tags))
        wid += 1
        counts["ways"] += 1
        return wid - 1

    try:
        n = blocks + 1
        grid = np.empty((n, n), dtype=np.int64)
        for i in range(n):
            for j in range(n):
                grid[i, j] = node(LON0 + i * DLON, LAT0 + j * DLAT)
        border = [node(LON0 - DLON, LAT0 - DLAT), node(LON0 + n * DLON, LAT0 - DLAT)]
        border += [node(LON0 + n * DLON, LAT0 + n * DLAT), node(LON0 - DLON, LAT0 + n * DLAT)]
        places: list[tuple[float, float, dict[str, str]]] = []
        for i in range(n):  # east-west and north-south streets
            kind = "tertiary" if i % 10 == 0 else "residential"
            way(list(map(int, grid[:, i])), {"highway": kind, "name": f"Gata {i}"})
            way(list(map(int, grid[i, :])), {"highway": kind, "name": f"Väg {i}"})
        for i in range(0, blocks, 2):  # footways through every other block
            for j in range(0, blocks, 2):
                a = node(LON0 + (i + 0.5) * DLON, LAT0 + j * DLAT)
                b = node(LON0 + (i + 0.5) * DLON, LAT0 + (j + 1) * DLAT)
                way([a, b], {"highway": "footway"})
        size = 0.00012
        for _ in range(buildings):
            lon = LON0 + rng.uniform(0, blocks) * DLON
            lat = LAT0 + rng.uniform(0, blocks) * DLAT
            ring = [
                node(lon, lat),
                node(lon + size, lat),
                node(lon + size, lat + size / 2),
                node(lon, lat + size / 2),
            ]
            way([*ring, ring[0]], {"building": "yes"})
        for k in range(200):
            lon = LON0 + rng.uniform(0, blocks) * DLON
            lat = LAT0 + rng.uniform(0, blocks) * DLAT
            r = [node(lon, lat), node(lon + 0.001, lat), node(lon + 0.001, lat + 0.0005)]
            way([*r, r[0]], {"natural": "water", "name": f"Sjö {k}"})
        kinds = [
            {"amenity": "pub"},
            {"amenity": "bar"},
            {"shop": "alcohol"},
            {"amenity": "school"},
            {"amenity": "parking"},
            {"leisure": "park"},
            {"railway": "station"},
            {"amenity": "bus_station"},
        ]
        for k in range(3000):
            lon = LON0 + rng.uniform(0, blocks) * DLON
            lat = LAT0 + rng.uniform(0, blocks) * DLAT
            places.append((lon, lat, {**kinds[k % len(kinds)], "name": f"Plats {k}"}))
        for lon, lat, tags in places:
            node(lon, lat, tags)
        outline = way([*border, border[0]], {})
        writer.add_relation(
            Relation(
                id=1,
                members=[("w", outline, "outer")],
                tags={
                    "type": "boundary",
                    "boundary": "administrative",
                    "admin_level": "7",
                    "name": "Stadskommun",
                },
            )
        )
    finally:
        writer.close()
    return counts


def write_register(path: Path, *, n: int, blocks: int, seed: int) -> int:
    """Write a synthetic address register of ``n`` points inside the city; return ``n``."""
    rng = np.random.default_rng(seed)
    streets = np.arange(n) % (blocks + 1)  # every (street, number) once
    numbers = np.arange(n) // (blocks + 1) + 1
    letters = np.where(rng.random(n) < 0.1, "B", "")
    lon = LON0 + rng.uniform(0, blocks, n) * DLON
    lat = LAT0 + rng.uniform(0, blocks, n) * DLAT
    lines = ["street,number,postcode,post_town,municipality,lat,lon,kind"]
    lines += [
        f"Gata {s},{k}{b},{65000 + s % 100},Stad,Stadskommun,{y:.6f},{x:.6f},address"
        for s, k, b, x, y in zip(streets, numbers, letters, lon, lat, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=150)
    parser.add_argument("--buildings", type=int, default=40_000)
    parser.add_argument("--addresses", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        pbf = Path(tmp) / "city.osm.pbf"
        t0 = time.perf_counter()
        counts = write_city(pbf, blocks=args.blocks, buildings=args.buildings, seed=args.seed)
        write_s = time.perf_counter() - t0
        register = None
        extra: dict[str, float] = {}
        if args.addresses:
            csv = Path(tmp) / "adresser.csv"
            write_register(csv, n=args.addresses, blocks=args.blocks, seed=args.seed)
            t0 = time.perf_counter()
            register = addresses_layer(csv)
            extra["addresses_read_s"] = round(time.perf_counter() - t0, 2)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        built = build_geography(pbf, addresses=register)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = write_geography(built, Path(tmp) / "geo.gpkg")
        gpkg_s = time.perf_counter() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if register is not None:
            alone = BuiltGeography({"addresses": built.layers["addresses"]}, built.provenance)
            t0 = time.perf_counter()
            write_geography(alone, Path(tmp) / "addresses.gpkg")
            extra["addresses_write_s"] = round(time.perf_counter() - t0, 2)
            t0 = time.perf_counter()
            geocoder = geography_geocoder(out)
            extra["addresses_geocoder_s"] = round(time.perf_counter() - t0, 2)
            assert geocoder is not None
            assert len(geocoder.register) == len(built.layers["addresses"])
        features = {row.layer: int(row.features) for row in built.provenance.itertuples()}
        result = {
            "benchmark": "geography_build",
            "pbf_mb": round(pbf.stat().st_size / 1e6, 2),
            **counts,
            "features": features,
            "write_pbf_s": round(write_s, 2),
            "build_s": round(build_s, 2),
            "write_gpkg_s": round(gpkg_s, 2),
            **extra,
            "gpkg_mb": round(out.stat().st_size / 1e6, 2),
            "peak_rss_mb": round(rss1 / 1024, 1),
            "peak_rss_growth_mb": round((rss1 - rss0) / 1024, 1),
            "python": platform.python_version(),
        }
    logger.info(
        "%d nodes, %d ways: build %.1f s, GeoPackage %.1f s, peak RSS %.0f MB",
        counts["nodes"],
        counts["ways"],
        build_s,
        gpkg_s,
        rss1 / 1024,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
