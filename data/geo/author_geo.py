"""Author the demo geography of Karlstad (``data/geo/*.geojson``) from hand-placed coordinates.

Every coordinate below was placed by hand from general public knowledge of Karlstad (where the
square, the station, the university, the river branches and the districts roughly are) and is
written in metres east (``dx``) and north (``dy``) of Stora torget, whose position is
59.3806 N, 13.5025 E (WGS84) = E 414 921, N 6 583 390 in SWEREF 99 TM (EPSG:3006, computed
with pyproj). Nothing here was copied from an official data set; accuracy is about 100-500 m
in the city and kilometres in the countryside. See ``README.md``.

Run ``uv run python data/geo/author_geo.py`` to rewrite the GeoJSON files (EPSG:3006, metres
rounded to 1 m, legacy ``crs`` member so that GDAL and geopandas read the CRS).
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, mapping
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
#: Stora torget in EPSG:3006 metres.
ORIGIN_E, ORIGIN_N = 414_921.0, 6_583_390.0

Coords = list[tuple[float, float]]


def _abs(coords: Coords) -> Coords:
    return [(ORIGIN_E + dx, ORIGIN_N + dy) for dx, dy in coords]


# --------------------------------------------------------------------------------------------
# Water. Centre lines of the river (then buffered to its approximate width) and the lake shore.
# --------------------------------------------------------------------------------------------
#: Klarälven from the north (past Forshaga and Skåre) to the split north of the centre.
KLARALVEN_MAIN: Coords = [
    (-1500, 17000), (-2500, 13000), (-3300, 9000), (-3200, 6500), (-2600, 5000),
    (-1500, 3700), (-700, 2700), (-300, 2100),
]  # fmt: skip
#: Östra älven: the eastern branch, past Östra bron (about 600 m east of the square) to Vänern.
OSTRA_ALVEN: Coords = [
    (-300, 2100), (100, 1700), (450, 1100), (600, 500), (620, 90), (580, -400),
    (520, -900), (480, -1300), (470, -1700),
]  # fmt: skip
#: Västra älven: the western branch, between Tingvallaön and Herrhagen, to Vänern.
VASTRA_ALVEN: Coords = [
    (-300, 2100), (-500, 1500), (-420, 800), (-350, 200), (-330, -200), (-380, -700),
    (-500, -1100), (-560, -1500),
]  # fmt: skip
#: Vänern's north shore from west (Vålberg) to east (past Välsviken); the lake lies south.
VANERN_SHORE: Coords = [
    (-30000, -1500), (-24000, -1500), (-17000, -900), (-12000, -1800), (-8000, -2200), (-5500, -1600),
    (-4200, -1700), (-3700, -1300), (-2800, -1250), (-2000, -1500), (-1300, -1350),
    (-800, -1250), (-550, -1150), (-300, -1050), (0, -1000), (150, -1100), (250, -1700),
    (380, -1600), (470, -1300), (700, -1200), (1100, -800), (1500, -550), (1900, -800),
    (2500, -1000), (3200, -800), (4200, -500), (5200, -100), (5900, 150), (6500, -400),
    (8000, -800), (12000, -1500), (18000, -3000), (30000, -4000), (40000, -4500),
]  # fmt: skip
#: Hammarö (a neighbouring municipality on an island south of the city): land, not lake.
HAMMARO: Coords = [
    (-6000, -2600), (-3500, -2100), (-1500, -2100), (0, -2500), (1500, -3500), (2000, -6000),
    (1000, -10000), (-2000, -12000), (-5000, -10000), (-6500, -6000),
]  # fmt: skip
#: The inner harbour basin south of the centre.
INRE_HAMN_BASIN: Coords = [(-20, -1020), (140, -1020), (140, -560), (-20, -560)]

# --------------------------------------------------------------------------------------------
# Municipality outline (very coarse; includes Karlstad's part of Vänern, excludes Hammarö).
# --------------------------------------------------------------------------------------------
MUNICIPALITY: Coords = [
    (-22000, -8000), (-22000, 8000), (-15000, 16000), (-11000, 26000), (-4000, 38000),
    (6000, 36000), (14000, 29000), (22000, 21000), (27000, 8000), (26000, -3000),
    (25000, -15000), (3000, -15000), (2200, -3000), (-1000, -2000), (-4000, -2300),
    (-7000, -3500), (-12000, -7500),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Districts: hand-placed centres (Voronoi cells clipped to the urban area and to land) with a
# rough resident population used by the demo generator as a weight.
# --------------------------------------------------------------------------------------------
URBAN_AREA: Coords = [
    (-5600, -1900), (-5600, 1300), (-4700, 2600), (-4800, 6700), (-2400, 7200),
    (-1500, 4300), (0, 4100), (1500, 4400), (3000, 4000), (5500, 3800), (7200, 2100),
    (7200, -1500), (2000, -2000),
]  # fmt: skip
#: name, (dx, dy) centre, approximate population
DISTRICTS: list[tuple[str, tuple[float, float], int]] = [
    ("Tingvallastaden (centrum)", (0, 150), 6000),
    ("Haga", (300, -350), 3000),
    ("Inre hamn", (60, -800), 1500),
    ("Sundsta", (-60, 750), 3500),
    ("Klara", (-150, 1450), 2500),
    ("Herrhagen", (-900, 0), 5000),
    ("Yttre hamn", (-1300, -1050), 400),
    ("Lamberget", (-1450, 1000), 2000),
    ("Råtorp", (-900, 2400), 3000),
    ("Norrstrand", (1100, 550), 6500),
    ("Orrholmen", (1650, 950), 2500),
    ("Färjestad", (2400, 1300), 2500),
    ("Våxnäs", (700, 2100), 5000),
    ("Gruvlyckan", (700, 3100), 3000),
    ("Rud", (1900, 3300), 6000),
    ("Kroppkärr", (2900, 2300), 3000),
    ("Kronoparken", (4300, 2300), 6000),
    ("Välsviken", (6000, 800), 400),
    ("Strand", (1200, -350), 2500),
    ("Viken", (2800, -300), 2000),
    ("Marieberg", (-1900, -500), 3500),
    ("Hultsberg", (-2700, 600), 3000),
    ("Zakrisdal", (-3100, -900), 2000),
    ("Bergvik", (-4500, -200), 800),
    ("Skåre", (-3500, 5200), 5500),
]
#: Vålberg, a separate locality 18 km west of the centre (its own small polygon).
VALBERG: tuple[str, Coords, int] = (
    "Vålberg",
    [(-18600, 300), (-16800, 300), (-16700, 1700), (-18500, 1800)],
    3000,
)

# --------------------------------------------------------------------------------------------
# Roads: name, ref, kind, centre line.
# --------------------------------------------------------------------------------------------
ROADS: list[tuple[str, str, str, Coords]] = [
    ("E18 (med E45 väster om stan)", "E18", "motorway", [
        (-24000, 400), (-17700, 2000), (-10000, 1300), (-4600, 700), (-3000, 1300),
        (-1500, 1750), (-500, 1950), (300, 1800), (800, 1650), (2400, 1800), (3000, 1700),
        (4500, 1500), (6000, 1250), (9000, 800), (28000, 0),
    ]),
    ("E45 norrut", "E45", "motorway", [
        (-2500, 1450), (-3300, 3500), (-3900, 5500), (-4500, 9000), (-5000, 15000),
        (-6000, 30000),
    ]),
    ("Riksväg 61", "61", "primary", [
        (-3900, 5500), (-6500, 8000), (-10300, 13300), (-16000, 20000),
    ]),
    ("Riksväg 62", "62", "primary", [
        (800, 1650), (800, 2600), (600, 5000), (-500, 10000), (-1000, 16600), (-1500, 30000),
    ]),
    ("Riksväg 63", "63", "primary", [
        (4500, 1500), (5500, 4000), (8500, 11000), (12300, 24400), (15000, 33000),
    ]),
    ("Drottninggatan", "", "street", [(-290, 230), (530, 230)]),
    ("Kungsgatan", "", "street", [(-290, 60), (530, 85)]),
    ("Östra bron", "", "street", [(530, 85), (720, 95), (1000, 200)]),
    ("Västra bron", "", "street", [(-280, 320), (-460, 320), (-900, 250)]),
    ("Tingvallagatan", "", "street", [(-300, 500), (520, 500)]),
    ("Västra Torggatan", "", "street", [(-60, 0), (-60, 720)]),
    ("Östra Torggatan", "", "street", [(60, 0), (60, 720)]),
    ("Järnvägsgatan", "", "street", [(-280, -230), (300, -230)]),
    ("Hamngatan", "", "street", [(180, -20), (180, -640)]),
    ("Älvgatan", "", "street", [(480, -700), (500, 400), (470, 1000)]),
    ("Hagagatan", "", "street", [(180, -420), (500, -420)]),
    ("Norrstrandsgatan", "", "secondary", [(720, 95), (1000, 600), (1500, 1100), (2400, 1250)]),
    ("Våxnäsgatan", "", "secondary", [(720, 600), (750, 1300), (800, 1650)]),
    ("Universitetsgatan", "", "secondary", [(3000, 1700), (3700, 2100), (4500, 2700)]),
    ("Herrhagsgatan", "", "secondary", [(-900, 250), (-1100, -500), (-1300, -1000)]),
    ("Bergviksvägen", "", "secondary", [(-4600, 700), (-4400, -100), (-3000, -600),
                                        (-1500, -400), (-900, 250)]),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Places: name, kind, (dx, dy).
# --------------------------------------------------------------------------------------------
PLACES: list[tuple[str, str, tuple[float, float]]] = [
    ("Stora torget", "square", (0, 0)),
    ("Karlstad C / Resecentrum", "station", (-193, -252)),
    ("Busstation Karlstad C (regionbussar)", "bus_terminal", (-110, -290)),
    ("Stadsbussar, Drottninggatan", "bus_terminal", (40, 225)),
    ("Västra Torggatan (krogstråk)", "nightlife_street", (-60, 350)),
    ("Östra Torggatan (krogstråk)", "nightlife_street", (60, 380)),
    ("Kungsgatan (krogstråk)", "nightlife_street", (200, 75)),
    ("Järnvägsgatan (krogstråk)", "nightlife_street", (0, -230)),
    ("Nattklubb, Västra Torggatan", "venue", (-50, 280)),
    ("Krogar, Östra Torggatan", "venue", (70, 450)),
    ("Pubar, Kungsgatan", "venue", (300, 80)),
    ("Restauranger, Inre hamn", "venue", (220, -700)),
    ("Löfbergs Arena (Färjestad)", "venue", (2160, 1110)),
    ("Systembolaget, centrum", "systembolaget", (120, 130)),
    ("Systembolaget, Bergvik", "systembolaget", (-4350, -120)),
    ("Systembolaget, Välsviken", "systembolaget", (6050, 650)),
    ("Systembolaget, Kronoparken", "systembolaget", (4150, 2050)),
    ("Högstadieskola, centrum", "school", (250, 650)),
    ("Högstadieskola, Norrstrand", "school", (1000, 750)),
    ("Högstadieskola, Herrhagen", "school", (-950, 300)),
    ("Högstadieskola, Våxnäs", "school", (850, 2150)),
    ("Högstadieskola, Rud", "school", (1800, 3200)),
    ("Högstadieskola, Kronoparken", "school", (4000, 2550)),
    ("Högstadieskola, Kroppkärr", "school", (2800, 2450)),
    ("Högstadieskola, Hultsberg", "school", (-2700, 450)),
    ("Högstadieskola, Skåre", "school", (-3400, 5100)),
    ("Högstadieskola, Vålberg", "school", (-17600, 1000)),
    ("Fritidsgård, centrum", "youth_centre", (-180, 420)),
    ("Fritidsgård, Norrstrand", "youth_centre", (1250, 450)),
    ("Fritidsgård, Herrhagen", "youth_centre", (-1000, 100)),
    ("Fritidsgård, Våxnäs", "youth_centre", (600, 2300)),
    ("Fritidsgård, Rud", "youth_centre", (1950, 3450)),
    ("Fritidsgård, Kronoparken", "youth_centre", (4350, 2250)),
    ("Fritidsgård, Skåre", "youth_centre", (-3300, 5300)),
    ("Karlstads universitet", "university", (4490, 2800)),
    ("Mitt i City", "shopping_centre", (90, 160)),
    ("Bergvik köpcentrum", "shopping_centre", (-4394, -189)),
    ("Välsvikens handelsområde", "shopping_centre", (6000, 440)),
    ("Stadsträdgården", "park", (420, 330)),
    ("Mariebergsskogen", "park", (-1050, -850)),
    ("Kanikenäset", "park", (230, -1400)),
    ("Skutberget", "park", (-3950, -1150)),
    ("Grönstråk, Kronoparken", "park", (3700, 2600)),
    ("Inre hamn", "harbour", (230, -620)),
    ("Yttre hamn", "harbour", (-1300, -1150)),
    ("Parkering Inre hamn", "car_park", (260, -820)),
    ("Parkering Karlstad C", "car_park", (-250, -350)),
    ("Parkering Mitt i City (garage)", "car_park", (150, 190)),
    ("Parkering Bergvik", "car_park", (-4250, -30)),
    ("Parkering Välsviken", "car_park", (6150, 580)),
    ("Parkering Löfbergs Arena", "car_park", (2300, 1000)),
    ("Parkering Kronoparken centrum", "car_park", (4100, 2150)),
    ("Parkering Skutberget", "car_park", (-3900, -1050)),
]


def _water() -> list[tuple[str, str, shapely.Geometry]]:
    shore = _abs(VANERN_SHORE)
    (w, _), (e, _) = shore[0], shore[-1]
    south = ORIGIN_N - 30_000
    lake = Polygon([*shore, (e, south), (w, south)]).difference(Polygon(_abs(HAMMARO)))
    rivers = [
        ("Klarälven", LineString(_abs(KLARALVEN_MAIN)).buffer(90, cap_style="flat")),
        ("Östra älven", LineString(_abs(OSTRA_ALVEN)).buffer(65, cap_style="round")),
        ("Västra älven", LineString(_abs(VASTRA_ALVEN)).buffer(50, cap_style="round")),
    ]
    return [
        ("Vänern", "lake", lake),
        *[(name, "river", geom) for name, geom in rivers],
        ("Inre hamn (hamnbassäng)", "basin", Polygon(_abs(INRE_HAMN_BASIN))),
    ]


def _districts(land: shapely.Geometry) -> list[tuple[str, int, shapely.Geometry]]:
    urban = Polygon(_abs(URBAN_AREA)).intersection(land)
    seeds = MultiPoint(_abs([c for _, c, _ in DISTRICTS]))
    cells = shapely.voronoi_polygons(seeds, extend_to=urban.envelope.buffer(5000))
    out: list[tuple[str, int, shapely.Geometry]] = []
    for name, centre, pop in DISTRICTS:
        pt = Point(_abs([centre])[0])
        cell = next(c for c in cells.geoms if c.contains(pt))
        out.append((name, pop, cell.intersection(urban)))
    name, ring, pop = VALBERG
    out.append((name, pop, Polygon(_abs(ring)).intersection(land)))
    return out


def _round(geom: shapely.Geometry) -> dict:
    return mapping(shapely.set_precision(geom, 1.0))


def _write(name: str, features: list[dict]) -> None:
    doc = {
        "type": "FeatureCollection",
        "name": name,
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": features,
    }
    path = HERE / f"{name}.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def _feature(props: dict, geom: shapely.Geometry) -> dict:
    return {"type": "Feature", "properties": props, "geometry": _round(geom)}


def main() -> None:
    """Write the five layers."""
    municipality = Polygon(_abs(MUNICIPALITY))
    water_parts = _water()
    water = unary_union([g for _, _, g in water_parts])
    land = municipality.difference(water)
    _write(
        "municipality",
        [_feature({"name": "Karlstads kommun", "kommunkod": "1780"}, municipality)],
    )
    _write(
        "water",
        [
            _feature({"name": n, "kind": k}, g) for n, k, g in water_parts
        ],
    )
    _write(
        "districts",
        [_feature({"name": n, "population": p}, g) for n, p, g in _districts(land)],
    )
    _write(
        "roads",
        [
            _feature(
                {"name": n, "ref": r, "kind": k},
                LineString(_abs(c)).intersection(municipality),
            )
            for n, r, k, c in ROADS
        ],
    )
    _write(
        "places",
        [_feature({"name": n, "kind": k}, Point(_abs([c])[0])) for n, k, c in PLACES],
    )
    on_water = [n for n, _, c in PLACES if water.contains(Point(_abs([c])[0]))]
    if on_water:
        msg = f"places in water: {on_water}"
        raise SystemExit(msg)
    sizes = {p.name: p.stat().st_size for p in sorted(HERE.glob("*.geojson"))}
    print(json.dumps(sizes))  # noqa: T201 - a build script


if __name__ == "__main__":
    main()
