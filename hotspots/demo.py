"""Seeded generator of realistic synthetic Karlstad incidents and survey marks.

The data are made up. They follow a documented planted structure, returned as ``truth`` so
that tests and the other modules can check that an analysis recovers it. With the default
``years=2`` (counts scale with ``years``):

Crime clusters (``kind="crime"``; Gaussian around the centre, ``radius_m`` = 2 sigma):

- **Nightlife** (about 3,600): violence and intoxication (``assault_public``,
  ``intoxication``, ``threat_harassment``, ``disorder``, ``weapons``, ``robbery``) around each
  nightlife street and venue within 1.5 km of the main square, on Friday and Saturday nights
  22:00-04:00 (``weekdays`` are the weekdays of the evening; the night runs past midnight, so
  hours 0-3 fall on Saturday and Sunday), slightly more in summer and December.
- **Drugs** (about 1,800): ``drug_dealing`` and ``drug_use`` near the station, the bus
  terminals and the two parks nearest the main square, 14:00-24:00 every day.
- **Youth** (about 2,000): ``vandalism``, ``disorder``, ``unsafe_place`` and
  ``threat_harassment`` near the youth centres, 17:00-24:00 on weekdays, less in July; a third of
  the vandalism has an uncertain interval (``occurred_until`` up to 12 h later).
- **Motor** (about 900): ``motor_disorder`` at car parks and harbours on May-August evenings,
  19:00-02:00, mostly Friday and Saturday.
- **Drink-driving** (about 600): ``dui`` along motorways and main roads within 1.5 km of the
  built-up area, Friday and Saturday nights 22:00-06:00 (``kind="road"``: ``x``/``y`` is the
  middle of the sampled roads and ``radius_m`` the distance to a road centre line).

Background (not in ``truth``): about 9,000 incidents of every public category spread over the
districts in proportion to their population (``population`` column, else area), half uniform
in the district and half around its centre, mostly daytime and evening; about 2,200 daytime
incidents around the main square and shopping centres; about 600 incidents of the restricted
categories (``domestic_violence``, ``sexual_offence``; under 4 %) in residential districts,
evenings and weekends. About 4 % of the background and 30 % of the restricted rows have
``district`` precision (located at a point inside the district), about 10 % ``street``.

Survey marks (about 1,500): ``trygghetsundersokning`` and ``medborgardialog`` marks near the
crime clusters (high ``unsafe`` with matching reasons: ``alkohol``/``grupperingar`` at the
nightlife streets, ``narkotika`` at the hubs, ``skadegorelse`` at the youth centres,
``trafik`` at car parks and roads), low-``unsafe`` marks spread over the districts, and three
planted places where crime is low but fear is high (``kind="fear"``: a pedestrian underpass
under the motorway, a dark footpath and a waterside path; ``unsafe`` 4-5, reason
``belysning``), chosen at least 1.2 km from every crime cluster.

Every point lies on land (points in water or outside the municipality are resampled). Times
are Europe/Stockholm. The period is ``years`` x 52 whole ISO weeks ending with the last
complete ISO week before ``end``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots._errors import InputSchemaError, InsufficientDataError
from hotspots.geography import Geography
from hotspots.schema import INCIDENT_COLUMNS, SURVEY_COLUMNS, TIMEZONE

__all__ = ["DemoData", "PlantedCluster", "demo_period", "generate_demo"]

#: Minimum distance between a planted fear place and every crime cluster centre, metres.
FEAR_MIN_DISTANCE_M = 1200.0

_ALL_MONTHS = tuple(range(1, 13))
_ALL_DAYS = tuple(range(7))
_FRI_SAT = (4, 5)


@dataclass(frozen=True, slots=True)
class PlantedCluster:
    """One planted structure of the demo data.

    Attributes
    ----------
    name
        Swedish name of the place.
    kind
        ``"crime"`` (a point cluster), ``"road"`` (along roads) or ``"fear"`` (survey marks
        with high unsafety where crime is low).
    x, y
        Centre in metres in the geography's CRS.
    radius_m
        Radius in metres holding most (about 86 %) of the planted points.
    categories
        Taxonomy codes planted (empty for ``fear``).
    hours
        Hours of day (0-23) of the planted times.
    weekdays
        Weekdays (Monday = 0) of the evening the planted times belong to; for night windows
        the hours after midnight fall on the next day.
    months
        Months (1-12) with planted times.
    n
        Number of planted incidents (survey marks for ``fear``).
    """

    name: str
    kind: str
    x: float
    y: float
    radius_m: float
    categories: tuple[str, ...]
    hours: tuple[int, ...]
    weekdays: tuple[int, ...]
    months: tuple[int, ...]
    n: int


class DemoData(NamedTuple):
    """Result of :func:`generate_demo`: incident frame, survey frame and planted truth."""

    incidents: gpd.GeoDataFrame
    survey: gpd.GeoDataFrame
    truth: list[PlantedCluster]


@dataclass(frozen=True, slots=True)
class _Component:
    """A process that places incidents: where (centres), when (days, hours) and what."""

    name: str
    n: int
    categories: dict[str, float]
    hour_offsets: dict[int, float]  # hours after the base day's midnight (may exceed 23)
    weekday_weights: tuple[float, ...]  # Monday first
    month_weights: tuple[float, ...]  # January first
    sources: dict[str, float]


def demo_period(end: dt.date, *, years: int = 2) -> tuple[dt.date, dt.date]:
    """First day and the day after the last day of the demo data.

    The data end with the last complete ISO week before ``end`` and span ``years`` x 52 weeks.

    Returns
    -------
    tuple of date
        ``(start, stop)``: Mondays; ``stop`` is exclusive.
    """
    if years < 1:
        msg = f"years must be at least 1 (got {years})"
        raise InputSchemaError(msg)
    stop = end - dt.timedelta(days=end.weekday())
    start = stop - dt.timedelta(weeks=52 * years)
    return start, stop


def generate_demo(
    geography: Geography,
    *,
    seed: int = 2026,
    end: dt.date,
    years: int = 2,
) -> DemoData:
    """Generate the synthetic Karlstad incidents and survey marks.

    Parameters
    ----------
    geography
        Base layers (the demo geography, or official layers with the same place kinds).
    seed
        Seed of the random generator; the same seed gives the same data.
    end
        The data end with the last complete ISO week before this date (the CLI passes today).
    years
        Length in years of 52 ISO weeks.

    Returns
    -------
    DemoData
        ``incidents`` (incident frame, schema of :mod:`hotspots.schema`, ``import_id`` empty),
        ``survey`` (survey frame) and ``truth`` (the planted clusters).
    """
    rng = np.random.default_rng(seed)
    start, stop = demo_period(end, years=years)
    days = pd.date_range(start, stop - dt.timedelta(days=1), freq="D")
    scale = years / 2.0
    sampler = _Sampler(geography, rng)
    parts: list[pd.DataFrame] = []
    truth: list[PlantedCluster] = []

    centre = _main_square(geography)
    central_places = geography.places[geography.places.distance(shapely.Point(centre)) <= 1500.0]

    # --- nightlife ---------------------------------------------------------------------
    night = central_places[central_places["kind"].isin(["nightlife_street", "venue"])]
    comp = _Component(
        "nightlife",
        round(3600 * scale),
        {
            "assault_public": 0.38,
            "intoxication": 0.30,
            "threat_harassment": 0.14,
            "disorder": 0.12,
            "weapons": 0.03,
            "robbery": 0.03,
        },
        {22: 0.10, 23: 0.16, 24: 0.22, 25: 0.22, 26: 0.18, 27: 0.12},
        (0, 0, 0, 0, 1, 1, 0),
        (0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.2, 1.15, 1.0, 0.95, 0.95, 1.15),
        {"polis": 0.85, "vaktare": 0.15},
    )
    parts.append(_clusters(sampler, comp, night, sigma_m=60.0, days=days, stop=stop, truth=truth))

    # --- drugs near hubs and parks -----------------------------------------------------------
    hubs = geography.places_of("station", "bus_terminal")
    parks = geography.places_of("park")
    drug_parks = parks.iloc[
        np.argsort(parks.distance(shapely.Point(centre)).to_numpy(), kind="stable")
    ]
    drug_parks = drug_parks.iloc[:2]  # the two parks nearest the main square
    drug_places = gpd.GeoDataFrame(pd.concat([hubs, drug_parks]), crs=geography.crs)
    comp = _Component(
        "drugs",
        round(1800 * scale),
        {"drug_dealing": 0.6, "drug_use": 0.4},
        _hours(14, (1, 1, 1.2, 1.4, 1.6, 1.8, 1.8, 1.6, 1.3, 1.0)),
        (1, 1, 1, 1, 1.2, 1.2, 0.9),
        (0.85, 0.85, 0.9, 1.0, 1.1, 1.15, 1.1, 1.1, 1.05, 1.0, 0.95, 0.9),
        {"polis": 0.8, "kollektivtrafik": 0.1, "vaktare": 0.1},
    )
    parts.append(
        _clusters(sampler, comp, drug_places, sigma_m=70.0, days=days, stop=stop, truth=truth)
    )

    # --- youth hangouts --------------------------------------------------------------------
    youth = geography.places_of("youth_centre")
    comp = _Component(
        "youth",
        round(2000 * scale),
        {"vandalism": 0.5, "disorder": 0.3, "unsafe_place": 0.08, "threat_harassment": 0.12},
        _hours(17, (0.6, 1.0, 1.4, 1.6, 1.5, 1.1, 0.7)),
        (1, 1, 1, 1, 1.2, 0, 0),
        (1.0, 1.0, 1.0, 1.0, 1.1, 0.9, 0.4, 0.7, 1.1, 1.1, 1.1, 1.0),
        {"polis": 0.4, "kommun": 0.35, "bostadsbolag": 0.25},
    )
    parts.append(_clusters(sampler, comp, youth, sigma_m=80.0, days=days, stop=stop, truth=truth))

    # --- motor disorder at car parks and harbours in summer ------------------------------
    car_parks = geography.places_of("car_park", "harbour")
    comp = _Component(
        "motor",
        round(900 * scale),
        {"motor_disorder": 0.9, "disorder": 0.1},
        {19: 0.6, 20: 1.0, 21: 1.4, 22: 1.6, 23: 1.4, 24: 1.0, 25: 0.6},
        (0.6, 0.6, 0.6, 0.8, 1.6, 1.6, 0.8),
        (0, 0, 0, 0, 0.7, 1.0, 1.2, 1.0, 0, 0, 0, 0),
        {"polis": 0.7, "allmanhet": 0.2, "kommun": 0.1},
    )
    parts.append(
        _clusters(sampler, comp, car_parks, sigma_m=50.0, days=days, stop=stop, truth=truth)
    )

    # --- drink-driving along main roads --------------------------------------------------------
    parts.append(_dui(sampler, round(600 * scale), days=days, stop=stop, truth=truth))

    # --- background everywhere people live, and daytime centre -------------------------------
    parts.append(_background(sampler, round(9000 * scale), days=days, stop=stop))
    parts.append(_centre_day(sampler, round(2200 * scale), central_places, days=days, stop=stop))
    parts.append(_restricted(sampler, round(600 * scale), days=days, stop=stop))

    incidents = _incident_frame(pd.concat(parts, ignore_index=True), geography, rng, seed)
    survey, fear = _survey(sampler, truth, scale=scale, start=start, stop=stop, seed=seed)
    truth.extend(fear)
    return DemoData(incidents, survey, truth)


# ------------------------------------------------------------------------------------------
# Space
# ------------------------------------------------------------------------------------------
class _Sampler:
    """Draws points on land: around centres, inside districts, along roads."""

    def __init__(self, geography: Geography, rng: np.random.Generator) -> None:
        self.geo = geography
        self.rng = rng
        self.land = geography.land
        shapely.prepare(self.land)
        self.urban = geography.urban
        if self.urban.is_empty:
            msg = "the geography's districts do not overlap its land; cannot place demo data"
            raise InsufficientDataError(msg)

    def on_land(self, xy: np.ndarray) -> np.ndarray:
        return np.asarray(shapely.contains_xy(self.land, xy[:, 0], xy[:, 1]))

    def near(self, centres: np.ndarray, weights: np.ndarray, sigma_m: float, n: int) -> tuple:
        """``n`` points Gaussian around ``centres`` (chosen by ``weights``), on land."""
        out_xy = np.empty((0, 2))
        out_idx = np.empty(0, dtype=int)
        p = weights / weights.sum()
        for _ in range(200):
            need = n - len(out_xy)
            if need <= 0:
                break
            m = int(need * 1.5) + 16
            idx = self.rng.choice(len(centres), size=m, p=p)
            xy = centres[idx] + self.rng.normal(0.0, sigma_m, size=(m, 2))
            ok = self.on_land(xy)
            out_xy = np.vstack([out_xy, xy[ok]])
            out_idx = np.concatenate([out_idx, idx[ok]])
        if len(out_xy) < n:
            msg = "could not place demo points on land near the given places"
            raise InsufficientDataError(msg)
        return out_xy[:n], out_idx[:n]

    def in_polygon(self, poly: BaseGeometry, n: int) -> np.ndarray:
        """``n`` points uniform in ``poly`` ∩ land."""
        area = poly.intersection(self.land)
        if area.is_empty or n == 0:
            return np.empty((0, 2))
        shapely.prepare(area)
        x0, y0, x1, y1 = area.bounds
        out = np.empty((0, 2))
        for _ in range(500):
            need = n - len(out)
            if need <= 0:
                break
            m = max(64, int(need * (x1 - x0) * (y1 - y0) / max(area.area, 1.0) * 1.3))
            xy = np.column_stack(
                [self.rng.uniform(x0, x1, size=m), self.rng.uniform(y0, y1, size=m)]
            )
            out = np.vstack([out, xy[shapely.contains_xy(area, xy[:, 0], xy[:, 1])]])
        return out[:n]

    def districts(self) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        """Districts on land and their population weights (area when population unknown)."""
        d = self.geo.districts
        if "population" in d.columns:
            pop = pd.to_numeric(d["population"], errors="coerce").to_numpy(dtype=float)
        else:
            pop = np.full(len(d), np.nan)
        if np.isnan(pop).all():
            pop = d.geometry.area.to_numpy() / 1e6
        pop = np.where(np.isnan(pop), np.nanmedian(pop), pop)
        return d, np.clip(pop, 0.0, None)

    def in_districts(self, n: int, *, concentrated: float = 0.5) -> tuple:
        """``n`` points over the districts by population; some around each district centre."""
        d, weights = self.districts()
        counts = self.rng.multinomial(n, weights / weights.sum())
        xy_parts = []
        names: list[str] = []
        for (_, row), k in zip(d.iterrows(), counts, strict=True):
            if k == 0:
                continue
            k_conc = int(self.rng.binomial(k, concentrated))
            pts = [self.in_polygon(row.geometry, k - k_conc)]
            if k_conc:
                core = row.geometry.intersection(self.land)
                c = np.array(core.representative_point().coords[0])[None, :]
                sigma = max(150.0, np.sqrt(core.area) / 4.0)
                near, _ = self.near(c, np.ones(1), sigma, k_conc * 3)
                inside = shapely.contains_xy(row.geometry, near[:, 0], near[:, 1])
                near = near[inside][:k_conc]
                if len(near) < k_conc:
                    near = np.vstack([near, self.in_polygon(row.geometry, k_conc - len(near))])
                pts.append(near)
            block = np.vstack(pts)
            xy_parts.append(block)
            names.extend([str(row["name"])] * len(block))
        return np.vstack(xy_parts), np.array(names, dtype=object)

    def along(self, lines: list[BaseGeometry], n: int, jitter_m: float) -> np.ndarray:
        """``n`` points uniformly along ``lines`` (by length), jittered, on land."""
        lengths = np.array([ln.length for ln in lines])
        out = np.empty((0, 2))
        for _ in range(200):
            need = n - len(out)
            if need <= 0:
                break
            m = int(need * 1.3) + 16
            which = self.rng.choice(len(lines), size=m, p=lengths / lengths.sum())
            frac = self.rng.uniform(0.0, 1.0, size=m)
            pts = shapely.line_interpolate_point(
                np.asarray(lines, dtype=object)[which], frac, normalized=True
            )
            xy = shapely.get_coordinates(pts) + self.rng.normal(0.0, jitter_m, size=(m, 2))
            out = np.vstack([out, xy[self.on_land(xy)]])
        if len(out) < n:
            msg = "could not place demo points on land along the roads"
            raise InsufficientDataError(msg)
        return out[:n]


def _main_square(geo: Geography) -> tuple[float, float]:
    squares = geo.places_of("square")
    pts = squares if len(squares) else geo.places
    if len(pts) == 0:
        c = geo.urban.representative_point()
        return (c.x, c.y)
    p = pts.geometry.iloc[0]
    return (p.x, p.y)


# ------------------------------------------------------------------------------------------
# Time
# ------------------------------------------------------------------------------------------
def _times(
    rng: np.random.Generator, comp: _Component, days: pd.DatetimeIndex, stop: dt.date, n: int
) -> pd.DatetimeIndex:
    """``n`` local times: base day by month x weekday weights, then an hour offset."""
    w = (
        np.asarray(comp.month_weights)[days.month - 1]
        * np.asarray(comp.weekday_weights)[days.weekday]
    )
    if w.sum() <= 0:
        msg = f"demo component {comp.name} has no day with a positive weight"
        raise InsufficientDataError(msg)
    base = days[rng.choice(len(days), size=n, p=w / w.sum())]
    offsets = np.array(list(comp.hour_offsets), dtype=int)
    ow = np.array(list(comp.hour_offsets.values()), dtype=float)
    hours = offsets[rng.choice(len(offsets), size=n, p=ow / ow.sum())]
    minutes = rng.integers(0, 60, size=n)
    naive = base + pd.to_timedelta(hours * 60 + minutes, unit="min")
    # nights that would run past the end of the period move one week back
    late = naive >= pd.Timestamp(stop)
    naive = naive.where(~late, naive - pd.Timedelta(days=7))
    return naive.tz_localize(
        TIMEZONE, ambiguous=np.zeros(n, dtype=bool), nonexistent="shift_forward"
    )


def _hours(first: int, weights: tuple[float, ...]) -> dict[int, float]:
    """Hour offsets ``first, first + 1, ...`` with ``weights`` (offsets may exceed 23)."""
    return {first + i: float(w) for i, w in enumerate(weights)}


def _pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(table), dtype=object)
    p = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


# ------------------------------------------------------------------------------------------
# Components
# ------------------------------------------------------------------------------------------
def _clusters(
    sampler: _Sampler,
    comp: _Component,
    places: gpd.GeoDataFrame,
    *,
    sigma_m: float,
    days: pd.DatetimeIndex,
    stop: dt.date,
    truth: list[PlantedCluster],
) -> pd.DataFrame:
    if len(places) == 0 or comp.n == 0:
        return pd.DataFrame()
    rng = sampler.rng
    centres = shapely.get_coordinates(places.geometry.to_numpy())
    weights = np.ones(len(centres))
    xy, idx = sampler.near(centres, weights, sigma_m, comp.n)
    names = places["name"].to_numpy()
    hours = tuple(sorted({h % 24 for h in comp.hour_offsets}))
    weekdays = tuple(i for i, w in enumerate(comp.weekday_weights) if w > 0)
    months = tuple(i + 1 for i, w in enumerate(comp.month_weights) if w > 0)
    for i, (cx, cy) in enumerate(centres):
        truth.append(
            PlantedCluster(
                name=str(names[i]),
                kind="crime",
                x=float(cx),
                y=float(cy),
                radius_m=2.0 * sigma_m,
                categories=tuple(comp.categories),
                hours=hours,
                weekdays=weekdays,
                months=months,
                n=int((idx == i).sum()),
            )
        )
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": _times(rng, comp, days, stop, comp.n),
            "category": _pick(rng, comp.categories, comp.n),
            "source": _pick(rng, comp.sources, comp.n),
            "place": names[idx],
            "component": comp.name,
        }
    )


def _dui(
    sampler: _Sampler, n: int, *, days: pd.DatetimeIndex, stop: dt.date, truth: list
) -> pd.DataFrame:
    roads = sampler.geo.roads
    main = roads[roads["kind"].isin(["motorway", "primary", "secondary"])]
    near_city = sampler.urban.buffer(1500.0)
    lines = [g.intersection(near_city) for g in main.geometry]
    keep = [i for i, g in enumerate(lines) if not g.is_empty and g.length > 0]
    if not keep or n == 0:
        return pd.DataFrame()
    parts = []
    for i in keep:
        g = lines[i]
        parts.extend(list(g.geoms) if hasattr(g, "geoms") else [g])
    parts = [p for p in parts if p.length > 0]
    xy = sampler.along(parts, n, jitter_m=8.0)
    comp = _Component(
        "dui",
        n,
        {"dui": 1.0},
        _hours(22, (0.8, 1.2, 1.4, 1.4, 1.2, 0.9, 0.6, 0.4)),
        (0, 0, 0, 0, 1, 1, 0),
        (1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 1.0, 1.0, 1.2),
        {"polis": 1.0},
    )
    union = shapely.union_all(parts)
    c = union.centroid
    ref_names = main.iloc[keep]["ref"].astype(str)
    truth.append(
        PlantedCluster(
            name="Rattfylleri på huvudvägar ("
            + ", ".join(sorted({r for r in ref_names if r}))
            + ")",
            kind="road",
            x=float(c.x),
            y=float(c.y),
            radius_m=30.0,
            categories=("dui",),
            hours=tuple(sorted({h % 24 for h in comp.hour_offsets})),
            weekdays=_FRI_SAT,
            months=_ALL_MONTHS,
            n=n,
        )
    )
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": _times(sampler.rng, comp, days, stop, n),
            "category": "dui",
            "source": "polis",
            "place": _road_names(main.iloc[keep], xy),
            "component": "dui",
        }
    )


def _road_names(roads: gpd.GeoDataFrame, xy: np.ndarray) -> np.ndarray:
    tree = shapely.STRtree(roads.geometry.to_numpy())
    idx = tree.nearest(shapely.points(xy))
    refs = roads["ref"].astype(str).to_numpy()
    names = roads["name"].astype(str).to_numpy()
    label = np.where(refs != "", np.char.add("väg ", refs.astype(str)), names)
    return label[idx]


_BACKGROUND = _Component(
    "background",
    0,
    {
        "vandalism": 0.20,
        "threat_harassment": 0.16,
        "disorder": 0.14,
        "other": 0.14,
        "assault_public": 0.08,
        "drug_use": 0.09,
        "intoxication": 0.05,
        "unsafe_place": 0.04,
        "robbery": 0.02,
        "weapons": 0.02,
        "motor_disorder": 0.03,
        "drug_dealing": 0.02,
        "dui": 0.01,
    },
    {
        **{h: 0.3 for h in range(2)},
        **{h: 0.15 for h in range(2, 6)},
        **_hours(6, tuple(np.linspace(0.5, 1.4, 18))),
    },
    (1.0, 1.0, 1.0, 1.0, 1.15, 1.2, 1.0),
    (0.85, 0.85, 0.9, 0.95, 1.05, 1.15, 1.15, 1.1, 1.05, 1.0, 0.95, 0.95),
    {"polis": 0.65, "kommun": 0.12, "bostadsbolag": 0.12, "allmanhet": 0.11},
)


def _background(
    sampler: _Sampler, n: int, *, days: pd.DatetimeIndex, stop: dt.date
) -> pd.DataFrame:
    rng = sampler.rng
    xy, names = sampler.in_districts(n)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": _times(rng, _BACKGROUND, days, stop, len(xy)),
            "category": _pick(rng, _BACKGROUND.categories, len(xy)),
            "source": _pick(rng, _BACKGROUND.sources, len(xy)),
            "place": names,
            "component": "background",
        }
    )


def _centre_day(
    sampler: _Sampler,
    n: int,
    central: gpd.GeoDataFrame,
    *,
    days: pd.DatetimeIndex,
    stop: dt.date,
) -> pd.DataFrame:
    rng = sampler.rng
    spots = central[central["kind"].isin(["square", "shopping_centre", "station"])]
    if len(spots) == 0 or n == 0:
        return pd.DataFrame()
    comp = _Component(
        "centre_day",
        n,
        {
            "other": 0.35,
            "threat_harassment": 0.2,
            "disorder": 0.2,
            "robbery": 0.05,
            "drug_use": 0.1,
            "vandalism": 0.1,
        },
        _hours(9, (0.5, 0.9, 1.1, 1.3, 1.3, 1.3, 1.4, 1.5, 1.3, 1.0, 0.7, 0.5)),
        (1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 0.7),
        (0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.05, 1.0, 1.0, 1.0, 1.2),
        {"polis": 0.6, "vaktare": 0.3, "allmanhet": 0.1},
    )
    centres = shapely.get_coordinates(spots.geometry.to_numpy())
    xy, idx = sampler.near(centres, np.ones(len(centres)), 180.0, n)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": _times(rng, comp, days, stop, n),
            "category": _pick(rng, comp.categories, n),
            "source": _pick(rng, comp.sources, n),
            "place": spots["name"].to_numpy()[idx],
            "component": "centre_day",
        }
    )


def _restricted(
    sampler: _Sampler, n: int, *, days: pd.DatetimeIndex, stop: dt.date
) -> pd.DataFrame:
    rng = sampler.rng
    comp = _Component(
        "restricted",
        n,
        {"domestic_violence": 0.75, "sexual_offence": 0.25},
        _hours(16, (0.5, 0.7, 0.9, 1.1, 1.3, 1.4, 1.4, 1.2, 1.0, 0.8, 0.5)),
        (0.9, 0.9, 0.9, 0.9, 1.1, 1.4, 1.3),
        (1.0, 0.95, 0.95, 0.95, 1.0, 1.05, 1.15, 1.05, 1.0, 1.0, 1.0, 1.2),
        {"polis": 1.0},
    )
    xy, names = sampler.in_districts(n, concentrated=0.3)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": _times(rng, comp, days, stop, len(xy)),
            "category": _pick(rng, comp.categories, len(xy)),
            "source": "polis",
            "place": names,
            "component": "restricted",
        }
    )


# ------------------------------------------------------------------------------------------
# Frames
# ------------------------------------------------------------------------------------------
_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "assault_public": (
        "Misshandel utanför krog, {plats}",
        "Bråk mellan flera personer, en skadad, {plats}",
        "Person slagen i ansiktet vid {plats}",
    ),
    "robbery": ("Personrån, mobiltelefon tagen, {plats}", "Rån mot person vid {plats}"),
    "threat_harassment": (
        "Olaga hot mot ordningsvakt, {plats}",
        "Ofredande av förbipasserande, {plats}",
        "Hotfull person, {plats}",
    ),
    "weapons": ("Person med kniv, brott mot knivlagen, {plats}",),
    "disorder": (
        "Ordningsstörning, högljudda personer, {plats}",
        "Störande grupp, {plats}",
    ),
    "vandalism": (
        "Klotter på fasad, {plats}",
        "Krossad busskur, {plats}",
        "Skadegörelse på parkbänkar och papperskorgar, {plats}",
    ),
    "motor_disorder": (
        "Bilar som spinner och kör i hög fart, {plats}",
        "Motorburen störning, samling av fordon, {plats}",
        "Mopeder som kör på gångvägar, {plats}",
    ),
    "unsafe_place": ("Rapport om otrygg plats, {plats}",),
    "drug_use": ("Narkotika, eget bruk, {plats}", "Innehav av narkotika, {plats}"),
    "drug_dealing": (
        "Misstänkt narkotikaförsäljning, {plats}",
        "Överlåtelse av narkotika iakttagen, {plats}",
    ),
    "dui": ("Rattfylleri, förare stoppad på {plats}", "Drograttfylleri, {plats}"),
    "intoxication": (
        "Berusad person omhändertagen (LOB), {plats}",
        "Förtäring av alkohol på allmän plats, {plats}",
    ),
    "domestic_violence": ("Våld i nära relation",),
    "sexual_offence": ("Sexualbrott",),
    "other": ("Övrigt ärende, {plats}", "Stöld, {plats}", "Upphittat gods, {plats}"),
}


def _incident_frame(
    raw: pd.DataFrame, geo: Geography, rng: np.random.Generator, seed: int
) -> gpd.GeoDataFrame:
    n = len(raw)
    order = np.argsort(raw["occurred_at"].to_numpy(), kind="stable")
    raw = raw.iloc[order].reset_index(drop=True)

    # precision: some background rows are only known to the district or the street
    u = rng.uniform(size=n)
    comp = raw["component"].to_numpy()
    precision = np.full(n, "exact", dtype=object)
    precision[u < 0.35] = "address"
    bg = comp == "background"
    precision[bg & (u < 0.10)] = "street"
    precision[bg & (u < 0.04)] = "district"
    restricted = comp == "restricted"
    precision[restricted] = "address"
    precision[restricted & (u < 0.30)] = "district"
    x = raw["x"].to_numpy().copy()
    y = raw["y"].to_numpy().copy()
    district_rows = np.flatnonzero(precision == "district")
    if district_rows.size:
        points = _district_points(geo)
        for i in district_rows:
            px, py = points.get(str(raw.at[i, "place"]), (x[i], y[i]))
            x[i], y[i] = px, py

    # vandalism found later: a third gets an uncertain interval of up to 12 hours
    until = pd.Series(pd.NaT, index=raw.index, dtype=f"datetime64[ns, {TIMEZONE}]")
    vand = (raw["category"].to_numpy() == "vandalism") & (rng.uniform(size=n) < 1 / 3)
    spans = pd.to_timedelta(rng.integers(2, 13, size=n), unit="h")
    until[vand] = raw["occurred_at"][vand] + spans[vand]

    categories = raw["category"].astype(str).to_numpy()
    # "Västra Torggatan (krogstråk)" -> "Västra Torggatan" in the free text
    places = raw["place"].astype(str).str.replace(r"\s*\(.*\)$", "", regex=True).to_numpy()
    pick = rng.uniform(size=n)
    descriptions = np.empty(n, dtype=object)
    for i in range(n):
        options = _DESCRIPTIONS[categories[i]]
        text = options[int(pick[i] * len(options))]
        descriptions[i] = text.format(plats=places[i]) if "{plats}" in text else text

    frame = pd.DataFrame(
        {
            "id": [f"demo-{seed}-{i:06d}" for i in range(n)],
            "occurred_at": raw["occurred_at"],
            "occurred_until": until,
            "time_precision": "exact",
            "category": categories,
            "source_category": categories,
            "precision": precision,
            "source": raw["source"].astype(str).to_numpy(),
            "description": descriptions,
            "import_id": "",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=geo.crs)


def _district_points(geo: Geography) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for name, g in zip(geo.districts["name"], geo.districts.geometry, strict=True):
        core = g.intersection(geo.land)
        if not core.is_empty:
            p = core.representative_point()
            out[str(name)] = (p.x, p.y)
    return out


# ------------------------------------------------------------------------------------------
# Survey
# ------------------------------------------------------------------------------------------
_REASONS: dict[str, dict[str, float]] = {
    "nightlife": {"alkohol": 0.5, "grupperingar": 0.35, "annat": 0.15},
    "drugs": {"narkotika": 0.6, "grupperingar": 0.3, "belysning": 0.1},
    "youth": {"grupperingar": 0.5, "skadegorelse": 0.4, "annat": 0.1},
    "motor": {"trafik": 0.8, "grupperingar": 0.2},
    "road": {"trafik": 1.0},
    "background": {"belysning": 0.3, "annat": 0.3, "trafik": 0.2, "skadegorelse": 0.2},
    "fear": {"belysning": 0.8, "annat": 0.2},
}
_TIME_OF_DAY: dict[str, dict[str, float]] = {
    "nightlife": {"natt": 0.8, "kvall": 0.2},
    "drugs": {"kvall": 0.6, "dag": 0.4},
    "youth": {"kvall": 0.8, "dag": 0.2},
    "motor": {"kvall": 0.7, "natt": 0.3},
    "road": {"natt": 0.5, "kvall": 0.5},
    "background": {"dag": 0.4, "kvall": 0.4, "natt": 0.2},
    "fear": {"kvall": 0.6, "natt": 0.4},
}
#: component -> (share of the survey marks, probabilities of unsafe = 1..5)
_SURVEY_MIX: dict[str, tuple[float, tuple[float, ...]]] = {
    "nightlife": (0.16, (0.05, 0.1, 0.25, 0.35, 0.25)),
    "drugs": (0.12, (0.05, 0.1, 0.25, 0.35, 0.25)),
    "youth": (0.10, (0.1, 0.2, 0.35, 0.25, 0.1)),
    "motor": (0.06, (0.1, 0.2, 0.4, 0.2, 0.1)),
    "background": (0.44, (0.35, 0.35, 0.2, 0.07, 0.03)),
}
_FEAR_UNSAFE = (0.0, 0.0, 0.05, 0.35, 0.6)


def _survey(
    sampler: _Sampler,
    truth: list[PlantedCluster],
    *,
    scale: float,
    start: dt.date,
    stop: dt.date,
    seed: int,
) -> tuple[gpd.GeoDataFrame, list[PlantedCluster]]:
    rng = sampler.rng
    total = round(1500 * scale)
    crime = [c for c in truth if c.kind == "crime"]
    by_group = {
        "nightlife": [c for c in crime if "assault_public" in c.categories],
        "drugs": [c for c in crime if "drug_dealing" in c.categories],
        "youth": [c for c in crime if "vandalism" in c.categories],
        "motor": [c for c in crime if "motor_disorder" in c.categories],
    }
    rows: list[pd.DataFrame] = []
    for group, (share, unsafe_p) in _SURVEY_MIX.items():
        k = round(total * share)
        if group == "background":
            xy, _ = sampler.in_districts(k, concentrated=0.3)
        else:
            clusters = by_group[group]
            if not clusters:
                continue
            centres = np.array([(c.x, c.y) for c in clusters])
            xy, _ = sampler.near(centres, np.ones(len(centres)), 90.0, k)
        rows.append(_survey_rows(rng, xy, group, unsafe_p))

    fear = _fear_places(sampler, crime)
    n_fear = round(total * 0.12)
    per = np.full(len(fear), n_fear // max(len(fear), 1))
    out_fear: list[PlantedCluster] = []
    for (name, fx, fy), k in zip(fear, per, strict=True):
        xy, _ = sampler.near(np.array([[fx, fy]]), np.ones(1), 35.0, int(k))
        rows.append(_survey_rows(rng, xy, "fear", _FEAR_UNSAFE))
        out_fear.append(
            PlantedCluster(
                name=name,
                kind="fear",
                x=fx,
                y=fy,
                radius_m=70.0,
                categories=(),
                hours=tuple(range(18, 24)) + tuple(range(4)),
                weekdays=_ALL_DAYS,
                months=_ALL_MONTHS,
                n=int(k),
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    n = len(frame)
    ndays = (stop - start).days
    dates = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, ndays, size=n), unit="D")
    frame["date"] = dates
    frame["source"] = np.where(
        frame["group"].to_numpy() == "fear",
        _pick(rng, {"medborgardialog": 0.6, "trygghetsundersokning": 0.4}, n),
        _pick(rng, {"trygghetsundersokning": 0.7, "medborgardialog": 0.3}, n),
    )
    frame["id"] = [f"demo-{seed}-s{i:05d}" for i in range(n)]
    frame["import_id"] = ""
    out = pd.DataFrame({col: frame[col] for col in SURVEY_COLUMNS})
    for col, dtype in SURVEY_COLUMNS.items():
        out[col] = out[col].astype(dtype)
    geom = gpd.points_from_xy(frame["x"], frame["y"])
    return gpd.GeoDataFrame(out, geometry=geom, crs=sampler.geo.crs), out_fear


def _survey_rows(
    rng: np.random.Generator, xy: np.ndarray, group: str, unsafe_p: tuple[float, ...]
) -> pd.DataFrame:
    n = len(xy)
    reasons = _REASONS[group]
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "unsafe": rng.choice(np.arange(1, 6), size=n, p=np.asarray(unsafe_p)),
            "time_of_day": _pick(rng, _TIME_OF_DAY[group], n),
            "reason": _pick(rng, reasons, n),
            "group": group,
        }
    )


def _fear_places(sampler: _Sampler, crime: list[PlantedCluster]) -> list[tuple[str, float, float]]:
    """Up to three places with high fear and little crime, far from every crime cluster."""
    geo = sampler.geo
    centres = np.array([(c.x, c.y) for c in crime]) if crime else np.empty((0, 2))
    urban = sampler.urban
    shapely.prepare(urban)
    populated = _district_points(geo)
    homes = np.array(list(populated.values())) if populated else np.empty((0, 2))

    def score(xy: np.ndarray) -> np.ndarray:
        far = (
            np.min(np.hypot(*(xy[:, None, :] - centres[None, :, :]).transpose(2, 0, 1)), axis=1)
            if len(centres)
            else np.full(len(xy), np.inf)
        )
        near_home = (
            np.min(np.hypot(*(xy[:, None, :] - homes[None, :, :]).transpose(2, 0, 1)), axis=1)
            if len(homes)
            else np.zeros(len(xy))
        )
        ok = shapely.contains_xy(urban, xy[:, 0], xy[:, 1]) & sampler.on_land(xy)
        ok &= far >= FEAR_MIN_DISTANCE_M
        # prefer places near where people live, far enough from the crime clusters
        return np.where(ok, -near_home, -np.inf)

    out: list[tuple[str, float, float]] = []
    candidates: list[tuple[str, np.ndarray]] = []
    motorways = geo.roads[geo.roads["kind"] == "motorway"]
    if len(motorways):
        lines = shapely.union_all(motorways.geometry.to_numpy()).intersection(urban)
        if not lines.is_empty:
            pts = shapely.line_interpolate_point(lines, np.linspace(0, 1, 400), normalized=True)
            # the underpass is beside the road, where a path passes under it
            candidates.append(
                (
                    "Gångtunnel under motorvägen",
                    shapely.get_coordinates(pts) + np.array([0.0, -25.0]),
                )
            )
    # a dark path: a park, else land at least 150 m from every road (a path through green)
    parks = shapely.get_coordinates(geo.places_of("park").geometry.to_numpy())
    x0, y0, x1, y1 = urban.bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, 100.0), np.arange(y0, y1, 100.0))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    if len(geo.roads):
        roads = shapely.union_all(geo.roads.geometry.to_numpy())
        grid = grid[shapely.distance(roads, shapely.points(grid)) >= 150.0]
    paths = parks if np.isfinite(score(parks)).any() else grid
    candidates.append(("Mörk gångstig", paths))
    banks = geo.water.boundary.intersection(urban)
    if not banks.is_empty:
        pts = shapely.line_interpolate_point(
            shapely.line_merge(banks) if banks.geom_type == "MultiLineString" else banks,
            np.linspace(0, 1, 400),
            normalized=True,
        )
        xy = shapely.get_coordinates(pts)
        candidates.append(("Gångväg längs vattnet", xy + _inland(sampler, xy)))
    for label, xy in candidates:
        if len(xy) == 0:
            continue
        s = score(xy)
        if np.isfinite(s).any():
            i = int(np.argmax(s))
            nearest = _district_label(geo, xy[i])
            out.append(
                (f"{label}, {nearest}" if nearest else label, float(xy[i, 0]), float(xy[i, 1]))
            )
            centres = np.vstack([centres, xy[i : i + 1]]) if len(centres) else xy[i : i + 1]
    return out


def _inland(sampler: _Sampler, xy: np.ndarray) -> np.ndarray:
    """Offsets of 30 m that move shore points onto land."""
    out = np.zeros_like(xy)
    for dx, dy in ((30, 0), (-30, 0), (0, 30), (0, -30)):
        moved = xy + np.array([dx, dy])
        fix = (out == 0).all(axis=1) & sampler.on_land(moved)
        out[fix] = [dx, dy]
    return out


def _district_label(geo: Geography, xy: np.ndarray) -> str:
    name = geo.district_of(gpd.GeoSeries(gpd.points_from_xy([xy[0]], [xy[1]]), crs=geo.crs))
    return "" if pd.isna(name.iloc[0]) else str(name.iloc[0])
