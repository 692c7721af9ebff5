"""The harm panel of the Karta page: harm spots against count spots (issue 16).

Shown below the map when the sidebar's weight is *skada (brottsskadeindex)*: how far the harm
hotspots are the count hotspots (overlap), how concentrated harm is against incidents (the
share of the area holding half, and the concentration curve: share of harm against share of
the area, densest cells first), and the harm hotspots as a table, after the privacy profile.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from hotspots.app.cache_harm import harm_figures
from hotspots.app.session import session_lang, tr
from hotspots.core.config import AnalysisConfig
from hotspots.core.i18n import Lang
from hotspots.render import labels
from hotspots.render.number_format import number_text, percent_text, table_styler

__all__ = ["harm_panel", "harm_spot_table"]


def _pct(share: float | None, lang: Lang) -> str:
    return "–" if share is None else percent_text(share, lang, digits=1)


def harm_spot_table(spots: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The harm hotspots as the page shows them (headers in ``lang``; suppressed in words)."""
    crime = spots[spots["kind"].astype(str) != "perceived"] if "kind" in spots else spots
    rows = []
    for rec in crime.to_dict("records"):
        hidden = bool(rec.get("incidents_suppressed", False))
        harm: Any = rec.get("incidents")
        n: Any = rec.get("n_incidents")
        district = rec.get("district")
        rows.append(
            {
                tr("rank"): rec.get("rank"),
                tr("district"): "" if district is None or pd.isna(district) else str(district),
                # hidden: NaN, shown as "färre än 5" (the column stays numeric)
                tr("report_harm_value"): float("nan") if hidden or pd.isna(harm) else harm,
                tr("report_harm_incidents"): float("nan")
                if bool(rec.get("n_incidents_suppressed", False)) or n is None or pd.isna(n)
                else int(n),
                tr("area_km2") + " (km²)": round(float(rec.get("area_km2") or 0.0), 3),
                tr("top_categories"): labels.categories_text(
                    rec.get("top_categories"),
                    lang,
                    limit=3,
                ),
            }
        )
    return pd.DataFrame(rows)


def harm_panel(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Overlap, concentration and the harm hotspots of the current settings."""
    lang = session_lang()
    with st.spinner(tr("app_computing")):
        figures = harm_figures(db, version, config, profile)
    overlap = figures["overlap"]
    weights = figures["weights"]
    st.subheader(tr("app_harm_heading"))
    st.caption(tr("app_harm_caption", date=weights.get("date") or "–"))
    cols = st.columns(3)
    jaccard = overlap.get("jaccard")
    cols[0].metric(
        tr("app_harm_overlap"),
        _pct(overlap.get("harm_in_count"), lang),
        help=tr(
            "app_harm_overlap_help",
            both=overlap["both_cells"],
            harm=overlap["harm_cells"],
            jaccard="–" if jaccard is None else number_text(jaccard, lang, digits=2),
        ),
    )
    for col, key, value in (
        (cols[1], "app_harm_half", figures["area_half_harm"]),
        (cols[2], "app_harm_half_count", figures["area_half_count"]),
    ):
        pct = "–" if value is None else number_text(100.0 * value, lang, digits=1)
        col.metric(tr(key), tr("app_harm_of_area", pct=pct))
    curve = figures["curve"]
    area, harm, count = (
        tr("report_harm_area") + " (%)",
        tr("report_harm_share"),
        tr("report_harm_count_share"),
    )
    chart = pd.DataFrame(
        {
            area: 100.0 * curve["area"].to_numpy(),
            harm: 100.0 * curve["harm"].to_numpy(),
            count: 100.0 * curve["count"].to_numpy(),
        }
    )
    st.line_chart(
        chart,
        x=area,
        y=[harm, count],
        x_label=area,
        y_label="%",
        height=260,
        color=["#b30000", "#2b6cb0"],
    )
    st.caption(tr("app_harm_curve"))
    table = harm_spot_table(figures["spots"], lang)
    st.subheader(tr("app_harm_spots"))
    if len(table):
        counts = ("report_harm_value", "report_harm_incidents")
        hidden = {tr(key): tr("suppressed") for key in counts}
        st.dataframe(
            table_styler(table, lang, missing=hidden),
            hide_index=True,
            width="stretch",
            key="harm_spot_table",
        )
    else:
        st.info(tr("report_harm_no_spots"))
