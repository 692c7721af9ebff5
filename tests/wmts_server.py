"""A tiny map server for tests: WMTS capabilities, WMTS tiles and WMS GetMap in SWEREF 99 TM.

Its capabilities copy the form of Lantmäteriet's topographic web map (layer ``topowebb``, tile
matrix set ``3006`` named ``urn:ogc:def:crs:EPSG::3006`` with its corner written northing
first, origin (-1 200 000, 8 500 000), 4096 m per pixel halving to 0.5 m), plus a Web
Mercator set and sets the map must refuse. Every tile and GetMap image is pale, with a
magenta square of ``MARK_PX`` pixels centred on the SWEREF 99 TM point ``mark`` (drawn in
the tile's own pixel grid), so a browser test can see where the server put that point.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image

ORIGIN = (-1_200_000.0, 8_500_000.0)
RESOLUTIONS = tuple(4096.0 / 2**k for k in range(14))
SCALE_M = 0.00028  # metres per pixel of scale denominator 1
TILE_PX = 256
BACKGROUND = (236, 236, 224)
MARK = (255, 0, 255)
MARK_PX = 9


def _matrix(ident: str, res: float, corner: str, width: int, tile: int = TILE_PX) -> str:
    return (
        f"<TileMatrix><ows:Identifier>{ident}</ows:Identifier>"
        f"<ScaleDenominator>{res / SCALE_M!r}</ScaleDenominator>"
        f"<TopLeftCorner>{corner}</TopLeftCorner>"
        f"<TileWidth>{tile}</TileWidth><TileHeight>{tile}</TileHeight>"
        f"<MatrixWidth>{width}</MatrixWidth><MatrixHeight>{width}</MatrixHeight></TileMatrix>"
    )


def capabilities(base: str = "http://127.0.0.1/wmts/1.0.0") -> bytes:
    """The capabilities document; ``base`` is the RESTful service root (``.../1.0.0``)."""
    sweref = "".join(
        _matrix(str(k), r, "8500000.0 -1200000.0", 4 * 2**k) for k, r in enumerate(RESOLUTIONS)
    )
    # the same grid written easting first under the short name, as many servers do
    short = "".join(
        _matrix(f"EPSG:3006:{k}", r, "-1200000 8500000", 4 * 2**k)
        for k, r in enumerate(RESOLUTIONS[:6])
    )
    half = 20037508.342789244
    mercator = "".join(
        _matrix(str(z), 2 * half / 256 / 2**z, f"{-half!r} {half!r}", 2**z) for z in range(3)
    )
    corners = _matrix("0", 4096.0, "8500000 -1200000", 4) + _matrix(
        "1", 2048.0, "8400000 -1100000", 8
    )
    wgs = _matrix("0", 0.7, "90 -180", 2)
    mixed = _matrix("0", 4096.0, "8500000 -1200000", 4) + _matrix(
        "1", 2048.0, "8500000 -1200000", 8, tile=512
    )

    def tms(ident: str, crs: str, body: str) -> str:
        return (
            f"<TileMatrixSet><ows:Identifier>{ident}</ows:Identifier>"
            f"<ows:SupportedCRS>{crs}</ows:SupportedCRS>{body}</TileMatrixSet>"
        )

    links = "".join(
        f"<TileMatrixSetLink><TileMatrixSet>{s}</TileMatrixSet></TileMatrixSetLink>"
        for s in ("3006", "EPSG:3006", "3857", "corners", "wgs", "mixed")
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
    xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
  <ows:ServiceIdentification><ows:Title>Test topowebb</ows:Title>
    <ows:ServiceType>OGC WMTS</ows:ServiceType>
    <ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion></ows:ServiceIdentification>
  <Contents>
    <Layer><ows:Title>topowebb</ows:Title><ows:Identifier>topowebb</ows:Identifier>
      <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
      <Format>image/png</Format>{links}
      <ResourceURL format="image/png" resourceType="tile"
        template="{base}/topowebb/default/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.png"/>
    </Layer>
    <Layer><ows:Title>other</ows:Title><ows:Identifier>other</ows:Identifier>
      <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
      <Format>image/png</Format>
      <TileMatrixSetLink><TileMatrixSet>3857</TileMatrixSet></TileMatrixSetLink>
    </Layer>
    {tms("3006", "urn:ogc:def:crs:EPSG::3006", sweref)}
    {tms("EPSG:3006", "EPSG:3006", short)}
    {tms("3857", "urn:ogc:def:crs:EPSG::3857", mercator)}
    {tms("corners", "urn:ogc:def:crs:EPSG::3006", corners)}
    {tms("wgs", "urn:ogc:def:crs:OGC:1.3:CRS84", wgs)}
    {tms("mixed", "urn:ogc:def:crs:EPSG::3006", mixed)}
  </Contents>
</Capabilities>
""".encode()


def image(
    corner: tuple[float, float], res: tuple[float, float], size: tuple[int, int],
    mark: tuple[float, float],
) -> bytes:  # fmt: skip
    """A PNG of ``size`` pixels, top-left at SWEREF ``corner``, ``res`` metres per pixel (x, y)."""
    (x0, y1), (res_x, res_y) = corner, res
    width, height = size
    img = Image.new("RGB", size, BACKGROUND)
    cx = (mark[0] - x0) / res_x  # the mark's position in this image's pixels
    cy = (y1 - mark[1]) / res_y
    half = MARK_PX / 2
    for py in range(max(0, int(cy - half)), min(height, int(cy + half) + 1)):
        for px in range(max(0, int(cx - half)), min(width, int(cx + half) + 1)):
            if abs(px + 0.5 - cx) <= half and abs(py + 0.5 - cy) <= half:
                img.putpixel((px, py), MARK)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@dataclass
class Server:
    """A running server: its root URL and every path it was asked for."""

    url: str
    mark: tuple[float, float]
    requests: list[str] = field(default_factory=list)


_TILE = re.compile(r"^/wmts/1\.0\.0/topowebb/default/3006/(\d+)/(\d+)/(\d+)\.png$")


@contextmanager
def serve(mark: tuple[float, float]) -> Iterator[Server]:
    """Serve capabilities, tiles and GetMap on 127.0.0.1 (a free port) while in the block."""
    state = Server(url="", mark=mark)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            state.requests.append(self.path)
            parts = urlsplit(self.path)
            if parts.path == "/wmts/1.0.0/WMTSCapabilities.xml":
                self._send(capabilities(f"{state.url}/wmts/1.0.0"), "application/xml")
                return
            tile = _TILE.match(parts.path)
            if tile:
                k, row, col = (int(v) for v in tile.groups())
                if k >= len(RESOLUTIONS):
                    self._send(b"no such matrix", "text/plain", 404)
                    return
                res = RESOLUTIONS[k]
                x0 = ORIGIN[0] + col * TILE_PX * res
                y1 = ORIGIN[1] - row * TILE_PX * res
                png = image((x0, y1), (res, res), (TILE_PX, TILE_PX), state.mark)
                self._send(png, "image/png")
                return
            if parts.path == "/wms":
                q = {k.upper(): v[0] for k, v in parse_qs(parts.query).items()}
                minx, miny, maxx, maxy = (float(v) for v in q["BBOX"].split(","))
                w, h = int(q["WIDTH"]), int(q["HEIGHT"])
                res = ((maxx - minx) / w, (maxy - miny) / h)
                png = image((minx, maxy), res, (w, h), state.mark)
                self._send(png, "image/png")
                return
            self._send(b"not found", "text/plain", 404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
