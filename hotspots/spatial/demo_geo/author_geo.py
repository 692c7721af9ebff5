"""Author the demo geography of Karlstad (``demo_geo/*.geojson``) from hand-placed coordinates.

Every coordinate below was placed by hand from general public knowledge of Karlstad (where the
square, the station, the university, the river branches and the districts roughly are) and is
written in metres east (``dx``) and north (``dy``) of Stora torget, whose position is
59.3806 N, 13.5025 E (WGS84) = E 414 921, N 6 583 390 in SWEREF 99 TM (EPSG:3006, computed
with pyproj). The river lines, the shore, the bays and the urban outline were then corrected by
measuring the result against the official layers (the kommun's stadsdelar and Lantmäteriet's
address points, read where they are present, never copied): vertices typed here, rounded to
10-50 m, were moved until no real address inside the real stadsdelar fell in the demo's water
or outside its districts. Accuracy is about 100-300 m in the city and kilometres in the
countryside. See ``README.md``.

Run ``uv run python hotspots/spatial/demo_geo/author_geo.py`` to rewrite the GeoJSON files
(EPSG:3006, metres rounded to 1 m, legacy ``crs`` member so that GDAL and geopandas read the
CRS). The script stops when a place lies in water or outside every district.
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
# lake shore. Facts used: Klarälven comes down from Forshaga, runs south-east between Älvåker
# (its west bank, with the Strand- streets) and Järpetan, then between Råtorp and Färjestad
# (Löfbergs Arena on the east bank) and divides at Sandgrund, the north tip of Tingvallaön;
# the western arm (Västra älven) frames Klara on its east and south sides, runs south-west
# between Strand and Kvarnberget, then south past Romstad, Sommarro, Björkås and Jakobsberg to
# a bay of Vänern; the eastern arm (Östra älven) runs east under Östra bron (59.3846 N,
# 13.5132 E) between Sundsta/Sjöstad and Haga/Tormestad/Lamberget, then south to Vänern east
# of Kalvholmen; Pråmkanalen (1.8 km) joins the eastern arm through the Inre hamn basin to
# Tullholmsviken, with Tingvallastaden and Tullholmen west and Haga and Herrhagen east of it;
# Orrholmen has water on three sides (Mariebergsviken west, Tullholmsviken east); Dingelsundet
# and Knappstad lie west of Hammarö, across the strait.
# --------------------------------------------------------------------------------------------
#: Klarälven from the north (Forshaga, east of Skåre), down to the fork at Sandgrund.
KLARALVEN_MAIN: Coords = [
    (-1300, 16600), (-1800, 12000), (-2000, 9000), (-2050, 7800), (-1900, 6500),
    (-1800, 5500), (-1800, 5200), (-1700, 4930), (-1500, 4880), (-1200, 4680), (-980, 4400),
    (-850, 4100), (-700, 3800), (-600, 3550), (-450, 3250), (-300, 2950), (-170, 2700),
    (-30, 2400), (80, 2150), (170, 1900), (130, 1600), (30, 1300), (-100, 1050), (-200, 850),
    (-190, 640),
]  # fmt: skip
#: Östra älven: east under Östra bron, south of Sundsta and Sjöstad, then south to Vänern.
OSTRA_ALVEN: Coords = [
    (-190, 640), (-30, 590), (120, 490), (250, 440), (420, 430), (615, 445), (800, 460),
    (1000, 490), (1300, 525), (1500, 495), (1800, 430), (2100, 480), (2500, 500), (2750, 420),
    (2950, 330), (3150, 300), (3300, 280), (3380, 100), (3450, -200), (3550, -700),
    (3450, -1100), (3400, -1600),
]  # fmt: skip
#: Västra älven: east and south of Klara, south-west past Strand, south to a Vänern bay.
VASTRA_ALVEN: Coords = [
    (-190, 640), (-215, 400), (-200, 250), (-215, 130), (-270, 65), (-450, 40), (-750, 50),
    (-1000, -20), (-1250, -130), (-1400, -190), (-1560, -330), (-1610, -500), (-1650, -650),
    (-1725, -800), (-1850, -920), (-1960, -1010), (-2080, -1130), (-2220, -1300),
    (-2300, -1450), (-2280, -1600), (-2250, -2000), (-2300, -2500), (-2200, -2900),
]  # fmt: skip
#: Pråmkanalen from the eastern arm south through the Inre hamn basin to Tullholmsviken.
PRAMKANALEN: Coords = [
    (300, 420), (310, 270), (380, 160), (450, 40), (460, -100), (525, -270), (525, -400),
    (500, -550), (500, -705), (520, -850), (555, -900), (565, -1100), (530, -1250),
    (540, -1450), (480, -1530),
]  # fmt: skip
#: Vänern's north shore from west (Vålberg) to east (past Välsviken); the lake lies south.
VANERN_SHORE: Coords = [
    (-30000, -1500), (-24000, -1500), (-17000, -900), (-14000, -1500), (-12000, -2000),
    (-10000, -2300), (-8300, -2300), (-7700, -2850), (-6900, -2800), (-6800, -1400),
    (-6500, -1200), (-5500, -1200), (-5150, -1000), (-4950, -1350), (-4900, -1750),
    (-4650, -2000), (-4650, -2600), (-4550, -3300), (-5000, -3650), (-5350, -3750),
    (-5400, -4200), (-5000, -4400), (-4400, -4350), (-3800, -4250), (-3550, -3950),
    (-3250, -3400), (-2800, -3250), (-2450, -3300), (-2250, -3550), (-2050, -3500),
    (-2050, -3050), (-2150, -2850), (-1750, -2500), (-1500, -2150), (-1250, -2000),
    (-1000, -1760), (-300, -1720), (650, -1700), (800, -1800), (1050, -1780),
    (1150, -1500), (1850, -1470), (1950, -2000), (2600, -2050), (3150, -2100),
    (3300, -1800), (3700, -1300), (4500, -1200), (5300, -1300), (5700, -3000),
    (7300, -3100), (9500, -3400), (12500, -3500), (14500, -5600), (20000, -6000),
    (40000, -6500),
]  # fmt: skip
#: Bays reaching in from the lake and the harbour basin at the south end of Pråmkanalen.
BAYS: list[tuple[str, Coords]] = [
    ("Mariebergsviken", [
        (-680, -780), (-420, -800), (-400, -1000), (-420, -1250), (-480, -1450), (-500, -1600),
        (-450, -1760), (-800, -1760), (-800, -1400), (-760, -1000),
    ]),
    ("Tullholmsviken", [
        (0, -990), (250, -990), (270, -1100), (330, -1170), (360, -1300), (390, -1460),
        (520, -1560), (620, -1760), (-260, -1760), (-200, -1560), (-40, -1480), (-30, -1300),
        (40, -1150),
    ]),
    ("Inre hamn (hamnbassäng)", [
        (360, -705), (600, -705), (620, -760), (600, -840), (520, -850), (500, -790),
        (400, -730),
    ]),
]  # fmt: skip
#: Hammarö (a neighbouring municipality south of the city, across the water): land, not lake.
HAMMARO: Coords = [
    (-4300, -5400), (-3700, -4500), (-3100, -3950), (-2300, -3700), (-1500, -3550),
    (-400, -3250), (300, -3450), (1000, -3700), (2200, -3650), (3300, -3700), (4500, -4300),
    (6800, -5200), (5500, -7000), (2000, -10000), (-2000, -12000), (-5500, -10000),
    (-6500, -6000),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Municipality outline (very coarse; includes Karlstad's part of Vänern, excludes Hammarö).
# --------------------------------------------------------------------------------------------
MUNICIPALITY: Coords = [
    (-22000, -8000), (-22000, 8000), (-15000, 16000), (-11000, 26000), (-4000, 38000),
    (6000, 36000), (14000, 29000), (22000, 21000), (27000, 8000), (26000, -3000),
    (25000, -15000), (7500, -15000), (7500, -4500), (3500, -3500), (1000, -3500),
    (-400, -3150), (-1500, -3400), (-2400, -3600), (-3100, -3800), (-3600, -4400),
    (-4400, -5000), (-7000, -5200), (-12000, -7500),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Districts: hand-placed centres (Voronoi cells clipped to the urban outline and to the
# municipality) with a rough resident population used by the demo generator as a weight.
# Like the official stadsdelar, the districts include the rivers, bays and near-shore lake
# inside the outline; the land of the districts (``Geography.urban``) leaves the water out.
# Centres from Wikipedia coordinates where given (Klara, Herrhagen, Kronoparken, Löfbergs
# Arena for Färjestad), otherwise from the municipality's published area descriptions. The
# urban outline follows the built-up town (Stodene and Ilanda in the north-west, Stockfallet,
# Edsgatan and Steffensminne in the north-east, Alster in the east, Dingelsundet in the
# south-west) about 100-300 m outside the official outer edge.
# --------------------------------------------------------------------------------------------
URBAN_AREA: Coords = [
    (-7200, -1150), (-7200, 400), (-6900, 950), (-5300, 1400), (-4900, 1800), (-5000, 2800),
    (-5250, 4000), (-5400, 5200), (-5200, 6300), (-4950, 7300), (-4900, 8600), (-4350, 8600),
    (-4150, 8000), (-3550, 8500), (-2800, 7900), (-2750, 6700), (-2600, 6100), (-2550, 5700),
    (-1900, 5650), (-1000, 5550), (0, 5650), (700, 5600), (1150, 4900), (1500, 4350),
    (1650, 4300), (1700, 5000), (1950, 6300), (2500, 7500), (3300, 8500), (3600, 8400),
    (3550, 7600), (3450, 6100), (3500, 5800), (3900, 5700), (4300, 6300), (4700, 6100),
    (4900, 5500), (5200, 5900), (5750, 5900), (5700, 5300), (5600, 4300), (5700, 4100),
    (6000, 3800), (7500, 3800), (7400, 3000), (8300, 3000), (8550, 1800), (8400, 1500),
    (7300, 1150), (6600, 1050), (6000, 700), (5400, 0), (5150, -550), (5500, -1300),
    (2600, -3000), (1300, -2350), (700, -3200), (400, -3250), (-500, -2800), (-1000, -2850),
    (-1400, -3100), (-1700, -3450), (-2000, -3450), (-2400, -3750), (-3000, -3700),
    (-3400, -3700), (-3600, -4150), (-4000, -4250), (-4700, -4600), (-5100, -4600),
    (-5600, -4050), (-5450, -3600), (-4900, -3300), (-4850, -2750), (-5050, -2500),
    (-5150, -1500), (-5450, -1100), (-6400, -1250),
]  # fmt: skip
#: name, (dx, dy) centre, approximate population (rough residents, a weight only)
DISTRICTS: list[tuple[str, tuple[float, float], int]] = [
    ("Tingvallastaden (centrum)", (-50, 100), 5000),
    ("Haga", (700, 100), 1700),
    ("Klara", (-600, 350), 1100),
    ("Sundsta", (300, 1100), 3500),
    ("Norrstrand", (1300, 1150), 6500),
    ("Herrhagen", (856, -455), 5900),
    ("Viken", (-250, -650), 3000),
    ("Orrholmen", (-250, -1350), 2500),
    ("Kanikenäset och Yttre hamn", (1100, -1500), 600),
    ("Lamberget", (2000, -600), 2000),
    ("Färjestad", (350, 2800), 2500),
    ("Rud", (1300, 2650), 5500),
    ("Kroppkärr", (2600, 2000), 4000),
    ("Kronoparken", (4500, 2900), 8300),
    ("Välsviken", (4800, 1300), 300),
    ("Råtorp", (-650, 2800), 4000),
    ("Våxnäs", (-2300, 1750), 6000),
    ("Gruvlyckan", (-2000, 350), 3000),
    ("Kvarnberget och Sommarro", (-1000, -450), 3500),
    ("Marieberg", (-1200, -1700), 2500),
    ("Zakrisdal", (-3300, -1700), 2500),
    ("Hultsberg", (-3600, 1500), 3500),
    ("Bergvik", (-4700, -300), 800),
    ("Skåre", (-3450, 5250), 4000),
    ("Stodene", (-3900, 7400), 2000),
    ("Ilanda", (-4550, 5800), 200),
    ("Stockfallet", (2550, 4200), 1800),
    ("Edsgatan", (2900, 6300), 800),
    ("Steffensminne", (4400, 4800), 400),
    ("Alster", (7000, 2000), 1000),
    ("Örsholmen", (3200, -500), 400),
    ("Kalvholmen", (2500, -1600), 800),
    ("Dingelsundet", (-4300, -3500), 700),
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
# E18 north to Ilandakorset at Ilanda, where 61 turns north-west (Kil, Arvika) and 62 north
# (Forshaga) west of Skåre and Stodene; 63 leaves north-east (Molkom, Filipstad); Hammaröleden
# runs south from the centre along Orrholmen and over the water (Bergholmen, whose islets are
# not drawn) to the north tip of Hammarö.
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
        (-4400, 250), (-4500, 2500), (-4700, 4500), (-4600, 5800),
    ]),
    ("Riksväg 61", "61", "primary", [
        (-4600, 5800), (-6000, 8000), (-10300, 13300), (-16000, 20000),
    ]),
    ("Riksväg 62", "62", "primary", [
        (-4600, 5800), (-4900, 7500), (-4000, 10000), (-2500, 14000), (-1900, 16600),
        (-2500, 30000),
    ]),
    ("Riksväg 63", "63", "primary", [
        (3500, 1500), (4800, 3600), (8500, 11000), (12300, 24400), (15000, 33000),
    ]),
    ("Hammaröleden", "", "primary", [(380, -300), (200, -700), (-20, -1000), (-60, -1300),
                                       (-100, -1470), (0, -2400), (-250, -3150),
                                       (-200, -4000), (-100, -5800)]),
    ("Hagaleden", "", "secondary", [(1900, 1600), (1700, 750), (1300, 250), (1100, -300),
                                     (1000, -1000)]),
    ("Norra infarten", "", "secondary", [(250, 750), (300, 1600), (250, 2200), (100, 2900),
                                         (-350, 3700)]),
    ("Rudsvägen", "", "secondary", [(680, 540), (750, 1300), (1100, 2600)]),
    ("Våxnäsgatan", "", "secondary", [(-400, 450), (-1300, 900), (-2300, 1500)]),
    ("Ullebergsleden", "", "secondary", [(-3000, 900), (-3000, -200), (-1800, -400),
                                          (-1200, -150)]),
    ("Universitetsgatan", "", "secondary", [(3500, 1500), (4000, 2200), (4500, 2750)]),
    ("Drottninggatan", "", "street", [(-280, 150), (350, 150)]),
    ("Kungsgatan", "", "street", [(-400, -80), (380, -80)]),
    ("Tingvallagatan", "", "street", [(-250, 330), (380, 330)]),
    ("Västra Torggatan", "", "street", [(-60, 0), (-60, 450)]),
    ("Östra Torggatan", "", "street", [(70, 0), (70, 450)]),
    ("Järnvägsgatan", "", "street", [(-150, -260), (-150, 150)]),
    ("Hamngatan", "", "street", [(-350, -230), (370, -230)]),
    ("Älvgatan", "", "street", [(-150, 500), (100, 400), (400, 370)]),
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
    ("Systembolaget, Välsviken", "systembolaget", (5150, 1250)),
    ("Systembolaget, Kronoparken", "systembolaget", (4100, 2550)),
    ("Högstadieskola, Norrstrand", "school", (1300, 1050)),
    ("Högstadieskola, Herrhagen", "school", (900, -300)),
    ("Högstadieskola, Våxnäs", "school", (-2200, 1900)),
    ("Högstadieskola, Rud", "school", (1200, 2800)),
    ("Högstadieskola, Kronoparken", "school", (4000, 2800)),
    ("Högstadieskola, Kroppkärr", "school", (2600, 2450)),
    ("Högstadieskola, Hultsberg", "school", (-3600, 1350)),
    ("Högstadieskola, Råtorp", "school", (-750, 3100)),
    ("Högstadieskola, Skåre", "school", (-3600, 5500)),
    ("Högstadieskola, Vålberg", "school", (-17600, 1000)),
    ("Fritidsgård Lugnet, Gruvlyckan", "youth_centre", (-2000, 300)),
    ("Kronoteket (fritidsgård), Kronoparken", "youth_centre", (4150, 2500)),
    ("Fritidsgård, Våxnäs", "youth_centre", (-2350, 1650)),
    ("Fritidsgård, Rud", "youth_centre", (1350, 2700)),
    ("Fritidsgård, Orrholmen", "youth_centre", (-300, -1300)),
    ("Fritidsgård, Norrstrand", "youth_centre", (1400, 850)),
    ("Fritidsgård, Skåre", "youth_centre", (-3300, 5100)),
    ("Karlstads universitet", "university", (4490, 2800)),
    ("Mitt i City", "shopping_centre", (90, 120)),
    ("Bergvik köpcentrum", "shopping_centre", (-4394, -189)),
    ("Välsvikens handelsområde", "shopping_centre", (5100, 1200)),
    ("Stadsträdgården", "park", (-100, -560)),
    ("Teaterparken (Klara)", "park", (-380, 320)),
    ("Sundstaparken", "park", (250, 1100)),
    ("Mariebergsskogen", "park", (-1100, -1450)),
    ("Kronoparkens centrumpark", "park", (4250, 2350)),
    ("Skutberget", "park", (-5800, -800)),
    ("Inre hamn", "harbour", (330, -760)),
    ("Yttre hamn", "harbour", (1450, -1350)),
    ("Parkering Inre hamn", "car_park", (720, -700)),
    ("Parkering Karlstad C", "car_park", (-260, -420)),
    ("Parkering Mitt i City (garage)", "car_park", (150, 170)),
    ("Parkeringshus Orrholmen", "car_park", (-150, -1100)),
    ("Parkering Bergvik", "car_park", (-4250, -30)),
    ("Parkering Välsviken", "car_park", (5250, 1150)),
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
        ("Klarälven", LineString(_abs(KLARALVEN_MAIN)).buffer(60, cap_style="flat")),
        ("Östra älven", LineString(_abs(OSTRA_ALVEN)).buffer(45, cap_style="round")),
        ("Västra älven", LineString(_abs(VASTRA_ALVEN)).buffer(35, cap_style="round")),
        ("Pråmkanalen", LineString(_abs(PRAMKANALEN)).buffer(12, cap_style="round")),
    ]
    return [
        ("Vänern", "lake", lake),
        *[(name, "river", geom) for name, geom in rivers],
        *[(name, "bay", Polygon(_abs(ring))) for name, ring in BAYS],
    ]


def _districts(land: shapely.Geometry) -> list[tuple[str, int, shapely.Geometry]]:
    """Voronoi cells of the centres within the urban outline; Vålberg's own polygon on land."""
    urban = Polygon(_abs(URBAN_AREA)).intersection(Polygon(_abs(MUNICIPALITY)))
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
    districts = _districts(land)
    _write(
        "districts",
        [_feature({"name": n, "population": p}, g) for n, p, g in districts],
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
    in_town = unary_union([g for _, _, g in districts])
    outside = [n for n, _, c in PLACES if not in_town.contains(Point(_abs([c])[0]))]
    if outside:
        msg = f"places outside every district: {outside}"
        raise SystemExit(msg)
    sizes = {p.name: p.stat().st_size for p in sorted(HERE.glob("*.geojson"))}
    print(json.dumps(sizes))


if __name__ == "__main__":
    main()
