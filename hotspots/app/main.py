"""The app's composition: language, the person served, store, page choice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hotspots.access.roles import PROFILES, effective_profile
from hotspots.app.cache import cached_incidents, geo_for, resolve_bandwidth
from hotspots.app.constants import HAS_REPORT, PAGES
from hotspots.app.controls import defaults_from_query, sidebar_controls, widget_defaults
from hotspots.app.session import (
    Viewer,
    audit_view,
    ensure_store,
    logout_link,
    session_lang,
    store_ref,
    tr,
    viewer,
)
from hotspots.app.state import kept, note_language, remember, seed
from hotspots.app.views.admin import page_admin
from hotspots.app.views.data import page_data
from hotspots.app.views.evaluation import page_evaluation
from hotspots.app.views.followup import page_followup
from hotspots.app.views.map import page_map
from hotspots.app.views.plan import page_plan
from hotspots.app.views.report import page_report
from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import HotspotsError, StoreError
from hotspots.store import open_store


def _filters_record(config: AnalysisConfig) -> dict[str, Any]:
    """The filters in force, as plain values for the audit log."""
    f = config.filters
    return {
        "categories": list(f.categories) if f.categories else "all",
        "since": f.since.isoformat() if f.since else None,
        "until": f.until.isoformat() if f.until else None,
        "hours": str(f.hours) if f.hours else None,
        "weekdays": list(f.weekdays) if f.weekdays else None,
    }


def _pages_for(person: Viewer) -> list[str]:
    pages = [p for p in PAGES if p in person.role.pages and (p != "report" or HAS_REPORT)]
    if person.role.can_admin:
        pages.append("admin")
    return pages


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
    person = viewer()
    logout_link(person)
    pages = _pages_for(person)
    if not pages:  # publik: published snapshots are handed out as files, not served here
        st.title("hotspots")
        st.info(tr("app_no_pages", role=tr(f"role_{person.role.name}")))
        audit_view(person, "none", {})
        st.stop()
    db = store_ref()
    try:
        ensure_store(db)
        store = open_store(db)
        # the analysis changes with the incidents and the survey only: an action saved at a
        # meeting must not send every session's map and tables back to the computation
        version = f"{store.layer_version('incidents')}.{store.layer_version('survey')}"
    except StoreError as exc:  # busy, unreachable or not a store: say so, touch nothing
        st.error(f"{tr('app_store_unavailable')}: {exc}")
        st.stop()
    if kept("page") not in pages:  # a page of another role (from a link): the role's first
        remember("page", pages[0])
        st.session_state.pop("page", None)
    page = st.sidebar.radio(
        tr("app_page"),
        pages,
        format_func={p: tr(f"app_page_{p}") for p in pages}.__getitem__,
        key=seed("page"),
    )
    remember("page", page)
    if page == "admin":
        audit_view(person, page, {})
        page_admin(str(db), person)
        return
    if page == "data":
        audit_view(person, page, {})
        page_data(str(db), version)
        return
    if page == "followup":
        audit_view(person, page, {})
        page_followup(str(db), version, session_lang())
        return
    incidents = cached_incidents(str(db), version)
    if not len(incidents):
        st.info(tr("app_empty_store"))
        if "data" in pages:
            page_data(str(db), version)
        return
    allowed = PROFILES[PROFILES.index(person.role.profile) :]
    config, requested = sidebar_controls(incidents, profiles=allowed)
    profile = effective_profile(person.role, requested)  # the client can only narrow
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
    audit_view(person, str(page), {"profile": profile, "filters": _filters_record(config)})
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
