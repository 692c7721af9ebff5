"""Near repeats: the Knox test per category, and alert zones after new incidents.

After a burglary, a shooting or an arson the risk nearby rises for a while. The Knox test
asks whether pairs of incidents that are close in space are also close in time more often
than chance would have it. For every pair of incidents of one category it takes the distance
(metres) and the time apart (days) and counts the pairs in each cell of a table of space
bands x time bands. Band ``i`` of upper edges ``e`` holds ``e[i-1] < value <= e[i]`` (the
first band ``0 <= value <= e[0]``); pairs beyond the last edge of either are not tabulated.

Under the null hypothesis (no space-time interaction) the times are exchangeable among the
places. So:

- the **expected** count of a cell is exact, ``NS_i * NT_j / N`` with ``NS_i`` the pairs in
  space band ``i``, ``NT_j`` the pairs in time band ``j`` and ``N = n (n - 1) / 2`` all pairs
  (a fixed pair of places gets a uniformly random pair of times);
- the **Knox ratio** is observed / expected (1 = no interaction, 2 = twice as many close
  pairs as chance);
- the **p-value** of a cell is a Monte Carlo one: the times are permuted among the incidents
  ``permutations`` times (with the caller's ``rng``) and
  ``p = (1 + #{simulated >= observed}) / (permutations + 1)`` (one-sided, more pairs than
  chance), as in PySAL pointpats' ``Knox`` and the Near Repeat Calculator (Ratcliffe 2009).

With one space band and one time band the table is pointpats' ``Knox(delta, tau)``: the
same count of space-time pairs and, within Monte Carlo error, the same p-value.

The **near-repeat extent** of a category (:meth:`KnoxTable.near_repeat_extent`) is read from
the table: the first cell (closest, soonest) must be significant (``p <= alpha``, ratio >=
``min_ratio``); the distance is the outer edge of the last space band that is significant
in the first time band with every band before it, and the days likewise along the first
space band. :func:`alert_zones` draws a circle of that distance around each new incident of
the category, valid for that many days after it.

Only incidents whose place and time are precise enough take part: locations of ``exact``,
``address`` or ``street`` precision, times known to within :data:`MAX_TIME_UNCERTAINTY_DAYS`
(police.uk's month-only times never). Restricted categories never take part: an alert zone
would locate a single incident.

References
----------
Knox, G. (1964). The detection of space-time interactions. *Applied Statistics* 13, 25-29.
Johnson, S. D. et al. (2007). Space-time patterns of risk: a cross national assessment of
residential burglary victimization. *Journal of Quantitative Criminology* 23, 201-219.
Ratcliffe, J. H. (2009). Near Repeat Calculator (version 1.3). Temple University and the
National Institute of Justice.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import KDE_PRECISIONS
from hotspots.core.taxonomy import label, public_codes
from hotspots.spatial.points import frame_crs, point_xy

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_DAY_BANDS",
    "DEFAULT_DISTANCE_BANDS_M",
    "DEFAULT_MIN_RATIO",
    "DEFAULT_PERMUTATIONS",
    "MAX_TIME_UNCERTAINTY_DAYS",
    "MIN_EVENTS",
    "KnoxTable",
    "NearRepeatAnalysis",
    "NearRepeatExtent",
    "alert_zones",
    "knox_by_category",
    "knox_test",
    "parse_bands",
]

#: Upper edges of the space bands, metres.
DEFAULT_DISTANCE_BANDS_M: tuple[float, ...] = (100.0, 200.0, 300.0, 400.0)
#: Upper edges of the time bands, days.
DEFAULT_DAY_BANDS: tuple[float, ...] = (7.0, 14.0, 21.0, 28.0)
#: Monte Carlo permutations (p-values down to 1 / 200 = 0.005).
DEFAULT_PERMUTATIONS = 199
#: A cell is significant at this p-value ...
DEFAULT_ALPHA = 0.05
#: ... with at least 20 % more pairs than chance.
DEFAULT_MIN_RATIO = 1.2
#: A category needs this many usable incidents for a Knox test.
MIN_EVENTS = 20
#: Incidents whose time is uncertain by more than this (days) are left out.
MAX_TIME_UNCERTAINTY_DAYS = 1.0

_NS_PER_DAY = 86_400 * 10**9


def parse_bands(text: str | Sequence[float], option: str) -> tuple[float, ...]:
    """Band edges from ``"100,200,400"`` (or a sequence): positive, finite, increasing.

    Raises
    ------
    InputSchemaError
        Naming ``option`` when the edges are not so.
    """
    try:
        if isinstance(text, str):
            edges = tuple(float(v) for v in text.replace(";", ",").split(",") if v.strip())
        else:
            edges = tuple(float(v) for v in text)
    except ValueError:
        edges = ()
    ok = (
        len(edges) > 0
        and all(math.isfinite(e) and e > 0 for e in edges)
        and all(b > a for a, b in itertools.pairwise(edges))
    )
    if not ok:
        msg = (
            f"{option}: {text!r} is not a list of increasing positive band edges, "
            "e.g. 100,200,300,400"
        )
        raise InputSchemaError(msg)
    return edges


@dataclass(frozen=True, slots=True)
class NearRepeatExtent:
    """How far and how long the risk stays raised after an incident of a category.

    Attributes
    ----------
    distance_m
        Outer edge of the last significant space band, metres.
    days
        Outer edge of the last significant time band, days.
    ratio
        Knox ratio of the first cell (closest, soonest).
    p_value
        Its Monte Carlo p-value.
    """

    distance_m: float
    days: float
    ratio: float
    p_value: float


@dataclass(frozen=True, eq=False)
class KnoxTable:
    """The Knox test of one set of incidents over space x time bands.

    Arrays are ``(n_space_bands, n_time_bands)``.

    Attributes
    ----------
    distance_bands_m
        Upper edges of the space bands, metres.
    day_bands
        Upper edges of the time bands, days.
    n_events
        Incidents tested.
    observed
        Pairs in each cell (``int64``).
    expected
        Pairs expected without space-time interaction, ``NS_i * NT_j / N``.
    p_value
        One-sided Monte Carlo p-value of each cell, in ``(0, 1]``.
    permutations
        Number of permutations behind ``p_value``.
    simulated_mean
        Mean count of each cell over the permutations (tends to ``expected``).
    space_pairs, time_pairs
        ``NS_i`` per space band and ``NT_j`` per time band.
    """

    distance_bands_m: tuple[float, ...]
    day_bands: tuple[float, ...]
    n_events: int
    observed: np.ndarray
    expected: np.ndarray
    p_value: np.ndarray
    permutations: int
    simulated_mean: np.ndarray
    space_pairs: np.ndarray
    time_pairs: np.ndarray

    @property
    def n_pairs(self) -> int:
        """All pairs of incidents, ``n (n - 1) / 2``."""
        return self.n_events * (self.n_events - 1) // 2

    @property
    def ratio(self) -> np.ndarray:
        """Knox ratio observed / expected of each cell (NaN where nothing is expected)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    def significant(
        self, *, alpha: float = DEFAULT_ALPHA, min_ratio: float = DEFAULT_MIN_RATIO
    ) -> np.ndarray:
        """Cells with ``p <= alpha`` and a Knox ratio of at least ``min_ratio`` (bool)."""
        ratio = np.nan_to_num(self.ratio, nan=0.0)
        return (self.p_value <= alpha) & (ratio >= min_ratio)

    def near_repeat_extent(
        self, *, alpha: float = DEFAULT_ALPHA, min_ratio: float = DEFAULT_MIN_RATIO
    ) -> NearRepeatExtent | None:
        """The distance and days of raised risk (see the module docstring).

        ``None`` when the first cell (closest, soonest) is not significant.
        """
        sig = self.significant(alpha=alpha, min_ratio=min_ratio)
        if not sig[0, 0]:
            return None
        i = _run_length(sig[:, 0]) - 1
        j = _run_length(sig[0, :]) - 1
        return NearRepeatExtent(
            distance_m=self.distance_bands_m[i],
            days=self.day_bands[j],
            ratio=float(self.ratio[0, 0]),
            p_value=float(self.p_value[0, 0]),
        )

    def as_dict(
        self, *, alpha: float = DEFAULT_ALPHA, min_ratio: float = DEFAULT_MIN_RATIO
    ) -> dict[str, Any]:
        """Plain values for JSON: bands, counts, ratios, p-values and the extent."""
        extent = self.near_repeat_extent(alpha=alpha, min_ratio=min_ratio)
        ratio = self.ratio
        return {
            "n_events": self.n_events,
            "n_pairs": self.n_pairs,
            "distance_bands_m": list(self.distance_bands_m),
            "day_bands": list(self.day_bands),
            "permutations": self.permutations,
            "observed": self.observed.tolist(),
            "expected": np.round(self.expected, 4).tolist(),
            "ratio": [[None if math.isnan(v) else round(v, 4) for v in r] for r in ratio],
            "p_value": np.round(self.p_value, 6).tolist(),
            "near_repeat": None
            if extent is None
            else {
                "distance_m": extent.distance_m,
                "days": extent.days,
                "ratio": round(extent.ratio, 4),
                "p_value": round(extent.p_value, 6),
            },
        }


