"""The EST actions log: what was decided per place, by whom, and when to follow it up.

One action is one row of the GeoPackage layer :data:`ACTIONS_LAYER` (``actions``):

============== ==============================================================================
column         meaning
============== ==============================================================================
``id``         ``A-0001``, ``A-0002``, ... (assigned on add, never reused)
``place_kind`` ``hotspot``, ``district``, ``place`` (a named place) or ``point``
``place_ref``  the place's name as shown in the report, e.g. ``Stora torget``, ``Kronoparken``
               or ``Hotspot 2 (Centrum)``
``date``       start date of the action (local date)
``problem``    a problem area (``violence``, ``unsafe``, ``drugs_alcohol``, ``other``) or a
               public category code (restricted categories are never tied to a place)
``actor``      who acts: one of :data:`ACTORS` (``polis``, ``kommun``, ``bostadsbolag``, ...)
``action``     what is done: one of :data:`ACTIONS` (``fotpatrull``, ``belysning``, ...)
``follow_up``  ISO date of the follow-up, or empty
``status``     one of :data:`STATUSES`; ``planerad`` and ``pågår`` are *open*
``note``       free text (escaped wherever shown)
``created``    local time the action was logged (``YYYY-MM-DDTHH:MM``), set on add
``updated``    local time of the last change, set on add, edit and close
``closed``     ISO date the action was closed (``klar`` or ``avbruten``), empty while open;
               for actions closed by earlier versions it is read from the note's
               ``[stängd YYYY-MM-DD]``
``changed_by`` the account that made the last change (the app's logged-in name), empty when
               not known (the CLI, earlier versions)
geometry       a point in the store's metric CRS: the place itself, or a representative point
               of the district or hotspot polygon (the store keeps points only; the report
               finds a district's polygon again by its name)
============== ==============================================================================

The columns are those of the store's ``actions`` layer (``hotspots.store.ACTION_COLUMNS``).
In frames, ``date`` and ``follow_up`` are ISO date strings (``"2026-11-20"``). The pure
functions (:func:`add_action`, :func:`edit_action`, :func:`close_action`,
:func:`open_actions`, :func:`due_follow_ups`) take and return frames; :func:`load_actions`
, :func:`change_actions` and :func:`save_actions` are the only ones touching the store:
a change runs inside one write transaction of ``Store.edit_actions`` (ids allocated under
the lock, rows updated in place, none deleted).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, check_lang, column_label, t
from hotspots.core.schema import TIMEZONE
from hotspots.core.taxonomy import CATEGORIES, PROBLEM_AREA_LABELS, is_restricted, lookup
from hotspots.spatial.crs import DEFAULT_METRIC_CRS, check_metric
from hotspots.store import StoreRef, open_store

__all__ = [
    "ACTIONS",
    "ACTIONS_LAYER",
    "ACTION_COLUMNS",
    "ACTORS",
    "OPEN_STATUSES",
    "PLACE_KINDS",
    "PROBLEMS",
    "STATUSES",
    "add_action",
    "close_action",
    "closed_on",
    "due_follow_ups",
    "edit_action",
    "empty_actions",
    "load_actions",
    "open_actions",
    "place_label",
    "problem_label",
    "save_actions",
    "validate_action",
]

logger = logging.getLogger(__name__)

ACTIONS_LAYER = "actions"

#: Who acts. ``annan`` (other) with a note covers the rest.
ACTORS: tuple[str, ...] = (
    "polis",
    "kommun",
    "bostadsbolag",
    "fastighetsägare",
    "skola",
    "fritidsgård",
    "socialtjänst",
    "fältassistenter",
    "räddningstjänst",
    "kollektivtrafik",
    "väktare",
    "ordningsvakter",
    "näringsidkare",
    "förening",
    "trafikverket",
    "länsstyrelsen",
    "annan",
)

#: What is done. ``annat`` (other) with a note covers the rest.
ACTIONS: tuple[str, ...] = (
    "fotpatrull",
    "bilpatrull",
    "trafikkontroll",
    "krogkontroll",
    "alkoholtillsyn",
    "belysning",
    "röjning",
    "kameraövervakning",
    "klottersanering",
    "städning",
    "nattvandring",
    "fältarbete",
    "ordningsvakter",
    "trygghetsvandring",
    "medborgardialog",
    "ombyggnad",
    "hastighetsdämpning",
    "annat",
)

STATUSES: tuple[str, ...] = ("planerad", "pågår", "klar", "avbruten")
OPEN_STATUSES: tuple[str, ...] = ("planerad", "pågår")
PLACE_KINDS: tuple[str, ...] = ("hotspot", "district", "place", "point")
#: Problem areas an action may address (category codes are accepted too).
PROBLEMS: tuple[str, ...] = ("violence", "unsafe", "drugs_alcohol", "other")

#: column -> kind, in layer order (besides ``geometry``); the store's ``actions`` layer.
ACTION_COLUMNS: dict[str, str] = {
    "id": "text",
    "place_kind": "text",
    "place_ref": "text",
    "date": "date",
    "problem": "text",
    "actor": "text",
    "action": "text",
    "follow_up": "date",
    "status": "text",
    "note": "text",
    "created": "timestamp",
    "updated": "timestamp",
    "closed": "date",
    "changed_by": "text",
}
_REQUIRED = ("date", "place_kind", "place_ref", "problem", "actor", "action", "status")
_ID_RE = re.compile(r"^A-(\d+)$")
_SET_BY_CHANGE = {"id", "created", "updated", "closed", "changed_by"}
_EDITABLE = frozenset(ACTION_COLUMNS) - _SET_BY_CHANGE | {"geometry"}
_CLOSED_RE = re.compile(r"\[stängd (\d{4}-\d{2}-\d{2})\]")


def _fold(text: str) -> str:
    """Casefold and strip diacritics: ``"Pågår"`` -> ``"pagar"``."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_ENGLISH: dict[str, str] = {
    # actors
    "police": "polis",
    "municipality": "kommun",
    "housing company": "bostadsbolag",
    "landlord": "fastighetsägare",
    "property owner": "fastighetsägare",
    "school": "skola",
    "youth centre": "fritidsgård",
    "social services": "socialtjänst",
    "field workers": "fältassistenter",
    "rescue service": "räddningstjänst",
    "public transport": "kollektivtrafik",
    "security guards": "väktare",
    "other": "annan",
    # actions
    "foot patrol": "fotpatrull",
    "car patrol": "bilpatrull",
    "traffic check": "trafikkontroll",
    "licensed premises check": "krogkontroll",
    "lighting": "belysning",
    "clearing": "röjning",
    "vegetation clearing": "röjning",
    "cctv": "kameraövervakning",
    "camera surveillance": "kameraövervakning",
    "graffiti removal": "klottersanering",
    "cleaning": "städning",
    "night walkers": "nattvandring",
    "outreach": "fältarbete",
    "safety walk": "trygghetsvandring",
    "redesign": "ombyggnad",
    "traffic calming": "hastighetsdämpning",
    # statuses
    "planned": "planerad",
    "ongoing": "pågår",
    "in progress": "pågår",
    "done": "klar",
    "completed": "klar",
    "closed": "klar",
    "cancelled": "avbruten",
    "canceled": "avbruten",
}


