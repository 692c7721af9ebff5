"""Karta: the map, the hotspot table and the exports."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.components.v1 import declare_component

from hotspots.access.roles import PROFILES
from hotspots.app.basemap import on_basemap
from hotspots.app.cache import (
    _map_component_folder,
    _private,
    cached_dropped_csv,
    geo_for,
    placement_counts,
)
from hotspots.app.cache_harm import (
    chosen_weights,
    map_content,
    map_plan_for,
    map_profile,
    weighted_map_parts,
    weighted_result,
)
from hotspots.app.constants import MAP_HEIGHT_PX
from hotspots.app.controls import analysis_or_stop, badge_row
from hotspots.app.session import WARM_UP_USER, session_lang, tr, viewer
from hotspots.app.state import remember, seed
from hotspots.app.views.actions import actions_panel, place_targets
from hotspots.app.views.harm import harm_panel
from hotspots.core.config import OPENING, AnalysisConfig
from hotspots.core.i18n import t
from hotspots.engine.placement import left_out_text, moved_text
from hotspots.render import labels
from hotspots.render import leaflet as mapping
from hotspots.render.number_format import table_styler

logger = logging.getLogger("hotspots.app")


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

    The height goes as ``frame_height``, not ``height``: Streamlit opens a component's frame
    at an argument named ``height`` before the component drew anything (an empty box in
    view); this way the frame stays closed, behind Streamlit's skeleton, until the map is
    drawn and the component sets the frame's height itself.
    """
    component = declare_component("hotspots_map", path=_map_component_folder())
    component(
        map_name=parts.map_name,
        html=parts.html,
        style=parts.style,
        base=parts.base,
        overlay=parts.overlay,
        bounds=parts.bounds,
        frame_height=height,
        key=key,
        default=None,
    )


def _count_cell(rec: dict[str, Any], key: str) -> Any:
    """A count for a table cell: a whole number; NaN where the profile hid it.

    The table shows a hidden count as "färre än 5" (:func:`_hidden_counts`); the column
    stays numeric.
    """
    n = rec.get(key)
    if bool(rec.get(f"{key}_suppressed", False)) or n is None or pd.isna(n):
        return float("nan")
    return round(float(n))


def _hidden_counts(lang: str) -> dict[str, str]:
    """The count columns of the map page's tables and what a hidden count says there."""
    words = t("suppressed", lang)  # type: ignore[arg-type]
    return {t(key, lang): words for key in ("incidents", "app_survey_marks")}  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=24)
