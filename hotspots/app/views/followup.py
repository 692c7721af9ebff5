"""Uppföljning: a week's patrol plan against what was delivered, the dosage map, the activity log.

:func:`page_followup` shows, for an ISO week (default the last one that has ended):

- the week's plan as the lägesbild of the week before proposed it
  (:func:`hotspots.dosage.followup.week_plan`, ``patrol hours`` allocated) against the GPS
  tracks and the activity log (:func:`hotspots.dosage.delivery.dosage_report`): the week's
  total (each minute of presence once where areas overlap), totals per promised kind of
  activity and one row per suggestion, offered as a CSV file for Swedish
  Excel (:func:`hotspots.io.csv_safety.write_excel_csv`);
- the map of delivered minutes per place, drawn by the static-map renderer
  (:func:`hotspots.render.report.figures_dosage.dosage_map`);
- a form that logs a traffic check, pub check, school visit ... no tracker recorded
  (:func:`hotspots.dosage.activity_entry.activity_line`; one write transaction of the tracks
  store, the same line twice is stored once), for roles that plan (``Role.can_plan``); each
  entry is an audit event (``activity_logged``).

A role whose widest profile is public sees the totals per kind only (where and when the
police patrol is not for it). The tables and the map are cached per store version, tracks
version, week, hours and language; a saved entry changes the tracks version, so the page
shows it on the next run.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from hotspots.access.audit import log_event
from hotspots.app import session
from hotspots.app.cache import cached_incidents, cached_survey, study_geo
from hotspots.core.config import OPENING
from hotspots.core.errors import HotspotsError, InputSchemaError, InsufficientDataError
from hotspots.core.i18n import Lang, t
from hotspots.core.schema import TIMEZONE
from hotspots.io.csv_safety import write_excel_csv
from hotspots.render.number_format import number_text, percent_text, table_styler

__all__ = [
    "DEFAULT_HOURS",
    "csv_bytes",
    "delivery_frame",
    "kind_frame",
    "last_week_label",
    "page_followup",
]

logger = logging.getLogger("hotspots.app")

#: Patrol hours of the week's plan the page starts with (as the plan page).
DEFAULT_HOURS = OPENING.patrol_hours
#: Seconds a save waits for another tracks writer before saying the store is busy.
WRITE_BUSY_TIMEOUT_S = 15.0
_FLASH = "followup::flash"


def _now() -> dt.datetime:
    return dt.datetime.now(ZoneInfo(TIMEZONE))


def last_week_label(today: dt.date) -> str:
    """The ISO week before ``today``'s (the last one that has ended)."""
    y, w, _ = (today - dt.timedelta(days=7)).isocalendar()
    return f"{y}-W{w:02d}"


def _kind(code: Any, lang: Lang) -> str:
    key = f"followup_kind_{code}"
    try:
        return t(key, lang)
    except KeyError:
        return str(code)


def _share_pct(value: Any) -> float:
    v = pd.to_numeric(value, errors="coerce")
    return float("nan") if pd.isna(v) else round(100 * float(v), 1)


