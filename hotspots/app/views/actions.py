"""Åtgärder: the EST actions log in the app, with forms to add, edit and close an action.

:func:`actions_panel` is drawn under the map (Karta) and under the lägesbild (Lägesbild). It
shows the log (open actions first, codes in words), offers it as a CSV file for Excel and,
for roles that may change it (``Role.can_edit_actions``: ``analytiker``, ``est``), three
forms: a new action for a place (a hotspot of the current analysis, a district or a named
place of the geography), an edit of a chosen action, and its closing with an outcome.

Every write goes through :func:`hotspots.est.actions.change_actions`: one write transaction
of the store, the id allocated under its lock, nothing deleted. The account's name is kept in
the action (``changed_by``) and each add, edit and close is an audit event
(``action_added``, ``action_edited``, ``action_closed``; the id and what changed in the
detail). A busy store or bad input is a message beside the form, which keeps what was
entered. The log holds places, decisions and dates, no incident data (no descriptions, no
counts), so it is shown in every privacy profile.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from hotspots.access.audit import log_event
from hotspots.app import session
from hotspots.app.cache import _private, geo_for
from hotspots.app.session import session_lang, tr
from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import HotspotsError, InputSchemaError, StoreBusyError
from hotspots.core.i18n import STRINGS, Lang, t
from hotspots.core.schema import TIMEZONE
from hotspots.est.actions import (
    ACTIONS,
    ACTORS,
    OPEN_STATUSES,
    PROBLEMS,
    STATUSES,
    add_action,
    close_action,
    edit_action,
    load_actions,
    place_label,
    problem_label,
)
from hotspots.est.actions import change_actions as _change_actions
from hotspots.io.csv_safety import write_excel_csv
from hotspots.render import labels
from hotspots.store import open_store
from hotspots.store.base import Store

__all__ = ["WRITE_BUSY_TIMEOUT_S", "Target", "actions_panel", "log_table", "place_targets"]

logger = logging.getLogger("hotspots.app")

#: Seconds a save waits for another writer (an import) before saying the store is busy.
WRITE_BUSY_TIMEOUT_S = 15.0

#: The columns of the log as shown and downloaded, in order (what a table shows first).
LOG_COLUMNS: tuple[str, ...] = (
    "id",
    "status",
    "action",
    "actor",
    "place_ref",
    "problem",
    "date",
    "follow_up",
    "closed",
    "note",
    "place_kind",
    "updated",
    "changed_by",
)
_CLOSING: tuple[str, ...] = tuple(s for s in STATUSES if s not in OPEN_STATUSES)
_FLASH = "actions::flash"  # messages for the run after a save
_RESET = "actions::reset"  # the forms to fill anew in the next run (after a save)
_CHOOSE_NEXT = "actions::choose"  # the action to choose after a save
_EDITING = "actions::editing"  # the action whose fields the edit and close forms hold
_CHOOSE = "actions_choose"


@dataclass(frozen=True, slots=True)
class Target:
    """A place an action can be tied to.

    Attributes
    ----------
    key
        Code of the choice (``hotspot:2``, ``district:Kronoparken``, ``place:Stora torget``).
    kind
        ``place_kind`` of the action: ``hotspot``, ``district`` or ``place``.
    ref
        ``place_ref`` of the action: the place's name as the report shows it.
    label
        The choice in the session's language.
    point
        A point of the place (a polygon's representative point) in ``crs``.
    crs
        The CRS of ``point`` (metric).
    """

    key: str
    kind: str
    ref: str
    label: str
    point: BaseGeometry
    crs: Any


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def _text(value: Any) -> str:
    """A cell as text: missing values are empty, never ``None`` or ``nan``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _word(prefix: str, code: Any, lang: Lang) -> str:
    """``STRINGS[prefix + code]`` in ``lang``; an unknown code as it is."""
    text = _text(code)
    entry = STRINGS.get(prefix + text)
    return entry[lang] if entry is not None else text


def actor_word(code: Any, lang: Lang = "sv") -> str:
    """Who acts, in words (``kommun`` -> ``Kommun``, ``Municipality``)."""
    return _word("actions_actor_", code, lang)


def what_word(code: Any, lang: Lang = "sv") -> str:
    """What is done, in words (``fotpatrull`` -> ``Fotpatrull``, ``Foot patrol``)."""
    return _word("actions_what_", code, lang)


def _ordered(log: pd.DataFrame) -> pd.DataFrame:
    """Open actions first (oldest first), then the closed ones (latest closed first)."""
    if not len(log):
        return log
    is_open = log["status"].isin(OPEN_STATUSES)
    first = log[is_open].sort_values(["date", "id"])
    closed = log[~is_open]
    closed = closed.assign(_c=closed["closed"].fillna("")).sort_values(
        ["_c", "id"], ascending=[False, True]
    )
    return pd.concat([first, closed.drop(columns="_c")])


def log_table(log: pd.DataFrame, lang: Lang = "sv") -> pd.DataFrame:
    """The actions log for a reader: :data:`LOG_COLUMNS`, codes in words, open first.

    Column names stay codes (``labels.column`` turns them into headers); missing values are
    empty strings.
    """
    rows = _ordered(log)
    words: dict[str, Callable[[Any], str]] = {
        "status": lambda v: labels.action_status(v, lang),
        "place_kind": lambda v: _word("actions_kind_", v, lang),
        "problem": lambda v: problem_label(_text(v), lang) if _text(v) else "",
        "action": lambda v: what_word(v, lang),
        "actor": lambda v: actor_word(v, lang),
        "updated": lambda v: _text(v).replace("T", " "),
    }
    out = {}
    for col in LOG_COLUMNS:
        values = rows[col].tolist() if col in rows else [None] * len(rows)
        out[col] = [words.get(col, _text)(v) for v in values]
    kinds = rows["place_kind"].tolist() if "place_kind" in rows else [None] * len(rows)
    refs = rows["place_ref"].tolist() if "place_ref" in rows else [None] * len(rows)
    out["place_ref"] = [place_label(k, r, lang) for k, r in zip(kinds, refs, strict=True)]
    return pd.DataFrame(out, columns=list(LOG_COLUMNS))


def _hotspot_targets(  # noqa: PLR0917 (the arguments of _place_targets)
    db: str, version: str, config: AnalysisConfig, profile: str, lang: Lang, auto: bool
) -> list[Target]:
    """The crime hotspots of the current analysis, by rank (the ones the table lists)."""
    try:
        content = _private(db, version, config, profile, auto)
    except HotspotsError as exc:  # too little data for the selection: no hotspots to offer
        logger.info("no hotspot targets: %s", exc)
        return []
    hot = content.hotspots
    hot = hot[hot["kind"].astype(str) == "crime"].sort_values("rank")
    span = ""
    if content.period is not None:
        span = f", {content.period[0].isoformat()}–{content.period[1].isoformat()}"
    crs = hot.crs
    districts = hot["district"] if "district" in hot else [None] * len(hot)
    points = shapely.point_on_surface(hot.geometry.to_numpy())  # representative_point()
    out = []
    for rank_value, district_value, point in zip(hot["rank"], districts, points, strict=True):
        rank = int(rank_value)
        district = _text(district_value)
        where = f" ({district})" if district else ""  # as `hotspots actions add --hotspot`
        out.append(
            Target(
                key=f"hotspot:{rank}",
                kind="hotspot",
                ref=f"Hotspot {rank}{where}{span}",
                label=t(
                    "app_actions_place_hotspot",
                    lang,
                    rank=rank,
                    district=f" – {district}" if district else "",
                ),
                point=point,
                crs=crs,
            )
        )
    return out


def place_targets(db: str, version: str, config: AnalysisConfig, profile: str) -> dict[str, Target]:
    """The places an action can be tied to: hotspots by rank, then districts, then places.

    The hotspots are those of the current analysis after the page's privacy profile (the
    ones its table lists); districts and named places come from the geography, when the
    data have one. Keyed by :attr:`Target.key`. Made once for every session with the same
    settings (shared, never changed by its users).
    """
    auto = bool(st.session_state.get("bandwidth_auto"))
    return _place_targets(db, version, config, profile, session_lang(), auto)


@st.cache_resource(show_spinner=False, max_entries=24)
def _place_targets(  # noqa: PLR0917 (cache_resource keys on positional arguments)
    db: str, version: str, config: AnalysisConfig, profile: str, lang: Lang, auto: bool
) -> dict[str, Target]:
    """:func:`place_targets` of these settings, in ``lang`` (shared by every session)."""
    targets = _hotspot_targets(db, version, config, profile, lang, auto)
    targets += _geography_targets(db, version, lang)
    return {target.key: target for target in targets}


@st.cache_resource(show_spinner=False, max_entries=8)
def _geography_targets(db: str, version: str, lang: Lang) -> list[Target]:
    """The districts, then the named places, of the data's geography, by name (shared).

    They do not change with the filters: made once per geography and language, not again
    at every filter change of a meeting.
    """
    geo = geo_for(db, version)
    targets: list[Target] = []
    if geo is None:
        return targets
    for kind, frame in (("district", geo.districts), ("place", geo.places)):
        if frame is None or not len(frame):
            continue
        named = frame[frame["name"].notna()].drop_duplicates("name").sort_values("name")
        points = shapely.point_on_surface(named.geometry.to_numpy())
        for name_value, point in zip(named["name"], points, strict=True):
            name = str(name_value)
            targets.append(
                Target(
                    key=f"{kind}:{name}",
                    kind=kind,
                    ref=name,
                    label=t(f"app_actions_place_{kind}", lang, name=name),
                    point=point,
                    crs=frame.crs,
                )
            )
    return targets


def _point_in(target: Target, crs: Any) -> BaseGeometry:
    """The target's point in ``crs`` (the actions layer's)."""
    if crs is None or target.crs is None or CRS.from_user_input(crs).equals(target.crs):
        return target.point
    return gpd.GeoSeries([target.point], crs=target.crs).to_crs(crs).iloc[0]


@st.cache_data(show_spinner=False, max_entries=8)
def _cached_log(db: str, token: str) -> gpd.GeoDataFrame:
    """The store's actions log as of ``token`` (the actions layer's version)."""
    return load_actions(db)


def _read_log(db: str) -> gpd.GeoDataFrame:
    return _cached_log(db, open_store(db).layer_version("actions"))


def _csv(table: pd.DataFrame, lang: Lang) -> bytes:
    buffer = io.BytesIO()
    write_excel_csv(table, buffer, lang=lang)
    return buffer.getvalue()


# ------------------------------------------------------------------------------- writing


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(_FLASH, []).append((kind, text))


def _save(
    db: str, log: gpd.GeoDataFrame, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
) -> Store | None:
    """Apply ``change`` to the store's log; the store when it committed, else ``None``.

    ``change`` is tried on the log as shown first, so bad input is reported without waiting
    for the store; then it runs inside the store's write transaction. Bad input, a busy
    store and a store that cannot be written are messages on the page (where the form is).
    """
    store = open_store(db, busy_timeout_s=WRITE_BUSY_TIMEOUT_S)
    try:
        change(log)
        with st.spinner(tr("app_actions_saving")):
            _change_actions(store, change, lang=session_lang())
    except InputSchemaError as exc:
        st.error(tr("app_actions_invalid", error=exc))
        return None
    except StoreBusyError as exc:
        logger.warning("actions: %s", exc)
        st.error(tr("app_actions_busy"))
        return None
    except HotspotsError as exc:  # unreadable or unreachable store: nothing was written
        logger.warning("actions: %s", exc)
        st.error(tr("app_actions_store_error", error=exc))
        return None
    return store


def _audit(store: Store, event: str, detail: Mapping[str, Any]) -> None:
    """Record ``event`` of the session's account in the audit log (a warning if it fails)."""
    try:
        log_event(store, session.viewer().name, event, detail)
    except HotspotsError as exc:
        logger.error("audit log: %s %s not recorded: %s", event, detail.get("id"), exc)
        _flash("warning", tr("app_actions_audit_failed", error=exc))


def _after_save(message: str, reset: str, choose: str) -> None:
    """Show ``message`` in the next run, fill the form ``reset`` anew, choose ``choose``."""
    _flash("success", message)
    st.session_state[_RESET] = reset
    st.session_state[_CHOOSE_NEXT] = choose
    st.rerun()


# ------------------------------------------------------------------------------- the forms


def _date_text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _fill(values: Mapping[str, Any], *, anew: bool) -> None:
    """Give the form widgets ``values`` (key -> value) before they are drawn.

    Through the session state, never ``value=``: a value set there reaches the browser, while
    a widget dropped and drawn again with another default kept what the browser showed (the
    form looked unsaved after a save). ``anew`` refills every field; else only missing ones.
    """
    for key, value in values.items():
        if anew or key not in st.session_state:
            st.session_state[key] = value


def _add_form(
    db: str, log: gpd.GeoDataFrame, targets: Mapping[str, Target], page: str, *, anew: bool
) -> None:
    lang = session_lang()
    st.markdown(f"**{tr('app_actions_add')}**")
    if not targets:
        st.info(tr("app_actions_no_places"))
        return
    first = next(iter(targets))
    if st.session_state.get("actions_add_place") not in targets:  # the selection changed
        st.session_state["actions_add_place"] = first
    defaults = {
        "actions_add_place": first,
        "actions_add_problem": PROBLEMS[0],
        "actions_add_what": ACTIONS[0],
        "actions_add_actor": ACTORS[0],
        "actions_add_date": _today(),
        "actions_add_follow_up": None,
        "actions_add_status": STATUSES[0],
        "actions_add_note": "",
    }
    _fill(defaults, anew=anew)
    with st.form("actions_add_form", enter_to_submit=False):  # no English hint
        place = st.selectbox(
            tr("app_actions_place"),
            list(targets),
            format_func=lambda k: targets[k].label if k in targets else k,
            key="actions_add_place",
        )
        cols = st.columns(3)
        problem = cols[0].selectbox(
            tr("app_actions_problem"),
            PROBLEMS,
            format_func=lambda v: problem_label(v, lang),
            key="actions_add_problem",
        )
        what = cols[1].selectbox(
            tr("app_actions_what"),
            ACTIONS,
            format_func=lambda v: what_word(v, lang),
            key="actions_add_what",
        )
        actor = cols[2].selectbox(
            tr("app_actions_actor"),
            ACTORS,
            format_func=lambda v: actor_word(v, lang),
            key="actions_add_actor",
        )
        cols = st.columns(3)
        date = cols[0].date_input(tr("app_actions_date"), key="actions_add_date")
        follow = cols[1].date_input(
            tr("app_actions_follow_up"), value=None, key="actions_add_follow_up"
        )
        status = cols[2].selectbox(
            tr("app_actions_status"),
            STATUSES,
            format_func=lambda v: labels.action_status(v, lang),
            key="actions_add_status",
        )
        note = st.text_area(tr("app_actions_note"), key="actions_add_note", height=80)
        if not st.form_submit_button(tr("app_actions_save"), key="actions_add_submit"):
            return
        target = targets.get(str(place))
        if target is None:  # the selection changed under the form: choose again
            st.error(tr("app_actions_invalid", error=tr("app_actions_place")))
            return
        new_id: list[str] = []

        def add(current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            frame, action_id = add_action(
                current,
                date=_date_text(date) or "",
                place_kind=target.kind,
                place_ref=target.ref,
                problem=str(problem),
                actor=str(actor),
                action=str(what),
                geometry=_point_in(target, current.crs),
                follow_up=_date_text(follow),
                status=str(status),
                note=str(note or ""),
                by=session.viewer().name,
                lang=lang,
            )
            new_id[:] = [action_id]
            return frame

        store = _save(db, log, add)
        if store is None:
            return
        _audit(
            store,
            "action_added",
            {
                "id": new_id[0],
                "place_kind": target.kind,
                "place_ref": target.ref,
                "problem": problem,
                "action": what,
                "actor": actor,
                "status": status,
                "date": _date_text(date),
                "follow_up": _date_text(follow),
                "page": page,
            },
        )
        what_text = what_word(what, lang)
        message = tr("app_actions_added", id=new_id[0], what=what_text, place=target.label)
        _after_save(message, "add", new_id[0])


def _edit_form(
    db: str, log: gpd.GeoDataFrame, row: Mapping[str, Any], page: str, *, anew: bool
) -> None:
    lang = session_lang()
    action_id = str(row["id"])
    is_open = row["status"] in OPEN_STATUSES
    problems = list(PROBLEMS) + ([row["problem"]] if row["problem"] not in PROBLEMS else [])
    statuses = list(OPEN_STATUSES if is_open else STATUSES)
    follow_text = _text(row["follow_up"])
    shown_place = place_label(row["place_kind"], row["place_ref"], lang)  # "Brottskoncentration 2"
    _fill(
        {
            "actions_edit_place": shown_place,
            "actions_edit_problem": row["problem"],
            "actions_edit_what": row["action"] if row["action"] in ACTIONS else ACTIONS[-1],
            "actions_edit_actor": row["actor"] if row["actor"] in ACTORS else ACTORS[-1],
            "actions_edit_date": dt.date.fromisoformat(str(row["date"])),
            "actions_edit_follow_up": dt.date.fromisoformat(follow_text) if follow_text else None,
            "actions_edit_status": row["status"] if row["status"] in statuses else statuses[0],
            "actions_edit_note": _text(row["note"]),
        },
        anew=anew,
    )
    with st.form("actions_edit_form", enter_to_submit=False):  # no English hint
        st.markdown(f"**{tr('app_actions_edit', id=action_id)}**")
        place_ref = st.text_input(tr("app_actions_place_name"), key="actions_edit_place")
        problem = st.selectbox(
            tr("app_actions_problem"),
            problems,
            format_func=lambda v: problem_label(v, lang),
            key="actions_edit_problem",
        )
        what = st.selectbox(
            tr("app_actions_what"),
            ACTIONS,
            format_func=lambda v: what_word(v, lang),
            key="actions_edit_what",
        )
        actor = st.selectbox(
            tr("app_actions_actor"),
            ACTORS,
            format_func=lambda v: actor_word(v, lang),
            key="actions_edit_actor",
        )
        date = st.date_input(tr("app_actions_date"), key="actions_edit_date")
        follow = st.date_input(
            tr("app_actions_follow_up"), value=None, key="actions_edit_follow_up"
        )
        status = st.selectbox(
            tr("app_actions_status"),
            statuses,
            format_func=lambda v: labels.action_status(v, lang),
            key="actions_edit_status",
        )
        note = st.text_area(tr("app_actions_note"), key="actions_edit_note", height=80)
        if not st.form_submit_button(tr("app_actions_save_changes"), key="actions_edit_submit"):
            return
        typed = str(place_ref).strip()
        new = {
            "place_ref": _text(row["place_ref"]) if typed == shown_place else typed,
            "problem": problem,
            "action": what,
            "actor": actor,
            "date": _date_text(date),
            "follow_up": _date_text(follow),
            "status": status,
            "note": str(note or "").strip(),
        }
        changes = {k: v for k, v in new.items() if (v or "") != _text(row[k])}
        if not changes:
            st.info(tr("app_actions_unchanged"))
            return
        if "follow_up" in changes and changes["follow_up"] is None:
            changes["follow_up"] = "none"  # cleared
        free_text = ("place_ref", "note")
        detail = {
            "id": action_id,
            "changed": sorted(changes),
            **{
                k: {"from": _text(row[k]) or None, "to": new[k]}
                for k in changes
                if k not in free_text
            },
            "page": page,
        }

        def edit(current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            return edit_action(current, action_id, changes, by=session.viewer().name, lang=lang)

        store = _save(db, log, edit)
        if store is not None:
            _audit(store, "action_edited", detail)
            fields = ", ".join(labels.column(k, lang) for k in changes)
            message = tr("app_actions_edited", id=action_id, fields=fields.lower())
            _after_save(message, "edit", action_id)


def _close_form(
    db: str, log: gpd.GeoDataFrame, row: Mapping[str, Any], page: str, *, anew: bool
) -> None:
    lang = session_lang()
    action_id = str(row["id"])
    if row["status"] not in OPEN_STATUSES:
        st.info(tr("app_actions_is_closed", id=action_id, date=_text(row["closed"]) or "–"))
        return
    _fill(
        {
            "actions_close_status": _CLOSING[0],
            "actions_close_date": _today(),
            "actions_close_note": "",
        },
        anew=anew,
    )
    with st.form("actions_close_form", enter_to_submit=False):  # no English hint
        st.markdown(f"**{tr('app_actions_close', id=action_id)}**")
        status = st.radio(
            tr("app_actions_close_status"),
            _CLOSING,
            format_func=lambda v: labels.action_status(v, lang),
            horizontal=True,
            key="actions_close_status",
        )
        closed = st.date_input(tr("app_actions_close_date"), key="actions_close_date")
        note = st.text_area(tr("app_actions_outcome"), key="actions_close_note", height=80)
        if not st.form_submit_button(tr("app_actions_close_button"), key="actions_close_submit"):
            return
        day = closed if isinstance(closed, dt.date) else None

        def close(current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            return close_action(
                current,
                action_id,
                status=str(status),
                closed=day,
                note=str(note or ""),
                by=session.viewer().name,
                lang=lang,
            )

        detail = {
            "id": action_id,
            "status": status,
            "closed": _date_text(day),
            "outcome_note": bool(str(note or "").strip()),
            "page": page,
        }
        store = _save(db, log, close)
        if store is not None:
            _audit(store, "action_closed", detail)
            word = labels.action_status(status, lang)
            message = tr("app_actions_closed_done", id=action_id, status=word)
            _after_save(message, "edit", action_id)


def _choice(rec: Mapping[str, Any], lang: Lang) -> str:
    status = labels.action_status(rec["status"], lang)
    place = place_label(rec.get("place_kind"), rec["place_ref"], lang)
    return f"{rec['id']} · {what_word(rec['action'], lang)} · {place} ({status})"


def _start_run() -> str | None:
    """Show the last save's messages and choose its action; the form it asks to fill anew."""
    chosen = st.session_state.pop(_CHOOSE_NEXT, None)
    if chosen is not None:
        st.session_state[_CHOOSE] = chosen
    for kind, text in st.session_state.pop(_FLASH, []):
        (st.success if kind == "success" else st.warning)(text)
    return st.session_state.pop(_RESET, None)


def actions_panel(
    db: str, version: str, config: AnalysisConfig, profile: str, *, page: str
) -> None:
    """The actions log and, for roles that may change it, the forms (see the module).

    Parameters
    ----------
    db, version, config, profile
        The store, its data version, the analysis settings and the privacy profile of the
        page (the hotspots offered as places are those of this analysis).
    page
        ``map`` or ``report``: the page drawing the panel (a role without it sees nothing).
    """
    who = session.viewer()
    if page not in who.role.pages:
        return
    lang = session_lang()
    st.subheader(tr("app_actions_heading"))
    st.caption(tr("app_actions_caption"))
    reset = _start_run()
    try:
        log = _read_log(db)
    except HotspotsError as exc:
        st.error(tr("app_actions_store_error", error=exc))
        return
    table = log_table(log, lang)
    if len(table):
        shown = table.rename(columns={c: labels.column(c, lang) for c in table.columns})
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            tr("app_actions_csv"),
            _csv(table, lang),
            f"{'atgarder' if lang == 'sv' else 'actions'}-{_today().isoformat()}.csv",
            "text/csv",
            key="actions_csv",
            on_click="ignore",  # a download does not rerun the page
        )
    else:
        st.info(tr("app_actions_none"))
    if not who.role.can_edit_actions:
        st.caption(tr("app_actions_read_only"))
        return
    targets = place_targets(db, version, config, profile)
    _add_form(db, log, targets, page, anew=reset == "add")
    if not len(log):
        return
    records = {str(r["id"]): r for r in _ordered(log).to_dict("records")}
    st.markdown(f"**{tr('app_actions_choose')}**")
    chosen = st.selectbox(
        tr("app_actions_choose"),
        list(records),
        format_func=lambda k: _choice(records[k], lang) if k in records else k,
        key=_CHOOSE,
        label_visibility="collapsed",
    )
    row = records[str(chosen)]
    anew = reset is not None or st.session_state.get(_EDITING) != chosen  # fill in its fields
    st.session_state[_EDITING] = chosen
    cols = st.columns(2)
    with cols[0]:
        _edit_form(db, log, row, page, anew=anew)
    with cols[1]:
        _close_form(db, log, row, page, anew=anew)
