"""Patrullplan: suggestions and the weekly schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import geo_for
from hotspots.app.cache_harm import (
    chosen_weights,
    map_profile,
    plan_outcome_for,
    weighted_map_parts,
)
from hotspots.app.controls import analysis_or_stop
from hotspots.app.session import session_lang, tr
from hotspots.app.state import remember, seed
from hotspots.app.views.map import show_map, wants_incidents
from hotspots.core.config import OPENING, AnalysisConfig
from hotspots.core.errors import HoursDoNotFitError
from hotspots.core.i18n import Lang, t
from hotspots.render import labels
from hotspots.render.number_format import number_text, table_styler

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


def page_plan(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Patrullplan: suggestions with time windows and the weekly schedule."""
    st.header(tr("app_page_plan"))
    if profile == "public":
        st.info(tr("app_plan_internal_only"))
        return
    analysis_or_stop(db, version, config)
    if geo_for(db, version) is None:
        st.info(tr("app_plan_needs_geography"))
        return
    from hotspots.planning import default_week  # noqa: PLC0415 (this page only)

    # kept across page and language switches (hotspots.app.state), as the filters are
    hours = float(
        st.number_input(
            tr("app_patrol_hours"),
            1.0,
            200.0,
            step=1.0,
            format="%g",
            key=seed("ph", OPENING.patrol_hours),
        )
    )
    remember("ph", hours)
    teams = int(
        st.number_input(
            tr("app_teams"), 1, 20, step=1, key=seed("teams", 1), help=tr("app_teams_help")
        )
    )
    remember("teams", teams)
    # the rest of the page in one container, in the place of the previous page's map: the
    # map of the Karta page is not left there, faded, while the plan is made
    with st.container():
        _plan_body(db, version, config, profile, hours, teams, default_week())


def _plan_body(  # noqa: PLR0917 (the settings of the plan shown)
    db: str,
    version: str,
    config: AnalysisConfig,
    profile: str,
    hours: float,
    teams: int,
    week: str,
) -> None:
    """The plan of ``hours`` and ``teams`` for ``week``: suggestions, map, schedule, files."""
    from hotspots.planning.schedule import render_csv  # noqa: PLC0415 (this page only)
    from hotspots.planning.schedule import render_html as schedule_html  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    lang = session_lang()
    weights = chosen_weights()  # harm: the suggestions ranked by harm (plan --weights harm)
    with st.spinner(tr("app_computing")):
        plan, error = plan_outcome_for(db, version, config, hours, lang, teams, week, weights)
    if plan is None:  # e.g. more hours than the teams can walk in the windows
        st.warning(does_not_fit_text(error, teams, lang))
        return
    sug = plan.suggestions
    st.caption(tr("app_plan_caption", week=plan.week, n=number_text(plan.n_incidents, lang)))
    if weights == "harm":
        st.caption(tr("app_plan_by_harm"))
    if not len(sug):
        st.warning(tr("app_no_suggestions"))
        return
    st.dataframe(suggestions_table(sug, lang), hide_index=True, width="stretch")
    _plan_map(db, version, config, profile, hours, teams, week)
    if len(plan.schedule):
        st.subheader(tr("app_schedule"))
        st.dataframe(schedule_table(plan.schedule, lang), hide_index=True, width="stretch")
        cols = st.columns(2)
        cols[0].download_button(
            "CSV",
            render_csv(plan.schedule, lang=lang),
            f"schema-{plan.week}.csv",
            "text/csv",
            key="schedule_csv",
            on_click="ignore",  # a download does not rerun the page (every button stays)
        )
        page = schedule_html(plan.schedule, sug, week=plan.week, lang=lang)
        cols[1].download_button(
            "HTML",
            page.encode("utf-8"),
            f"schema-{plan.week}.html",
            "text/html",
            key="schedule_html",
            on_click="ignore",
        )


def does_not_fit_text(error: Exception | None, teams: int, lang: Lang) -> str:
    """Why the plan cannot be made, in the words of the page (not the CLI's options).

    Hours that do not fit the windows (:class:`~hotspots.core.errors.HoursDoNotFitError`)
    are said with the numbers and what to change; another error as it is.
    """
    if not isinstance(error, HoursDoNotFitError):
        return str(error)
    key = "app_plan_does_not_fit" if error.by_teams else "app_plan_does_not_fit_windows"
    return t(
        key,
        lang,
        hours=number_text(error.hours, lang, digits=0 if error.hours.is_integer() else 1),
        teams=teams,
        fits=number_text(error.fits_hours, lang, digits=1),
    )


#: The suggestions' columns on the page (:func:`hotspots.planning.tables.suggestion_table`).
SUGGESTIONS_SHOWN: tuple[str, ...] = (
    "id",
    "kind",
    "place",
    "weekdays",
    "hours",
    "why",
    "expected_share",
    "district",
)


def suggestions_table(suggestions: pd.DataFrame, lang: Lang) -> Styler:
    """The suggestions as the page shows them: the plan's table in words, numbers in ``lang``.

    The columns of :data:`SUGGESTIONS_SHOWN` of :func:`hotspots.planning.tables.suggestion_table`
    (the one place that turns the plan into words, as the CSV does), the expected share as
    per cent (:func:`hotspots.render.number_format.table_styler`).
    """
    from hotspots.planning.tables import suggestion_table, with_headers  # noqa: PLC0415 (this page only)

    table = suggestion_table(suggestions, lang)
    shown = with_headers(table[[c for c in SUGGESTIONS_SHOWN if c in table]], lang)
    return table_styler(shown, lang, percent={labels.column("expected_share", lang): 1})


def schedule_table(schedule: pd.DataFrame, lang: Lang) -> Styler:
    """The weekly schedule as the page shows it: the same table as its CSV and HTML.

    :func:`hotspots.planning.tables.schedule_table` (weekdays and kinds in words) with the
    headers of the CSV file, numbers in the way of ``lang``.
    """
    from hotspots.planning.schedule import SCHEDULE_COLUMNS  # noqa: PLC0415 (this page only)
    from hotspots.planning.tables import schedule_table as words  # noqa: PLC0415
    from hotspots.planning.tables import with_headers  # noqa: PLC0415

    table = words(schedule[list(SCHEDULE_COLUMNS)], lang)
    return table_styler(with_headers(table, lang), lang)


def _plan_map(  # noqa: PLR0917 (the settings of the plan shown)
    db: str,
    version: str,
    config: AnalysisConfig,
    profile: str,
    hours: float,
    teams: int,
    week: str,
) -> None:
    """The map of the plan shown above it, once it is ready.

    Its place holds a spinner while the map is made (the first visit makes it: a few
    seconds), never an empty map frame; the map is of the page's plan (hours, teams, week),
    so it costs no second plan.
    """
    slot = st.empty()
    incidents = wants_incidents("plan_map")
    with slot, st.spinner(tr("app_computing")):
        parts = weighted_map_parts(
            db,
            version,
            config,
            # internal or planning (no descriptions): public stopped above
            map_profile(profile, incidents=incidents),
            session_lang(),
            True,
            hours,
            bool(st.session_state.get("bandwidth_auto")),
            incidents,
            teams,
            week,
            chosen_weights(),
        )
    with slot.container():
        show_map(parts, height=520, key="plan_map")
