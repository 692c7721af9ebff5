"""The sidebar: filters and analysis options, URL defaults, and the hit-rate badge."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_analysis, cached_badge
from hotspots.app.constants import PAGES
from hotspots.app.session import session_lang, tr
from hotspots.core.config import KERNELS, OPENING, AnalysisConfig, Filters, HourWindow
from hotspots.core.errors import (
    HotspotsError,
)
from hotspots.core.i18n import weekday_names
from hotspots.core.taxonomy import (
    PROBLEM_AREA_LABELS,
    PROBLEM_AREAS,
    codes_in_area,
    label,
    public_codes,
)
from hotspots.render.symbology import format_number


def sidebar_controls(incidents: Any) -> tuple[AnalysisConfig, str]:
    """Sidebar filters and analysis options; returns the frozen config and privacy profile."""
    sb = st.sidebar
    sb.subheader(tr("app_filters"))
    area_options = ["all", *PROBLEM_AREAS, "custom"]
    area_labels = {
        "all": tr("app_area_all"),
        "custom": tr("app_area_custom"),
        **{a: PROBLEM_AREA_LABELS[a][session_lang()] for a in PROBLEM_AREAS},
    }
    area = sb.selectbox(
        tr("app_area"), area_options, format_func=area_labels.__getitem__, key="area"
    )
    categories: tuple[str, ...] | None = None
    if area == "custom":
        chosen = sb.multiselect(
            tr("categories"),
            list(public_codes()),
            default=["assault_public"],
            format_func=lambda c: label(c, session_lang()),
            key="categories",
        )
        categories = tuple(chosen) or None
    elif area != "all":
        categories = codes_in_area(area)

    times = incidents["occurred_at"]
    first = times.min().date() if len(times) else dt.date.today()
    last = times.max().date() if len(times) else dt.date.today()
    period = sb.date_input(
        tr("period"), value=(first, last), min_value=first, max_value=last, key="period"
    )
    since: dt.date | None = None
    until: dt.date | None = None
    if isinstance(period, tuple | list) and len(period) == 2:
        since, until = period[0], period[1] + dt.timedelta(days=1)
        if since <= first and until > last:
            since, until = None, None
    night = sb.checkbox(tr("app_night"), key="night")
    hours = sb.slider(tr("hours"), 0, 24, (0, 24), step=1, key="hours", disabled=night)
    window = None
    if tuple(hours) != (0, 24) and hours[0] != hours[1]:
        window = HourWindow(int(hours[0]), int(hours[1]))
    if night:
        window = HourWindow(22, 4)
    days = sb.multiselect(
        tr("weekdays"),
        list(range(7)),
        default=list(range(7)),
        format_func=lambda d: weekday_names([d], session_lang())[0],
        key="weekdays",
    )
    weekdays = tuple(sorted(days)) if days and len(days) < 7 else None

    sb.subheader(tr("app_analysis"))
    kernel = sb.selectbox(tr("kernel"), list(KERNELS), key="kernel")
    auto = sb.checkbox(tr("app_bandwidth_auto"), key="bw_auto")
    bandwidth: float | None = None
    if not auto:
        bandwidth = float(sb.slider(tr("app_bandwidth_m"), 50, 1000, step=25, key="bw"))
    coverage = sb.slider(tr("app_coverage_pct"), 1, 20, key="coverage") / 100.0
    cell = float(sb.select_slider(tr("app_cell_m"), [25, 50, 100], key="cell"))
    profile = sb.radio(
        tr("profile"),
        ["internal", "public"],
        format_func=lambda p: tr(f"profile_{p}"),
        key="profile",
    )
    filters = Filters(
        categories=categories, since=since, until=until, hours=window, weekdays=weekdays
    )
    config = AnalysisConfig(
        kernel=kernel, bandwidth_m=bandwidth, cell_m=cell, coverage=coverage, filters=filters
    )
    return config, str(profile)


def analysis_or_stop(db: str, version: str, config: AnalysisConfig) -> Any:
    """The analysis, or a warning and the end of this run when there is too little data."""
    try:
        with st.spinner(tr("app_computing")):
            return cached_analysis(db, version, config)
    except HotspotsError as exc:
        st.warning(f"{tr('no_data')}: {exc}")
        st.stop()


def badge_row(db: str, version: str, config: AnalysisConfig, result: Any, slot: Any) -> None:
    """Counts and the backtest badge, written into ``slot`` (filled after the map is sent)."""
    crime = result.hotspots[result.hotspots["kind"].astype(str) == "crime"]
    cols = slot.columns(4)
    cols[0].metric(tr("n_incidents"), f"{len(result.incidents):,}".replace(",", " "))
    cols[1].metric(tr("layer_hotspots"), f"{len(crime)}")
    badge = cached_badge(db, version, config)
    pct = format_number(100 * config.coverage)
    if badge is None:
        cols[2].metric(tr("app_hit_rate", pct=pct), "–")
        cols[3].metric("PAI", "–")
    else:
        cols[2].metric(
            tr("app_hit_rate", pct=pct),
            f"{100 * badge['hit_rate']:.0f} %",
            help=tr("app_hit_rate_help", n=int(badge["windows"])),
        )
        cols[3].metric("PAI", f"{badge['pai']:.1f}", help=tr("app_pai_help"))


def defaults_from_query() -> None:
    """Initial widget values from the URL (shareable links), e.g. ``?area=violence&bw=200``.

    Read once per session, before any widget exists: ``page``, ``lang``, ``area``,
    ``bw`` (metres or ``auto``), ``coverage`` (per cent), ``profile``, ``night`` (1),
    ``cell`` (25, 50 or 100 metres), ``plan`` (1: suggestions on the map).
    """
    if st.session_state.get("_query_read"):
        return
    st.session_state["_query_read"] = True
    qp = st.query_params
    choices = {
        "page": PAGES,
        "lang": ("sv", "en"),
        "area": ("all", *PROBLEM_AREAS, "custom"),
        "profile": ("internal", "public"),
    }
    for key, allowed in choices.items():
        if qp.get(key) in allowed:
            st.session_state[key] = qp[key]
    bw = qp.get("bw")
    if bw == "auto":
        st.session_state["bw_auto"] = True
    elif bw is not None and bw.isdigit() and 50 <= int(bw) <= 1000:
        st.session_state["bw_auto"] = False
        st.session_state["bw"] = int(bw) // 25 * 25
    cov = qp.get("coverage")
    if cov is not None and cov.isdigit() and 1 <= int(cov) <= 20:
        st.session_state["coverage"] = int(cov)
    if qp.get("night") == "1":
        st.session_state["night"] = True
    if qp.get("plan") == "1":
        st.session_state["show_plan"] = True
    if qp.get("cell") in ("25", "50", "100"):
        st.session_state["cell"] = int(qp["cell"])


def widget_defaults() -> None:
    """Defaults of the keyed widgets, set once (widgets then take no ``value=``)."""
    defaults = (
        ("bw_auto", True),
        ("bw", 200),
        ("coverage", 5),
        ("night", False),
        ("cell", OPENING.cell_m),
        ("kernel", OPENING.kernel),
        ("study", OPENING.study),
    )
    for key, value in defaults:
        st.session_state.setdefault(key, value)
