"""The hotspots app (Streamlit): Karta, Patrullplan, Utvärdering, Data and Lägesbild.

Run with ``hotspots app`` (binds to 127.0.0.1) or ``streamlit run app.py``. The store is
``HOTSPOTS_DB`` (default ``data/hotspots.gpkg``); on the first run it is filled with the
demo data. Set ``HOTSPOTS_PASSWORD`` to require a password, ``HOTSPOTS_TILES`` for a basemap
(``osm`` or a local tile server URL; none by default, offline).

This file only composes the package: every computation lives in ``hotspots``.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="hotspots", layout="wide", initial_sidebar_state="expanded")

import datetime as dt  # noqa: E402
import hmac  # noqa: E402
import importlib.util  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit.components.v1  # noqa: E402

from hotspots import assets, mapping  # noqa: E402
from hotspots._errors import (  # noqa: E402
    HotspotsError,
    InsufficientDataError,
    StoreError,
)
from hotspots.analysis import run_analysis  # noqa: E402
from hotspots.cli._geo import base_geography, geography_config  # noqa: E402
from hotspots.cli._options import resolve_db  # noqa: E402
from hotspots.cli.app_cmd import OPENING  # noqa: E402
from hotspots.config import KERNELS, WEEKDAYS, AnalysisConfig, Filters, HourWindow  # noqa: E402
from hotspots.demo_store import ensure_demo_store  # noqa: E402
from hotspots.evaluation import COVERAGES, backtest, rolling_windows  # noqa: E402
from hotspots.export.privacy import apply_privacy  # noqa: E402
from hotspots.geography import choose_geography  # noqa: E402
from hotspots.i18n import Lang, t, weekday_names  # noqa: E402
from hotspots.methods import MethodSpec  # noqa: E402
from hotspots.store import open_store  # noqa: E402
from hotspots.symbology import format_number  # noqa: E402
from hotspots.taxonomy import (  # noqa: E402
    PROBLEM_AREA_LABELS,
    PROBLEM_AREAS,
    codes_in_area,
    label,
    public_codes,
)
from hotspots.tuning_cache import tuned_bandwidth  # noqa: E402

#: The lägesbild page joins when hotspots.report is installed (imported on that page only:
#: it is the heaviest import, and the map must be quick on the first visit). Likewise the
#: exports, the importer, the plan and the schedule are imported where they are used.
HAS_REPORT = importlib.util.find_spec("hotspots.report") is not None

logger = logging.getLogger("hotspots.app")

PAGES: tuple[str, ...] = ("map", "plan", "evaluation", "data", "report")
MAP_HEIGHT_PX = 720


# ---------------------------------------------------------------------------------------------
# cached composition (keyed on the store's data_version and the frozen config)
#
# The incident frame, the survey, the analysis and the plan are cached with cache_resource:
# with 100,000 incidents, cache_data's copy (unpickling) on every rerun costs seconds, and
# these objects are never mutated (privacy, mapping and exports work on copies). Every
# other cached value (badge, tables, map) uses cache_data.


def _geography_file() -> str | None:
    """The file naming the user's official layers (``HOTSPOTS_GEOGRAPHY``), or ``None``."""
    path = geography_config(None)
    return str(path) if path is not None else None


@st.cache_resource(show_spinner=False)
def _geography(metric_crs: str, config: str | None) -> Any:
    """The user's layers, else the demo geography (immutable, shared by every session)."""
    return base_geography(Path(config) if config else None, metric_crs=metric_crs)


@st.cache_resource(show_spinner=False, max_entries=4)
def _incidents(db: str, version: str) -> Any:
    return open_store(db).incidents()


@st.cache_resource(show_spinner=False, max_entries=4)
def _survey(db: str, version: str) -> Any:
    survey = open_store(db).survey()
    return survey if len(survey) else None


@st.cache_data(show_spinner=False, max_entries=4)
def _has_geography(db: str, version: str, config: str | None) -> bool:
    """Official layers are set, or the incidents lie in the demo geography (Karlstad)."""
    if config is not None:
        return True
    inc = _incidents(db, version)
    return choose_geography(inc, inc.crs.to_string()) is not None


