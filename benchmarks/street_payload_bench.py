"""Benchmark: what the street and building layers add to a map page, for the demo geography and
for a city-sized synthetic geography.

No real extract is fetched. The synthetic city is written with pyosmium's writer and built
into a geography GeoPackage with ``hotspots geography build``, as a user would:
``--blocks`` x ``--blocks`` blocks of 100 m (60: a town of 6 x 6 km, about Karlstad's built-up
area), every street with a node every 12.5 m and a gentle wobble (2 m, so simplification
cannot reduce a street to its two ends, unlike a ruler-straight grid), a tertiary every tenth
street and a primary every thirtieth, a footway through every other block, a service road in
every third, ``--per-block`` buildings in each block (rectangles and L shapes), a river and a
lake, 3 x 3 districts.

Printed per geography: the bytes of the street payload (main roads for city zoom, every
street for street zoom, the name labels) and of the building payload as the page carries
them (compact JSON, :func:`hotspots.render.leaflet.streets.payload_bytes`), gzip-compressed
too, the number of lines, labels and buildings, and the seconds to compute them; for
comparison, the land and water the offline map drew before (``land_water_kb``, GeoJSON). The
last line printed is one JSON object.
Run: ``uv run python benchmarks/street_payload_bench.py [--blocks 60] [--per-block 8]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import osmium
from osmium.osm.mutable import Node, Relation, Way

from hotspots.core.i18n import t
from hotspots.render.leaflet import MapOptions
from hotspots.render.leaflet.build import base_map
from hotspots.render.leaflet.streets import (
    building_payload,
    compact_json,
    payload_bytes,
    street_payload,
)
from hotspots.render.leaflet.templates import VectorLayer
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import default_geography, load_geography

LON0, LAT0 = 13.45, 59.36
BLOCK_M = 100.0
DLAT = BLOCK_M / 111_320.0
DLON = BLOCK_M / (111_320.0 * math.cos(math.radians(LAT0)))


def write_city(path: Path, *, blocks: int, per_block: int, seed: int) -> dict[str, int]:
    """Write the synthetic city; return how many streets and buildings it holds."""
    rng = np.random.default_rng(seed)
    writer = osmium.SimpleWriter(str(path))
    nid, wid = 1, 1
    ways: list[tuple[list[int], dict[str, str]]] = []
    counts = {"street_ways": 0, "buildings": 0}

    def node(i: float, j: float) -> int:
        nonlocal nid
        writer.add_node(Node(id=nid, location=(LON0 + i * DLON, LAT0 + j * DLAT), tags={}))
        nid += 1
        return nid - 1

    def ring(points: list[tuple[float, float]]) -> list[int]:
        refs = [node(i, j) for i, j in points]
        return [*refs, refs[0]]

    try:
        n = blocks + 1
        sub = 8  # nodes per block along a street: every 12.5 m
        wobble = 2.0 / BLOCK_M
        crossing: dict[tuple[int, int], int] = {}
        for axis in (0, 1):
            for line in range(n):
                refs = []
                for k in range(blocks * sub + 1):
                    s = k / sub
                    if k % sub == 0:
                        key = (line, int(s)) if axis == 0 else (int(s), line)
                        if key not in crossing:
                            crossing[key] = node(*key)
                        refs.append(crossing[key])
                        continue
                    off = wobble * math.sin(2 * math.pi * s * 0.77 + line)
                    refs.append(node(line + off, s) if axis == 0 else node(s, line + off))
                highway = (
                    "primary"
                    if line % 30 == 0
                    else "tertiary"
                    if line % 10 == 0
                    else ("residential")
                )
                name = f"{'Gata' if axis == 0 else 'Väg'} {line}"
                ways.append((refs, {"highway": highway, "name": name}))
        for i in range(blocks):
            for j in range(blocks):
                if (i + j) % 2 == 0:
                    pts = [(i + 0.5 + 0.05 * math.sin(k), j + k / 4) for k in range(5)]
                    ways.append(([node(a, b) for a, b in pts], {"highway": "footway"}))
                if (i * 7 + j) % 3 == 0:
                    pts = [(i, j + 0.3), (i + 0.25, j + 0.3), (i + 0.3, j + 0.35)]
                    ways.append(([node(a, b) for a, b in pts], {"highway": "service"}))
                for _ in range(per_block):
                    x, y = rng.uniform(0.08, 0.78, 2)
                    w, h = rng.uniform(0.08, 0.16), rng.uniform(0.06, 0.12)
                    if rng.random() < 0.3:  # an L shape
                        pts = [(x, y), (x + w, y), (x + w, y + h / 2), (x + w / 2, y + h / 2)]
                        pts += [(x + w / 2, y + h), (x, y + h)]
                    else:
                        pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                    ways.append((ring([(i + a, j + b) for a, b in pts]), {"building": "yes"}))
                    counts["buildings"] += 1
        river = [(t / 10, blocks * 0.4 + 0.6 * math.sin(t / 25)) for t in range(blocks * 10 + 1)]
        bank = [(a, b + 0.25) for a, b in reversed(river)]
        ways.append((ring(river + bank), {"natural": "water", "water": "river", "name": "Älven"}))
        lake = [
            (blocks * 0.7 + 2 * math.cos(a), blocks * 0.7 + 1.5 * math.sin(a))
            for a in np.linspace(0, 2 * math.pi, 120, endpoint=False)
        ]
        ways.append((ring(lake), {"natural": "water", "name": "Sjön"}))
        third = blocks / 3
        for a in range(3):
            for b in range(3):
                pts = [(a * third, b * third), ((a + 1) * third, b * third)]
                pts += [((a + 1) * third, (b + 1) * third), (a * third, (b + 1) * third)]
                ways.append((ring(pts), {"place": "suburb", "name": f"Stadsdel {a}{b}"}))
        outline = ring(
            [(-10, -10), (blocks + 10, -10), (blocks + 10, blocks + 10), (-10, blocks + 10)]
        )
        for refs, tags in ways:
            writer.add_way(Way(id=wid, nodes=refs, tags=tags))
            wid += 1
            counts["street_ways"] += int("highway" in tags)
        writer.add_way(Way(id=wid, nodes=outline, tags={}))
        writer.add_relation(
            Relation(
                id=1,
                members=[("w", wid, "outer")],
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


def measure(geography: Any) -> dict[str, Any]:
    """Payload bytes (raw and gzip), feature counts and seconds for one geography."""
    t0 = time.perf_counter()
    streets = street_payload(geography)
    t1 = time.perf_counter()
    buildings = building_payload(geography)
    t2 = time.perf_counter()

    def kb(value: Any) -> float:
        return round(payload_bytes(value) / 1024, 1)

    def gz_kb(value: Any) -> float:
        if value is None:
            return 0.0
        return round(len(gzip.compress(compact_json(value).encode("utf-8"))) / 1024, 1)

    out: dict[str, Any] = {
        "streets_kb": kb(streets),
        "streets_gzip_kb": gz_kb(streets),
        "buildings_kb": kb(buildings),
        "buildings_gzip_kb": gz_kb(buildings),
        "streets_s": round(t1 - t0, 2),
        "buildings_s": round(t2 - t1, 2),
    }
    if streets is not None:
        out["coarse_kb"] = kb(streets["coarse"])
        out["fine_kb"] = kb(streets["fine"])
        out["labels_kb"] = kb(streets["labels"])
        out["coarse_lines"] = sum(len(x) for x in streets["coarse"])
        out["fine_lines"] = sum(len(x) for x in streets["fine"])
        out["labels"] = len(streets["labels"]["n"])
    out["buildings"] = 0 if buildings is None else len(buildings["p"])
    # for comparison: the land and water the offline map already drew before (GeoJSON)
    base = base_map(geography, MapOptions(), [])
    sizes = [
        len(json.dumps(layer.data))
        for layer in base._children.values()
        if isinstance(layer, VectorLayer) and layer.layer_name == t("layer_basemap", "sv")
    ]
    out["land_water_kb"] = round(sum(sizes) / 1024, 1)
    out["total_kb"] = round(out["streets_kb"] + out["buildings_kb"], 1)
    out["total_gzip_kb"] = round(out["streets_gzip_kb"] + out["buildings_gzip_kb"], 1)
    return out


def main() -> None:
    """Measure the demo geography and a synthetic city; print one JSON line at the end."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=60)
    parser.add_argument("--per-block", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": platform.machine(), "python": platform.python_version()}
    result["demo"] = measure(default_geography())
    print("demo", json.dumps(result["demo"]))
    with tempfile.TemporaryDirectory() as tmp:
        pbf = Path(tmp) / "city.osm.pbf"
        counts = write_city(pbf, blocks=args.blocks, per_block=args.per_block, seed=args.seed)
        gpkg = write_geography(build_geography(pbf), Path(tmp) / "city.gpkg")
        city = load_geography(config=gpkg)
        result["city"] = {
            "blocks": args.blocks,
            "extent_km": args.blocks * BLOCK_M / 1000,
            "street_segments": len(city.streets) if city.streets is not None else 0,
            **counts,
            **measure(city),
        }
    print("city", json.dumps(result["city"]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