def _field(name: str, lang: Lang) -> str:
    """A field as a message names it: its code in English (the CLI's), its header in Swedish."""
    if lang == "en":
        return name
    if name == "geometry":
        return t("actions_field_geometry", lang)
    return column_label(name, lang)


def _message(key: str, lang: Lang, field: str = "", **values: object) -> str:
    """The message ``actions_err_<key>`` in ``lang``, naming ``field``."""
    return t(f"actions_err_{key}", lang, field=_field(field, lang), **values)


def _choose(
    value: object, allowed: tuple[str, ...], field: str, *, other: str = "", lang: Lang = "sv"
) -> str:
    key = _fold(str(value))
    for option in allowed:
        if _fold(option) == key:
            return option
    mapped = _ENGLISH.get(key)
    if mapped is not None and mapped in allowed:
        return mapped
    if field == "action" and key == "annan":
        return "annat"
    msg = _message("choice", lang, field, value=repr(value), allowed=", ".join(allowed))
    if other:
        msg += t("actions_err_choice_other", lang, other=other)
    raise InputSchemaError(msg)


def _problem(value: object, lang: Lang = "sv") -> str:
    text = str(value).strip()
    if text in PROBLEMS:
        return text
    for area in PROBLEMS:
        labels = PROBLEM_AREA_LABELS.get(area, {})
        if _fold(text) in {_fold(area), *(_fold(v) for v in labels.values())}:
            return area
    cat = lookup(text)
    if cat is None:
        msg = _message("problem", lang, "problem", value=repr(value), areas=", ".join(PROBLEMS))
        raise InputSchemaError(msg)
    if is_restricted(cat.code):
        msg = _message("restricted", lang, "problem", value=repr(cat.code))
        raise InputSchemaError(msg)
    return cat.code


