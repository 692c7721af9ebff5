"""Cached composition shared by every session: store reads, analyses and their privacy content.

Keyed on the store's data version and the frozen config (the plans, harm analyses and maps
that build on these are in :mod:`hotspots.app.cache_harm`). The incident frame, the survey,
the analysis and its privacy content use cache_resource (with 100,000 incidents,
cache_data's unpickling on every rerun costs seconds, and these objects are never mutated);
the rest uses cache_data.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from hotspots.app.workers import run_in_worker
from hotspots.core.config import AnalysisConfig, Filters
from hotspots.core.errors import (
    HotspotsError,
    InsufficientDataError,
)
from hotspots.engine.placement import DEFAULT_SNAP_TO_LAND_M, PlacementCounts, place_selected
from hotspots.forecast import COVERAGES, backtest, rolling_windows
from hotspots.forecast.analysis import run_analysis
from hotspots.forecast.badge import Badge, accuracy_badge
from hotspots.forecast.methods import MethodSpec
from hotspots.forecast.tuning_cache import tuned_bandwidth
from hotspots.load.settings import base_geography, geography_config
from hotspots.render import leaflet as mapping
from hotspots.render.component_folder import make_component_folder
from hotspots.render.placement import dropped_csv
from hotspots.render.privacy import apply_privacy
from hotspots.spatial.geography import choose_geography
from hotspots.store import open_store

logger = logging.getLogger("hotspots.app")


def _geography_file() -> str | None:
    """The file naming the user's official layers (``HOTSPOTS_GEOGRAPHY``), or ``None``."""
    path = geography_config(None)
    return str(path) if path is not None else None


@st.cache_resource(show_spinner=False)
def _geography(metric_crs: str, config: str | None) -> Any:
    """The user's layers, else the demo geography (immutable, shared by every session)."""
    return base_geography(Path(config) if config else None, metric_crs=metric_crs)


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_incidents(db: str, version: str) -> Any:
    """All incidents of the store (shared by every session; never mutated)."""
    return open_store(db).incidents()


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_survey(db: str, version: str) -> Any:
    """The survey marks of the store, or ``None`` when there are none."""
    survey = open_store(db).survey()
    return survey if len(survey) else None


@st.cache_data(show_spinner=False, max_entries=4)
def _has_geography(db: str, version: str, config: str | None) -> bool:
    """Official layers are set, or the incidents lie in the demo geography (Karlstad)."""
    if config is not None:
        return True
    inc = cached_incidents(db, version)
    return choose_geography(inc, inc.crs.to_string()) is not None


def geo_for(db: str, version: str) -> Any:
    """The geography of the data, or ``None``.

    The user's layers when ``HOTSPOTS_GEOGRAPHY`` names them, else demo Karlstad when the
    incidents lie there.
    """
    config = _geography_file()
    if not _has_geography(db, version, config):
        return None
    return _geography(cached_incidents(db, version).crs.to_string(), config)


@st.cache_resource(show_spinner=False)
def _urban(metric_crs: str, config: str | None) -> Any:
    """The geography with its land cut to the districts (the built-up area)."""
    return _geography(metric_crs, config).with_study_area("urban")


def study_geo(db: str, version: str) -> Any:
    """The geography whose land is the study area: urban (districts) or the municipality.

    ``version`` carries the choice as ``"<data_version>|<study>"`` so every cache keys on it.
    """
    geo = geo_for(db, version)
    if geo is None or not version.endswith("|urban") or not len(geo.districts):
        return geo
    return _urban(cached_incidents(db, version).crs.to_string(), _geography_file())


@st.cache_resource(show_spinner=False, max_entries=24)
def cached_placement(db: str, version: str, filters: Filters) -> Any:
    """The incidents of ``filters`` placed on the study area's land (shared), or ``None``.

    Those just off a shore moved onto land, the rest off the land left out with a reason
    (:func:`hotspots.engine.placement.place_selected`, as ``hotspots detect`` does); ``None``
    without a geography. Once per data version, study area and filters: the kernel, cell and
    coverage do not change it.
    """
    return place_selected(
        cached_incidents(db, version),
        filters,
        study_geo(db, version),
        snap_to_land_m=DEFAULT_SNAP_TO_LAND_M,
    )