def _run_length(flags: np.ndarray) -> int:
    """Number of leading True values."""
    off = np.flatnonzero(~np.asarray(flags, dtype=bool))
    return int(off[0]) if len(off) else len(flags)


def knox_test(
    x: np.ndarray,
    y: np.ndarray,
    t_days: np.ndarray,
    *,
    distance_bands_m: Sequence[float] = DEFAULT_DISTANCE_BANDS_M,
    day_bands: Sequence[float] = DEFAULT_DAY_BANDS,
    permutations: int = DEFAULT_PERMUTATIONS,
    rng: np.random.Generator,
) -> KnoxTable:
    """The Knox test over space x time bands with Monte Carlo p-values.

    Parameters
    ----------
    x, y
        Incident coordinates in metres (a projected CRS).
    t_days
        Incident times in days (any origin).
    distance_bands_m
        Upper edges of the space bands, metres, increasing.
    day_bands
        Upper edges of the time bands, days, increasing.
    permutations
        Random permutations of the times among the incidents (0 = no p-values: all 1).
    rng
        The random generator (the only source of randomness).

    Returns
    -------
    KnoxTable

    Raises
    ------
    InputSchemaError
        For bad bands, mismatched lengths, non-finite values or fewer than two incidents.
    """
    s_edges = np.asarray(parse_bands(distance_bands_m, "distance_bands_m"))
    t_edges = np.asarray(parse_bands(day_bands, "day_bands"))
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    t = np.asarray(t_days, dtype=float)
    n = len(x)
    if not (len(y) == n and len(t) == n):
        msg = f"x, y and t_days must have one value per incident (got {n}, {len(y)}, {len(t)})"
        raise InputSchemaError(msg)
    if n < 2:
        msg = f"the Knox test needs at least two incidents (got {n})"
        raise InputSchemaError(msg)
    if not (np.isfinite(x).all() and np.isfinite(y).all() and np.isfinite(t).all()):
        msg = "x, y and t_days must be finite (drop incidents without a place or a time)"
        raise InputSchemaError(msg)
    if permutations < 0:
        msg = f"permutations must be >= 0 (got {permutations})"
        raise InputSchemaError(msg)
    ns, nt = len(s_edges), len(t_edges)
    # the pairs close enough in space to fall into a band, found once
    tree = cKDTree(np.column_stack((x, y)))
    pairs = tree.query_pairs(r=float(s_edges[-1]), output_type="ndarray")
    first = pairs[:, 0].astype(np.int64)
    second = pairs[:, 1].astype(np.int64)
    sband = np.searchsorted(s_edges, np.hypot(x[first] - x[second], y[first] - y[second]))
    keep = sband < ns  # round-off at the outer edge
    first, second, sband = first[keep], second[keep], sband[keep]
    base = sband * nt
    space_pairs = np.bincount(sband, minlength=ns).astype(np.int64)
    time_pairs = _time_band_pairs(t, t_edges)

    def table(times: np.ndarray) -> np.ndarray:
        tband = np.searchsorted(t_edges, np.abs(times[first] - times[second]))
        close = tband < nt
        return np.bincount(base[close] + tband[close], minlength=ns * nt)

    observed = table(t)
    exceed = np.zeros(ns * nt, dtype=np.int64)
    total = np.zeros(ns * nt, dtype=np.float64)
    for _ in range(permutations):
        sim = table(t[rng.permutation(n)])
        exceed += sim >= observed
        total += sim
    n_all = n * (n - 1) / 2
    expected = np.outer(space_pairs, time_pairs) / n_all
    p = (exceed + 1) / (permutations + 1)
    mean = total / permutations if permutations else expected.ravel().copy()
    return KnoxTable(
        distance_bands_m=tuple(float(e) for e in s_edges),
        day_bands=tuple(float(e) for e in t_edges),
        n_events=n,
        observed=observed.reshape(ns, nt).astype(np.int64),
        expected=expected,
        p_value=p.reshape(ns, nt),
        permutations=int(permutations),
        simulated_mean=mean.reshape(ns, nt),
        space_pairs=space_pairs,
        time_pairs=time_pairs,
    )