def problem_label(code: str, lang: str = "sv") -> str:
    """Label of a problem area or category code in ``lang``."""
    if code in PROBLEM_AREA_LABELS:
        return PROBLEM_AREA_LABELS[code]["sv" if lang == "sv" else "en"]
    for c in CATEGORIES:
        if c.code == code:
            return c.sv if lang == "sv" else c.en
    return code


#: A crime hotspot as stored in ``place_ref`` (``Hotspot 2 (Centrum), …``), or as a person
#: may have typed it in either language.
_HOTSPOT_REF = re.compile(
    r"^(?:crime hotspot|hotspot|brottskoncentration)\s+(\d+)(.*)$", re.I | re.S
)


def place_label(place_kind: object, place_ref: object, lang: str = "sv") -> str:
    """The place of an action in the words of ``lang``.

    The log stores a crime hotspot as ``Hotspot 2 (Centrum), 2026-10-26–2026-11-22`` (the
    same from the CLI and the app, whatever the language); a Swedish reader reads
    ``Brottskoncentration 2 (Centrum), …``, as the app's choice of places names it. Other
    places are their names, as stored. A missing one is empty.

    Examples
    --------
    >>> place_label("hotspot", "Hotspot 2 (Centrum)", "sv")
    'Brottskoncentration 2 (Centrum)'
    >>> place_label("hotspot", "Brottskoncentration 2 (Centrum)", "en")
    'Hotspot 2 (Centrum)'
    >>> place_label("district", "Kronoparken", "sv")
    'Kronoparken'
    """
    ref = "" if place_ref is None or _isna(place_ref) else str(place_ref).strip()
    found = _HOTSPOT_REF.match(ref) if str(place_kind) == "hotspot" else None
    if found is None:
        return ref
    language = "sv" if lang == "sv" else "en"
    return t("actions_place_hotspot_ref", language, rank=found.group(1)) + found.group(2)


def _date(value: object, field: str, *, optional: bool = False, lang: Lang = "sv") -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()) or _isna(value):
        if optional:
            return None
        msg = _message("date_required", lang, field)
        raise InputSchemaError(msg)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if optional and text.casefold() in ("none", "ingen", "-"):
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError as exc:
        msg = _message("date", lang, field, value=repr(value))
        raise InputSchemaError(msg) from exc


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _stamp(now: dt.datetime | None) -> str:
    """Local Swedish time to the minute, ``YYYY-MM-DDTHH:MM`` (``now`` defaults to the clock)."""
    moment = now or dt.datetime.now(ZoneInfo(TIMEZONE))
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(TIMEZONE))
    return moment.strftime("%Y-%m-%dT%H:%M")