def delivery_frame(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """One row per suggestion, headers and kinds in words (what the page shows and offers)."""
    cols = {
        "id": t("followup_app_id", lang),
        "kind": t("followup_activity", lang),
        "place": t("followup_place", lang),
        "planned_minutes": t("followup_planned", lang),
        "delivered_minutes": t("followup_delivered", lang),
        "tracked_minutes": t("followup_app_tracked", lang),
        "logged_minutes": t("followup_app_logged_min", lang),
        "share_delivered": t("followup_app_share", lang),
        "visits": t("followup_visits", lang),
        "koper_visits": t("followup_koper", lang),
        "long_visits": t("followup_app_long", lang),
        "drive_throughs": t("followup_drive", lang),
        "logged_activities": t("followup_logged", lang),
    }
    out = table[list(cols)].copy()
    out["kind"] = [_kind(k, lang) for k in out["kind"]]
    out["share_delivered"] = [_share_pct(v) for v in out["share_delivered"]]
    return out.rename(columns=cols)


def kind_frame(by_kind: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """One row per promised kind: planned, delivered, share, visits, logged."""
    cols = {
        "kind": t("followup_activity", lang),
        "planned_minutes": t("followup_planned", lang),
        "delivered_minutes": t("followup_delivered", lang),
        "share_delivered": t("followup_app_share", lang),
        "visits": t("followup_visits", lang),
        "koper_visits": t("followup_koper", lang),
        "drive_throughs": t("followup_drive", lang),
        "logged_activities": t("followup_logged", lang),
        "unplanned_activities": t("followup_unplanned", lang),
    }
    out = by_kind[list(cols)].copy()
    out["kind"] = [_kind(k, lang) for k in out["kind"]]
    out["share_delivered"] = [_share_pct(v) for v in out["share_delivered"]]
    return out.rename(columns=cols)


def csv_bytes(frame: pd.DataFrame, lang: Lang) -> bytes:
    """``frame`` as a CSV file for Excel in ``lang`` (decimal comma in Swedish)."""
    buf = io.BytesIO()
    write_excel_csv(frame, buf, lang=lang, translate_headers=False)
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=8)
def _week(
    db: str, version: str, *, tracks_version: str, week: str, hours: float, lang: Lang
) -> dict[str, Any]:
    """The week's plan against delivery (cached; ``tracks_version`` keys the tracks)."""
    from hotspots.core.periods import iso_week, parse_iso_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.followup import followup_places, week_deliveries  # noqa: PLC0415 (heavy; this page only)
    from hotspots.dosage.storage import open_track_store  # noqa: PLC0415 (heavy; this page only)
    from hotspots.est.followup import kind_totals  # noqa: PLC0415 (heavy; this page only)

    geo = study_geo(db, version)
    if geo is None:
        return {"error": "no_geography"}
    period = iso_week(*parse_iso_week(week))
    incidents = cached_incidents(db, version)
    deliveries, notes = week_deliveries(
        [period],
        open_track_store(db),
        incidents,
        geography=geo,
        survey=cached_survey(db, version),
        patrol_hours_per_week=hours,
        lang=lang,
    )
    if not deliveries:
        return {"error": "no_plan", "notes": notes}
    (d,) = deliveries
    return {
        "table": d.report.table,
        "by_kind": kind_totals(d.report.by_kind),
        "total": dict(d.report.total),
        "places": followup_places(deliveries, geo.crs),
        "notes": list(d.report.notes),
        "tracked": d.tracked,
        "ids": d.report.table["id"].tolist(),
    }


@st.cache_data(show_spinner=False, max_entries=8)
def _map_png(
    db: str, version: str, *, tracks_version: str, week: str, hours: float, lang: Lang
) -> bytes | None:
    """The dosage map of the week as PNG bytes, or ``None`` without places."""
    from hotspots.render.report.figures import figure_png  # noqa: PLC0415 (heavy; this page only)
    from hotspots.render.report.figures_dosage import dosage_map  # noqa: PLC0415 (heavy; this page only)

    made = _week(db, version, tracks_version=tracks_version, week=week, hours=hours, lang=lang)
    places = made.get("places")
    if places is None or not len(places):
        return None
    total = float(made["total"]["delivered_minutes"])  # each minute once, not the places' sum
    settings = [
        (t("followup_week", lang), week),
        (t("app_patrol_hours", lang), f"{hours:g}"),
        (t("followup_map_minutes", lang), f"{number_text(total, lang)} min"),
        (t("method", lang), t("followup_map_sources", lang)),
    ]
    fig = dosage_map(
        places,
        geography=study_geo(db, version),
        lang=lang,
        title=t("followup_map_title", lang, period=week),
        settings=settings,
    )
    return figure_png(fig, dpi=100)


def _week_log(db: str, week: str, lang: Lang) -> pd.DataFrame:
    from hotspots.core.periods import iso_week, parse_iso_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.storage import open_track_store  # noqa: PLC0415 (heavy; this page only)
    from hotspots.dosage.visits import local_day_start_ms  # noqa: PLC0415 (heavy; this page only)

    period = iso_week(*parse_iso_week(week))
    log = open_track_store(db).activities(
        start_ms=local_day_start_ms(period.start), end_ms=local_day_start_ms(period.end)
    )
    out = pd.DataFrame(
        {
            t("followup_app_date", lang): log["day"].astype(str),
            t("followup_app_time", lang): [
                "" if v is None or pd.isna(v) else str(v) for v in log["time"]
            ],
            t("followup_app_kind", lang): [_kind(k, lang) for k in log["kind"]],
            t("followup_app_place", lang): log["place"].astype(str),
            t("followup_app_minutes", lang): log["minutes"].astype(float),
        }
    )
    return out


def _clock_ok(text: str) -> bool:
    value = text.strip()
    if not value:
        return True
    for fmt in ("%H:%M", "%H.%M", "%H%M"):
        try:
            dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return True
    return False


def _log_form(db: str, week: str, ids: list[str], lang: Lang, user: str) -> None:
    """The form that adds one activity to the log (one transaction of the tracks store)."""
    from hotspots.dosage.activity_entry import activity_line, form_record  # noqa: PLC0415 (heavy; this page only)
    from hotspots.dosage.storage import open_track_store  # noqa: PLC0415 (heavy; this page only)
    from hotspots.est.followup import FOLLOWUP_KINDS  # noqa: PLC0415 (heavy; this page only)

    st.subheader(t("followup_app_log", lang))
    st.caption(t("followup_app_log_help", lang, ids=", ".join(ids[:12]) or "–"))
    now = _now()
    with st.form("followup_log"):
        cols = st.columns(2)
        day = cols[0].date_input(
            t("followup_app_date", lang), value=now.date(), max_value=now.date(), key="fu_day"
        )
        clock = cols[1].text_input(t("followup_app_time", lang), key="fu_time")
        kind = cols[0].selectbox(
            t("followup_app_kind", lang),
            [k for k in FOLLOWUP_KINDS if k != "foot_patrol"] + ["foot_patrol"],
            format_func=lambda k: _kind(k, lang),
            key="fu_kind",
        )
        place = cols[1].text_input(t("followup_app_place", lang), key="fu_place")
        minutes = cols[0].number_input(
            t("followup_app_minutes", lang),
            min_value=1.0,
            max_value=24 * 60.0,
            value=30.0,
            step=5.0,
            key="fu_minutes",
        )
        sent = st.form_submit_button(t("followup_app_save", lang))
    if not sent:
        return
    if not str(place).strip():
        st.error(t("followup_app_no_place", lang))
        return
    if not _clock_ok(str(clock)):
        st.error(t("followup_app_bad_time", lang, text=str(clock)))
        return
    try:
        line = activity_line(
            day=day, time=str(clock), kind=str(kind), place=str(place), minutes=float(minutes)
        )
    except InputSchemaError as exc:
        text = str(exc)
        st.error(
            t("followup_app_future", lang)
            if "future" in text
            else t("followup_app_not_saved", lang, reason=text)
        )
        return
    store = open_track_store(db, busy_timeout_s=WRITE_BUSY_TIMEOUT_S)
    try:
        counts = store.add_activities(line, form_record(line))
    except HotspotsError as exc:
        st.error(t("followup_app_not_saved", lang, reason=str(exc)))
        return
    if counts.inserted:
        st.session_state[_FLASH] = t(
            "followup_app_saved",
            lang,
            kind=_kind(kind, lang),
            place=str(place).strip(),
            day=day.isoformat(),
            minutes=f"{float(minutes):g}",
        )
        try:
            detail = {"kind": kind, "day": day.isoformat(), "minutes": float(minutes)}
            log_event(db, user, "activity_logged", detail)
        except HotspotsError as exc:  # the line is stored; the audit note is best effort
            logger.warning("activity logged, audit event not written: %s", exc)
        st.rerun()
    else:
        st.info(t("followup_app_already", lang))


def page_followup(db: str, version: str, lang: str) -> None:
    """Uppföljning: the week's plan against delivery, the dosage map, the activity log.

    Parameters
    ----------
    db
        The store (GeoPackage path or ``postgresql://`` URL); its tracks store is found by
        :func:`hotspots.dosage.storage.open_track_store`.
    version
        The store's data version (with the study area, as the other pages get it).
    lang
        ``sv`` or ``en``.
    """
    from hotspots.core.periods import parse_iso_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.storage import open_track_store  # noqa: PLC0415 (heavy; this page only)

    language: Lang = "en" if lang == "en" else "sv"
    st.header(t("followup_title", language))
    person = session.viewer()
    public = person.role.profile == "public"
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    cols = st.columns(2)
    week = (
        cols[0]
        .text_input(
            t("followup_app_week", language), value=last_week_label(_now().date()), key="fu_week"
        )
        .strip()
    )
    hours = cols[1].number_input(
        t("app_patrol_hours", language),
        1.0,
        200.0,
        value=DEFAULT_HOURS,
        step=1.0,
        format="%g",  # 10, not 10.00 (a decimal point reads wrong in Swedish)
        key="fu_hours",
    )
    try:
        y, w = parse_iso_week(week)
    except HotspotsError:
        st.error(t("followup_app_bad_week", language, text=week))
        return
    week = f"{y}-W{w:02d}"
    st.caption(t("followup_app_intro", language, hours=f"{hours:g}"))
    tracks = open_track_store(db)
    try:
        tracks_version = tracks.data_version()
    except HotspotsError as exc:
        st.error(str(exc))
        return
    if tracks_version == "absent":
        st.info(t("followup_app_no_tracks", language))
    try:
        made = _week(
            db,
            version,
            tracks_version=tracks_version,
            week=week,
            hours=float(hours),
            lang=language,
        )
    except (InsufficientDataError, InputSchemaError) as exc:
        st.error(str(exc))
        return
    if made.get("error") == "no_geography":
        st.warning(t("followup_app_no_geography", language))
        return
    if made.get("error") == "no_plan":
        st.warning(t("followup_no_plan", language, week=week))
        return
    by_kind = kind_frame(made["by_kind"], language)
    planned = float(pd.to_numeric(made["by_kind"]["planned_minutes"]).sum())
    # each minute of presence once: where areas of several kinds overlap, the kinds' rows
    # each count it, so their sum can be more
    delivered = float(made["total"]["delivered_minutes"])
    metrics = st.columns(3)
    metrics[0].metric(t("followup_app_planned", language), f"{number_text(planned, language)} min")
    delivered_text = f"{number_text(delivered, language)} min"
    metrics[1].metric(t("followup_app_delivered", language), delivered_text)
    share = percent_text(delivered / planned, language, digits=0) if planned > 0 else "–"
    metrics[2].metric(t("followup_share", language), share)
    st.subheader(t("followup_app_by_kind", language))
    st.dataframe(table_styler(by_kind, language), hide_index=True, width="stretch")
    if public:
        st.caption(t("followup_app_public", language))
        return
    st.subheader(t("followup_app_table", language))
    table = delivery_frame(made["table"], language)
    st.dataframe(table_styler(table, language), hide_index=True, width="stretch")
    st.download_button(
        t("followup_app_csv", language),
        csv_bytes(table, language),
        f"uppfoljning-{week}.csv" if language == "sv" else f"follow-up-{week}.csv",
        "text/csv",
        key="fu_csv",
        on_click="ignore",
    )
    st.subheader(t("followup_app_map", language))
    png = _map_png(
        db, version, tracks_version=tracks_version, week=week, hours=float(hours), lang=language
    )
    if png is None:
        st.info(t("followup_app_no_places", language))
    else:
        st.image(png, caption=t("followup_map_caption", language), width="stretch")
    log = _week_log(db, week, language)
    if len(log):
        st.subheader(t("followup_app_week_log", language))
        st.dataframe(table_styler(log, language), hide_index=True, width="stretch")
    if person.role.can_plan:
        _log_form(db, week, list(made["ids"]), language, person.name)
    else:
        st.caption(t("followup_app_may_not_log", language))
