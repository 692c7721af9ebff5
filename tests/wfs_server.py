"""A tiny Web Feature Service for tests: a real HTTP server in a thread.

It answers ``GetCapabilities`` and ``GetFeature`` (KVP GET) for WFS 2.0.0 and 1.1.0 with one
polygon layer, as a conformant server would: WFS 2.0.0 in GML 3.2 with
``urn:ogc:def:crs:EPSG::3006`` (northing before easting, the EPSG axis order), WFS 1.1.0 in GML
3.1.1 with ``urn:x-ogc:def:crs:EPSG:4326`` (latitude before longitude), or GeoJSON (RFC 7946,
longitude/latitude) when ``output="geojson"``. ``page_size`` caps the features of one answer
(``numberMatched`` says how many there are; ``startIndex`` pages on). ``fail`` makes it answer
HTTP 500 to ``"capabilities"`` or ``"getfeature"``, or refuse GetFeature with an exception
report (``"refuse"``). Every request is recorded in :attr:`WfsServer.requests`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

import shapely
from pyproj import Transformer

__all__ = ["WfsServer"]

_TO_WGS84 = Transformer.from_crs(3006, 4326, always_xy=True)


@dataclass
class WfsServer:
    """One polygon layer served over WFS on ``127.0.0.1`` (start with ``with``).

    Attributes
    ----------
    features
        ``(properties, polygon in EPSG:3006)`` pairs.
    typename
        The layer's name, with its namespace prefix.
    """

    features: list[tuple[dict[str, object], shapely.Polygon]]
    typename: str = "kk:stadsdelar"
    output: Literal["gml", "geojson"] = "gml"
    page_size: int | None = None
    ignore_paging: bool = False
    fail: Literal["capabilities", "getfeature", "refuse"] | None = None
    provider: str = "Testkommun"
    access_constraints: str = "Öppna data, CC0 1.0"
    requests: list[dict[str, str]] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The service address (``http://127.0.0.1:PORT/wfs``)."""
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/wfs"

    def __enter__(self) -> WfsServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = {k.lower(): v for k, v in parse_qsl(urlsplit(self.path).query)}
                server.requests.append(params)
                status, ctype, body = server.answer(params)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:  # quiet
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        assert self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    # ------------------------------------------------------------------------------------
    def answer(self, params: dict[str, str]) -> tuple[int, str, bytes]:
        """Status, content type and body for one request's parameters."""
        request = params.get("request", "").lower()
        version = params.get("version", "2.0.0")
        if request == "getcapabilities":
            if self.fail == "capabilities":
                return 500, "text/plain", b"internal server error"
            return 200, "text/xml", self._capabilities(version).encode()
        if request == "getfeature":
            if self.fail == "getfeature":
                return 500, "text/plain", b"internal server error"
            asked = params.get("typenames", params.get("typename", ""))
            if self.fail == "refuse" or asked != self.typename:
                return 400, "text/xml", _exception(asked).encode()
            if params.get("resulttype", "").lower() == "hits":
                return 200, "text/xml", self._hits(version).encode()
            start = 0 if self.ignore_paging else int(params.get("startindex", "0"))
            count = params.get("count", params.get("maxfeatures"))
            limit = len(self.features) if count is None else int(count)
            if self.page_size is not None:
                limit = min(limit, self.page_size)
            page = self.features[start : start + limit]
            if self.output == "geojson":
                return 200, "application/json", self._geojson(page).encode()
            if version.startswith("1.1"):
                return 200, "text/xml; subtype=gml/3.1.1", self._gml11(page).encode()
            return 200, "application/gml+xml; version=3.2", self._gml32(page).encode()
        return 400, "text/xml", _exception(request or "no request").encode()

    def _capabilities(self, version: str) -> str:
        url = escape(self.url, {'"': "&quot;"})
        ops = "".join(
            f'<ows:Operation name="{name}"><ows:DCP><ows:HTTP><ows:Get xlink:href="{url}?"/>'
            "</ows:HTTP></ows:DCP></ows:Operation>"
            for name in ("GetCapabilities", "DescribeFeatureType", "GetFeature")
        )
        ident = (
            "<ows:ServiceIdentification><ows:Title>Testkommun WFS</ows:Title>"
            f"<ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>{version}"
            "</ows:ServiceTypeVersion><ows:Fees>NONE</ows:Fees>"
            f"<ows:AccessConstraints>{escape(self.access_constraints)}</ows:AccessConstraints>"
            "</ows:ServiceIdentification>"
            f"<ows:ServiceProvider><ows:ProviderName>{escape(self.provider)}</ows:ProviderName>"
            "</ows:ServiceProvider>"
        )
        bbox = (
            "<ows:WGS84BoundingBox><ows:LowerCorner>13.0 59.0</ows:LowerCorner>"
            "<ows:UpperCorner>14.0 60.0</ows:UpperCorner></ows:WGS84BoundingBox>"
        )
        if version.startswith("1.1"):
            return (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs" '
                'xmlns:ows="http://www.opengis.net/ows" xmlns:xlink="http://www.w3.org/1999/xlink" '
                'xmlns:ogc="http://www.opengis.net/ogc" xmlns:kk="http://example.org/kk">'
                f"{ident}<ows:OperationsMetadata>{ops}</ows:OperationsMetadata>"
                f"<wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>{self.typename}</wfs:Name>"
                "<wfs:Title>Stadsdelar</wfs:Title>"
                "<wfs:DefaultSRS>urn:x-ogc:def:crs:EPSG:4326</wfs:DefaultSRS>"
                f"{bbox}</wfs:FeatureType></wfs:FeatureTypeList></wfs:WFS_Capabilities>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
            'xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:kk="http://example.org/kk">'
            f"{ident}<ows:OperationsMetadata>{ops}</ows:OperationsMetadata>"
            f"<wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>{self.typename}</wfs:Name>"
            "<wfs:Title>Stadsdelar</wfs:Title>"
            "<wfs:DefaultCRS>urn:ogc:def:crs:EPSG::3006</wfs:DefaultCRS>"
            f"{bbox}</wfs:FeatureType></wfs:FeatureTypeList></wfs:WFS_Capabilities>"
        )

    def _props(self, props: dict[str, object]) -> str:
        prefix = self.typename.partition(":")[0]
        return "".join(f"<{prefix}:{k}>{escape(str(v))}</{prefix}:{k}>" for k, v in props.items())

    def _gml32(self, page: list[tuple[dict[str, object], shapely.Polygon]]) -> str:
        members = []
        for i, (props, poly) in enumerate(page):
            ring = " ".join(f"{y:.3f} {x:.3f}" for x, y in poly.exterior.coords)  # N E
            members.append(
                f'<wfs:member><{self.typename} gml:id="f{i}.{props.get("kod", i)}">'
                f"{self._props(props)}<{self._geom()}>"
                f'<gml:Polygon gml:id="p{i}" srsName="urn:ogc:def:crs:EPSG::3006">'
                f"<gml:exterior><gml:LinearRing><gml:posList>{ring}</gml:posList>"
                "</gml:LinearRing></gml:exterior></gml:Polygon>"
                f"</{self._geom()}></{self.typename}></wfs:member>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" '
            'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:kk="http://example.org/kk" '
            f'numberMatched="{len(self.features)}" numberReturned="{len(page)}" '
            'timeStamp="2026-05-01T10:00:00Z">' + "".join(members) + "</wfs:FeatureCollection>"
        )

    def _gml11(self, page: list[tuple[dict[str, object], shapely.Polygon]]) -> str:
        members = []
        for i, (props, poly) in enumerate(page):
            lon, lat = _TO_WGS84.transform(*poly.exterior.xy)
            ring = " ".join(f"{b:.8f} {a:.8f}" for a, b in zip(lon, lat, strict=True))  # lat lon
            members.append(
                f'<gml:featureMember><{self.typename} gml:id="f{i}">'
                f"{self._props(props)}<{self._geom()}>"
                '<gml:Polygon srsName="urn:x-ogc:def:crs:EPSG:4326">'
                f"<gml:exterior><gml:LinearRing><gml:posList>{ring}</gml:posList>"
                "</gml:LinearRing></gml:exterior></gml:Polygon>"
                f"</{self._geom()}></{self.typename}></gml:featureMember>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" '
            'xmlns:gml="http://www.opengis.net/gml" xmlns:kk="http://example.org/kk" '
            f'numberOfFeatures="{len(page)}">' + "".join(members) + "</wfs:FeatureCollection>"
        )

    def _geojson(self, page: list[tuple[dict[str, object], shapely.Polygon]]) -> str:
        feats = []
        for props, poly in page:
            lon, lat = _TO_WGS84.transform(*poly.exterior.xy)
            ring = [[round(a, 8), round(b, 8)] for a, b in zip(lon, lat, strict=True)]
            geometry = {"type": "Polygon", "coordinates": [ring]}
            feats.append({"type": "Feature", "properties": props, "geometry": geometry})
        doc = {
            "type": "FeatureCollection",
            "numberMatched": len(self.features),
            "numberReturned": len(page),
            "features": feats,
        }
        return json.dumps(doc, ensure_ascii=False)

    def _hits(self, version: str) -> str:
        n = len(self.features)
        if version.startswith("1.1"):
            return (
                '<?xml version="1.0" encoding="UTF-8"?><wfs:FeatureCollection '
                f'xmlns:wfs="http://www.opengis.net/wfs" numberOfFeatures="{n}" '
                'timeStamp="2026-05-01T10:00:00Z"/>'
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><wfs:FeatureCollection '
            f'xmlns:wfs="http://www.opengis.net/wfs/2.0" numberMatched="{n}" '
            'numberReturned="0" timeStamp="2026-05-01T10:00:00Z"/>'
        )

    def _geom(self) -> str:
        return f"{self.typename.partition(':')[0]}:geom"


def _exception(locator: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">'
        f'<ows:Exception exceptionCode="InvalidParameterValue" locator="{escape(locator)}">'
        f"<ows:ExceptionText>Feature type {escape(locator)} unknown</ows:ExceptionText>"
        "</ows:Exception></ows:ExceptionReport>"
    )