def _hotspot_tables(  # noqa: PLR0917 (cache_data keys on positional arguments)
    db: str, version: str, config: AnalysisConfig, profile: str, lang: str, auto: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The map page's two tables (privacy applied), in ``lang``.

    The crime hotspots (concentrations of the chosen incidents, the number in the metric
    above the map), and apart from them the places the survey marks as unsafe where few of
    the chosen incidents happened: they have no peak hours and a PAI of no meaning, and
    listing them among the hotspots made the table contradict the metric.
    """
    hot = _private(db, version, config, profile, auto).hotspots
    records = hot.drop(columns=hot.geometry.name).to_dict("records")
    crime_rows = []
    perceived_rows = []
    for rec in records:
        district = rec.get("district")
        district = "" if district is None or pd.isna(district) else str(district)
        area = round(float(rec.get("area_km2") or 0.0), 3)
        if str(rec.get("kind", "crime")) == "perceived":
            mean = rec.get("mean_unsafe")
            perceived_rows.append(
                {
                    tr("app_place_number"): rec.get("rank"),
                    tr("district"): district,
                    tr("app_survey_marks"): _count_cell(rec, "survey_marks"),
                    tr("app_mean_unsafe"): ""
                    if mean is None or pd.isna(mean)
                    else round(float(mean), 1),
                    tr("incidents"): _count_cell(rec, "incidents"),
                    tr("area_km2") + " (km²)": area,
                }
            )
            continue
        row = {
            tr("rank"): rec.get("rank"),
            tr("district"): district,
            tr("incidents"): _count_cell(rec, "incidents"),
            tr("area_km2") + " (km²)": area,
            "PAI": round(float(rec.get("pai") or 0.0), 1),
            tr("peak_hours"): labels.hours_text(rec.get("peak_window")),
            tr("peak_weekdays"): labels.weekdays_text(rec.get("peak_weekdays"), lang),  # type: ignore[arg-type]
            tr("top_categories"): labels.categories_text(
                rec.get("top_categories"),
                lang,  # type: ignore[arg-type]
                limit=3,
            ),
        }
        fear = labels.crime_fear(rec.get("crime_fear"), lang)  # type: ignore[arg-type]
        if fear:
            row[tr("crime_fear")] = fear
        crime_rows.append(row)
    return pd.DataFrame(crime_rows), pd.DataFrame(perceived_rows)


def _settings_key(*parts: object) -> str:
    """One text naming the settings the exports were made for."""
    return "|".join(repr(p) for p in parts)


def _make_exports(
    db: str, version: str, config: AnalysisConfig, profile: str, plan: Any
) -> list[tuple[str, bytes, str, str]]:
    """The export files of the current map: ``(label, data, file name, mime type)``."""
    from hotspots.export.html import standalone_html  # noqa: PLC0415 (on demand only)
    from hotspots.export.package import package_zip  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.export.static_map import write_static_map  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    weights = chosen_weights()  # harm: the harm density and spots; zones of raised risk
    result = weighted_result(db, version, config, weights)
    auto = bool(st.session_state.get("bandwidth_auto"))
    content = map_content(db, version, config, profile, plan, auto, weights)
    geo = geo_for(db, version)
    stamp = dt.date.today().isoformat()
    lang = session_lang()
    page = standalone_html(content, geography=geo, options=mapping.MapOptions(lang=lang))
    files = [("HTML", page.encode("utf-8"), f"hotspots-{profile}-{stamp}.html", "text/html")]

    def pages(backdrop: Any) -> list[tuple[str, bytes, str, str]]:
        out = []
        with tempfile.TemporaryDirectory() as tmp:
            for fmt in ("png", "pdf"):
                path = Path(tmp) / f"map.{fmt}"
                write_static_map(content, path, geography=geo, lang=lang, backdrop=backdrop)
                mime = "image/png" if fmt == "png" else "application/pdf"
                name = f"hotspots-{profile}-{stamp}.{fmt}"
                out.append((fmt.upper(), path.read_bytes(), name, mime))
        return out

    files += on_basemap(pages, "app_basemap_failed")
    try:
        files.append(
            (
                "GeoJSON + GeoPackage + GeoTIFF (zip)",
                package_zip(content, result),
                f"hotspots-{profile}-{stamp}.zip",
                "application/zip",
            )
        )
    except ImportError as exc:  # the engine's writers are not installed
        logger.info("no GIS package: %s", exc)
    return files


def _exports(db: str, version: str, config: AnalysisConfig, profile: str, plan: Any) -> None:
    """The export files, made once on request and kept for these settings.

    Kept in the session keyed by the settings, so every download button stays after a
    download (a download reran the page, which dropped the files and all other buttons) and
    until a setting changes.
    """
    st.subheader(tr("app_exports"))
    key = _settings_key(
        db, version, config, profile, session_lang(), plan is not None, chosen_weights()
    )
    made = st.session_state.get("exports")
    if not (isinstance(made, dict) and made.get("key") == key):
        slot = st.empty()  # the button goes once the files are made
        if not slot.button(tr("app_prepare_exports"), key="prepare_exports"):
            return
        slot.empty()
        with st.spinner(tr("app_computing")):
            st.session_state["exports"] = made = {
                "key": key,
                "files": _make_exports(db, version, config, profile, plan),
            }
    files = made["files"]
    cols = st.columns(len(files))
    for col, (label, data, name, mime) in zip(cols, files, strict=True):
        col.download_button(label, data, name, mime, key=f"export_{label}", on_click="ignore")


def _warm_other_profiles(  # noqa: PLR0917 (the settings of the opening map)
    db: str, version: str, config: AnalysisConfig, profile: str, auto: bool, weights: str
) -> None:
    """Fill the shared caches with the opening map and tables of every other profile.

    Only in the server's own warm-up run (``hotspots app``): the first planner and the first
    EST member of a meeting then get their map from the cache, instead of computing it while
    the others wait for it.
    """
    lang = session_lang()
    for other in PROFILES:
        if other != profile:
            weighted_map_parts(
                db, version, config, map_profile(other, incidents=False), lang, False,
                OPENING.patrol_hours, auto, False, 1, None, weights,
            )  # fmt: skip
            _hotspot_tables(db, version, config, other, lang, auto)
            place_targets(db, version, config, other)


#: Profiles that may download the list of the incidents left out (it holds ids, times and
#: coordinates of single incidents; no description). ``public`` sees the counts only.
LIST_PROFILES: tuple[str, ...] = ("internal", "planning")


def left_out_banner(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Say how many incidents the analysis shown leaves out, and why; offer their list.

    Nothing when none is left out or moved (or without a geography). The counts per reason
    go to every profile; the list (Swedish Excel CSV in the session's language) only to
    :data:`LIST_PROFILES`: ``profile`` is the one the server decided
    (:func:`hotspots.access.roles.effective_profile`), never the client's wish.
    """
    counts = placement_counts(db, version, config.filters)
    if counts is None or not (counts.n_left_out or counts.n_moved):
        return
    lang = session_lang()
    said = [left_out_text(counts, lang), moved_text(counts, lang)]
    st.info(" ".join(s for s in said if s))
    if not counts.n_left_out:
        return
    if profile not in LIST_PROFILES:
        st.caption(tr("placement_counts_only"))
        return
    name = "utanfor-analysen" if lang == "sv" else "left-out"
    st.download_button(
        tr("placement_download"),
        cached_dropped_csv(db, version, config.filters, profile, lang),
        f"{name}-{dt.date.today().isoformat()}.csv",
        "text/csv",
        key="dropped_download",
        on_click="ignore",
    )


def page_map(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Karta: the hotspot map with its layers, the badge, the hotspot tables and exports."""
    st.header(tr("app_page_map"))
    result = analysis_or_stop(db, version, config)
    # the banner and the badge in one element: the map stays the page's fourth element, the
    # place the Patrullplan page fills first (its container), so a page switch never leaves
    # this map faded in the plan's place (tests/test_browser_plan_map.py)
    top = st.container()
    with top:
        left_out_banner(db, version, config, profile)
    badge_slot = top.container()  # filled after the map: the backtest must not delay it
    can_plan = profile in ("internal", "planning") and geo_for(db, version) is not None
    with_plan = False
    if can_plan:
        with_plan = bool(st.checkbox(tr("app_show_suggestions"), key=seed("show_plan")))
        remember("show_plan", with_plan)
    auto = bool(st.session_state.get("bandwidth_auto"))
    weights = chosen_weights()
    incidents = wants_incidents("map")
    with st.spinner(tr("app_computing")):
        parts = weighted_map_parts(
            db, version, config, map_profile(profile, incidents=incidents), session_lang(),
            with_plan, OPENING.patrol_hours, auto, incidents, 1, None, weights,
        )  # fmt: skip
    show_map(parts, height=MAP_HEIGHT_PX, key="map")
    shown = result if weights == "count" else weighted_result(db, version, config, weights)
    badge_row(db, version, config, shown, badge_slot)  # the map's hotspots counted
    if weights == "harm":
        harm_panel(db, version, config, profile)
    crime, perceived = _hotspot_tables(db, version, config, profile, session_lang(), auto)
    st.subheader(tr("layer_hotspots"))
    if len(crime):
        st.dataframe(
            table_styler(crime, session_lang(), missing=_hidden_counts(session_lang())),
            hide_index=True,
            width="stretch",
            key="hotspot_table",
        )
    else:
        st.info(tr("app_no_hotspots"))
    if len(perceived):
        st.subheader(tr("app_perceived_heading"))
        st.caption(tr("app_perceived_caption", first=int(perceived.iloc[0, 0])))
        st.dataframe(
            table_styler(perceived, session_lang(), missing=_hidden_counts(session_lang())),
            hide_index=True,
            width="stretch",
            key="perceived_table",
        )
    actions_panel(db, version, config, profile, page="map")
    plan = (
        map_plan_for(db, version, config, OPENING.patrol_hours, session_lang(), 1, None, weights)
        if with_plan
        else None
    )
    _exports(db, version, config, profile, plan)
    if viewer().name == WARM_UP_USER:
        _warm_other_profiles(db, version, config, profile, auto, weights)
