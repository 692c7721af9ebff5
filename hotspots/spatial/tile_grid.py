"""Tile grids of map servers in a projected CRS (a WMTS tile matrix set, e.g. SWEREF 99 TM).

A basemap in SWEREF 99 TM (EPSG:3006), such as Lantmäteriet's topographic web map in its
``3006`` tile matrix set, makes the interactive map itself a map in that CRS: its zoom levels
are the tile matrices' resolutions and its tiles are the server's tiles, cut from one origin.
:class:`TileGrid` holds what the map needs of such a set; it is read from the server's WMTS
capabilities (:mod:`hotspots.io.wmts`) or given as a setting (:func:`parse_tile_grid`,
:func:`TileGrid.to_setting`), so the map can be built without asking the server again.

The map's zoom numbers keep their meaning: zoom ``z`` of a map in a tile grid shows about the
ground resolution of Web Mercator zoom ``z`` in the middle of the CRS's area of use (matrix
``0`` sits at :meth:`TileGrid.zoom_offset`), so "street zoom 16" and the other zoom levels the
map's layers use are the same streets in either map.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from dataclasses import dataclass

from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError

from hotspots.core.errors import InputSchemaError

__all__ = [
    "LANTMATERIET_3006",
    "MAX_MAP_ZOOM",
    "PRESETS",
    "TileGrid",
    "choose_origin",
    "crs_code",
    "parse_tile_grid",
    "proj4_definition",
]

#: Highest zoom of the interactive map (Leaflet); the grid's resolutions are extended to it.
MAX_MAP_ZOOM = 19
#: Earth's equatorial radius in Web Mercator, metres.
_EARTH_R_M = 6378137.0
#: proj4 strings the map's JavaScript (proj4js) is given, where pyproj's differ in form only.
_PROJ4 = {
    "EPSG:3006": "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def crs_code(value: str | int) -> str:
    """``"EPSG:<code>"`` of a CRS given as ``3006``, ``EPSG:3006``, a URN or an OGC URL.

    Raises
    ------
    InputSchemaError
        When pyproj does not know the CRS, it has no EPSG code, or it is not projected in
        metres (a tile grid's resolutions are metres per pixel).
    """
    text = str(value).strip()
    try:
        crs = CRS.from_user_input(int(text) if text.isdigit() else text)
    except ProjCRSError:
        msg = f"basemap CRS {text!r} is unknown; give an EPSG code such as 3006"
        raise InputSchemaError(msg) from None
    epsg = crs.to_epsg()
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if epsg is None or not crs.is_projected or unit not in ("metre", "meter"):
        msg = (
            f"basemap CRS {text!r} is not a projected CRS in metres with an EPSG code "
            "(e.g. 3006, SWEREF 99 TM)"
        )
        raise InputSchemaError(msg)
    return f"EPSG:{epsg}"


def proj4_definition(crs: str) -> str:
    """The proj4 string of ``crs`` (``"EPSG:3006"``) for proj4js in the browser."""
    if crs in _PROJ4:
        return _PROJ4[crs]
    with warnings.catch_warnings():  # pyproj warns that proj4 strings lose information
        warnings.simplefilter("ignore")
        text = CRS.from_user_input(crs).to_proj4()
    return text.replace("+type=crs", "").strip()


def _area_centre(crs: str) -> tuple[float, float, float]:
    """Centre of the CRS's area of use: ``(x, y)`` in the CRS and its latitude, degrees."""
    area = CRS.from_user_input(crs).area_of_use
    if area is None:
        msg = f"basemap CRS {crs} has no area of use; give a CRS with one (e.g. EPSG:3006)"
        raise InputSchemaError(msg)
    lon = (area.west + area.east) / 2
    lat = (area.south + area.north) / 2
    x, y = Transformer.from_crs(4326, crs, always_xy=True).transform(lon, lat)
    return float(x), float(y), float(lat)


def _covers(crs: str, origin: tuple[float, float], size: tuple[float, float] | None) -> bool:
    """Whether a grid from top-left ``origin`` (``size`` wide and high) covers the area's centre."""
    cx, cy, _ = _area_centre(crs)
    x0, y0 = origin
    if not (x0 <= cx and y0 >= cy):
        return False
    return size is None or (cx <= x0 + size[0] and cy >= y0 - size[1])


def choose_origin(
    crs: str,
    corner: tuple[float, float],
    *,
    northing_first: bool,
    size: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """The top-left corner ``(x, y)`` (easting, northing) of a WMTS ``TopLeftCorner``.

    WMTS writes the corner in the CRS's axis order: northing first for EPSG:3006 named as
    ``urn:ogc:def:crs:EPSG::3006``, but many servers write easting first anyway. The order
    declared is taken when the grid then covers the middle of the CRS's area of use, else
    the other order when that does.

    Parameters
    ----------
    crs
        ``"EPSG:<code>"``.
    corner
        The two numbers as written.
    northing_first
        Whether the capabilities' CRS declares northing first.
    size
        Width and height of the first tile matrix, CRS units; ``None`` when unknown.

    Raises
    ------
    InputSchemaError
        When neither order gives a grid over the CRS's area.
    """
    declared = (corner[1], corner[0]) if northing_first else corner
    other = (declared[1], declared[0])
    for origin in (declared, other):
        if _covers(crs, origin, size):
            return (float(origin[0]), float(origin[1]))
    msg = (
        f"basemap: the tile matrix set's top-left corner {corner[0]:g} {corner[1]:g} does not "
        f"lie above and left of the {crs} area (in either axis order); it is not a grid "
        "the map can use"
    )
    raise InputSchemaError(msg)


@dataclass(frozen=True, slots=True)
class TileGrid:
    """A tile matrix set in a projected CRS: one origin, square tiles, finer and finer matrices.

    Attributes
    ----------
    crs
        ``"EPSG:<code>"``, e.g. ``"EPSG:3006"``.
    origin
        Top-left corner ``(x, y)`` of every matrix, CRS metres (easting, northing).
    resolutions
        Metres per pixel of each matrix, coarsest first.
    matrix_ids
        The matrices' identifiers (``TileMatrix`` in a tile request), in the same order.
    tile_px
        Side of a tile, pixels.
    extent
        ``(xmin, ymin, xmax, ymax)`` covered by the first matrix, metres; ``None`` when
        unknown (tiles are then asked for wherever the map is).
    """

    crs: str
    origin: tuple[float, float]
    resolutions: tuple[float, ...]
    matrix_ids: tuple[str, ...]
    tile_px: int = 256
    extent: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        res = self.resolutions
        if not res:
            msg = "basemap grid: no resolutions (give at least one matrix)"
            raise InputSchemaError(msg)
        if any(not math.isfinite(r) or r <= 0 for r in res):
            msg = f"basemap grid: resolutions must be positive metres per pixel (got {res})"
            raise InputSchemaError(msg)
        if any(b >= a for a, b in itertools.pairwise(res)):
            msg = f"basemap grid: resolutions must get finer from the first (got {res})"
            raise InputSchemaError(msg)
        if len(self.matrix_ids) != len(res):
            msg = (
                f"basemap grid: {len(self.matrix_ids)} matrix ids for {len(res)} resolutions "
                "(one id per resolution)"
            )
            raise InputSchemaError(msg)
        if not 16 <= self.tile_px <= 4096:
            msg = f"basemap grid: tile size {self.tile_px} px is not between 16 and 4096"
            raise InputSchemaError(msg)
        if self.extent is not None:
            xmin, ymin, xmax, ymax = self.extent
            if not (xmin < xmax and ymin < ymax):
                msg = f"basemap grid: extent {self.extent} is not xmin,ymin,xmax,ymax"
                raise InputSchemaError(msg)

    def zoom_offset(self) -> int:
        """The map zoom of the first matrix.

        The zoom ``z`` at which Web Mercator tiles have the first matrix's resolution in the
        middle of the CRS's area of use (``2 pi R cos(lat) / (256 * 2**z)`` metres per pixel),
        rounded, within ``0..MAX_MAP_ZOOM``; 4 for Lantmäteriet's ``3006`` set (4096 m).
        """
        _, _, lat = _area_centre(self.crs)
        mercator_m = 2 * math.pi * _EARTH_R_M * math.cos(math.radians(lat)) / 256
        zoom = round(math.log2(mercator_m / self.resolutions[0]))
        return min(max(zoom, 0), MAX_MAP_ZOOM)

    def map_resolutions(self) -> tuple[float, ...]:
        """Metres per pixel of every map zoom ``0..MAX_MAP_ZOOM``.

        The matrices' resolutions from :meth:`zoom_offset` on; coarser zooms double the first
        resolution, finer zooms halve the last (the last matrix's tiles, enlarged).
        """
        offset = self.zoom_offset()
        out: list[float] = []
        last = len(self.resolutions) - 1
        for z in range(MAX_MAP_ZOOM + 1):
            k = z - offset
            if k < 0:
                out.append(self.resolutions[0] * 2.0 ** (-k))
            elif k <= last:
                out.append(self.resolutions[k])
            else:
                out.append(self.resolutions[last] / 2.0 ** (k - last))
        return tuple(out)

    def native_zooms(self) -> tuple[int, int]:
        """The map zooms of the first and the last matrix (within ``0..MAX_MAP_ZOOM``)."""
        offset = self.zoom_offset()
        return offset, min(offset + len(self.resolutions) - 1, MAX_MAP_ZOOM)

    def to_setting(self) -> str:
        """The grid as a setting that :func:`parse_tile_grid` reads back (every field)."""
        parts = [
            f"crs={self.crs}",
            f"origin={_num(self.origin[0])},{_num(self.origin[1])}",
            "resolutions=" + ",".join(_num(r) for r in self.resolutions),
            "ids=" + ",".join(self.matrix_ids),
            f"tile={self.tile_px}",
        ]
        if self.extent is not None:
            parts.append("extent=" + ",".join(_num(v) for v in self.extent))
        return " ".join(parts)


def _num(value: float) -> str:
    """A number as short as it is exact (``-1200000``, ``0.5``)."""
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


#: Lantmäteriet's topographic web map (topowebb) in its ``3006`` tile matrix set: origin
#: (-1 200 000, 8 500 000) and 4096 m per pixel halving to 0.5 m as Swedish map clients (e.g.
#: Hajk) configure it, the extent (4 x 4 tiles at level 0) as OpenLayers clients give it. The
#: server's capabilities are the authority: ``hotspots`` reads them when it can
#: (:mod:`hotspots.io.wmts`); this preset is for a WMS in EPSG:3006 and when they cannot be read.
LANTMATERIET_3006 = TileGrid(
    crs="EPSG:3006",
    origin=(-1200000.0, 8500000.0),
    resolutions=tuple(4096.0 / 2**k for k in range(14)),
    matrix_ids=tuple(str(k) for k in range(14)),
    tile_px=256,
    extent=(-1200000.0, 4305696.0, 2994304.0, 8500000.0),
)
#: Named grids a setting may give instead of the numbers.
PRESETS: dict[str, TileGrid] = {"lantmateriet-3006": LANTMATERIET_3006}

_KEYS = ("crs", "origin", "resolutions", "ids", "tile", "extent")


def _numbers(key: str, text: str, count: int | None = None) -> tuple[float, ...]:
    items = [s for s in re.split(r"\s*,\s*", text.strip()) if s]
    if not items or any(not re.fullmatch(_NUMBER, s) for s in items):
        msg = f"basemap grid: {key}={text!r} is not a list of numbers separated by commas"
        raise InputSchemaError(msg)
    if count is not None and len(items) != count:
        msg = f"basemap grid: {key}= takes {count} numbers (got {len(items)}: {text!r})"
        raise InputSchemaError(msg)
    return tuple(float(s) for s in items)


def parse_tile_grid(setting: str) -> TileGrid:
    """The grid of a setting: a preset name or ``key=value`` fields.

    Parameters
    ----------
    setting
        ``lantmateriet-3006``, or fields separated by spaces or semicolons::

            crs=3006 origin=-1200000,8500000 resolutions=4096,2048,1024,...,0.5
            [ids=0,1,2,...] [tile=256] [extent=xmin,ymin,xmax,ymax]

        ``ids`` default to ``0, 1, 2, ...``; ``tile`` to 256 pixels.

    Raises
    ------
    InputSchemaError
        For a missing or malformed field, an unknown key, or a CRS that is not projected in
        metres.
    """
    text = setting.strip()
    if text.casefold() in PRESETS:
        return PRESETS[text.casefold()]
    fields: dict[str, str] = {}
    for part in (p for p in re.split(r"[\s;]+", text) if p):
        key, sep, value = part.partition("=")
        key = key.strip().casefold()
        if not sep or key not in _KEYS:
            msg = (
                f"basemap grid: {part!r} in {setting!r} is not one of "
                f"{', '.join(k + '=' for k in _KEYS)} (or give a preset: {', '.join(PRESETS)})"
            )
            raise InputSchemaError(msg)
        fields[key] = value
    missing = [k for k in ("crs", "origin", "resolutions") if k not in fields]
    if missing:
        msg = (
            f"basemap grid {setting!r} lacks {', '.join(k + '=' for k in missing)}; e.g. "
            "crs=3006 origin=-1200000,8500000 resolutions=4096,2048,1024,512"
        )
        raise InputSchemaError(msg)
    ox, oy = _numbers("origin", fields["origin"], 2)
    resolutions = _numbers("resolutions", fields["resolutions"])
    ids = (
        tuple(s.strip() for s in fields["ids"].split(",") if s.strip())
        if "ids" in fields
        else tuple(str(k) for k in range(len(resolutions)))
    )
    tile = _numbers("tile", fields.get("tile", "256"), 1)[0]
    if not tile.is_integer():
        msg = f"basemap grid: tile={fields['tile']!r} is not a whole number of pixels"
        raise InputSchemaError(msg)
    extent = _numbers("extent", fields["extent"], 4) if "extent" in fields else None
    return TileGrid(
        crs=crs_code(fields["crs"]),
        origin=(ox, oy),
        resolutions=resolutions,
        matrix_ids=ids,
        tile_px=int(tile),
        extent=extent,  # type: ignore[arg-type]
    )
