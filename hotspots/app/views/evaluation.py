"""Utvärdering: how well the hotspots predicted the following weeks."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_evaluation
from hotspots.app.controls import analysis_or_stop
from hotspots.app.session import session_lang, tr
from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import HotspotsError
from hotspots.render import labels
from hotspots.render.symbology import format_number


def page_evaluation(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Utvärdering: rolling backtest of the current settings against alternatives."""
    st.header(tr("app_page_evaluation"))
    analysis_or_stop(db, version, config)
    try:
        with st.spinner(tr("app_computing")):
            frame, origins = cached_evaluation(db, version, config)
    except HotspotsError as exc:
        st.warning(str(exc))
        return
    st.caption(tr("app_eval_caption", windows=", ".join(str(o.date()) for o in sorted(origins))))
    lang = session_lang()
    frame = frame.assign(method=[labels.method(m, lang) for m in frame["method"]])
    pivot = frame.pivot_table(index="coverage", columns="method", values="hit_rate", sort=False)
    pivot.index = 100.0 * pivot.index.to_numpy(dtype=float)
    st.line_chart(pivot * 100, x_label=tr("app_coverage_pct"), y_label=tr("app_hit_rate_axis"))
    shown = frame.assign(
        coverage=[f"{100 * c:g} %" for c in frame["coverage"]],
        hit_rate=[f"{100 * v:.1f} %" for v in frame["hit_rate"]],
        pai=frame["pai"].round(1),
        pei=frame["pei"].round(2),
    ).rename(
        columns={
            "method": tr("method"),
            "coverage": tr("coverage"),
            "hit_rate": tr("app_hit_rate_axis"),
            "pai": "PAI",
            "pei": "PEI*",
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(tr("app_eval_methods", cell=format_number(float(config.cell_m))))