def _timestamp(value: object) -> str | None:
    if value is None or _isna(value) or not str(value).strip():
        return None
    if isinstance(value, dt.datetime):
        return _stamp(value)
    text = str(value).strip()
    try:
        return _stamp(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def validate_action(
    record: Mapping[str, Any], *, row: str = "", lang: Lang = "sv"
) -> dict[str, Any]:
    """Check and normalise one action record.

    Parameters
    ----------
    record
        Field -> value (see the module docstring); ``geometry`` a shapely geometry.
    row
        Where the record comes from (e.g. ``"A-0003"``), for the error messages.
    lang
        Language of the error messages: ``"sv"`` (the app's default) or ``"en"`` (the CLI).

    Returns
    -------
    dict
        The normalised record: canonical vocabulary, ISO date strings, stripped text.

    Raises
    ------
    InputSchemaError
        Naming the field, the value received and the fix, in ``lang``.
    """
    lang = check_lang(lang)
    try:
        for name in _REQUIRED:
            value = record.get(name)
            if value is None or _isna(value) or not str(value).strip():
                msg = _message("required", lang, name)
                raise InputSchemaError(msg)
        out: dict[str, Any] = dict(record)
        out["date"] = _date(record["date"], "date", lang=lang)
        out["follow_up"] = _date(record.get("follow_up"), "follow_up", optional=True, lang=lang)
        out["place_kind"] = _choose(record["place_kind"], PLACE_KINDS, "place_kind", lang=lang)
        out["place_ref"] = str(record["place_ref"]).strip()
        out["problem"] = _problem(record["problem"], lang)
        out["actor"] = _choose(record["actor"], ACTORS, "actor", other="annan", lang=lang)
        out["action"] = _choose(record["action"], ACTIONS, "action", other="annat", lang=lang)
        out["status"] = _choose(record["status"], STATUSES, "status", lang=lang)
        note = record.get("note")
        out["note"] = "" if note is None or _isna(note) else str(note).strip()
        out["closed"] = _date(record.get("closed"), "closed", optional=True, lang=lang)
        if out["closed"] is not None and out["closed"] < out["date"]:
            msg = _message("closed_before", lang, "closed", closed=out["closed"], date=out["date"])
            raise InputSchemaError(msg)
        if out["follow_up"] is not None and out["follow_up"] < out["date"]:
            msg = _message(
                "follow_up_before", lang, "follow_up", follow_up=out["follow_up"], date=out["date"]
            )
            raise InputSchemaError(msg)
        geom = record.get("geometry")
        if not isinstance(geom, BaseGeometry) or geom.is_empty or geom.geom_type != "Point":
            msg = _message("geometry", lang, "geometry")
            raise InputSchemaError(msg)
    except InputSchemaError as exc:
        if row:
            msg = t("actions_err_row", lang, row=row, error=exc)
            raise InputSchemaError(msg) from exc
        raise
    return out


def empty_actions(crs: object = DEFAULT_METRIC_CRS) -> gpd.GeoDataFrame:
    """An actions frame with no rows, in ``crs``."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in ACTION_COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def _normalise_frame(frame: gpd.GeoDataFrame | pd.DataFrame, crs: object) -> gpd.GeoDataFrame:
    if frame is None or len(frame) == 0:
        return empty_actions(crs if getattr(frame, "crs", None) is None else frame.crs)
    gdf = frame if isinstance(frame, gpd.GeoDataFrame) else gpd.GeoDataFrame(frame)
    out = gdf.copy()
    for col, kind in ACTION_COLUMNS.items():
        if col not in out:
            out[col] = None
        if kind == "date":
            values = [_date(v, col, optional=True) for v in out[col]]
        elif kind == "timestamp":
            values = [_timestamp(v) for v in out[col]]
        else:
            values = [None if _isna(v) else str(v) for v in out[col]]
        # object dtype keeps None as None (an inferred string dtype would turn it into NaN)
        out[col] = pd.Series(values, index=out.index, dtype=object)
    out["note"] = out["note"].fillna("")
    # actions closed by earlier versions carry the date in the note only
    legacy = out["closed"].isna() & ~out["status"].isin(OPEN_STATUSES)
    if legacy.any():
        out.loc[legacy, "closed"] = [closed_on(n) for n in out.loc[legacy, "note"]]
    cols = [*ACTION_COLUMNS, "geometry"]
    return gpd.GeoDataFrame(out[cols], geometry="geometry", crs=out.crs)


def _next_id(actions: pd.DataFrame) -> str:
    numbers = [int(m.group(1)) for v in actions["id"].dropna() if (m := _ID_RE.match(str(v)))]
    return f"A-{(max(numbers) + 1) if numbers else 1:04d}"


def add_action(
    actions: gpd.GeoDataFrame,
    *,
    date: dt.date | str,
    place_kind: str,
    place_ref: str,
    problem: str,
    actor: str,
    action: str,
    geometry: BaseGeometry,
    follow_up: dt.date | str | None = None,
    status: str = "planerad",
    note: str = "",
    now: dt.datetime | None = None,
    by: str | None = None,
    lang: Lang = "sv",
) -> tuple[gpd.GeoDataFrame, str]:
    """Append a validated action and return the new frame and the new id.

    Parameters
    ----------
    actions
        The current actions frame (metric CRS).
    date, place_kind, place_ref, problem, actor, action, follow_up, status, note
        The fields (see the module docstring).
    geometry
        A point in the frame's CRS.
    now
        When the action is logged (``created`` and ``updated``); default the clock.
    by
        Account name of who logs it (``changed_by``); ``None`` when not known.
    lang
        Language of the error messages (:func:`validate_action`).

    Raises
    ------
    InputSchemaError
        When a field is invalid.
    """
    current = _normalise_frame(actions, DEFAULT_METRIC_CRS)
    check_metric(current.crs, argument="actions")
    new_id = _next_id(current)
    record = validate_action(
        {
            "id": new_id,
            "place_kind": place_kind,
            "place_ref": place_ref,
            "date": date,
            "problem": problem,
            "actor": actor,
            "action": action,
            "follow_up": follow_up,
            "status": status,
            "note": note,
            "geometry": geometry,
            "created": _stamp(now),
            "updated": _stamp(now),
            "closed": None,
            "changed_by": by,
        },
        lang=lang,
    )
    if record["status"] not in OPEN_STATUSES:  # logged after the fact: closed on logging
        record["closed"] = max(record["date"], _stamp(now)[:10])
    row = gpd.GeoDataFrame([record], geometry="geometry", crs=current.crs)
    out = pd.concat([current, row], ignore_index=True) if len(current) else row
    return _normalise_frame(out, current.crs), new_id


def _locate(actions: gpd.GeoDataFrame, action_id: str, lang: Lang = "sv") -> int:
    hits = actions.index[actions["id"] == str(action_id).strip()]
    if len(hits) == 0:
        latest = actions["id"].dropna().astype(str).tolist()[-5:]
        known = ", ".join(latest) or t("actions_err_no_ids", lang)
        msg = _message("not_found", lang, id=repr(action_id), known=known)
        raise InputSchemaError(msg)
    return int(hits[0])


def edit_action(
    actions: gpd.GeoDataFrame,
    action_id: str,
    changes: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    by: str | None = None,
    lang: Lang = "sv",
) -> gpd.GeoDataFrame:
    """Change fields of one action; the result is validated again.

    Parameters
    ----------
    actions
        The actions frame.
    action_id
        Id of the action, e.g. ``"A-0003"``.
    changes
        Field -> new value; ``None`` values are ignored (``follow_up="none"`` clears it).
        Setting an open status reopens a closed action (its ``closed`` date is cleared).
    now
        Time of the change (``updated``); default the clock.
    by
        Account name of who changes it (``changed_by``); ``None`` when not known.
    lang
        Language of the error messages (:func:`validate_action`).

    Raises
    ------
    InputSchemaError
        For an unknown id, an unknown field or an invalid value.
    """
    current = _normalise_frame(actions, DEFAULT_METRIC_CRS)
    idx = _locate(current, action_id, lang)
    unknown = sorted(set(changes) - _EDITABLE)
    if unknown:
        editable = ", ".join(_field(f, lang) for f in sorted(_EDITABLE))
        fields = ", ".join(_field(f, lang) for f in unknown)
        msg = _message("not_editable", lang, id=action_id, fields=fields, editable=editable)
        raise InputSchemaError(msg)
    return _apply(current, idx, changes, now=now, row=str(action_id), by=by, lang=lang)


def _apply(
    current: gpd.GeoDataFrame,
    idx: int,
    changes: Mapping[str, Any],
    *,
    now: dt.datetime | None,
    row: str,
    by: str | None = None,
    lang: Lang = "sv",
) -> gpd.GeoDataFrame:
    record = current.loc[idx].to_dict()
    for key, value in changes.items():
        if value is not None:
            record[key] = value
    record["updated"] = _stamp(now)
    record["changed_by"] = by
    record = validate_action(record, row=row, lang=lang)
    if record["status"] in OPEN_STATUSES:  # reopened: no longer closed
        record["closed"] = None
    out = current.copy()
    for key, value in record.items():
        if key == "geometry":
            out.loc[idx, "geometry"] = value
        elif key in out.columns:
            out.at[idx, key] = value
    return _normalise_frame(out, current.crs)


def closed_on(note: str) -> str | None:
    """The closing date recorded in a note by :func:`close_action`, or ``None``."""
    found = _CLOSED_RE.findall(str(note or ""))
    return found[-1] if found else None


def close_action(
    actions: gpd.GeoDataFrame,
    action_id: str,
    *,
    status: str = "klar",
    closed: dt.date | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
    by: str | None = None,
    lang: Lang = "sv",
) -> gpd.GeoDataFrame:
    """Close an action as ``klar`` (done) or ``avbruten`` (cancelled).

    ``closed`` (default: the local date of ``now``) goes into the ``closed`` column and
    ``note``, if any, is appended to the note; ``by`` (an account name) becomes
    ``changed_by``. Error messages in ``lang`` (:func:`validate_action`).

    Raises
    ------
    InputSchemaError
        For an unknown id or a status that does not close.
    """
    st = _choose(status, STATUSES, "status", lang=lang)
    if st in OPEN_STATUSES:
        msg = _message("not_closing", lang, "status", value=repr(status))
        raise InputSchemaError(msg)
    current = _normalise_frame(actions, DEFAULT_METRIC_CRS)
    idx = _locate(current, action_id, lang)
    day = closed or dt.date.fromisoformat(_stamp(now)[:10])
    parts = [str(current.at[idx, "note"] or "").strip(), (note or "").strip()]
    changes = {"status": st, "note": " ".join(p for p in parts if p), "closed": day}
    return _apply(current, idx, changes, now=now, row=str(action_id), by=by, lang=lang)


def open_actions(actions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Actions that are planned or ongoing, oldest first."""
    frame = _normalise_frame(actions, DEFAULT_METRIC_CRS)
    keep = frame["status"].isin(OPEN_STATUSES)
    return frame[keep].sort_values(["date", "id"]).reset_index(drop=True)


def due_follow_ups(
    actions: gpd.GeoDataFrame, *, on: dt.date, horizon_days: int = 7
) -> gpd.GeoDataFrame:
    """Actions (not cancelled) whose follow-up date is on or before ``on + horizon_days``.

    Overdue follow-ups stay in the list until the follow-up date is changed or cleared.
    """
    frame = _normalise_frame(actions, DEFAULT_METRIC_CRS)
    limit = (on + dt.timedelta(days=horizon_days)).isoformat()
    keep = frame["follow_up"].notna() & (frame["status"] != "avbruten")
    keep &= frame["follow_up"].fillna("9999") <= limit
    out = frame[keep].copy()
    out["overdue"] = out["follow_up"] < on.isoformat()
    return out.sort_values(["follow_up", "id"]).reset_index(drop=True)


# ---------------------------------------------------------------- store I/O


def load_actions(store: StoreRef, *, crs: object = DEFAULT_METRIC_CRS) -> gpd.GeoDataFrame:
    """Read the ``actions`` layer of the store (an empty frame when the store does not exist).

    Parameters
    ----------
    store
        The store, the path of its GeoPackage or its URL.
    crs
        CRS of the empty frame when there is no store yet.
    """
    store = open_store(store)
    if not store.exists():
        return empty_actions(crs)
    frame = store.read_layer(ACTIONS_LAYER)
    if len(frame) == 0:
        return empty_actions(getattr(frame, "crs", None) or crs)
    return _normalise_frame(frame, crs)


def change_actions(
    store: StoreRef,
    change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame],
    *,
    lang: Lang = "sv",
) -> gpd.GeoDataFrame:
    """Apply ``change`` (e.g. :func:`add_action`'s) to the store's log in one transaction.

    ``change`` receives the log as it is under the store's write lock, so an id it allocates
    cannot be taken by another user at the same moment; only new and changed rows are
    written, in place. Every row is validated before anything is written (messages in
    ``lang``).

    Returns
    -------
    geopandas.GeoDataFrame
        The log as committed.
    """

    def apply(current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        crs = current.crs or DEFAULT_METRIC_CRS
        frame = empty_actions(crs) if len(current) == 0 else _normalise_frame(current, crs)
        new = _normalise_frame(change(frame), crs)
        for record in new.to_dict("records"):
            validate_action(record, row=str(record["id"]), lang=lang)
        return new

    return open_store(store).edit_actions(apply)


def save_actions(store: StoreRef, actions: gpd.GeoDataFrame) -> None:
    """Insert or update every action of ``actions`` by id (one transaction; none deleted)."""
    given = _normalise_frame(actions, DEFAULT_METRIC_CRS)

    def merge(current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        kept = current[~current["id"].isin(given["id"])]
        return pd.concat([kept, given.to_crs(current.crs)], ignore_index=True)

    logger.debug("saving %d actions to %s", len(given), store)
    change_actions(store, merge)
