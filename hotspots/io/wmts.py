"""A WMTS tile matrix set from the server's capabilities, read with OWSLib.

A basemap in a projected tile matrix set (Lantmäteriet's topographic web map in ``3006``, a
kommun's map server in SWEREF 99 TM) needs the set's grid: its CRS, the top-left corner and
the resolution of every matrix. :func:`capabilities_url` says where the capabilities are
(the KVP endpoint's ``GetCapabilities``, or ``<service>/1.0.0/WMTSCapabilities.xml`` of a
RESTful template), :func:`read_capabilities` reads them from the server or a saved file, and
:func:`tile_grid_from_capabilities` turns one set into a
:class:`~hotspots.spatial.tile_grid.TileGrid`.

Nothing is silent: a server that cannot be reached or answers with an error, a document
that is not WMTS capabilities, a set or layer it does not have, or a set the map cannot draw
(matrices from different corners, tiles that are not square or differ in size, resolutions
that do not get finer) raises :class:`~hotspots.core.errors.InputSchemaError` naming the set
and what to do.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError

from hotspots.core.errors import BasemapError, InputSchemaError
from hotspots.spatial.tile_grid import TileGrid, choose_origin, crs_code

__all__ = [
    "METRES_PER_SCALE_UNIT",
    "capabilities_url",
    "read_capabilities",
    "read_map_image",
    "tile_grid_from_capabilities",
]

logger = logging.getLogger(__name__)

#: Metres per pixel of a scale denominator of 1 (WMTS's standardised 0.28 mm pixel).
METRES_PER_SCALE_UNIT = 0.00028
#: Seconds to wait for the capabilities.
_TIMEOUT_S = 30
#: Largest capabilities document read, bytes.
_MAX_BYTES = 20_000_000
_QUOTE_CHARS = 200


def capabilities_url(url: str) -> str | None:
    """Where the capabilities of the WMTS at ``url`` are, or ``None`` when it cannot be told.

    Parameters
    ----------
    url
        A KVP endpoint (``https://host/wmts`` or ``...?token=..``): its ``GetCapabilities``
        request; or a RESTful tile template holding ``/1.0.0/``: the standard
        ``<service>/1.0.0/WMTSCapabilities.xml`` (OGC 07-057r7, 10.2).
    """
    if "{" not in url:
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0"
    head, found, _ = url.partition("/1.0.0/")
    if not found or "{" in head:
        return None
    return f"{head}/1.0.0/WMTSCapabilities.xml"


def read_capabilities(source: str) -> bytes:
    """The capabilities document at ``source``: an ``http(s)`` URL or a file.

    Raises
    ------
    InputSchemaError
        When the server cannot be reached or answers with an error, or the file cannot be
        read.
    """
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "hotspots"})
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as answer:
                data = answer.read(_MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            msg = (
                f"basemap: the WMTS capabilities at {_safe(source)} answered HTTP {exc.code} "
                f"({exc.reason}); check the address and any account it needs, or save the "
                "document and give the file (--basemap-grid FILE)"
            )
            raise InputSchemaError(msg) from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            msg = (
                f"basemap: cannot read the WMTS capabilities at {_safe(source)} ({reason}); "
                "check the address, or give the tile grid (--basemap-grid FILE or "
                "crs=... origin=... resolutions=...)"
            )
            raise InputSchemaError(msg) from None
        if len(data) > _MAX_BYTES:
            msg = f"basemap: the WMTS capabilities at {_safe(source)} exceed {_MAX_BYTES} bytes"
            raise InputSchemaError(msg)
        return data
    path = Path(source).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        msg = f"basemap grid: cannot read the capabilities file {path} ({exc.strerror or exc})"
        raise InputSchemaError(msg) from None


def read_map_image(url: str, *, timeout_s: float = _TIMEOUT_S) -> bytes:
    """The image a WMS GetMap or WMTS GetTile request at ``url`` answers.

    Raises
    ------
    BasemapError
        In one line naming the server (never the query, which may hold an access key):
        when it cannot be reached or does not answer within ``timeout_s`` seconds, answers
        with an HTTP error, or answers with something that is not an image.
    """
    host = urlsplit(url).hostname or _safe(url)
    request = urllib.request.Request(url, headers={"User-Agent": "hotspots"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            kind = answer.headers.get("Content-Type", "")
            data = answer.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        why = (
            f"HTTP {exc.code} for {_safe(url)}; check the address, the layer and the tile "
            "matrix set"
        )
        raise _map_failed(host, why) from None
    except TimeoutError:
        why = f"no answer within {timeout_s:g} s; check the address and the network"
        raise _map_failed(host, why) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        why = f"cannot connect ({reason}); check the address and the network"
        raise _map_failed(host, why) from None
    if len(data) > _MAX_BYTES:
        raise _map_failed(host, f"an image of more than {_MAX_BYTES} bytes")
    if not kind.startswith("image/"):
        said = " ".join(data[:_QUOTE_CHARS].decode("utf-8", "replace").split())
        why = f"the answer is not an image ({said}); check the layer and the style"
        raise _map_failed(host, why)
    return data


def _map_failed(host: str, why: str) -> BasemapError:
    msg = f"basemap {host}: {why}"
    return BasemapError(msg)


def _safe(url: str) -> str:
    """``url`` without its query (which may hold an access token), for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?..." if parts.query else "")


def _northing_first(identifier: str) -> bool:
    """Whether a WMTS ``SupportedCRS`` declares northing first (URN or OGC URL forms only).

    Capabilities that name a CRS ``EPSG:3006`` customarily write easting first; the URN and
    URL forms bind the corner to the EPSG axis order (northing first for EPSG:3006).
    """
    if not re.match(r"(?i)^(urn:|https?://)", identifier.strip()):
        return False
    try:
        axes = CRS.from_user_input(identifier.strip()).axis_info
    except ProjCRSError:
        return False
    return bool(axes) and axes[0].direction in ("north", "south")


def tile_grid_from_capabilities(
    xml: bytes, matrix_set: str, *, layer: str | None = None, source: str = "capabilities"
) -> TileGrid:
    """The grid of tile matrix set ``matrix_set`` in a WMTS capabilities document.

    Parameters
    ----------
    xml
        The capabilities document.
    matrix_set
        The set's identifier (compared exactly, then ignoring case).
    layer
        When given, the layer must exist and link to the set.
    source
        Where the document came from, for messages.

    Returns
    -------
    TileGrid
        The matrices in order of resolution (coarsest first), the corner in easting,
        northing order (:func:`~hotspots.spatial.tile_grid.choose_origin`), the extent of
        the coarsest matrix.

    Raises
    ------
    InputSchemaError
        See the module's description.
    """
    from owslib.wmts import WebMapTileService  # noqa: PLC0415 - OWSLib only when a grid is read

    where = _safe(source) if "://" in source else source
    try:
        service = WebMapTileService("http://capabilities.invalid/wmts", xml=xml)
    except Exception as exc:  # OWSLib raises what lxml and its own parser raise
        text = str(exc)[:_QUOTE_CHARS]
        msg = f"basemap: {where} is not a WMTS capabilities document ({text})"
        raise InputSchemaError(msg) from None
    sets = service.tilematrixsets
    chosen = sets.get(matrix_set) or next(
        (s for k, s in sets.items() if k.casefold() == matrix_set.casefold()), None
    )
    if chosen is None:
        msg = (
            f"basemap: the WMTS at {where} has no tile matrix set {matrix_set!r} "
            f"(it has: {', '.join(sorted(sets)) or 'none'})"
        )
        raise InputSchemaError(msg)
    if layer is not None:
        names = [lay for lay in layer.split(",") if lay]
        for name in names:
            if name not in service.contents:
                known = ", ".join(sorted(service.contents)[:20]) or "none"
                msg = f"basemap: the WMTS at {where} has no layer {name!r} (it has: {known})"
                raise InputSchemaError(msg)
            links = service.contents[name].tilematrixsetlinks
            if chosen.identifier not in links:
                msg = (
                    f"basemap: layer {name!r} of the WMTS at {where} is not served in tile "
                    f"matrix set {chosen.identifier!r} (it is in: {', '.join(sorted(links))})"
                )
                raise InputSchemaError(msg)
    label = f"tile matrix set {chosen.identifier!r} of {where}"
    try:
        crs = crs_code(chosen.crs)
    except InputSchemaError as exc:
        msg = f"basemap: {label} is in {chosen.crs}: {exc}"
        raise InputSchemaError(msg) from None
    matrices = sorted(chosen.tilematrix.values(), key=lambda m: -m.scaledenominator)
    if not matrices:
        msg = f"basemap: {label} has no tile matrices"
        raise InputSchemaError(msg)
    sizes = {(m.tilewidth, m.tileheight) for m in matrices}
    if len(sizes) != 1 or next(iter(sizes))[0] != next(iter(sizes))[1]:
        msg = (
            f"basemap: {label} has tiles of {', '.join(f'{w}x{h}' for w, h in sorted(sizes))} "
            "pixels; the map draws square tiles of one size"
        )
        raise InputSchemaError(msg)
    tile_px = matrices[0].tilewidth
    first = matrices[0].topleftcorner
    if any(
        not math.isclose(m.topleftcorner[i], first[i], abs_tol=1e-3)
        for m in matrices
        for i in (0, 1)
    ):
        msg = (
            f"basemap: the matrices of {label} start at different corners; the map needs "
            "one origin for every zoom (ask the server's administrator for such a set)"
        )
        raise InputSchemaError(msg)
    # 12 significant digits: the product's last bits are rounding noise (4096.000000000001)
    resolutions = tuple(
        float(f"{m.scaledenominator * METRES_PER_SCALE_UNIT:.12g}") for m in matrices
    )
    if any(b >= a * (1 - 1e-9) for a, b in itertools.pairwise(resolutions)):
        msg = f"basemap: two matrices of {label} have the same scale"
        raise InputSchemaError(msg)
    coarse = matrices[0]
    size = (
        coarse.matrixwidth * tile_px * resolutions[0],
        coarse.matrixheight * tile_px * resolutions[0],
    )
    try:
        origin = choose_origin(crs, first, northing_first=_northing_first(chosen.crs), size=size)
    except InputSchemaError as exc:
        msg = f"{exc} ({label})"
        raise InputSchemaError(msg) from None
    x0, y0 = origin
    grid = TileGrid(
        crs=crs,
        origin=origin,
        resolutions=resolutions,
        matrix_ids=tuple(m.identifier for m in matrices),
        tile_px=tile_px,
        extent=(x0, y0 - size[1], x0 + size[0], y0),
    )
    logger.info("basemap grid from %s: %s", where, grid.to_setting())
    return grid
