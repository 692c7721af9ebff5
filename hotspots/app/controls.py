"""The sidebar: filters and analysis options, URL defaults, and the hit-rate badge."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_analysis, cached_badge
from hotspots.app.constants import PAGES
from hotspots.app.session import session_lang, tr
from hotspots.app.state import dropped, kept, remember, seed
from hotspots.core.config import (
    KERNELS,
    OPENING,
    AnalysisConfig,
    Filters,
    HourWindow,
    parse_weekdays,
)
from hotspots.core.errors import HotspotsError
from hotspots.core.numbers import number_text, percent_text
from hotspots.core.taxonomy import PROBLEM_AREAS, codes_in_area, public_codes
from hotspots.render import labels
from hotspots.render.symbology import format_number


def _remembered(key: str, value: Any) -> Any:
    """Remember a widget's value (codes) and return it."""
    remember(key, value)
    return value


def _period(sb: Any, first: dt.date, last: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The period widget: ``(since, until)`` with ``until`` exclusive, or ``(None, None)``.

    The whole span of the data is remembered as "all" (``None``), so data imported later
    is in the analysis without the person widening the period.
    """
    stored = kept("period")
    whole = (first, last)
    if isinstance(stored, tuple | list) and len(stored) == 2:
        start, end = max(stored[0], first), min(stored[1], last)
        default = (start, end) if start <= end else whole
    else:
        default = whole
    if dropped("period"):
        st.session_state["period"] = default
    period = sb.date_input(tr("period"), min_value=first, max_value=last, key="period")
    if not (isinstance(period, tuple | list) and len(period) == 2):
        return None, None  # the second date is still being picked: keep the whole span
    since, until = period[0], period[1] + dt.timedelta(days=1)
    if since <= first and until > last:
        remember("period", None)
        return None, None
    remember("period", (period[0], period[1]))
    return since, until


def sidebar_controls(
    incidents: Any, *, profiles: tuple[str, ...] = ("internal", "planning", "public")
) -> tuple[AnalysisConfig, str]:
    """Sidebar filters and analysis options; returns the frozen config and privacy profile.

    ``profiles`` are the privacy profiles the person's role allows (widest first); the
    caller still narrows the answer with :func:`hotspots.access.roles.effective_profile`.

    Every widget keeps its value as codes across a language switch and a page switch
    (:mod:`hotspots.app.state`).
    """
    lang = session_lang()
    sb = st.sidebar
    sb.subheader(tr("app_filters"))
    area_options = ["all", *PROBLEM_AREAS, "custom"]
    area_labels = {
        "all": tr("app_area_all"),
        "custom": tr("app_area_custom"),
        **{a: labels.problem_area(a, lang) for a in PROBLEM_AREAS},
    }
    area = _remembered(
        "area",
        sb.selectbox(
            tr("app_area"), area_options, format_func=area_labels.__getitem__, key=seed("area")
        ),
    )
    categories: tuple[str, ...] | None = None
    if area == "custom":
        chosen = sb.multiselect(
            tr("categories"),
            list(public_codes()),
            format_func=lambda c: labels.category(c, lang),
            key=seed("categories"),
        )
        categories = tuple(_remembered("categories", list(chosen))) or None
    elif area != "all":
        categories = codes_in_area(area)

    times = incidents["occurred_at"]
    first = times.min().date() if len(times) else dt.date.today()
    last = times.max().date() if len(times) else dt.date.today()
    since, until = _period(sb, first, last)
    night = _remembered("night", sb.checkbox(tr("app_night"), key=seed("night")))
    hours = _remembered(
        "hours",
        tuple(sb.slider(tr("hours"), 0, 24, step=1, key=seed("hours"), disabled=night)),
    )
    window = None
    if tuple(hours) != (0, 24) and hours[0] != hours[1]:
        window = HourWindow(int(hours[0]), int(hours[1]))
    if night:
        window = HourWindow(22, 4)
    days = _remembered(
        "weekdays",
        list(
            sb.multiselect(
                tr("weekdays"),
                list(range(7)),
                format_func=lambda d: labels.weekday(d, lang),
                key=seed("weekdays"),
            )
        ),
    )
    weekdays = tuple(sorted(days)) if days and len(days) < 7 else None

    sb.subheader(tr("app_analysis"))
    kernel = _remembered("kernel", sb.selectbox(tr("kernel"), list(KERNELS), key=seed("kernel")))
    auto = _remembered("bw_auto", sb.checkbox(tr("app_bandwidth_auto"), key=seed("bw_auto")))
    bandwidth: float | None = None
    if not auto:
        bw = _remembered("bw", sb.slider(tr("app_bandwidth_m"), 50, 1000, step=25, key=seed("bw")))
        bandwidth = float(bw)
    coverage = (
        _remembered("coverage", sb.slider(tr("app_coverage_pct"), 1, 20, key=seed("coverage")))
        / 100.0
    )
    cell = float(
        _remembered("cell", sb.select_slider(tr("app_cell_m"), [25, 50, 100], key=seed("cell")))
    )
    if kept("profile") not in profiles:  # from a link, or another role's default
        remember("profile", profiles[0])
        st.session_state.pop("profile", None)
    profile = _remembered(
        "profile",
        sb.radio(
            tr("profile"),
            list(profiles),
            format_func={p: tr(f"profile_{p}") for p in profiles}.__getitem__,
            key=seed("profile"),
        ),
    )
    _remembered(  # read by the pages (hotspots.app.cache_harm.chosen_weights)
        "weights",
        sb.radio(
            tr("app_weights"),
            ["count", "harm"],
            format_func={w: tr(f"app_weights_{w}") for w in ("count", "harm")}.__getitem__,
            key=seed("weights"),
            help=tr("app_weights_help"),
        ),
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
    lang = session_lang()
    cols = slot.columns(4)
    cols[0].metric(tr("n_incidents"), number_text(len(result.incidents), lang))
    cols[1].metric(tr("layer_hotspots"), f"{len(crime)}")
    badge = cached_badge(db, version, config)
    pct = format_number(100 * config.coverage, lang=lang)
    if badge is None:
        cols[2].metric(tr("app_hit_rate", pct=pct), "–")
        cols[3].metric("PAI", "–")
    else:
        cols[2].metric(
            tr("app_hit_rate", pct=pct),
            percent_text(badge.hit_rate, lang, digits=0),
            help=tr("app_hit_rate_help", n=badge.windows),
        )
        cols[3].metric("PAI", number_text(badge.pai, lang, digits=1), help=tr("app_pai_help"))


def defaults_from_query() -> None:
    """Initial widget values from the URL (shareable links), e.g. ``?area=violence&bw=200``.

    Read once per session, before any widget exists: ``page``, ``lang``, ``area``,
    ``bw`` (metres or ``auto``), ``coverage`` (per cent), ``profile``, ``night`` (1),
    ``cell`` (25, 50 or 100 metres), ``plan`` (1: suggestions on the map), ``days``
    (weekdays, e.g. ``fri,sat`` or ``fre,lör``), ``weights`` (``count`` or ``harm``).
    """
    if st.session_state.get("_query_read"):
        return
    st.session_state["_query_read"] = True
    qp = st.query_params
    choices = {
        "page": PAGES,
        "area": ("all", *PROBLEM_AREAS, "custom"),
        "profile": ("internal", "planning", "public"),
        "weights": ("count", "harm"),
    }
    if qp.get("lang") in ("sv", "en"):
        st.session_state["lang"] = qp["lang"]
    for key, allowed in choices.items():
        if qp.get(key) in allowed:
            remember(key, qp[key])
    bw = qp.get("bw")
    if bw == "auto":
        remember("bw_auto", True)
    elif bw is not None and bw.isdigit() and 50 <= int(bw) <= 1000:
        remember("bw_auto", False)
        remember("bw", int(bw) // 25 * 25)
    cov = qp.get("coverage")
    if cov is not None and cov.isdigit() and 1 <= int(cov) <= 20:
        remember("coverage", int(cov))
    if qp.get("night") == "1":
        remember("night", True)
    if qp.get("plan") == "1":
        remember("show_plan", True)
    if qp.get("cell") in ("25", "50", "100"):
        remember("cell", int(qp["cell"]))
    days = qp.get("days")
    if days:
        with contextlib.suppress(HotspotsError):
            remember("weekdays", list(parse_weekdays(days)))


#: The widgets' values when nothing else is known (:func:`widget_defaults`).
WIDGET_DEFAULTS: dict[str, Any] = {
    "page": "map",
    "area": "all",
    "categories": ["assault_public"],
    "night": False,
    "hours": (0, 24),
    "weekdays": list(range(7)),
    "kernel": OPENING.kernel,
    "bw_auto": OPENING.bandwidth_m is None,
    "bw": int(OPENING.bandwidth_m or OPENING.fixed_bandwidth_m),
    "coverage": round(100 * OPENING.coverage),
    "cell": OPENING.cell_m,
    "profile": "internal",
    "weights": "count",
    "study": OPENING.study,
    "show_plan": False,
}


def widget_defaults() -> None:
    """Defaults of the remembered widgets, set once (widgets then take no ``value=``).

    A value already in the session (from the URL, or set by a test on the widget's key)
    stands.
    """
    for key, value in WIDGET_DEFAULTS.items():
        if kept(key) is None:
            remember(key, st.session_state.get(key, value))
