"""One layer from an OGC Web Feature Service (a kommun's districts), read with OWSLib.

:func:`fetch_wfs_layer` asks the service for its capabilities (WFS 2.0.0 or 1.1.0), checks
that the layer exists, fetches every feature with ``GetFeature`` (page by page when the
server returns fewer than it matched), reads the answer (GML in any CRS the service states,
or GeoJSON) and reprojects it to the working metric CRS. It returns the frame with what a
provenance record needs: the address, the layer, the time of the fetch and what the service
says about its provider and its terms of use.

Nothing is silent: a service that cannot be reached, answers with an HTTP error or an
exception report, does not know the layer, or returns no features raises
:class:`~hotspots.core.errors.InputSchemaError` with one line naming the address and what to
do. There is no fallback to another source.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, TypeVar

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from lxml import etree
from pyproj import CRS

from hotspots.core.errors import InputSchemaError
from hotspots.spatial.crs import DEFAULT_METRIC_CRS, check_metric

if TYPE_CHECKING:
    from owslib.feature import WebFeatureService_

__all__ = ["WFS_VERSIONS", "WfsLayer", "fetch_wfs_layer"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: The WFS versions asked for (OWSLib's clients for them).
WFS_VERSIONS: tuple[str, ...] = ("2.0.0", "1.1.0")

#: Most pages fetched for one layer (a guard against a server that never says it is done).
_MAX_PAGES = 1000
#: Longest server text quoted in an error message, in characters.
_QUOTE_CHARS = 200


@dataclass(frozen=True)
class WfsLayer:
    """A layer fetched from a WFS, reprojected to the working CRS.

    Attributes
    ----------
    frame
        The features with their attributes, in the working metric CRS.
    url
        The service address given.
    typename
        The layer's name in the service (with its namespace prefix, as the service writes it).
    version
        The WFS version spoken.
    fetched_at
        When the features were fetched, ISO 8601 UTC (``2026-05-01T10:00:00Z``).
    provider
        The service provider's name from the capabilities (``""`` when not stated).
    access_constraints
        The terms of use the capabilities state (``AccessConstraints``, ``""`` when none).
    fees
        The fees the capabilities state (``""`` when none).
    """

    frame: gpd.GeoDataFrame
    url: str
    typename: str
    version: str
    fetched_at: str
    provider: str = ""
    access_constraints: str = ""
    fees: str = ""

    @property
    def source(self) -> str:
        """One line for a provenance record: the service, the layer and the fetch time."""
        return f"WFS {self.url} (layer {self.typename}, fetched {self.fetched_at})"


def _one_line(text: object) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[: _QUOTE_CHARS - 1] + "…"


def _reason(exc: BaseException, timeout_s: float) -> tuple[str, str]:
    """Why talking to the service failed (short, one line) and what to do about it."""
    import requests  # noqa: PLC0415 - OWSLib's HTTP client; loaded with OWSLib

    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout_s:g} s", "check the address and the network"
    if isinstance(exc, requests.ConnectionError):
        errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
        why = "cannot connect" + (f" ({errno.group(1).strip()})" if errno else "")
        return why, "check the address and the network"
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        why = f"HTTP {status} {exc.response.reason or ''}".strip()
        if status >= 500:  # HTTP server errors
            return why, "the service has a problem: try again later or ask its administrator"
        return why, "check the address"
    if isinstance(exc, requests.RequestException):
        return f"the request failed ({_one_line(exc)})", "check the address"
    if isinstance(exc, etree.XMLSyntaxError):
        return "the answer is not XML", "check that the address is a WFS"
    if type(exc).__name__ == "ServiceException":
        text = str(exc)
        said = _exception_text(text.encode()) or _one_line(text) or "no reason given"
        return f"the service refused ({said})", "check the layer name and the WFS version"
    why = f"the answer is not a WFS capabilities document ({type(exc).__name__})"
    return why, "check that the address is a WFS and the version it speaks"


def _call(what: str, fn: Callable[[], _T], *, url: str, timeout_s: float, alternative: str) -> _T:
    """``fn()`` (an OWSLib request), its failures turned into one-line InputSchemaErrors."""
    import requests  # noqa: PLC0415 - OWSLib's HTTP client; loaded with OWSLib

    try:
        return fn()
    except StopIteration as exc:  # OWSLib: no address of this operation in the capabilities
        msg = f"WFS {url}: {what}: the capabilities name no address for it"
        raise InputSchemaError(msg) from exc
    except (
        requests.RequestException,
        etree.LxmlError,
        AttributeError,
        TypeError,
        ValueError,
        KeyError,
        IndexError,
    ) as exc:  # AttributeError ...: OWSLib on a document that is not WFS capabilities
        why, todo = _reason(exc, timeout_s)
    except Exception as exc:  # OWSLib's ServiceException classes share no base but Exception
        if type(exc).__name__ != "ServiceException":
            raise
        why, todo = _reason(exc, timeout_s)
    msg = f"WFS {url}: {what}: {why}; {todo}" + (f", or {alternative}" if alternative else "")
    raise InputSchemaError(msg)


def _pick_typename(service: WebFeatureService_, url: str, typename: str) -> str:
    names = list(service.contents)
    if typename in names:
        return typename
    short = [n for n in names if n.rpartition(":")[2] == typename.rpartition(":")[2]]
    if len(short) == 1:
        return short[0]
    shown = ", ".join(names[:20]) + (f" … ({len(names)} in all)" if len(names) > 20 else "")
    msg = (
        f"WFS {url}: no layer {typename!r} (the service offers: {shown or 'none'}); "
        "give one of them with --districts-wfs-layer"
    )
    raise InputSchemaError(msg)


def _text(value: object) -> str:
    return "" if value is None else _one_line(value)


def _counts(data: bytes) -> tuple[int | None, int | None]:
    """``numberMatched`` and ``numberReturned`` of a GetFeature answer (``None`` if unstated)."""

    def number(value: object) -> int | None:
        try:
            return int(str(value))
        except (TypeError, ValueError):  # "unknown", absent
            return None

    head = data.lstrip()[:1]
    if head == b"{":
        try:
            doc = json.loads(data)
        except ValueError:
            return None, None
        matched = doc.get("numberMatched", doc.get("totalFeatures"))
        return number(matched), number(doc.get("numberReturned"))
    try:
        for _, elem in etree.iterparse(io.BytesIO(data), events=("start",)):
            attrs = elem.attrib
            return number(attrs.get("numberMatched")), number(
                attrs.get("numberReturned", attrs.get("numberOfFeatures"))
            )
    except etree.LxmlError:
        return None, None
    return None, None


def _exception_text(data: bytes) -> str | None:
    """The text of an OWS/OGC exception report, or ``None`` when ``data`` is not one."""
    if not data.lstrip().startswith(b"<"):
        return None
    try:
        root = etree.fromstring(data)
    except etree.LxmlError:
        return None
    if etree.QName(root).localname not in ("ExceptionReport", "ServiceExceptionReport"):
        return None
    return _one_line(" ".join(t.strip() for t in root.itertext() if t.strip())) or "no reason"


def _read_features(data: bytes, url: str, typename: str) -> gpd.GeoDataFrame:
    refused = _exception_text(data)
    if refused is not None:
        msg = f"WFS {url}: GetFeature {typename}: the service refused ({refused})"
        raise InputSchemaError(msg)
    matched, returned = _counts(data)
    if returned == 0 or (returned is None and matched == 0):
        return gpd.GeoDataFrame(geometry=[], crs=None)
    try:
        frame = pyogrio.read_dataframe(io.BytesIO(data))
    except Exception as exc:  # GDAL's errors: the answer is not GML or GeoJSON it can read
        msg = f"WFS {url}: GetFeature {typename}: the answer cannot be read ({_one_line(exc)})"
        raise InputSchemaError(msg) from exc
    return frame


def _get_page(service: WebFeatureService_, typename: str, start: int, size: int | None) -> bytes:
    answer = service.getfeature(typename=[typename], startindex=start or None, maxfeatures=size)
    return bytes(answer.read())


def _hits(service: WebFeatureService_, typename: str, timeout_s: float) -> int | None:
    """How many features the layer has (``resultType=hits``), or ``None`` when not told."""
    from owslib.util import openURL  # noqa: PLC0415 - only this command needs OWSLib

    url = service.getGETGetFeatureRequest(typename=[typename])
    answer = openURL(url + "&resultType=hits", timeout=timeout_s, headers=service.headers)
    data = bytes(answer.read())
    matched, returned = _counts(data)
    if matched is not None:
        return matched
    try:  # WFS 1.1.0: numberOfFeatures counts the layer only in an answer without features
        root = etree.fromstring(data)
    except etree.LxmlError:
        return None
    members = [e for e in root if etree.QName(e).localname != "boundedBy"]
    return returned if not members else None


def fetch_wfs_layer(
    url: str,
    typename: str,
    *,
    version: str = "2.0.0",
    metric_crs: str = DEFAULT_METRIC_CRS,
    timeout_s: float = 30.0,
    alternative: str = "",
) -> WfsLayer:
    """Fetch every feature of one WFS layer and reproject it to ``metric_crs``.

    Parameters
    ----------
    url
        The service address (with or without ``service=WFS&request=GetCapabilities``).
    typename
        The layer (feature type); a name without its namespace prefix (``stadsdelar`` for
        ``karlstad:stadsdelar``) is accepted when it is unique.
    version
        WFS version: ``2.0.0`` (default) or ``1.1.0``.
    metric_crs
        Projected metric CRS of the frame returned.
    timeout_s
        Seconds to wait for each answer.
    alternative
        What else the user can do when the service fails (``"give the districts as a
        file"``), appended to the error message.

    Returns
    -------
    WfsLayer
        The features and their provenance.

    Raises
    ------
    InputSchemaError
        The service cannot be reached, answers with an error, lacks the layer, returns no
        features or fewer than it says it has, or features without a stated CRS in other
        units than degrees.
    CRSError
        ``metric_crs`` is not a projected metric CRS.
    """
    from owslib.wfs import WebFeatureService  # noqa: PLC0415 - only this command needs OWSLib

    target = check_metric(metric_crs, argument="metric_crs")
    if version not in WFS_VERSIONS:
        msg = f"WFS version {version!r} is not supported; give one of {', '.join(WFS_VERSIONS)}"
        raise InputSchemaError(msg)
    ask = partial(_call, url=url, timeout_s=timeout_s, alternative=alternative)
    service = ask(
        "GetCapabilities", partial(WebFeatureService, url, version=version, timeout=timeout_s)
    )
    name = _pick_typename(service, url, typename)
    fetched_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    pages: list[gpd.GeoDataFrame] = []
    matched: int | None = None
    count: int | None = None
    total = 0
    for _ in range(_MAX_PAGES):
        data = ask(f"GetFeature {name}", partial(_get_page, service, name, total, count))
        page = _read_features(data, url, name)
        if pages and len(page) and _same_features(page, pages[0]):
            msg = (
                f"WFS {url}: layer {name!r}: the service answers every page with its first "
                "(it ignores startIndex); ask its administrator to allow paging, or to raise "
                "its page size above the layer's features"
            )
            raise InputSchemaError(msg)
        pages.append(page)
        total += len(page)
        if matched is None:
            matched = _counts(data)[0]
        if matched is None:  # WFS 1.1.0 does not say: ask how many there are
            matched = ask(f"GetFeature {name} hits", partial(_hits, service, name, timeout_s))
        if matched is None:
            logger.warning(
                "WFS %s: the service does not say how many features %s has; %d fetched",
                url,
                name,
                total,
            )
            break
        if total >= matched or len(page) == 0:
            break
        count = len(page)  # the server's page size: ask for the next page of the same size
        logger.info("WFS %s: %d of %d features of %s", url, total, matched, name)
    if matched is not None and total < matched:
        msg = (
            f"WFS {url}: layer {name!r} has {matched} features but the service returned "
            f"only {total}; ask its administrator to allow paging (startIndex)"
        )
        raise InputSchemaError(msg)
    frame = _combine(pages, url, name)
    ident = getattr(service, "identification", None)
    provider = getattr(service, "provider", None)
    return WfsLayer(
        frame=frame.to_crs(target),
        url=url,
        typename=name,
        version=version,
        fetched_at=fetched_at,
        provider=_text(getattr(provider, "name", None)),
        access_constraints=_text(getattr(ident, "accessconstraints", None)),
        fees=_text(getattr(ident, "fees", None)),
    )


def _same_features(page: gpd.GeoDataFrame, first: gpd.GeoDataFrame) -> bool:
    """Whether ``page`` repeats ``first`` (the same geometries in the same order)."""
    if len(page) != len(first):
        return False
    return bool(shapely.equals_exact(page.geometry.to_numpy(), first.geometry.to_numpy()).all())


def _combine(pages: list[gpd.GeoDataFrame], url: str, name: str) -> gpd.GeoDataFrame:
    frames = [p for p in pages if len(p)]
    if not frames:
        msg = f"WFS {url}: layer {name!r} returned no features"
        raise InputSchemaError(msg)
    crs = frames[0].crs
    if crs is None:
        msg = f"WFS {url}: layer {name!r} came without a CRS; the service must state srsName"
        raise InputSchemaError(msg)
    frame = gpd.GeoDataFrame(
        pd.concat([f.to_crs(crs) for f in frames], ignore_index=True), geometry="geometry", crs=crs
    )
    if CRS.from_user_input(crs).is_geographic:
        x0, y0, x1, y1 = frame.total_bounds
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            msg = (
                f"WFS {url}: layer {name!r} is said to be in degrees ({crs}) but its "
                f"coordinates are not (extent {x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f}); the "
                "service does not state its CRS"
            )
            raise InputSchemaError(msg)
    missing = frame.geometry.isna() | frame.geometry.is_empty
    if missing.all():
        msg = f"WFS {url}: layer {name!r} has no geometries"
        raise InputSchemaError(msg)
    if missing.any():
        logger.warning(
            "WFS %s: %d features of %s without geometry left out", url, missing.sum(), name
        )
        frame = frame[~missing.to_numpy()].reset_index(drop=True)
    return frame
