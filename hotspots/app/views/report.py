"""Lägesbild: the EST picture for a week, four weeks, a month or a chosen period (as the CLI)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from hotspots.app.basemap import on_basemap
from hotspots.app.cache import cached_incidents, cached_survey, study_geo
from hotspots.app.session import session_lang, tr
from hotspots.app.state import remember, seed
from hotspots.app.views.actions import actions_panel
from hotspots.core.config import AnalysisConfig, Filters
from hotspots.core.errors import HotspotsError
from hotspots.store import open_store

#: The kinds of period the page offers, as ``hotspots report`` does (--week, --weeks4,
#: --month, --since/--until).
PERIOD_KINDS: tuple[str, ...] = ("week", "weeks4", "month", "custom")


def last_month(latest_week_end: dt.date, today: dt.date) -> str:
    """The last calendar month that has ended by ``today`` and that the data reach into.

    ``latest_week_end`` is the day after the last complete week with data; the month is the
    one before ``today``'s, or earlier when the data end before it.
    """
    first_of_this = today.replace(day=1)
    last_day = min(first_of_this - dt.timedelta(days=1), latest_week_end)
    return f"{last_day.year}-{last_day.month:02d}"


def choose_period(latest: Any, today: dt.date) -> Any:
    """The period widgets: a kind and its week, month or dates; the chosen :class:`Period`.

    Raises
    ------
    HotspotsError
        When the text is not a week or a month (the page shows the message).
    """
    from hotspots.core.periods import (  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        custom_period,
        iso_week,
        month_period,
        parse_iso_week,
        parse_month,
        weeks4_period,
    )

    kind = st.radio(
        tr("app_report_period_kind"),
        PERIOD_KINDS,
        format_func={k: tr(f"app_report_kind_{k}") for k in PERIOD_KINDS}.__getitem__,
        horizontal=True,
        key=seed("report_kind", "week"),
    )
    remember("report_kind", kind)
    week_label = latest.label if latest is not None else ""
    if kind == "week":
        text = st.text_input(tr("app_report_week"), key=seed("report_week", week_label))
        remember("report_week", text)
        return iso_week(*parse_iso_week(text.strip()))
    if kind == "weeks4":
        text = st.text_input(tr("app_report_weeks4"), key=seed("report_weeks4", week_label))
        remember("report_weeks4", text)
        return weeks4_period(*parse_iso_week(text.strip()))
    if kind == "month":
        end = latest.end if latest is not None else today
        text = st.text_input(
            tr("app_report_month"), key=seed("report_month", last_month(end, today))
        )
        remember("report_month", text)
        return month_period(*parse_month(text.strip()))
    default = (latest.start, latest.last_day) if latest is not None else (today, today)
    dates = st.date_input(
        tr("app_report_dates"), key=seed("report_dates", default), max_value=today
    )
    if not (isinstance(dates, tuple | list) and len(dates) == 2):
        st.stop()  # the second date is still being picked
    remember("report_dates", tuple(dates))
    return custom_period(dates[0], dates[1] + dt.timedelta(days=1))


def _build(db: str, version: str, config: AnalysisConfig, profile: str, period: Any) -> Any:
    """The lägesbild of ``period`` (raises HotspotsError for a period it cannot make)."""
    from hotspots.dosage.followup import with_followup  # noqa: PLC0415 (heavy; this page only)
    from hotspots.est.actions import load_actions  # noqa: PLC0415 (heavy; this page only)
    from hotspots.est.lagesbild import build_lagesbild  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    try:
        actions = load_actions(db)
    except (ImportError, HotspotsError):
        actions = None
    lb = build_lagesbild(
        cached_incidents(db, version),
        period=period,
        geography=study_geo(db, version),
        survey=cached_survey(db, version),
        actions=actions,
        config=config,
        privacy="public" if profile == "public" else "internal",  # no descriptions in it
        lang=session_lang(),
        data_version=open_store(db).data_version(),
    )
    # with tracks: the follow-up of the citizen promise (hotspots.dosage.followup)
    return with_followup(
        lb,
        db,
        incidents=cached_incidents(db, version),
        survey=cached_survey(db, version),
        config=config,
    )


def page_report(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Lägesbild: the report of a period (:func:`report_view`) and under it the actions log."""
    report_view(db, version, config, profile)
    actions_panel(db, version, config, profile, page="report")


def report_view(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """The EST situation report of a period, shown and offered as HTML and PDF.

    The report is made on request and kept for its settings, so both downloads stay after
    one of them and the page does not build it again until a setting changes.
    """
    from hotspots.est.lagesbild import latest_week, local_now  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.render.report import render_html, render_pdf  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    st.header(tr("app_page_report"))
    inc = cached_incidents(db, version)
    today = local_now().date()
    latest = latest_week(inc, today=today)  # the last week that has ended and has data
    try:
        period = choose_period(latest, today)
    except HotspotsError as exc:
        st.error(str(exc))
        return
    st.caption(tr("app_report_period_text", period=period.describe(session_lang())))
    # the picture of every category, as the CLI makes it: the sidebar's filters (say violence
    # at night) would narrow its hotspot map but not its counts, and the two would disagree
    config = config.replace(filters=Filters())
    from hotspots.dosage.storage import open_track_store  # noqa: PLC0415 (heavy; this page only)

    tracks = open_track_store(db).data_version()  # the follow-up changes with the tracks
    actions = open_store(db).layer_version("actions")  # the report lists the actions
    key = "|".join(
        map(repr, (db, version, tracks, actions, config, profile, session_lang(), period))
    )
    made = st.session_state.get("report")
    if not (isinstance(made, dict) and made.get("key") == key):
        slot = st.empty()  # the button goes once the report is made
        if not slot.button(tr("app_report_build"), key="report_build"):
            return
        slot.empty()
        with st.spinner(tr("app_computing")):
            try:
                lb = _build(db, version, config, profile, period)
            except HotspotsError as exc:  # e.g. a period that has not ended yet
                st.error(f"{period.label}: {exc}")
                return
            made = on_basemap(
                lambda backdrop: {
                    "key": key,
                    "label": period.label,
                    "html": render_html(lb, backdrop),
                    "pdf": render_pdf(lb, backdrop),
                },
                "app_basemap_failed_report",
            )
            st.session_state["report"] = made
    name = "lagesbild-" + made["label"].replace("–", "--")
    cols = st.columns(2)
    cols[0].download_button(
        "HTML", made["html"], f"{name}.html", "text/html", key="report_html", on_click="ignore"
    )
    cols[1].download_button(
        "PDF", made["pdf"], f"{name}.pdf", "application/pdf", key="report_pdf", on_click="ignore"
    )
    st.iframe(made["html"].decode("utf-8"), height=900)