def _time_band_pairs(t: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Pairs of incidents per time band (``|t_i - t_j|`` in each band), from sorted times."""
    ts = np.sort(t)
    idx = np.arange(len(ts))
    within = np.array(
        [int((np.searchsorted(ts, ts + e, side="right") - idx - 1).sum()) for e in edges],
        dtype=np.int64,
    )
    return np.diff(within, prepend=0)


@dataclass(frozen=True, eq=False)
class NearRepeatAnalysis:
    """Knox tables per category, and what was left out.

    Attributes
    ----------
    tables
        Category code -> :class:`KnoxTable`, for the categories with enough incidents.
    too_few
        Category code -> number of usable incidents, for categories below ``min_events``.
    excluded_place
        Incidents left out for a coarse location (district or municipality precision).
    excluded_time
        Incidents left out for an uncertain time (month-only, or a long interval).
    start, end
        First and last time of the incidents tested.
    """

    tables: dict[str, KnoxTable]
    too_few: dict[str, int] = field(default_factory=dict)
    excluded_place: int = 0
    excluded_time: int = 0
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    def extents(
        self, *, alpha: float = DEFAULT_ALPHA, min_ratio: float = DEFAULT_MIN_RATIO
    ) -> dict[str, NearRepeatExtent]:
        """Category -> near-repeat extent, for the categories where one is significant."""
        out = {}
        for code, table in self.tables.items():
            extent = table.near_repeat_extent(alpha=alpha, min_ratio=min_ratio)
            if extent is not None:
                out[code] = extent
        return out


def _usable(incidents: pd.DataFrame) -> tuple[np.ndarray, int, int]:
    """Rows of public categories with a precise place and time; counts of the others."""
    n = len(incidents)
    public = np.asarray(incidents["category"].isin(public_codes()), dtype=bool)
    place_ok = np.ones(n, dtype=bool)
    if "precision" in incidents:
        prec = incidents["precision"].astype("string").fillna("exact")
        place_ok = np.asarray(prec.isin(KDE_PRECISIONS), dtype=bool)
    time_ok = np.array(incidents["occurred_at"].notna(), dtype=bool)
    if "time_precision" in incidents:
        tp = incidents["time_precision"].astype("string").fillna("exact")
        time_ok &= np.asarray(tp != "month", dtype=bool)  # month-only: weeks apart unknown
    if "occurred_until" in incidents:
        span = (incidents["occurred_until"] - incidents["occurred_at"]).dt.total_seconds()
        days = span.to_numpy(dtype=float, na_value=0.0) / 86_400.0
        time_ok &= days <= MAX_TIME_UNCERTAINTY_DAYS
    rows = np.flatnonzero(public & place_ok & time_ok)
    return rows, int((public & ~place_ok).sum()), int((public & place_ok & ~time_ok).sum())


def _times_ns(incidents: pd.DataFrame) -> np.ndarray:
    """Each incident's time in ns since 1970 (UTC): the middle of an uncertain interval."""
    at = pd.DatetimeIndex(incidents["occurred_at"]).as_unit("ns").asi8
    if "occurred_until" not in incidents:
        return at
    until = pd.DatetimeIndex(incidents["occurred_until"]).as_unit("ns")
    mid = at + (until.asi8 - at) // 2
    return np.where(until.isna(), at, mid)


def knox_by_category(
    incidents: pd.DataFrame,
    *,
    categories: Sequence[str] | None = None,
    distance_bands_m: Sequence[float] = DEFAULT_DISTANCE_BANDS_M,
    day_bands: Sequence[float] = DEFAULT_DAY_BANDS,
    permutations: int = DEFAULT_PERMUTATIONS,
    min_events: int = MIN_EVENTS,
    rng: np.random.Generator,
) -> NearRepeatAnalysis:
    """The Knox test of each category of an incident frame.

    Parameters
    ----------
    incidents
        Incident frame or point incident frame in a projected metric CRS.
    categories
        Codes to test (default every public category present); restricted codes are
        never tested.
    distance_bands_m, day_bands, permutations
        As for :func:`knox_test`.
    min_events
        Smallest number of usable incidents a category needs.
    rng
        The random generator; categories are tested in code order, so one seed gives one
        result.

    Returns
    -------
    NearRepeatAnalysis
    """
    crs = frame_crs(incidents)
    if crs is None or not crs.is_projected:
        msg = (
            f"incidents must be in a projected metric CRS (got {crs}); "
            "call hotspots.spatial.crs.to_metric() first"
        )
        raise InputSchemaError(msg)
    rows, bad_place, bad_time = _usable(incidents)
    used = incidents.iloc[rows]
    x, y = point_xy(used)
    t_ns = _times_ns(used)
    origin = int(t_ns.min()) if len(t_ns) else 0
    t_days = (t_ns - origin) / _NS_PER_DAY
    cats = used["category"].astype("string").to_numpy(dtype=object)
    wanted = sorted(set(cats) if categories is None else set(categories) & set(public_codes()))
    tables: dict[str, KnoxTable] = {}
    too_few: dict[str, int] = {}
    for code in wanted:
        sel = np.flatnonzero(cats == code)
        if len(sel) < max(min_events, 2):
            too_few[code] = len(sel)
            continue
        tables[code] = knox_test(
            x[sel], y[sel], t_days[sel], distance_bands_m=distance_bands_m,
            day_bands=day_bands, permutations=permutations, rng=rng,
        )  # fmt: skip
    tz = used["occurred_at"].dt.tz if len(used) else None
    return NearRepeatAnalysis(
        tables=tables,
        too_few=too_few,
        excluded_place=bad_place,
        excluded_time=bad_time,
        start=pd.Timestamp(int(t_ns.min()), tz="UTC").tz_convert(tz) if len(t_ns) else None,
        end=pd.Timestamp(int(t_ns.max()), tz="UTC").tz_convert(tz) if len(t_ns) else None,
    )


#: Columns of :func:`alert_zones` (besides ``geometry``).
ZONE_COLUMNS: tuple[str, ...] = (
    "category",
    "label_sv",
    "label_en",
    "occurred_at",
    "valid_until",
    "distance_m",
    "days",
    "knox_ratio",
    "p_value",
    "active",
)


def alert_zones(
    incidents: pd.DataFrame,
    analysis: NearRepeatAnalysis,
    *,
    since: pd.Timestamp | None = None,
    as_of: pd.Timestamp | None = None,
    alpha: float = DEFAULT_ALPHA,
    min_ratio: float = DEFAULT_MIN_RATIO,
) -> gpd.GeoDataFrame:
    """Zones of raised risk ("Förhöjd risk") around new incidents.

    For each category with a significant near-repeat extent, a circle of its distance around
    each of its incidents from ``since`` on, valid for its days after the incident.

    Parameters
    ----------
    incidents
        Incident frame or point incident frame in a projected metric CRS (only usable
        incidents of public categories make zones, as for the Knox test).
    analysis
        The Knox tables (:func:`knox_by_category`).
    since
        First time of the new incidents (tz-aware). Default: per category, ``as_of`` minus
        its days, i.e. the zones still in force at ``as_of``.
    as_of
        The time the zones are looked at (default: the last incident's time).
    alpha, min_ratio
        Significance of a Knox cell (:meth:`KnoxTable.near_repeat_extent`).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`ZONE_COLUMNS` and ``geometry`` (polygons in the incidents' CRS), the
        newest first; ``active`` = still in force at ``as_of``.
    """
    crs = frame_crs(incidents)
    extents = analysis.extents(alpha=alpha, min_ratio=min_ratio)
    rows, _, _ = _usable(incidents)
    used = incidents.iloc[rows]
    at = used["occurred_at"]
    if as_of is None:
        as_of = at.max() if len(used) else pd.Timestamp.now(tz="UTC")
    x, y = point_xy(used)
    cats = used["category"].astype("string").to_numpy(dtype=object)
    parts = []
    for code, extent in sorted(extents.items()):
        start = since if since is not None else as_of - pd.Timedelta(days=extent.days)
        sel = np.flatnonzero((cats == code) & np.asarray(at >= start) & np.asarray(at <= as_of))
        if not len(sel):
            continue
        when = at.iloc[sel].reset_index(drop=True)
        until = when + pd.Timedelta(days=extent.days)
        parts.append(
            pd.DataFrame(
                {
                    "category": code,
                    "label_sv": label(code, "sv"),
                    "label_en": label(code, "en"),
                    "occurred_at": when,
                    "valid_until": until,
                    "distance_m": extent.distance_m,
                    "days": extent.days,
                    "knox_ratio": round(extent.ratio, 4),
                    "p_value": extent.p_value,
                    "active": np.asarray(until >= as_of),
                    "geometry": shapely.buffer(shapely.points(x[sel], y[sel]), extent.distance_m),
                }
            )
        )
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ZONE_COLUMNS})
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sort_values(["occurred_at", "category"], ascending=[False, True], kind="stable")
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=crs)
