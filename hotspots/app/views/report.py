"""Lägesbild: the EST picture for a week, four weeks or a month."""

from __future__ import annotations

import streamlit as st

from hotspots.app.cache import cached_incidents, cached_survey, study_geo
from hotspots.app.session import session_lang, tr
from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import (
    HotspotsError,
)
from hotspots.store import open_store


def page_report(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Lägesbild: the EST situation report of the last complete week."""
    from hotspots.core.periods import iso_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.est.actions import load_actions  # noqa: PLC0415 (heavy; this page only)
    from hotspots.est.lagesbild import build_lagesbild, latest_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.render.report import render_html, render_pdf  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    st.header(tr("app_page_report"))
    inc = cached_incidents(db, version)
    latest = latest_week(inc)  # the last week that has ended and has data
    text = st.text_input(
        tr("app_report_week"), value=latest.label if latest else "", key="report_week"
    )
    try:
        y, w = (int(p) for p in text.upper().replace("W", "").split("-"))
        period = iso_week(y, w)
    except (ValueError, HotspotsError) as exc:
        st.error(f"{text}: {exc}")
        return
    if not st.button(tr("app_report_build"), key="report_build"):
        return
    actions = None
    try:
        actions = load_actions(db)
    except (ImportError, HotspotsError):
        actions = None
    with st.spinner(tr("app_computing")):
        try:
            lb = build_lagesbild(
                inc,
                period=period,
                geography=study_geo(db, version),
                survey=cached_survey(db, version),
                actions=actions,
                config=config,
                privacy=profile,  # type: ignore[arg-type]
                lang=session_lang(),
                data_version=open_store(db).data_version(),
            )
        except HotspotsError as exc:  # e.g. a week that has not ended yet
            st.error(f"{text}: {exc}")
            return
        page = render_html(lb)
    st.iframe(page.decode("utf-8"), height=900)
    cols = st.columns(2)
    cols[0].download_button("HTML", page, f"lagesbild-{text}.html", "text/html")
    cols[1].download_button("PDF", render_pdf(lb), f"lagesbild-{text}.pdf", "application/pdf")
