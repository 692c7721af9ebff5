"""Utvärdering: how well the hotspots predicted the following weeks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_evaluation
from hotspots.app.controls import analysis_or_stop
from hotspots.app.session import session_lang, tr
from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import HotspotsError
from hotspots.core.i18n import Lang
from hotspots.render import labels
from hotspots.render.number_format import table_styler
from hotspots.render.symbology import format_number

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


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
    st.dataframe(evaluation_table(frame, lang), hide_index=True, width="stretch")
    st.caption(tr("app_eval_methods", cell=format_number(float(config.cell_m), lang=lang)))


def evaluation_table(frame: pd.DataFrame, lang: Lang) -> Styler:
    """The backtest as the page shows it: coverage and hit rate in per cent, numbers in ``lang``.

    The values stay numbers (the table sorts by them); they are shown as
    :func:`hotspots.render.number_format.table_styler` writes them: ``12,5 %``, PAI with one
    decimal, PEI* with two.
    """
    hit = tr("app_hit_rate_axis")
    shown = frame[["method", "coverage", "hit_rate", "pai", "pei"]].rename(
        columns={
            "method": tr("method"),
            "coverage": tr("coverage"),
            "hit_rate": hit,
            "pai": "PAI",
            "pei": "PEI*",
        }
    )
    return table_styler(
        shown, lang, percent={tr("coverage"): 0, hit: 1}, digits={"PAI": 1, "PEI*": 2}
    )
