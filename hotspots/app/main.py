"""The app's composition: language, login, store, page choice."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_incidents, geo_for, resolve_bandwidth
from hotspots.app.constants import HAS_REPORT, PAGES
from hotspots.app.controls import defaults_from_query, sidebar_controls, widget_defaults
from hotspots.app.session import ensure_store, password_gate, store_ref, tr
from hotspots.app.state import note_language, remember, seed
from hotspots.app.views.data import page_data
from hotspots.app.views.evaluation import page_evaluation
from hotspots.app.views.map import page_map
from hotspots.app.views.plan import page_plan
from hotspots.app.views.report import page_report
from hotspots.core.errors import (
    HotspotsError,
    StoreError,
)
from hotspots.store import open_store


def main() -> None:
    """Compose the app."""
    defaults_from_query()
    widget_defaults()
    st.session_state.setdefault("lang", "sv")
    lang = st.sidebar.radio(
        "Språk / Language",
        ["sv", "en"],
        format_func=lambda v: "Svenska" if v == "sv" else "English",
        horizontal=True,
        key="lang",
    )
    note_language(str(lang))
    password_gate()
    db = store_ref()
    try:
        ensure_store(db)
        store = open_store(db)
        version = store.data_version()
    except StoreError as exc:  # busy, unreachable or not a store: say so, touch nothing
        st.error(f"{tr('app_store_unavailable')}: {exc}")
        st.stop()
    pages = [p for p in PAGES if p != "report" or HAS_REPORT]
    page = st.sidebar.radio(
        tr("app_page"),
        pages,
        format_func={p: tr(f"app_page_{p}") for p in pages}.__getitem__,
        key=seed("page"),
    )
    remember("page", page)
    if page == "data":
        page_data(str(db), version)
        return
    incidents = cached_incidents(str(db), version)
    if not len(incidents):
        st.info(tr("app_empty_store"))
        page_data(str(db), version)
        return
    config, profile = sidebar_controls(incidents)
    if geo_for(str(db), version) is not None:
        study = st.sidebar.radio(
            tr("app_study_area"),
            ["urban", "municipality"],
            format_func={v: tr(f"app_study_{v}") for v in ("urban", "municipality")}.__getitem__,
            key=seed("study"),
            help=tr("app_study_help"),
        )
        remember("study", study)
        version = f"{version}|{study}"
    auto = config.bandwidth_m is None
    try:
        with st.spinner(tr("app_tuning") if auto else tr("app_computing")):
            config = resolve_bandwidth(str(db), version, config)
    except HotspotsError as exc:
        st.warning(f"{tr('no_data')}: {exc}")
        st.stop()
    st.session_state["bandwidth_auto"] = auto
    if page == "map":
        page_map(str(db), version, config, profile)
    elif page == "plan":
        page_plan(str(db), version, config, profile)
    elif page == "evaluation":
        page_evaluation(str(db), version, config, profile)
    elif page == "report":
        page_report(str(db), version, config, profile)
