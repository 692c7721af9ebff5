"""Zones of raised risk ("Förhöjd risk") as a privacy profile may see them, for the maps.

:func:`risk_zone_layer` is the gate for the near-repeat zones
(:class:`hotspots.engine.risk_zones.RecentZones`), as :func:`hotspots.render.privacy.
apply_privacy` is for the analysis; :func:`with_risk_zones` puts its answer on a
:class:`~hotspots.render.privacy.MapContent` (``extra["risk_zones"]``) under the content's own
profile, so every map, HTML snapshot and static map draws the same, already safe, layer.

``internal``
    Each zone as its circle (the Knox distance around a recent incident), with its category,
    the incident's date and the date it is in force until. Internal maps show the incident
    points anyway.
``public``
    As the lägesbild's public section (:mod:`hotspots.est.lagesbild_nearrepeat`): the zones
    only as counts per area, no circle, no incident time. An area is a district of the
    geography (by the zone's centre), else a square of :data:`PUBLIC_CELL_M` metres; an area
    is drawn only when at least :data:`~hotspots.render.privacy.SUPPRESS_BELOW` zones lie in
    it, and a category's count under that is shown as suppressed (``None``). So no single
    incident can be located from the layer.

Restricted categories never reach the layer (the Knox test never tests them; any that came
in are dropped here too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.core.config import TIMEZONE
from hotspots.core.taxonomy import is_restricted, restricted_mask
from hotspots.render.privacy import SUPPRESS_BELOW, MapContent, check_profile

if TYPE_CHECKING:
    from hotspots.engine.risk_zones import RecentZones

__all__ = [
    "AREA_COLUMNS",
    "PUBLIC_CELL_M",
    "RISK_COLOUR",
    "RISK_KEY",
    "ZONE_COLUMNS",
    "RiskZoneLayer",
    "risk_zone_layer",
    "risk_zones_of",
    "with_risk_zones",
]

#: Colour of the zones of raised risk on every map (outline and fill).
RISK_COLOUR = "#00838f"
#: Key of the layer in :attr:`MapContent.extra`.
RISK_KEY = "risk_zones"
#: Side of the squares that hold the public counts outside every district, metres.
PUBLIC_CELL_M = 1000.0
#: Columns of an internal layer (besides ``geometry``: the zone's circle).
ZONE_COLUMNS: tuple[str, ...] = (
    "category",
    "occurred",
    "valid_until",
    "distance_m",
    "days",
    "knox_ratio",
)
#: Columns of a public layer (besides ``geometry``: a district or a square).
AREA_COLUMNS: tuple[str, ...] = ("area", "zones", "by_category")


@dataclass(frozen=True, eq=False)
class RiskZoneLayer:
    """The zones of raised risk that a map may draw, privacy applied.

    Attributes
    ----------
    profile
        ``"internal"`` or ``"public"``.
    areas
        Internal: one circle per zone (:data:`ZONE_COLUMNS`, dates local); public: one
        district or square per area holding at least five zones (:data:`AREA_COLUMNS`;
        ``by_category`` is a tuple of ``(code, count)`` with counts under five ``None``).
        In the metric CRS of the incidents.
    extents
        ``(code, distance_m, days, knox_ratio)`` of each category with a significant
        near-repeat extent (category figures of the Knox test, no incident in them).
    as_of
        The local date the zones are looked at, or ``None``.
    n_zones
        Zones in force in all (public: ``None`` when under five).
    """

    profile: Literal["internal", "public"]
    areas: gpd.GeoDataFrame
    extents: tuple[tuple[str, float, float, float], ...]
    as_of: dt.date | None
    n_zones: int | None


def _local_date(value: Any) -> dt.date:
    return pd.Timestamp(value).tz_convert(TIMEZONE).date()


def risk_zone_layer(
    zones: RecentZones, *, profile: str, geography: Any | None = None
) -> RiskZoneLayer:
    """The zones as ``profile`` may see them (see the module docstring).

    Parameters
    ----------
    zones
        From :func:`hotspots.engine.risk_zones.recent_zones`.
    profile
        ``"internal"``, ``"planning"`` (as internal) or ``"public"``.
    geography
        For the public areas (its districts), or ``None`` (squares only).

    Returns
    -------
    RiskZoneLayer
    """
    prof = check_profile(profile)
    frame = zones.zones
    if len(frame):
        frame = frame[~restricted_mask(frame["category"])]
    extents = tuple(
        (code, float(e.distance_m), float(e.days), round(float(e.ratio), 4))
        for code, e in sorted(zones.extents.items())
        if not is_restricted(code)
    )
    as_of = _local_date(zones.as_of - pd.Timedelta(seconds=1)) if zones.as_of is not None else None
    if prof == "public":
        areas = _public_areas(frame, geography)
        n = len(frame)
        return RiskZoneLayer(
            profile="public",
            areas=areas,
            extents=extents,
            as_of=as_of,
            n_zones=n if n == 0 or n >= SUPPRESS_BELOW else None,
        )
    crs = frame.crs
    areas = gpd.GeoDataFrame(
        {
            "category": [str(c) for c in frame["category"]],
            "occurred": [_local_date(v) for v in frame["occurred_at"]],
            "valid_until": [_local_date(v) for v in frame["valid_until"]],
            "distance_m": frame["distance_m"].astype(float).to_numpy(),
            "days": frame["days"].astype(float).to_numpy(),
            "knox_ratio": frame["knox_ratio"].astype(float).to_numpy(),
        },
        geometry=gpd.GeoSeries(frame.geometry.to_numpy(), crs=crs),
        crs=crs,
    )
    return RiskZoneLayer(
        profile="internal", areas=areas, extents=extents, as_of=as_of, n_zones=len(frame)
    )


def _public_areas(frame: gpd.GeoDataFrame, geography: Any | None) -> gpd.GeoDataFrame:
    """Counts of zones per district (else per square), areas under five zones left out."""
    crs = frame.crs
    empty = gpd.GeoDataFrame(
        {c: pd.Series(dtype="object") for c in AREA_COLUMNS}, geometry=gpd.GeoSeries([], crs=crs)
    )
    if not len(frame):
        return empty
    centres = frame.geometry.centroid
    codes = np.array([str(c) for c in frame["category"]], dtype=object)
    keys = np.full(len(frame), "", dtype=object)
    shapes: dict[str, Any] = {}
    names: dict[str, str] = {}
    districts = getattr(geography, "districts", None)
    if districts is not None and len(districts):
        named = geography.district_of(centres)
        for i, name in enumerate(named):
            if pd.isna(name):
                continue
            keys[i] = f"d:{name}"
            names[keys[i]] = str(name)
        geoms = districts.to_crs(crs) if districts.crs != crs else districts
        for name, geom in zip(geoms["name"], geoms.geometry, strict=True):
            key = f"d:{name}"
            shapes[key] = geom if key not in shapes else shapes[key].union(geom)
    xy = shapely.get_coordinates(centres.to_numpy())
    for i in np.flatnonzero(keys == ""):
        ix = int(np.floor(xy[i, 0] / PUBLIC_CELL_M))
        iy = int(np.floor(xy[i, 1] / PUBLIC_CELL_M))
        keys[i] = f"c:{ix}_{iy}"
        names[keys[i]] = ""
        side = PUBLIC_CELL_M
        shapes[keys[i]] = shapely.box(ix * side, iy * side, (ix + 1) * side, (iy + 1) * side)
    rows = []
    for key in sorted(set(keys)):
        sel = keys == key
        n = int(sel.sum())
        if n < SUPPRESS_BELOW:
            continue
        per = pd.Series(codes[sel]).value_counts()
        by_category = tuple(
            (str(code), int(k) if k >= SUPPRESS_BELOW else None)
            for code, k in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        rows.append(
            {"area": names[key], "zones": n, "by_category": by_category, "geometry": shapes[key]}
        )
    if not rows:
        return empty
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def with_risk_zones(
    content: MapContent, zones: RecentZones | None, *, geography: Any | None = None
) -> MapContent:
    """``content`` with the zones of raised risk its profile may see (``None``: unchanged)."""
    if zones is None:
        return content
    layer = risk_zone_layer(zones, profile=content.profile, geography=geography)
    return content.replace(extra={**content.extra, RISK_KEY: layer})


def risk_zones_of(content: MapContent) -> RiskZoneLayer | None:
    """The layer :func:`with_risk_zones` put on ``content``, or ``None``."""
    layer = content.extra.get(RISK_KEY) if content.extra else None
    return layer if isinstance(layer, RiskZoneLayer) else None
