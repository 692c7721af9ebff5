"""Patrullplan: suggestions and the weekly schedule."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_map_parts, cached_plan, geo_for
from hotspots.app.controls import analysis_or_stop
from hotspots.app.session import session_lang, tr
from hotspots.app.state import remember, seed
from hotspots.app.views.map import show_map, wants_incidents
from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import InputSchemaError
from hotspots.render import labels


def page_plan(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Patrullplan: suggestions with time windows and the weekly schedule."""
    from hotspots.planning.schedule import render_csv  # noqa: PLC0415 (this page only)
    from hotspots.planning.schedule import render_html as schedule_html  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

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
        st.number_input(tr("app_patrol_hours"), 1.0, 200.0, step=1.0, key=seed("ph", 10.0))
    )
    remember("ph", hours)
    teams = int(
        st.number_input(
            tr("app_teams"), 1, 20, step=1, key=seed("teams", 1), help=tr("app_teams_help")
        )
    )
    remember("teams", teams)
    try:
        with st.spinner(tr("app_computing")):
            plan = cached_plan(db, version, config, hours, session_lang(), teams, default_week())
    except InputSchemaError as exc:  # e.g. more hours than the teams can walk in the windows
        st.warning(str(exc))
        return
    sug = plan.suggestions
    st.caption(tr("app_plan_caption", week=plan.week, n=plan.n_incidents))
    if not len(sug):
        st.warning(tr("app_no_suggestions"))
        return
    lang = session_lang()
    table = pd.DataFrame(
        {
            "ID": sug["id"],
            tr("suggestion"): [labels.suggestion_kind(k, lang) for k in sug["kind"]],
            tr("layer_places"): sug["place"],
            tr("when"): [
                f"{labels.weekdays_text(days, lang)} {labels.hours_text(h)}"
                for days, h in zip(sug["weekdays"], sug["hours"], strict=True)
            ],
            tr("why"): sug[f"reason_{session_lang()}"],
            tr("expected_share"): [f"{100 * float(s):.1f} %" for s in sug["expected_share"]],
            tr("district"): sug["district"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    auto = bool(st.session_state.get("bandwidth_auto"))
    parts = cached_map_parts(
        db,
        version,
        config,
        profile,  # internal or planning (no descriptions): public stopped above
        session_lang(),
        True,
        hours,
        auto,
        wants_incidents("plan_map"),
    )
    show_map(parts, height=520, key="plan_map")
    if len(plan.schedule):
        st.subheader(tr("app_schedule"))
        shown = plan.schedule.assign(hours=[labels.hours_text(h) for h in plan.schedule["hours"]])
        st.dataframe(labels.localise_frame(shown, lang), hide_index=True, width="stretch")
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
