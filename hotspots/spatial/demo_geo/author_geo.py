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
# Water. Centre lines of the river arms (buffered to their approximate width), bays and the
# lake shore. Facts used: the delta starts about 0.9 km north of the square (Wikipedia's
# Klarälven mouth point 59.38861 N 13.49833 E); the western arm frames Klara on its east and
# south sides; the eastern arm runs between Haga and Norrstrand under Östra bron (59.3846 N,
# 13.5132 E) and reaches Vänern at the island Örsholmen; Pråmkanalen (1.8 km) joins the
# eastern arm to the inner harbour with Tingvallastaden west and Haga east of it; Orrholmen,
# south of the centre, has water on three sides (Mariebergsviken west, Tullholmsviken east);
# the west coast area lies between the river and Vänern from Bergvik down to Dingelsundet.
# --------------------------------------------------------------------------------------------
#: Klarälven from the north (Forshaga, then east of Skåre, between Råtorp and Färjestad).
KLARALVEN_MAIN: Coords = [
    (-1300, 16600), (-1800, 12000), (-2000, 9000), (-1900, 7000), (-1200, 5500),
    (-500, 4200), (-250, 3000), (-300, 2000), (-236, 890),
]  # fmt: skip
#: Östra älven: the eastern arm, under Östra bron, south of Norrstrand, out at Örsholmen.
OSTRA_ALVEN: Coords = [
    (-236, 890), (200, 680), (618, 433), (1100, 450), (1700, 420), (2300, 200),
    (2800, -200), (3200, -700), (3400, -1300), (3500, -1700),
]  # fmt: skip
#: Västra älven: the western arm, east and south of Klara, then south-west to Dingelsundet.
VASTRA_ALVEN: Coords = [
    (-236, 890), (-280, 500), (-320, 150), (-450, 0), (-800, -150), (-1500, -700),
    (-2100, -1500), (-2700, -2600), (-3200, -3700), (-3300, -4300),
]  # fmt: skip
#: Pråmkanalen from the eastern arm south to the inner harbour (about 20 m wide).
PRAMKANALEN: Coords = [(430, 520), (400, 0), (380, -500), (420, -820)]
#: Vänern's north shore from west (Vålberg) to east (past Välsviken); the lake lies south.
VANERN_SHORE: Coords = [
    (-30000, -1500), (-24000, -1500), (-17000, -900), (-14000, -1500), (-10000, -2000),
    (-7500, -1500), (-6000, -1000), (-4800, -1600), (-4200, -2800), (-3500, -3800),
    (-2900, -3300), (-2500, -2700), (-1500, -2600), (-800, -2400), (-200, -2400),
    (0, -2300), (200, -2300), (800, -2100), (1500, -1950), (2200, -2050), (2900, -1700),
    (3300, -1500), (3700, -1300), (4500, -1200), (5500, -300), (6000, 150), (6600, -600),
    (8000, -1200), (12000, -2000), (18000, -3000), (30000, -4000), (40000, -4500),
]  # fmt: skip
#: Bays reaching in from the lake: Mariebergsviken, and Tyggårdsviken/Tullholmsviken with
#: the inner harbour basin at its head.
BAYS: list[tuple[str, Coords]] = [
    ("Mariebergsviken", [(-750, -1000), (-250, -1000), (-200, -2450), (-800, -2450)]),
    ("Tyggårdsviken", [(300, -1050), (700, -1050), (850, -2150), (250, -2350)]),
    ("Inre hamn (hamnbassäng)", [(300, -1060), (560, -1060), (560, -800), (300, -800)]),
]
#: Hammarö (a neighbouring municipality south of the city, across the water): land, not lake.
HAMMARO: Coords = [
    (-6500, -5000), (-4000, -4300), (-2500, -4400), (-1000, -4000), (1000, -4300),
    (2500, -5500), (2000, -10000), (-2000, -12000), (-5500, -10000),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Municipality outline (very coarse; includes Karlstad's part of Vänern, excludes Hammarö).
# --------------------------------------------------------------------------------------------
MUNICIPALITY: Coords = [
    (-22000, -8000), (-22000, 8000), (-15000, 16000), (-11000, 26000), (-4000, 38000),
    (6000, 36000), (14000, 29000), (22000, 21000), (27000, 8000), (26000, -3000),
    (25000, -15000), (3000, -15000), (3000, -3800), (-1000, -3500), (-3000, -4100),
    (-7000, -4800), (-12000, -7500),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Districts: hand-placed centres (Voronoi cells clipped to the urban area and to land) with a
# rough resident population used by the demo generator as a weight. Centres from Wikipedia
# coordinates where given (Klara, Herrhagen, Kronoparken, Löfbergs Arena for Färjestad) and
# otherwise from the municipality's published area descriptions (what bounds each district).
# --------------------------------------------------------------------------------------------
URBAN_AREA: Coords = [
    (-6500, -4500), (-6500, 1500), (-4800, 3000), (-3800, 5000), (-3900, 9500),
    (-1700, 9800), (-1100, 5000), (-300, 4300), (1500, 4100), (3000, 4300), (5500, 4100),
    (7200, 2100), (7200, -1500), (3500, -2600), (0, -2800), (-3000, -4500),
]  # fmt: skip
#: name, (dx, dy) centre, approximate population
DISTRICTS: list[tuple[str, tuple[float, float], int]] = [
    ("Tingvallastaden (centrum)", (-50, 100), 5000),
    ("Haga", (700, 100), 1700),
    ("Klara", (-550, 600), 1100),
    ("Sundsta", (150, 1050), 3500),
    ("Norrstrand", (1300, 950), 6500),
    ("Herrhagen", (856, -455), 5900),
    ("Viken", (50, -800), 3000),
    ("Orrholmen", (0, -1750), 2500),
    ("Kanikenäset och Yttre hamn", (1400, -1500), 600),
    ("Lamberget", (2000, -600), 2000),
    ("Färjestad", (150, 2800), 2500),
    ("Rud", (1300, 2650), 5500),
    ("Kroppkärr", (2600, 2300), 4000),
    ("Kronoparken", (4140, 2610), 8300),
    ("Välsviken", (5900, 700), 300),
    ("Råtorp", (-800, 3300), 4000),
    ("Våxnäs", (-2300, 1750), 6000),
    ("Gruvlyckan", (-2000, 350), 3000),
    ("Kvarnberget och Sommarro", (-1000, -450), 3500),
    ("Marieberg", (-1200, -1700), 2500),
    ("Zakrisdal", (-3300, -1700), 2500),
    ("Hultsberg", (-3600, 1500), 3500),
    ("Bergvik", (-4700, -300), 800),
    ("Skåre", (-2700, 7200), 6000),
]
#: Vålberg, a separate locality 18 km west of the centre (its own small polygon).
VALBERG: tuple[str, Coords, int] = (
    "Vålberg",
    [(-18600, 300), (-16800, 300), (-16700, 1700), (-18500, 1800)],
    3000,
)

# --------------------------------------------------------------------------------------------
# Roads: name, ref, kind, centre line. E18 runs west-east north of the inner city; E45 passes
# Vålberg in the west (Grums-Sunne); roads 61 and 62 share the road from Bergviksmotet on
# E18 north to Ilandakorset at Skåre, where 61 turns north-west (Kil, Arvika) and 62 north
# (Forshaga) west of Skåre; 63 leaves north-east (Molkom, Filipstad).
# --------------------------------------------------------------------------------------------
ROADS: list[tuple[str, str, str, Coords]] = [
    ("E18", "E18", "motorway", [
        (-30000, 300), (-17700, 2200), (-10000, 1000), (-6500, 350), (-4400, 250),
        (-3000, 700), (-1500, 1200), (-500, 1300), (500, 1400), (1500, 1600),
        (2600, 1700), (3500, 1500), (5000, 1100), (6000, 900), (12000, 500), (28000, 0),
    ]),
    ("E45", "E45", "motorway", [
        (-22500, -3500), (-19000, 0), (-18900, 1500), (-19500, 8000), (-20500, 20000),
    ]),
    ("Riksväg 61/62 (Bergvik-Ilanda)", "61", "primary", [
        (-4400, 250), (-4300, 2500), (-3700, 5000), (-3300, 7500),
    ]),
    ("Riksväg 61", "61", "primary", [
        (-3300, 7500), (-6000, 10000), (-10300, 13300), (-16000, 20000),
    ]),
    ("Riksväg 62", "62", "primary", [
        (-3300, 7500), (-3300, 10000), (-2700, 14000), (-2500, 30000),
    ]),
    ("Riksväg 63", "63", "primary", [
        (3500, 1500), (4800, 3600), (8500, 11000), (12300, 24400), (15000, 33000),
    ]),
    ("Hammaröleden", "", "primary", [(380, -300), (150, -1200), (100, -2300), (400, -3000),
                                       (600, -4200)]),
    ("Hagaleden", "", "secondary", [(1900, 1600), (1700, 750), (1300, 250), (1100, -300),
                                     (1000, -1000)]),
    ("Norra infarten", "", "secondary", [(150, 700), (50, 1900), (-50, 3300)]),
    ("Rudsvägen", "", "secondary", [(620, 450), (750, 1300), (1100, 2600)]),
    ("Våxnäsgatan", "", "secondary", [(-400, 450), (-1300, 900), (-2300, 1500)]),
    ("Ullebergsleden", "", "secondary", [(-3000, 900), (-3000, -200), (-1800, -400),
                                          (-1200, -150)]),
    ("Universitetsgatan", "", "secondary", [(3500, 1500), (4000, 2200), (4500, 2750)]),
    ("Drottninggatan", "", "street", [(-280, 150), (380, 150)]),
    ("Kungsgatan", "", "street", [(-400, -80), (380, -80)]),
    ("Tingvallagatan", "", "street", [(-250, 330), (380, 330)]),
    ("Västra Torggatan", "", "street", [(-60, 0), (-60, 600)]),
    ("Östra Torggatan", "", "street", [(70, 0), (70, 600)]),
    ("Järnvägsgatan", "", "street", [(-150, -260), (-150, 150)]),
    ("Hamngatan", "", "street", [(-350, -230), (370, -230)]),
    ("Älvgatan", "", "street", [(-200, 760), (380, 500)]),
    ("Hagagatan", "", "street", [(470, 150), (1100, 150)]),
    ("Östra bron", "", "street", [(560, 330), (680, 540)]),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Places: name, kind, (dx, dy). Station from Wikipedia (59.377861 N 13.499417 E); Löfbergs
# Arena (59.4075 N 13.50083 E); the university near Kronoparken; Bergvik köpcentrum by E18 in
# the west; Nöjesfabriken in the old foundry in southern Herrhagen; Karlstad CCC in Haga; the
# Kronoteket activity house (with a youth centre) in Kronoparken's centre; the youth centre
# at Lugnet in Gruvlyckan. Venues, schools and the other youth centres are generic markers in
# the right district (not a list of the real ones).
# --------------------------------------------------------------------------------------------
PLACES: list[tuple[str, str, tuple[float, float]]] = [
    ("Stora torget", "square", (0, 0)),
    ("Karlstad C / Resecentrum", "station", (-175, -305)),
    ("Busstation Resecentrum (regionbussar)", "bus_terminal", (-60, -260)),
    ("Stadsbussar, Drottninggatan", "bus_terminal", (60, 150)),
    ("Västra Torggatan (krogstråk)", "nightlife_street", (-60, 250)),
    ("Östra Torggatan (krogstråk)", "nightlife_street", (70, 280)),
    ("Kungsgatan (krogstråk)", "nightlife_street", (150, -80)),
    ("Järnvägsgatan (krogstråk)", "nightlife_street", (-150, -60)),
    ("Nattklubb, Västra Torggatan", "venue", (-50, 200)),
    ("Krogar, Östra Torggatan", "venue", (75, 380)),
    ("Pubar, Kungsgatan", "venue", (250, -75)),
    ("Restauranger, Inre hamn", "venue", (640, -880)),
    ("Nöjesfabriken (nattklubb, Herrhagen)", "venue", (850, -700)),
    ("Karlstad CCC (Haga)", "venue", (650, 0)),
    ("Löfbergs Arena (Färjestad)", "venue", (-95, 2993)),
    ("Systembolaget, centrum", "systembolaget", (120, 100)),
    ("Systembolaget, Bergvik", "systembolaget", (-4350, -120)),
    ("Systembolaget, Välsviken", "systembolaget", (6000, 500)),
    ("Systembolaget, Kronoparken", "systembolaget", (4100, 2550)),
    ("Högstadieskola, Norrstrand", "school", (1300, 1050)),
    ("Högstadieskola, Herrhagen", "school", (900, -300)),
    ("Högstadieskola, Våxnäs", "school", (-2200, 1900)),
    ("Högstadieskola, Rud", "school", (1200, 2800)),
    ("Högstadieskola, Kronoparken", "school", (4000, 2800)),
    ("Högstadieskola, Kroppkärr", "school", (2600, 2450)),
    ("Högstadieskola, Hultsberg", "school", (-3600, 1350)),
    ("Högstadieskola, Råtorp", "school", (-750, 3100)),
    ("Högstadieskola, Skåre", "school", (-2800, 7000)),
    ("Högstadieskola, Vålberg", "school", (-17600, 1000)),
    ("Fritidsgård Lugnet, Gruvlyckan", "youth_centre", (-2000, 300)),
    ("Kronoteket (fritidsgård), Kronoparken", "youth_centre", (4150, 2500)),
    ("Fritidsgård, Våxnäs", "youth_centre", (-2350, 1650)),
    ("Fritidsgård, Rud", "youth_centre", (1350, 2700)),
    ("Fritidsgård, Orrholmen", "youth_centre", (0, -1600)),
    ("Fritidsgård, Norrstrand", "youth_centre", (1400, 850)),
    ("Fritidsgård, Skåre", "youth_centre", (-2700, 7350)),
    ("Karlstads universitet", "university", (4490, 2800)),
    ("Mitt i City", "shopping_centre", (90, 120)),
    ("Bergvik köpcentrum", "shopping_centre", (-4394, -189)),
    ("Välsvikens handelsområde", "shopping_centre", (6000, 440)),
    ("Stadsträdgården", "park", (-100, -560)),
    ("Teaterparken (Klara)", "park", (-380, 320)),
    ("Sundstaparken", "park", (250, 1100)),
    ("Mariebergsskogen", "park", (-1100, -1450)),
    ("Kronoparkens centrumpark", "park", (4250, 2350)),
    ("Skutberget", "park", (-5800, -800)),
    ("Inre hamn", "harbour", (450, -760)),
    ("Yttre hamn", "harbour", (1500, -1750)),
    ("Parkering Inre hamn", "car_park", (660, -760)),
    ("Parkering Karlstad C", "car_park", (-260, -420)),
    ("Parkering Mitt i City (garage)", "car_park", (150, 170)),
    ("Parkeringshus Orrholmen", "car_park", (50, -1900)),
    ("Parkering Bergvik", "car_park", (-4250, -30)),
    ("Parkering Välsviken", "car_park", (6150, 580)),
    ("Parkering Löfbergs Arena", "car_park", (150, 2900)),
    ("Parkering Kronoparken centrum", "car_park", (4050, 2450)),
    ("Parkering Skutberget", "car_park", (-5700, -700)),
]


def _water() -> list[tuple[str, str, shapely.Geometry]]:
    shore = _abs(VANERN_SHORE)
    (w, _), (e, _) = shore[0], shore[-1]
    south = ORIGIN_N - 30_000
    lake = Polygon([*shore, (e, south), (w, south)]).difference(Polygon(_abs(HAMMARO)))
    rivers = [
        ("Klarälven", LineString(_abs(KLARALVEN_MAIN)).buffer(80, cap_style="flat")),
        ("Östra älven", LineString(_abs(OSTRA_ALVEN)).buffer(55, cap_style="round")),
        ("Västra älven", LineString(_abs(VASTRA_ALVEN)).buffer(45, cap_style="round")),
        ("Pråmkanalen", LineString(_abs(PRAMKANALEN)).buffer(10, cap_style="round")),
    ]
    return [
        ("Vänern", "lake", lake),
        *[(name, "river", geom) for name, geom in rivers],
        *[(name, "bay", Polygon(_abs(ring))) for name, ring in BAYS],
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
        [_feature({"name": n, "kind": k}, g) for n, k, g in water_parts],
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
    print(json.dumps(sizes))


if __name__ == "__main__":
    main()
