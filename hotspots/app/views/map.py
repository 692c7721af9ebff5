"""Karta: the map, the hotspot table and the exports."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.components.v1 import declare_component

from hotspots.app.cache import (
    _content,
    _map_component_folder,
    _private,
    cached_analysis,
    cached_map_parts,
    cached_plan,
    geo_for,
)
from hotspots.app.constants import MAP_HEIGHT_PX
from hotspots.app.controls import analysis_or_stop, badge_row
from hotspots.app.session import session_lang, tr
from hotspots.core.config import WEEKDAYS, AnalysisConfig
from hotspots.core.i18n import weekday_names
from hotspots.render import leaflet as mapping
from hotspots.render.symbology import format_number


def wants_incidents(key: str) -> bool:
    """Whether the map component ``key`` asked for the incident points (street zoom reached).

    The points are left out of the map until then: at city zoom they are not shown, and
    leaving them out makes every filter change send and run much less.
    """
    value = st.session_state.get(key)
    return isinstance(value, dict) and bool(value.get("incidents"))


def show_map(parts: mapping.MapParts, *, height: int, key: str) -> None:
    """Show ``parts`` in the map component.

    The component keeps its frame, Leaflet and the base map across reruns (fixed ``key``)
    and replaces only the overlay when the analysis changes. Panning and zooming never
    rerun the script; the component's value changes once, when the map first reaches
    street zoom and asks for the incident points (see :func:`wants_incidents`).
    """
    component = declare_component("hotspots_map", path=_map_component_folder())
    component(
        map_name=parts.map_name,
        html=parts.html,
        style=parts.style,
        base=parts.base,
        overlay=parts.overlay,
        bounds=parts.bounds,
        height=height,
        key=key,
        default=None,
    )


@st.cache_data(show_spinner=False, max_entries=24)
def _hotspot_table(  # noqa: PLR0917 (cache_data keys on positional arguments)
    db: str, version: str, config: AnalysisConfig, profile: str, lang: str, auto: bool
) -> Any:
    """The hotspot table of the map page (privacy applied), in the session language."""
    content = _private(db, version, config, profile, auto)
    hot = content.hotspots
    rows = []
    for rec in hot.drop(columns=hot.geometry.name).to_dict("records"):
        cats = rec.get("top_categories") or []
        lang = session_lang()
        cat_text = ", ".join(
            f"{c.get(f'label_{lang}', c.get('code'))} ({format_number(float(c.get('count')))})"
            if isinstance(c, dict)
            else str(c)
            for c in list(cats)[:3]
        )
        n = rec.get("incidents")
        rows.append(
            {
                tr("rank"): rec.get("rank"),
                tr("district"): rec.get("district") or "",
                tr("incidents"): tr("suppressed") if pd.isna(n) else round(float(n)),
                tr("area_km2") + " (km²)": round(float(rec.get("area_km2") or 0), 3),
                "PAI": round(float(rec.get("pai") or 0), 1),
                tr("peak_hours"): rec.get("peak_window") or "",
                tr("peak_weekdays"): ", ".join(
                    weekday_names(
                        [
                            WEEKDAYS.index(d)
                            for d in rec.get("peak_weekdays") or []
                            if d in WEEKDAYS
                        ],
                        session_lang(),
                    )
                ),
                tr("top_categories"): cat_text,
            }
        )
    return pd.DataFrame(rows)


def _exports(db: str, version: str, config: AnalysisConfig, profile: str, plan: Any) -> None:
    st.subheader(tr("app_exports"))
    if not st.button(tr("app_prepare_exports"), key="prepare_exports"):
        return
    from hotspots.export.html import standalone_html  # noqa: PLC0415 (on demand only)
    from hotspots.export.package import package_zip  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.export.static_map import write_static_map  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    result = cached_analysis(db, version, config)
    content = _content(
        result, profile, plan, auto_bandwidth=bool(st.session_state.get("bandwidth_auto"))
    )
    geo = geo_for(db, version)
    stamp = dt.date.today().isoformat()
    cols = st.columns(4)
    with st.spinner(tr("app_computing")):
        page = standalone_html(
            content, geography=geo, options=mapping.MapOptions(lang=session_lang())
        )
        cols[0].download_button(
            "HTML", page.encode("utf-8"), f"hotspots-{profile}-{stamp}.html", "text/html"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for i, fmt in enumerate(("png", "pdf"), start=1):
                path = Path(tmp) / f"map.{fmt}"
                write_static_map(content, path, geography=geo, lang=session_lang())
                mime = "image/png" if fmt == "png" else "application/pdf"
                cols[i].download_button(
                    fmt.upper(), path.read_bytes(), f"hotspots-{profile}-{stamp}.{fmt}", mime
                )
        try:
            data = package_zip(content, result)
            cols[3].download_button(
                "GeoJSON + GeoPackage + GeoTIFF (zip)",
                data,
                f"hotspots-{profile}-{stamp}.zip",
                "application/zip",
            )
        except ImportError as exc:  # the engine's writers are not installed
            cols[3].caption(str(exc))


def page_map(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Karta: the hotspot map with its layers, the badge, the hotspot table and exports."""
    st.header(tr("app_page_map"))
    result = analysis_or_stop(db, version, config)
    badge_slot = st.container()  # filled after the map: the backtest must not delay it
    can_plan = profile == "internal" and geo_for(db, version) is not None
    with_plan = can_plan and st.checkbox(tr("app_show_suggestions"), key="show_plan")
    auto = bool(st.session_state.get("bandwidth_auto"))
    parts = cached_map_parts(
        db, version, config, profile, session_lang(), with_plan, 10.0, auto, wants_incidents("map")
    )
    show_map(parts, height=MAP_HEIGHT_PX, key="map")
    badge_row(db, version, config, result, badge_slot)
    st.subheader(tr("layer_hotspots"))
    table = _hotspot_table(db, version, config, profile, session_lang(), auto)
    st.dataframe(table, hide_index=True, width="stretch")
    plan = cached_plan(db, version, config, 10.0, session_lang()) if with_plan else None
    _exports(db, version, config, profile, plan)
