"""Cached harm analyses, zones of raised risk and the maps that show them (issue 16).

Beside :mod:`hotspots.app.cache` and keyed the same way (the store's data version and the
frozen config), plus the weighting chosen in the sidebar (``count`` or ``harm``):

* the harm analysis of a count analysis (:func:`hotspots.engine.harm.harm_analysis`) and the
  result drawn in its place (:func:`hotspots.engine.harm.as_harm_result`), as ``snapshot
  --weights harm`` draws it;
* the plan ranked by harm (``make_plan(..., weights=...)``, as ``plan --weights harm``);
* the zones of raised risk ("Förhöjd risk", :func:`hotspots.engine.risk_zones.recent_zones`),
  once per data version and filters;
* the map content (privacy applied by :func:`hotspots.render.privacy.apply_privacy`, the zones
  by :func:`hotspots.render.risk_zones.with_risk_zones`) and the map component's parts.

Restricted categories never add harm: the count analysis has dropped them before the harm is
weighed, and the privacy gate scrubs the weights of them.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from hotspots.app.cache import (
    _base_maps,
    _private,
    cached_analysis,
    cached_incidents,
    cached_placement,
    cached_survey,
    geo_for,
    study_geo,
)
from hotspots.app.state import kept
from hotspots.core.config import AnalysisConfig, Filters
from hotspots.core.errors import HotspotsError, InputSchemaError
from hotspots.engine.harm_weights import HarmWeights, load_weights
from hotspots.render import leaflet as mapping
from hotspots.render.privacy import MapContent, apply_privacy
from hotspots.render.risk_zones import with_risk_zones

__all__ = [
    "WEIGHTS",
    "cached_harm",
    "cached_zones",
    "chosen_weights",
    "harm_figures",
    "harm_weights",
    "map_content",
    "map_plan_for",
    "map_profile",
    "plan_outcome_for",
    "weighted_map_parts",
    "weighted_result",
]

logger = logging.getLogger("hotspots.app")

#: The weightings the sidebar offers (``--weights`` of the CLI without a file).
WEIGHTS: tuple[str, ...] = ("count", "harm")
#: Step of the concentration curve the harm panel draws, share of the area (half a per cent).
CURVE_STEP = 0.005


def chosen_weights() -> str:
    """The weighting chosen in the sidebar: ``"count"`` (the default) or ``"harm"``."""
    value = kept("weights", "count")
    return value if value in WEIGHTS else "count"


@st.cache_resource(show_spinner=False)
def harm_weights(name: str = "harm") -> HarmWeights:
    """The weights table named ``name`` (the shipped brottsskadeindex for ``harm``)."""
    return load_weights(name)


@st.cache_resource(show_spinner=False, max_entries=24)
def cached_harm(db: str, version: str, config: AnalysisConfig) -> Any:
    """The harm analysis beside the count analysis of ``config`` (shared, never mutated)."""
    from hotspots.engine.harm import harm_analysis  # noqa: PLC0415 (only with harm chosen)

    result = cached_analysis(db, version, config)
    return harm_analysis(result, harm_weights(), geography=study_geo(db, version))


@st.cache_resource(show_spinner=False, max_entries=24)
def _harm_result(db: str, version: str, config: AnalysisConfig) -> Any:
    """The count analysis with the harm density and harm hotspots in place of its own."""
    from hotspots.engine.harm import as_harm_result  # noqa: PLC0415 (only with harm chosen)

    return as_harm_result(cached_analysis(db, version, config), cached_harm(db, version, config))


def weighted_result(db: str, version: str, config: AnalysisConfig, weights: str) -> Any:
    """The analysis a map draws: the count analysis, or its harm form for ``"harm"``."""
    if weights == "count":
        return cached_analysis(db, version, config)
    return _harm_result(db, version, config)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_zones(db: str, version: str, filters: Filters) -> Any:
    """The zones of raised risk for the filters (shared), or ``None`` when they cannot be made.

    :func:`hotspots.engine.risk_zones.zones_for_filters`: the year before the end of the
    filters' period, whatever its start; the zones in force at that end.
    """
    from hotspots.engine.risk_zones import zones_for_filters  # noqa: PLC0415 (heavy: scipy)

    placement = cached_placement(db, version, filters)  # on land, as the analysis's
    incidents = cached_incidents(db, version) if placement is None else placement.kept
    try:
        return zones_for_filters(incidents, filters)
    except HotspotsError as exc:
        logger.info("no zones of raised risk: %s", exc)
        return None


@st.cache_resource(show_spinner=False, max_entries=24)
def plan_outcome_for(  # noqa: PLR0917 (cache_resource keys on positional arguments)
    db: str,
    version: str,
    config: AnalysisConfig,
    hours_per_week: float | None,
    lang: str,
    teams: int = 1,
    week: str | None = None,
    weights: str = "count",
) -> tuple[Any | None, InputSchemaError | None]:
    """``(plan, None)``, or ``(None, error)`` when it cannot be made (shared).

    The patrol plan for ``config``, ``hours_per_week`` hours (``None``: the suggestions
    only) and ``teams`` patrols, ranked by harm when ``weights`` is ``harm`` (as ``plan
    --weights harm``). ``week`` (default: the next ISO week) is part of the key, so a plan
    made last week is not served once that week has begun. The error is mostly
    :class:`~hotspots.core.errors.HoursDoNotFitError` (more hours than the windows hold),
    which the page says in words; it is kept like the plan, so hours that do not fit are not
    planned again on every rerun.
    """
    from hotspots.planning import PlanOptions, make_plan  # noqa: PLC0415 (not on the default page)

    result = weighted_result(db, version, config, weights)
    try:
        plan = make_plan(
            result,
            geography=geo_for(db, version),
            incidents=result.incidents,
            survey=cached_survey(db, version),
            options=PlanOptions(
                patrol_hours_per_week=hours_per_week,
                lang=lang,  # type: ignore[arg-type]
                teams=int(teams),
                week=week,
            ),
            weights=harm_weights() if weights == "harm" else None,
        )
    except InputSchemaError as exc:
        return None, exc
    return plan, None


def map_plan_for(  # noqa: PLR0917 (the arguments of plan_outcome_for)
    db: str,
    version: str,
    config: AnalysisConfig,
    hours_per_week: float,
    lang: str,
    teams: int = 1,
    week: str | None = None,
    weights: str = "count",
) -> Any:
    """The plan a map shows: that of the page, or its suggestions alone when hours do not fit."""
    plan, _ = plan_outcome_for(db, version, config, hours_per_week, lang, teams, week, weights)
    if plan is not None:
        return plan
    plan, error = plan_outcome_for(db, version, config, None, lang, teams, week, weights)
    if plan is None and error is not None:
        raise error
    return plan


def map_content(  # noqa: PLR0917 (the settings of the map)
    db: str,
    version: str,
    config: AnalysisConfig,
    profile: str,
    plan: Any,
    auto_bandwidth: bool,
    weights: str = "count",
) -> MapContent:
    """What the map and its exports may show: the weighted analysis and the zones of raised risk.

    Both pass the privacy gates (:func:`~hotspots.render.privacy.apply_privacy`,
    :func:`~hotspots.render.risk_zones.with_risk_zones`) under ``profile``.
    """
    if weights == "count" and plan is None:  # the same content as the table's (shared)
        content = _private(db, version, config, profile, auto_bandwidth)
    else:
        result = weighted_result(db, version, config, weights)
        content = apply_privacy(result, profile=profile, plan=plan)
        content.parameters["bandwidth_auto"] = auto_bandwidth
    from hotspots.engine.risk_zones import zone_filters  # noqa: PLC0415 (heavy: scipy)

    # raised risk follows the categories and the period's end (zone_filters): a night-only
    # switch reuses the zones
    zones = cached_zones(db, version, zone_filters(config.filters))
    return with_risk_zones(content, zones, geography=geo_for(db, version))


def map_profile(profile: str, *, incidents: bool) -> str:
    """The profile whose map a session of ``profile`` is shown.

    A planner's map without incident points is the analyst's (the two profiles differ only
    in the incidents' descriptions), so it is rendered once for both: at a meeting a filter
    change costs one map less. With the points (street zoom) each has its own.
    """
    return "internal" if profile == "planning" and not incidents else profile


@st.cache_data(show_spinner=False, max_entries=24)
def weighted_map_parts(  # noqa: PLR0917 (cache_data keys on positional arguments)
    db: str,
    version: str,
    config: AnalysisConfig,
    profile: str,
    lang: str,
    with_plan: bool,
    hours_per_week: float,
    auto_bandwidth: bool = False,
    incidents: bool = False,
    teams: int = 1,
    week: str | None = None,
    weights: str = "count",
) -> mapping.MapParts:
    """The map of the current settings, with the weighting chosen and the raised risk.

    Density and hotspots of counts, or of harm for ``harm``; the layer of raised risk (off
    until toggled); with ``with_plan`` the suggestions of the plan of ``hours_per_week``,
    ``teams`` and ``week`` (the plan page passes its own); incident points only once asked
    for (``incidents``).
    """
    plan = (
        map_plan_for(db, version, config, hours_per_week, lang, teams, week, weights)
        if with_plan
        else None
    )
    content = map_content(db, version, config, profile, plan, auto_bandwidth, weights)
    return mapping.map_parts(
        content,
        geography=geo_for(db, version),
        options=mapping.MapOptions(
            lang=lang,  # type: ignore[arg-type]
            collapse_layers=True,
            info_open=False,
            lazy_incidents=not incidents,
        ),
        bases=_base_maps(),
    )


@st.cache_data(show_spinner=False, max_entries=24)
def harm_figures(db: str, version: str, config: AnalysisConfig, profile: str) -> dict[str, Any]:
    """The harm panel's figures: overlap, concentration curves and the harm spots.

    The spots after the privacy profile: in public, the harm of spots with fewer than five
    incidents is blanked.

    Returns
    -------
    dict
        ``overlap`` (:meth:`SpotOverlap.as_dict`), ``area_half_harm`` and
        ``area_half_count`` (share of the area holding half; ``None`` without any),
        ``curve`` (a frame of ``area``, ``harm``, ``count`` shares every half per cent of
        the area, up to the next 5 % past where both hold 99.9 %), ``spots`` (the harm
        hotspots after the privacy profile, no geometry) and ``weights`` (name and date of
        the table).
    """
    harm = cached_harm(db, version, config)
    # up to where both curves have (nearly) all: the rest of the area holds nothing to see
    full = [c.area_for(0.999) for c in (harm.harm_curve, harm.count_curve)]
    end = max([0.05, *(f for f in full if np.isfinite(f))])
    end = min(1.0, float(np.ceil(end / 0.05 - 1e-9)) * 0.05)
    area = np.linspace(0.0, end, round(end / CURVE_STEP) + 1)
    curve = pd.DataFrame(
        {
            "area": area,
            "harm": [harm.harm_curve.share_in(a) for a in area],
            "count": [harm.count_curve.share_in(a) for a in area],
        }
    )
    content = apply_privacy(_harm_result(db, version, config), profile=profile)
    spots = content.hotspots
    spots = pd.DataFrame(spots.drop(columns=spots.geometry.name))
    half_harm, half_count = harm.harm_curve.area_for(0.5), harm.count_curve.area_for(0.5)
    return {
        "overlap": harm.overlap.as_dict(),
        "area_half_harm": None if np.isnan(half_harm) else float(half_harm),
        "area_half_count": None if np.isnan(half_count) else float(half_count),
        "curve": curve,
        "spots": spots,
        "weights": harm.weights.describe(),
    }