def placement_counts(db: str, version: str, filters: Filters) -> PlacementCounts | None:
    """What :func:`cached_placement` did, in counts only (every profile may see them)."""
    placement = cached_placement(db, version, filters)
    if placement is None:
        return None
    return PlacementCounts.of(
        placement,
        snap_to_land_m=DEFAULT_SNAP_TO_LAND_M,
        study_area=study_geo(db, version).study_area,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_dropped_csv(db: str, version: str, filters: Filters, profile: str, lang: str) -> bytes:
    """The list of the incidents left out, as a Swedish Excel CSV file (never for ``public``).

    Raises
    ------
    InputSchemaError
        For the ``public`` profile (:func:`hotspots.render.placement.dropped_table`).
    """
    placement = cached_placement(db, version, filters)
    if placement is None:
        return b""
    return dropped_csv(placement, lang, profile=profile)  # type: ignore[arg-type]


@st.cache_resource(show_spinner=False, max_entries=24)
def cached_analysis(db: str, version: str, config: AnalysisConfig) -> Any:
    """The analysis of the store's incidents under ``config`` (shared).

    Of the incidents on the study area's land (:func:`cached_placement`); what was left out
    or moved is counted in its parameters (as in ``hotspots detect``'s GeoJSON).
    """
    inc = cached_incidents(db, version)
    placement = cached_placement(db, version, config.filters)
    result = run_analysis(
        inc if placement is None else placement.kept,
        config=config.replace(metric_crs=inc.crs.to_string()),
        geography=study_geo(db, version),
        survey=cached_survey(db, version),
    )
    counts = placement_counts(db, version, config.filters)
    if counts is not None:  # before anyone sees the result (it is never changed after)
        result.parameters.update(counts.parameters())
    return result


@st.cache_data(show_spinner=False, max_entries=16)
def _tuned_bandwidth(
    db: str, version: str, kernel: str, cell_m: float, categories: tuple[str, ...] | None
) -> float:
    """Automatic bandwidth (backtest tuning) for the chosen categories over the whole history.

    Reused when only the period, hours or weekdays change: the spatial scale of the
    problem is tuned on all its incidents, and a filter change then costs one analysis.
    Kept in a file too (:mod:`hotspots.forecast.tuning_cache`), so a restarted app does not
    tune again until the data or the tuning code change. ``db`` goes as it is: a
    ``postgresql://`` URL made a ``Path`` loses its ``//`` and reads as a file name.
    """
    return tuned_bandwidth(
        db,
        incidents=cached_incidents(db, version),
        geography=study_geo(db, version),
        kernel=kernel,
        cell_m=cell_m,
        categories=categories,
    )


def resolve_bandwidth(db: str, version: str, config: AnalysisConfig) -> AnalysisConfig:
    """``config`` with the automatic bandwidth replaced by the tuned one (metres)."""
    if config.bandwidth_m is not None:
        return config
    bw = _tuned_bandwidth(db, version, config.kernel, config.cell_m, config.filters.categories)
    return config.replace(bandwidth_m=bw)


@st.cache_resource(show_spinner=False)
def _base_maps() -> mapping.BaseMapCache:
    """Rendered base maps, shared by every session (each depends only on its cache key)."""
    return mapping.BaseMapCache()


@st.cache_resource(show_spinner=False)
def _map_component_folder() -> str:
    """A folder holding the map component's page (Leaflet inline), written once per process.

    Removed when the process exits; folders of processes that ended are removed first
    (:mod:`hotspots.render.component_folder`).
    """
    return str(make_component_folder())


@st.cache_data(show_spinner=False, max_entries=24)
def cached_badge(db: str, version: str, config: AnalysisConfig) -> Badge | None:
    """Backtest of the current settings: hit rate and PAI at the chosen coverage.

    Runs in the app's worker process (:mod:`hotspots.app.workers`): the sessions waiting
    for their maps keep the server's interpreter meanwhile.
    """
    result = cached_analysis(db, version, config)
    inc = result.incidents
    try:
        return run_in_worker(
            accuracy_badge,
            inc.geometry.x.to_numpy(),
            inc.geometry.y.to_numpy(),
            inc["occurred_at"],
            grid=result.grid,
            mask=result.study_mask,
            kernel=result.config.kernel,
            bandwidth_m=float(result.config.bandwidth_m),
            coverage=result.config.coverage,
        )
    except (InsufficientDataError, HotspotsError) as exc:
        logger.info("no backtest: %s", exc)
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def cached_evaluation(db: str, version: str, config: AnalysisConfig) -> Any:
    """Rolling backtest of the settings: hit rate, PAI and PEI per coverage."""
    result = cached_analysis(db, version, config)
    inc = result.incidents
    times = inc["occurred_at"]
    bw = float(result.config.bandwidth_m)
    specs = [
        MethodSpec("kde", kernel=result.config.kernel, bandwidth_m=bw),
        MethodSpec("naive", cell_m=result.config.cell_m),
        MethodSpec("kde", kernel=result.config.kernel, bandwidth_m=bw / 2),
        MethodSpec("kde", kernel=result.config.kernel, bandwidth_m=bw * 2),
    ]
    bt = backtest(
        inc.geometry.x.to_numpy(),
        inc.geometry.y.to_numpy(),
        times,
        grid=result.grid,
        mask=result.study_mask,
        windows=rolling_windows(times, n_windows=3),
        specs=specs,
        coverages=COVERAGES,
    )
    rows = []
    hr, pai, pei = bt.hit_rate(), bt.pai(), bt.pei()
    for i, spec in enumerate(bt.specs):
        for j, cov in enumerate(bt.coverages):
            rows.append(
                {
                    "method": spec.label(),
                    "coverage": cov,
                    "hit_rate": hr[i, j],
                    "pai": pai[i, j],
                    "pei": pei[i, j],
                }
            )
    return pd.DataFrame(rows), [w.origin for w in bt.windows]


@st.cache_resource(show_spinner=False, max_entries=24)
def _private(db: str, version: str, config: AnalysisConfig, profile: str, auto: bool) -> Any:
    """The analysis after its privacy profile, without a plan: shared by map and table.

    Never mutated by its users (mapping and the table only read it).
    """
    return _content(cached_analysis(db, version, config), profile, None, auto_bandwidth=auto)


def _content(result: Any, profile: str, plan: Any, *, auto_bandwidth: bool) -> Any:
    content = apply_privacy(result, profile=profile, plan=plan)
    content.parameters["bandwidth_auto"] = auto_bandwidth
    return content