def _geo_for(db: str, version: str) -> Any:
    """The geography of the data, or ``None``.

    The user's layers when ``HOTSPOTS_GEOGRAPHY`` names them, else demo Karlstad when the
    incidents lie there.
    """
    config = _geography_file()
    if not _has_geography(db, version, config):
        return None
    return _geography(_incidents(db, version).crs.to_string(), config)


@st.cache_resource(show_spinner=False)
def _urban(metric_crs: str, config: str | None) -> Any:
    """The geography with its land cut to the districts (the built-up area)."""
    return _geography(metric_crs, config).with_study_area("urban")


def _study_geo(db: str, version: str) -> Any:
    """The geography whose land is the study area: urban (districts) or the municipality.

    ``version`` carries the choice as ``"<data_version>|<study>"`` so every cache keys on it.
    """
    geo = _geo_for(db, version)
    if geo is None or not version.endswith("|urban") or not len(geo.districts):
        return geo
    return _urban(_incidents(db, version).crs.to_string(), _geography_file())


@st.cache_resource(show_spinner=False, max_entries=24)
def _analysis(db: str, version: str, config: AnalysisConfig) -> Any:
    inc = _incidents(db, version)
    return run_analysis(
        inc,
        config=config.replace(metric_crs=inc.crs.to_string()),
        geography=_study_geo(db, version),
        survey=_survey(db, version),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _tuned_bandwidth(
    db: str, version: str, kernel: str, cell_m: float, categories: tuple[str, ...] | None
) -> float:
    """Automatic bandwidth (backtest tuning) for the chosen categories over the whole history.

    Reused when only the period, hours or weekdays change: the spatial scale of the
    problem is tuned on all its incidents, and a filter change then costs one analysis.
    Kept beside the store too (:mod:`hotspots.tuning_cache`), so a restarted app does not
    tune again until the data or the tuning code change.
    """
    return tuned_bandwidth(
        Path(db),
        incidents=_incidents(db, version),
        geography=_study_geo(db, version),
        kernel=kernel,
        cell_m=cell_m,
        categories=categories,
    )


def _resolve_bandwidth(db: str, version: str, config: AnalysisConfig) -> AnalysisConfig:
    if config.bandwidth_m is not None:
        return config
    bw = _tuned_bandwidth(db, version, config.kernel, config.cell_m, config.filters.categories)
    return config.replace(bandwidth_m=bw)


@st.cache_resource(show_spinner=False, max_entries=24)
def _plan(db: str, version: str, config: AnalysisConfig, hours_per_week: float, lang: str) -> Any:
    from hotspots.plan import PlanOptions, make_plan  # noqa: PLC0415 (not on the default page)

    result = _analysis(db, version, config)
    return make_plan(
        result,
        geography=_geo_for(db, version),
        incidents=result.incidents,
        survey=_survey(db, version),
        options=PlanOptions(patrol_hours_per_week=hours_per_week, lang=lang),  # type: ignore[arg-type]
    )


@st.cache_data(show_spinner=False, max_entries=24)
def _map_parts(  # noqa: PLR0917 (cache_data keys on positional arguments)
    db: str,
    version: str,
    config: AnalysisConfig,
    profile: str,
    lang: str,
    with_plan: bool,
    hours_per_week: float,
    auto_bandwidth: bool = False,
    incidents: bool = False,
) -> mapping.MapParts:
    """The map of the current settings; incident points only once asked for (``incidents``)."""
    if with_plan:
        result = _analysis(db, version, config)
        plan = _plan(db, version, config, hours_per_week, lang)
        content = _content(result, profile, plan, auto_bandwidth=auto_bandwidth)
    else:
        content = _private(db, version, config, profile, auto_bandwidth)
    return mapping.map_parts(
        content,
        geography=_geo_for(db, version),
        options=mapping.MapOptions(
            lang=lang,  # type: ignore[arg-type]
            collapse_layers=True,
            lazy_incidents=not incidents,
        ),
    )


@st.cache_resource(show_spinner=False)
def _map_component_folder() -> str:
    """A folder holding the map component's page (Leaflet inline), written once per process."""
    folder = Path(tempfile.mkdtemp(prefix="hotspots-map-"))
    (folder / "index.html").write_text(assets.map_component_page(), encoding="utf-8")
    return str(folder)


def _wants_incidents(key: str) -> bool:
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
    street zoom and asks for the incident points (see :func:`_wants_incidents`).
    """
    component = st.components.v1.declare_component("hotspots_map", path=_map_component_folder())
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
def _badge(db: str, version: str, config: AnalysisConfig) -> dict[str, float] | None:
    """Backtest of the current settings: hit rate and PAI at the chosen coverage."""
    result = _analysis(db, version, config)
    inc = result.incidents
    times = inc["occurred_at"]
    try:
        windows = rolling_windows(times, n_windows=3)
        spec = MethodSpec(
            "kde", kernel=result.config.kernel, bandwidth_m=float(result.config.bandwidth_m)
        )
        bt = backtest(
            inc.geometry.x.to_numpy(),
            inc.geometry.y.to_numpy(),
            times,
            grid=result.grid,
            mask=result.study_mask,
            windows=windows,
            specs=[spec],
            coverages=(result.config.coverage,),
        )
    except (InsufficientDataError, HotspotsError) as exc:
        logger.info("no backtest: %s", exc)
        return None
    return {
        "hit_rate": float(bt.hit_rate()[0, 0]),
        "pai": float(bt.pai()[0, 0]),
        "windows": float(len(windows)),
    }


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluation(db: str, version: str, config: AnalysisConfig) -> Any:
    result = _analysis(db, version, config)
    inc = result.incidents
    times = inc["occurred_at"]
    bw = float(result.config.bandwidth_m)
    specs = [
        MethodSpec("kde", kernel=result.config.kernel, bandwidth_m=bw),
        MethodSpec("naive", cell_m=result.config.cell_m),
        MethodSpec("kde", kernel=result.config.kernel, bandwidth_m=bw / 2),
        MethodSpec("kde", kernel=result.config.kernel, bandwidth_m=bw * 2),
    ]
    bt = backtest(
        inc.geometry.x.to_numpy(),
        inc.geometry.y.to_numpy(),
        times,
        grid=result.grid,
        mask=result.study_mask,
        windows=rolling_windows(times, n_windows=3),
        specs=specs,
        coverages=COVERAGES,
    )
    rows = []
    hr, pai, pei = bt.hit_rate(), bt.pai(), bt.pei()
    for i, spec in enumerate(bt.specs):
        for j, cov in enumerate(bt.coverages):
            rows.append(
                {
                    "method": spec.label(),
                    "coverage": cov,
                    "hit_rate": hr[i, j],
                    "pai": pai[i, j],
                    "pei": pei[i, j],
                }
            )
    return pd.DataFrame(rows), [w.origin for w in bt.windows]


@st.cache_resource(show_spinner=False, max_entries=24)
def _private(db: str, version: str, config: AnalysisConfig, profile: str, auto: bool) -> Any:
    """The analysis after its privacy profile, without a plan: shared by map and table.

    Never mutated by its users (mapping and the table only read it).
    """
    return _content(_analysis(db, version, config), profile, None, auto_bandwidth=auto)


def _content(result: Any, profile: str, plan: Any, *, auto_bandwidth: bool) -> Any:
    content = apply_privacy(result, profile=profile, plan=plan)
    content.parameters["bandwidth_auto"] = auto_bandwidth
    return content


# ---------------------------------------------------------------------------------------------
# session, language, password gate


def _lang() -> Lang:
    return st.session_state.get("lang", "sv")  # type: ignore[no-any-return]


def tr(key: str, **values: object) -> str:
    """Translate ``key`` into the session language."""
    return t(key, _lang(), **values)


def _password_gate() -> None:
    expected = os.environ.get("HOTSPOTS_PASSWORD")
    if not expected or st.session_state.get("authenticated"):
        return
    st.title("hotspots")
    given = st.text_input(tr("app_password"), type="password", key="password")
    if given and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        st.session_state["authenticated"] = True
        st.rerun()
    if given:
        st.error(tr("app_password_wrong"))
    st.stop()


def _store_ref() -> Path | str:
    return resolve_db(None)


def _ensure_store(db: Path | str) -> None:
    """Demo data only where nothing is yet (never over or beside a store that is busy)."""
    if open_store(db).occupied():
        return
    with st.spinner(tr("app_demo_loading")):
        ensure_demo_store(db)


# ---------------------------------------------------------------------------------------------
# controls


def _controls(incidents: Any) -> tuple[AnalysisConfig, str]:
    """Sidebar filters and analysis options; returns the frozen config and privacy profile."""
    sb = st.sidebar
    sb.subheader(tr("app_filters"))
    area_options = ["all", *PROBLEM_AREAS, "custom"]
    area_labels = {
        "all": tr("app_area_all"),
        "custom": tr("app_area_custom"),
        **{a: PROBLEM_AREA_LABELS[a][_lang()] for a in PROBLEM_AREAS},
    }
    area = sb.selectbox(
        tr("app_area"), area_options, format_func=area_labels.__getitem__, key="area"
    )
    categories: tuple[str, ...] | None = None
    if area == "custom":
        chosen = sb.multiselect(
            tr("categories"),
            list(public_codes()),
            default=["assault_public"],
            format_func=lambda c: label(c, _lang()),
            key="categories",
        )
        categories = tuple(chosen) or None
    elif area != "all":
        categories = codes_in_area(area)

    times = incidents["occurred_at"]
    first = times.min().date() if len(times) else dt.date.today()
    last = times.max().date() if len(times) else dt.date.today()
    period = sb.date_input(
        tr("period"), value=(first, last), min_value=first, max_value=last, key="period"
    )
    since: dt.date | None = None
    until: dt.date | None = None
    if isinstance(period, tuple | list) and len(period) == 2:
        since, until = period[0], period[1] + dt.timedelta(days=1)
        if since <= first and until > last:
            since, until = None, None
    night = sb.checkbox(tr("app_night"), key="night")
    hours = sb.slider(tr("hours"), 0, 24, (0, 24), step=1, key="hours", disabled=night)
    window = None
    if tuple(hours) != (0, 24) and hours[0] != hours[1]:
        window = HourWindow(int(hours[0]), int(hours[1]))
    if night:
        window = HourWindow(22, 4)
    days = sb.multiselect(
        tr("weekdays"),
        list(range(7)),
        default=list(range(7)),
        format_func=lambda d: weekday_names([d], _lang())[0],
        key="weekdays",
    )
    weekdays = tuple(sorted(days)) if days and len(days) < 7 else None

    sb.subheader(tr("app_analysis"))
    kernel = sb.selectbox(tr("kernel"), list(KERNELS), key="kernel")
    auto = sb.checkbox(tr("app_bandwidth_auto"), key="bw_auto")
    bandwidth: float | None = None
    if not auto:
        bandwidth = float(sb.slider(tr("app_bandwidth_m"), 50, 1000, step=25, key="bw"))
    coverage = sb.slider(tr("app_coverage_pct"), 1, 20, key="coverage") / 100.0
    cell = float(sb.select_slider(tr("app_cell_m"), [25, 50, 100], key="cell"))
    profile = sb.radio(
        tr("profile"),
        ["internal", "public"],
        format_func=lambda p: tr(f"profile_{p}"),
        key="profile",
    )
    filters = Filters(
        categories=categories, since=since, until=until, hours=window, weekdays=weekdays
    )
    config = AnalysisConfig(
        kernel=kernel, bandwidth_m=bandwidth, cell_m=cell, coverage=coverage, filters=filters
    )
    return config, str(profile)


def _analysis_or_stop(db: str, version: str, config: AnalysisConfig) -> Any:
    try:
        with st.spinner(tr("app_computing")):
            return _analysis(db, version, config)
    except HotspotsError as exc:
        st.warning(f"{tr('no_data')}: {exc}")
        st.stop()


# ---------------------------------------------------------------------------------------------
# pages


def _badge_row(db: str, version: str, config: AnalysisConfig, result: Any, slot: Any) -> None:
    """Counts and the backtest badge, written into ``slot`` (filled after the map is sent)."""
    crime = result.hotspots[result.hotspots["kind"].astype(str) == "crime"]
    cols = slot.columns(4)
    cols[0].metric(tr("n_incidents"), f"{len(result.incidents):,}".replace(",", " "))
    cols[1].metric(tr("layer_hotspots"), f"{len(crime)}")
    badge = _badge(db, version, config)
    pct = format_number(100 * config.coverage)
    if badge is None:
        cols[2].metric(tr("app_hit_rate", pct=pct), "–")
        cols[3].metric("PAI", "–")
    else:
        cols[2].metric(
            tr("app_hit_rate", pct=pct),
            f"{100 * badge['hit_rate']:.0f} %",
            help=tr("app_hit_rate_help", n=int(badge["windows"])),
        )
        cols[3].metric("PAI", f"{badge['pai']:.1f}", help=tr("app_pai_help"))


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
        cat_text = ", ".join(
            f"{c.get(f'label_{_lang()}', c.get('code'))} ({format_number(float(c.get('count')))})"
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
                        _lang(),
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
    from hotspots.export.package import package_zip  # noqa: PLC0415
    from hotspots.export.static_map import write_static_map  # noqa: PLC0415

    result = _analysis(db, version, config)
    content = _content(
        result, profile, plan, auto_bandwidth=bool(st.session_state.get("bandwidth_auto"))
    )
    geo = _geo_for(db, version)
    stamp = dt.date.today().isoformat()
    cols = st.columns(4)
    with st.spinner(tr("app_computing")):
        page = standalone_html(content, geography=geo, options=mapping.MapOptions(lang=_lang()))
        cols[0].download_button(
            "HTML", page.encode("utf-8"), f"hotspots-{profile}-{stamp}.html", "text/html"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for i, fmt in enumerate(("png", "pdf"), start=1):
                path = Path(tmp) / f"map.{fmt}"
                write_static_map(content, path, geography=geo, lang=_lang())
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
    result = _analysis_or_stop(db, version, config)
    badge_slot = st.container()  # filled after the map: the backtest must not delay it
    can_plan = profile == "internal" and _geo_for(db, version) is not None
    with_plan = can_plan and st.checkbox(tr("app_show_suggestions"), key="show_plan")
    auto = bool(st.session_state.get("bandwidth_auto"))
    parts = _map_parts(
        db, version, config, profile, _lang(), with_plan, 10.0, auto, _wants_incidents("map")
    )
    show_map(parts, height=MAP_HEIGHT_PX, key="map")
    _badge_row(db, version, config, result, badge_slot)
    st.subheader(tr("layer_hotspots"))
    table = _hotspot_table(db, version, config, profile, _lang(), auto)
    st.dataframe(table, hide_index=True, width="stretch")
    plan = _plan(db, version, config, 10.0, _lang()) if with_plan else None
    _exports(db, version, config, profile, plan)


def page_plan(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Patrullplan: suggestions with time windows and the weekly schedule."""
    from hotspots.schedule import render_csv  # noqa: PLC0415 (this page only)
    from hotspots.schedule import render_html as schedule_html  # noqa: PLC0415

    st.header(tr("app_page_plan"))
    if profile == "public":
        st.info(tr("app_plan_internal_only"))
        return
    _analysis_or_stop(db, version, config)
    if _geo_for(db, version) is None:
        st.info(tr("app_plan_needs_geography"))
        return
    hours = float(st.number_input(tr("app_patrol_hours"), 1.0, 200.0, 10.0, 1.0, key="ph"))
    with st.spinner(tr("app_computing")):
        plan = _plan(db, version, config, hours, _lang())
    sug = plan.suggestions
    st.caption(tr("app_plan_caption", week=plan.week, n=plan.n_incidents))
    if not len(sug):
        st.warning(tr("app_no_suggestions"))
        return
    table = pd.DataFrame(
        {
            "ID": sug["id"],
            tr("suggestion"): [tr(f"kind_{k}") for k in sug["kind"]],
            tr("layer_places"): sug["place"],
            tr("when"): [
                f"{', '.join(weekday_names([WEEKDAYS.index(d) for d in days], _lang()))} {h}"
                for days, h in zip(sug["weekdays"], sug["hours"], strict=True)
            ],
            tr("why"): sug[f"reason_{_lang()}"],
            tr("expected_share"): [f"{100 * float(s):.1f} %" for s in sug["expected_share"]],
            tr("district"): sug["district"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    auto = bool(st.session_state.get("bandwidth_auto"))
    parts = _map_parts(
        db, version, config, "internal", _lang(), True, hours, auto, _wants_incidents("plan_map")
    )
    show_map(parts, height=520, key="plan_map")
    if len(plan.schedule):
        st.subheader(tr("app_schedule"))
        st.dataframe(plan.schedule, hide_index=True, width="stretch")
        cols = st.columns(2)
        cols[0].download_button(
            "CSV",
            render_csv(plan.schedule).encode("utf-8"),
            f"schema-{plan.week}.csv",
            "text/csv",
        )
        page = schedule_html(plan.schedule, sug, week=plan.week, lang=_lang())
        cols[1].download_button(
            "HTML", page.encode("utf-8"), f"schema-{plan.week}.html", "text/html"
        )


def page_evaluation(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Utvärdering: rolling backtest of the current settings against alternatives."""
    st.header(tr("app_page_evaluation"))
    _analysis_or_stop(db, version, config)
    try:
        with st.spinner(tr("app_computing")):
            frame, origins = _evaluation(db, version, config)
    except HotspotsError as exc:
        st.warning(str(exc))
        return
    st.caption(tr("app_eval_caption", windows=", ".join(str(o.date()) for o in sorted(origins))))
    pivot = frame.pivot_table(index="coverage", columns="method", values="hit_rate")
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


def page_data(db: str, version: str) -> None:
    """Data: what is stored, and import with a validation report and rejects download."""
    st.header(tr("app_page_data"))
    store = open_store(db)
    inc = _incidents(db, version)
    st.write(tr("app_store_summary", path=str(db), n=len(inc), version=version[:12]))
    counts = inc["category"].astype(str).value_counts()
    st.dataframe(
        pd.DataFrame(
            {tr("category"): [label(c, _lang()) for c in counts.index], tr("incidents"): counts}
        ),
        hide_index=True,
    )
    imports = store.imports()
    if len(imports):
        st.subheader(tr("app_imports"))
        st.dataframe(imports, hide_index=True, width="stretch")

    st.subheader(tr("app_import"))
    kind = st.radio(
        tr("app_import_kind"),
        ["incidents", "survey"],
        horizontal=True,
        key="import_kind",
        format_func=lambda k: tr(f"app_kind_{k}"),
    )
    fmt = st.selectbox(
        tr("app_import_format"),
        ["auto", "csv", "geojson", "gpkg", "shp", "policeuk", "polisen"],
        key="import_format",
    )
    crs = st.text_input(tr("app_import_crs"), value="", key="import_crs") or None
    upload = st.file_uploader(tr("app_upload"), key="upload")
    if upload is None or not st.button(tr("app_import_button"), key="import_button"):
        return
    from hotspots.ingest import import_file  # noqa: PLC0415 (on demand only)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            summary = import_file(path, db=db, kind=kind, fmt=fmt, crs=crs)
        except HotspotsError as exc:
            st.error(f"{tr('app_import_failed')}: {exc}")
            return
        st.success(
            tr(
                "app_import_done",
                accepted=summary.accepted,
                inserted=summary.inserted,
                updated=summary.updated,
                rejected=summary.rejected,
            )
        )
        if summary.rejects_path is not None and Path(summary.rejects_path).exists():
            rejects = Path(summary.rejects_path).read_bytes()
            st.dataframe(pd.read_csv(Path(summary.rejects_path)).head(200), hide_index=True)
            st.download_button(
                tr("app_rejects_download"), rejects, Path(summary.rejects_path).name, "text/csv"
            )


def page_report(db: str, version: str, config: AnalysisConfig, profile: str) -> None:
    """Lägesbild: the EST situation report of the last complete week."""
    from hotspots.actions import load_actions  # noqa: PLC0415 (heavy; this page only)
    from hotspots.periods import iso_week, last_complete_week  # noqa: PLC0415
    from hotspots.report import build_lagesbild, render_html, render_pdf  # noqa: PLC0415

    st.header(tr("app_page_report"))
    inc = _incidents(db, version)
    year, week = last_complete_week(inc["occurred_at"].max())
    text = st.text_input(tr("app_report_week"), value=f"{year}-W{week:02d}", key="report_week")
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
        lb = build_lagesbild(
            inc,
            period=period,
            geography=_study_geo(db, version),
            survey=_survey(db, version),
            actions=actions,
            config=config,
            privacy=profile,  # type: ignore[arg-type]
            lang=_lang(),
            data_version=open_store(db).data_version(),
        )
        page = render_html(lb)
    st.components.v1.html(page.decode("utf-8"), height=900, scrolling=True)
    cols = st.columns(2)
    cols[0].download_button("HTML", page, f"lagesbild-{text}.html", "text/html")
    cols[1].download_button("PDF", render_pdf(lb), f"lagesbild-{text}.pdf", "application/pdf")


# ---------------------------------------------------------------------------------------------
# main


def _defaults_from_query() -> None:
    """Initial widget values from the URL (shareable links), e.g. ``?area=violence&bw=200``.

    Read once per session, before any widget exists: ``page``, ``lang``, ``area``,
    ``bw`` (metres or ``auto``), ``coverage`` (per cent), ``profile``, ``night`` (1),
    ``cell`` (25, 50 or 100 metres), ``plan`` (1: suggestions on the map).
    """
    if st.session_state.get("_query_read"):
        return
    st.session_state["_query_read"] = True
    qp = st.query_params
    choices = {
        "page": PAGES,
        "lang": ("sv", "en"),
        "area": ("all", *PROBLEM_AREAS, "custom"),
        "profile": ("internal", "public"),
    }
    for key, allowed in choices.items():
        if qp.get(key) in allowed:
            st.session_state[key] = qp[key]
    bw = qp.get("bw")
    if bw == "auto":
        st.session_state["bw_auto"] = True
    elif bw is not None and bw.isdigit() and 50 <= int(bw) <= 1000:
        st.session_state["bw_auto"] = False
        st.session_state["bw"] = int(bw) // 25 * 25
    cov = qp.get("coverage")
    if cov is not None and cov.isdigit() and 1 <= int(cov) <= 20:
        st.session_state["coverage"] = int(cov)
    if qp.get("night") == "1":
        st.session_state["night"] = True
    if qp.get("plan") == "1":
        st.session_state["show_plan"] = True
    if qp.get("cell") in ("25", "50", "100"):
        st.session_state["cell"] = int(qp["cell"])


def _widget_defaults() -> None:
    """Defaults of the keyed widgets, set once (widgets then take no ``value=``)."""
    defaults = (
        ("bw_auto", True),
        ("bw", 200),
        ("coverage", 5),
        ("night", False),
        ("cell", OPENING.cell_m),
        ("kernel", OPENING.kernel),
        ("study", OPENING.study),
    )
    for key, value in defaults:
        st.session_state.setdefault(key, value)


def main() -> None:
    """Compose the app."""
    _defaults_from_query()
    _widget_defaults()
    st.session_state.setdefault("lang", "sv")
    lang_choice = st.sidebar.radio(
        "Språk / Language",
        ["sv", "en"],
        format_func=lambda v: "Svenska" if v == "sv" else "English",
        horizontal=True,
        key="lang",
    )
    del lang_choice
    _password_gate()
    db = _store_ref()
    try:
        _ensure_store(db)
        store = open_store(db)
        version = store.data_version()
    except StoreError as exc:  # busy, unreachable or not a store: say so, touch nothing
        st.error(f"{tr('app_store_unavailable')}: {exc}")
        st.stop()
    pages = [p for p in PAGES if p != "report" or HAS_REPORT]
    page = st.sidebar.radio(
        tr("app_page"), pages, format_func=lambda p: tr(f"app_page_{p}"), key="page"
    )
    if page == "data":
        page_data(str(db), version)
        return
    incidents = _incidents(str(db), version)
    if not len(incidents):
        st.info(tr("app_empty_store"))
        page_data(str(db), version)
        return
    config, profile = _controls(incidents)
    if _geo_for(str(db), version) is not None:
        study = st.sidebar.radio(
            tr("app_study_area"),
            ["urban", "municipality"],
            format_func=lambda v: tr(f"app_study_{v}"),
            key="study",
            help=tr("app_study_help"),
        )
        version = f"{version}|{study}"
    auto = config.bandwidth_m is None
    try:
        with st.spinner(tr("app_tuning") if auto else tr("app_computing")):
            config = _resolve_bandwidth(str(db), version, config)
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


main()
