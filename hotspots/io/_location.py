"""Vectorised checks and projection of point locations.

Three input forms: WGS84 ``lat``/``lon`` degrees; ``x``/``y`` metres in a given CRS (``--crs``,
default EPSG:3006); or a geometry with its own CRS. Each row either gets metric coordinates in
the target CRS or a reason: missing, not a number, outside the valid range or the CRS's area of
use, lat/lon that look swapped, SWEREF 99 TM metres given as degrees, or degrees given as
metres.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

from hotspots.io._arrow import arrow_strings
from hotspots.spatial.crs import (
    DEFAULT_METRIC_CRS,
    SWEDEN_BOUNDS_WGS84,
    check_metric,
    choose_metric_crs,
)

__all__ = ["LocationResult", "TargetCRS", "locate", "safe_box", "to_number"]

WGS84 = CRS.from_epsg(4326)
SWEREF = CRS.from_epsg(3006)
#: Margin around a CRS's area of use that still counts as inside, degrees.
AREA_MARGIN_DEG = 1.0
#: Plausible SWEREF 99 TM coordinates (metres) anywhere in Sweden.
_SWEREF_E = (200_000.0, 1_000_000.0)
_SWEREF_N = (6_000_000.0, 7_800_000.0)


_PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _clean_numbers(text: pd.Series) -> pd.Series:
    """Drop spaces (thousands separators), read a Unicode minus and a decimal comma."""
    cleaned = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace("\u2212", "-")
    both = cleaned.str.contains(",", regex=False) & cleaned.str.contains(".", regex=False)
    cleaned = cleaned.where(~both, cleaned.str.replace(",", "", regex=False))
    return cleaned.str.replace(",", ".", regex=False)


def to_number(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse numbers written with a decimal point or a decimal comma.

    Spaces and non-breaking spaces (thousands separators) are dropped and a Unicode minus is
    read as ``-``. Returns ``(values, empty, bad)``: floats (NaN where not a number), the mask of
    empty cells and the mask of cells that are not numbers.

    Plain numbers (``59.3793``, ``59,3793``, ``-1e3``: the usual case) are converted by one
    Arrow cast; only the other cells go through the general string clean-up.
    """
    if pd.api.types.is_numeric_dtype(values.dtype):
        out = values.to_numpy(dtype=float, na_value=np.nan)
        empty = ~np.isfinite(out)
        return out, empty, np.zeros(len(out), dtype=bool)
    strings = values.astype("string")
    raw = arrow_strings(strings)
    if raw.null_count == 0:
        try:  # the usual case: every cell a plain number as it stands
            out = pc.cast(raw, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            pass
        else:
            if np.isfinite(out).all():
                none = np.zeros(len(out), dtype=bool)
                return out, none, none
    text = strings.fillna("").str.strip()
    empty = np.asarray(text == "", dtype=bool)
    arr = arrow_strings(text)
    has_comma = pc.match_substring(arr, ",")
    dotted = arr
    if pc.any(has_comma).as_py():
        both = pc.and_(has_comma, pc.match_substring(arr, "."))
        dotted = pc.if_else(
            both, pc.replace_substring(arr, ",", ""), pc.replace_substring(arr, ",", ".")
        )
    if not empty.any():
        try:  # the usual case: every cell a plain number
            out = pc.cast(dotted, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            pass
        else:
            return out, empty, ~np.isfinite(out)
    plain = pc.match_substring_regex(dotted, _PLAIN_NUMBER).to_numpy(zero_copy_only=False)
    out = np.full(len(text), np.nan)
    if plain.any():
        out[plain] = pc.cast(pc.filter(dotted, pa.array(plain)), pa.float64()).to_numpy()
    rest = ~plain & ~empty
    if rest.any():
        cleaned = _clean_numbers(text[rest])
        out[rest] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~empty & ~np.isfinite(out)
    return out, empty, bad


def _crs_label(crs: CRS) -> str:
    auth = crs.to_authority()
    code = f"{auth[0]}:{auth[1]}" if auth else crs.to_string()
    return f"{code} ({crs.name})"


def _inside_area(lon: np.ndarray, lat: np.ndarray, crs: CRS) -> np.ndarray:
    area = crs.area_of_use
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if area is None or crs.is_geographic:
        return ok
    m = AREA_MARGIN_DEG
    west, south, east, north = area.west, area.south, area.east, area.north
    if west <= east:
        in_lon = (lon >= west - m) & (lon <= east + m)
    else:  # crosses the antimeridian
        in_lon = (lon >= west - m) | (lon <= east + m)
    return ok & in_lon & (lat >= south - m) & (lat <= north + m)


@functools.lru_cache(maxsize=32)
def _safe_box_of(wkt: str) -> tuple[float, float, float, float] | None:
    crs = CRS.from_wkt(wkt)
    area = crs.area_of_use
    if area is None or crs.is_geographic or area.west > area.east:
        return None
    to_crs = Transformer.from_crs(WGS84, crs, always_xy=True)
    to_deg = Transformer.from_crs(crs, WGS84, always_xy=True)
    try:
        x0, y0, x1, y1 = to_crs.transform_bounds(
            area.west, area.south, area.east, area.north, densify_pts=50
        )
    except ProjError:
        return None
    if not all(np.isfinite((x0, y0, x1, y1))):
        return None
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    # the box edge must stay within the area plus most of the margin: between the sampled
    # edge points the edge cannot then bulge out of the area plus the whole margin
    m = AREA_MARGIN_DEG * 0.9
    t = np.linspace(-1.0, 1.0, 257)
    for scale in np.linspace(1.0, 0.05, 20):
        bx = np.r_[t, t, np.full_like(t, -1.0), np.full_like(t, 1.0)] * hx * scale + cx
        by = np.r_[np.full_like(t, -1.0), np.full_like(t, 1.0), t, t] * hy * scale + cy
        with np.errstate(invalid="ignore"):
            lon, lat = (np.asarray(v) for v in to_deg.transform(bx, by))
        if (
            np.isfinite(lon).all()
            and np.isfinite(lat).all()
            and (lon >= area.west - m).all()
            and (lon <= area.east + m).all()
            and (lat >= area.south - m).all()
            and (lat <= area.north + m).all()
        ):
            box = (cx - hx * scale, cy - hy * scale, cx + hx * scale, cy + hy * scale)
            return tuple(float(v) for v in box)  # type: ignore[return-value]
    return None


def safe_box(crs: CRS) -> tuple[float, float, float, float] | None:
    """A box ``(xmin, ymin, xmax, ymax)`` in ``crs`` that lies inside its area of use.

    Every point of the box is within the area of use plus :data:`AREA_MARGIN_DEG`, so points
    in it pass the area check without being projected to degrees. ``None`` for a geographic
    CRS, one without an area of use, or one whose area crosses the antimeridian.
    """
    return _safe_box_of(crs.to_wkt())


def _looks_sweref(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    def _pair(e: np.ndarray, n: np.ndarray) -> np.ndarray:
        return (e >= _SWEREF_E[0]) & (e <= _SWEREF_E[1]) & (n >= _SWEREF_N[0]) & (n <= _SWEREF_N[1])

    return _pair(a, b) | _pair(b, a)


@dataclass
class TargetCRS:
    """The metric CRS every location is projected to.

    Fixed when given (the store's CRS); otherwise chosen once, from the first chunk of valid
    WGS84 positions: EPSG:3006 when at least half of them lie in Sweden (as given or with
    lat/lon swapped), else the UTM zone of the median point (see
    :func:`hotspots.spatial.crs.choose_metric_crs`).

    Attributes
    ----------
    crs
        The chosen CRS, or ``None`` until chosen.
    from_store
        Whether the CRS was imposed by an existing store.
    """

    crs: CRS | None = None
    from_store: bool = False
    _transformers: dict[str, Transformer] = field(default_factory=dict, repr=False)

    def resolve(self, lon: np.ndarray, lat: np.ndarray) -> CRS:
        """Return the target CRS, choosing it from ``lon``/``lat`` degrees when still open."""
        if self.crs is None:
            ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
            if ok.any():
                # Swedish when at least half the points lie in Sweden as given or swapped
                # (swapped rows are rejected later, but they are still Swedish data)
                w, south, e, north = SWEDEN_BOUNDS_WGS84
                lo, la = lon[ok], lat[ok]
                in_se = (lo >= w) & (lo <= e) & (la >= south) & (la <= north)
                in_se_swapped = (la >= w) & (la <= e) & (lo >= south) & (lo <= north)
                if (in_se | in_se_swapped).mean() >= 0.5:
                    chosen = SWEREF
                else:
                    chosen = choose_metric_crs(lo[~in_se_swapped], la[~in_se_swapped])
            else:
                chosen = CRS.from_user_input(DEFAULT_METRIC_CRS)
            self.crs = check_metric(chosen, argument="target CRS")
        return self.crs

    def transformer(self, src: CRS, dst: CRS) -> Transformer:
        """A cached always-xy transformer from ``src`` to ``dst``."""
        key = f"{src.to_wkt()}->{dst.to_wkt()}"
        if key not in self._transformers:
            self._transformers[key] = Transformer.from_crs(src, dst, always_xy=True)
        return self._transformers[key]


@dataclass(frozen=True, slots=True)
class LocationResult:
    """Projected coordinates and the reason (or ``None``) for each row.

    Attributes
    ----------
    x, y
        Metres in the target CRS (NaN for rejected rows).
    reason
        Object array: ``None`` where the location is fine, else the reason.
    failed
        Boolean array: True where there is a reason.
    crs
        The target CRS.
    """

    x: np.ndarray
    y: np.ndarray
    reason: np.ndarray
    crs: CRS
    failed: np.ndarray


class _Reasons:
    """The first reason each row fails for (``None`` while it has none)."""

    def __init__(self, n: int) -> None:
        self.text = np.full(n, None, dtype=object)
        self.given = np.zeros(n, dtype=bool)

    def set(self, mask: np.ndarray, text: str) -> None:
        """Give ``text`` to the rows of ``mask`` that have no reason yet."""
        new = mask & ~self.given
        if new.any():
            self.text[new] = text
            self.given |= new


def locate(
    a: pd.Series | np.ndarray,
    b: pd.Series | np.ndarray,
    *,
    mode: str,
    src_crs: CRS | None,
    target: TargetCRS,
    names: tuple[str, str],
) -> LocationResult:
    """Check and project point locations.

    Parameters
    ----------
    a, b
        For ``mode="latlon"``: latitude and longitude (degrees). For ``mode="xy"``: x (easting)
        and y (northing) in ``src_crs``. Strings (decimal comma allowed) or numbers.
    mode
        ``"latlon"`` or ``"xy"``.
    src_crs
        CRS of ``x``/``y`` (ignored for ``latlon``).
    target
        The target metric CRS (chosen from the data when still open).
    names
        The two column names as written in the file, for the messages.
    """
    av, a_empty, a_bad = to_number(pd.Series(a))
    bv, b_empty, b_bad = to_number(pd.Series(b))
    n = len(av)
    reasons = _Reasons(n)
    na, nb = names
    if na == nb:
        reasons.set(a_empty | b_empty, f"missing location: {na} is empty")
    else:
        reasons.set(a_empty & b_empty, f"missing location: {na} and {nb} are empty")
        reasons.set(a_empty | b_empty, f"missing location: {na} or {nb} is empty")
    reasons.set(a_bad | b_bad, f"{na}/{nb} is not a number (write e.g. 59.3793 or 59,3793)")

    if mode == "xy" and src_crs is not None and src_crs.is_geographic:
        mode, av, bv = "latlon", bv, av  # x/y given in degrees: x is longitude
    if mode == "latlon":
        lat, lon = av, bv
        out_of_range = (np.abs(lat) > 90) | (np.abs(lon) > 180)
        reasons.set(
            out_of_range & _looks_sweref(lat, lon),
            f"{na}/{nb} look like SWEREF 99 TM metres given as degrees; name the columns "
            "x/y (or e/n, easting/northing) and give --crs EPSG:3006",
        )
        reasons.set(out_of_range, f"{na}/{nb} outside -90..90 / -180..180 degrees")
    else:
        src = src_crs or SWEREF
        small = (np.abs(av) <= 180) & (np.abs(bv) <= 90)
        reasons.set(
            small,
            f"{na}/{nb} look like WGS84 degrees given as metres of {_crs_label(src)}; "
            "name the columns lat/lon (or give --crs EPSG:4326)",
        )
        to_wgs = target.transformer(src, WGS84)
        # degrees are needed only outside the box known to lie in the area of use, unless the
        # target CRS is still to be chosen (from all points) or differs from the source
        box = safe_box(src)
        in_box = np.zeros(n, dtype=bool)
        if box is not None and target.crs is not None and target.crs.equals(src):
            with np.errstate(invalid="ignore"):
                in_box = (av >= box[0]) & (av <= box[2]) & (bv >= box[1]) & (bv <= box[3])
        lon = np.full(n, np.nan)
        lat = np.full(n, np.nan)
        need = ~in_box
        if need.any():
            with np.errstate(invalid="ignore"):
                lon[need], lat[need] = to_wgs.transform(av[need], bv[need])
        inside_src = in_box | _inside_area(lon, lat, src)
        swapped_ok = np.zeros(n, dtype=bool)
        outside = np.flatnonzero(~inside_src)
        if len(outside):  # only rows outside the area can be swapped ones
            with np.errstate(invalid="ignore"):
                slon, slat = to_wgs.transform(bv[outside], av[outside])
            swapped_ok[outside] = _inside_area(np.asarray(slon), np.asarray(slat), src)
        reasons.set(
            ~inside_src & swapped_ok,
            f"{na}/{nb} look swapped (easting/northing); put the easting in {na} and the "
            f"northing in {nb}",
        )
        reasons.set(~inside_src, f"{na}/{nb} outside the area of use of {_crs_label(src)}")

    fine = ~reasons.given
    dst = target.resolve(lon[fine], lat[fine])
    inside = _inside_area(lon, lat, dst)
    if mode == "xy":
        inside |= in_box  # in_box is set only when dst is the source CRS
    if mode == "latlon":
        swapped_inside = _inside_area(lat, lon, dst)
        reasons.set(
            ~inside & swapped_inside,
            f"{na}/{nb} look like swapped lat/lon (the {na} values are longitudes and the "
            f"{nb} values latitudes); swap the two columns",
        )
    where = "the store's CRS" if target.from_store else "the CRS"
    hint = "; import it into another store with --db" if target.from_store else ""
    reasons.set(~inside, f"location outside the area of use of {where} {_crs_label(dst)}{hint}")
    fine = ~reasons.given
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if fine.any():
        if mode == "latlon":
            x[fine], y[fine] = target.transformer(WGS84, dst).transform(lon[fine], lat[fine])
        else:
            src = src_crs or SWEREF
            if src.equals(dst):
                x[fine], y[fine] = av[fine], bv[fine]
            else:
                x[fine], y[fine] = target.transformer(src, dst).transform(av[fine], bv[fine])
    return LocationResult(x=x, y=y, reason=reasons.text, crs=dst, failed=reasons.given)
