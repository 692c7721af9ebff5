"""One activity entered by hand (the app's form), as a line of the activity log.

:func:`activity_line` turns a date, an optional start time, a kind, a place and minutes into
the one-row frame :meth:`~hotspots.dosage.storage.TrackStore.add_activities` stores, with the
same ``row_hash`` the CSV reader (:func:`~hotspots.dosage.activities.read_activities`) gives
the same line: a check logged in the form and again in an imported file is stored once, and
a form sent twice (a double click) stores it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

import pandas as pd

from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.dosage.activities import KIND_ALIASES, MAX_MINUTES
from hotspots.dosage.storage import ACTIVITY_COLUMNS, ImportRecord

__all__ = ["FORM_FILE", "activity_line", "form_record"]

#: The ``file`` of the imports row of a form entry.
FORM_FILE = "app-form"


def _clock(text: str | None) -> dt.time | None:
    value = (text or "").strip()
    if not value:
        return None
    for fmt in ("%H:%M", "%H.%M", "%H%M"):
        try:
            return dt.datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    msg = f"time: {value!r} is not a clock time; write e.g. 21:15 (or leave it empty)"
    raise InputSchemaError(msg)


def activity_line(
    *,
    day: dt.date,
    time: str | None,
    kind: str,
    place: str,
    minutes: float,
    now: dt.datetime | None = None,
) -> pd.DataFrame:
    """One activity as a row of :data:`~hotspots.dosage.storage.ACTIVITY_COLUMNS`.

    Parameters
    ----------
    day
        The local date.
    time
        The local start time (``21:15``), or empty/``None`` when not known.
    kind
        One of the plan's kinds (``traffic_check``, ``pub_check`` ...; Swedish words such as
        ``krogkontroll`` are taken too).
    place
        A suggestion id of the week's plan (``TC1``) or a place name.
    minutes
        Minutes spent, more than 0 and at most a day.
    now
        The current time (default the clock); a later activity is refused.

    Raises
    ------
    InputSchemaError
        For an unknown kind, an empty place, minutes out of range, a bad time or an activity
        in the future.
    """
    plain = unicodedata.normalize("NFKD", str(kind)).encode("ascii", "ignore").decode("ascii")
    folded = "".join(c for c in plain.strip().lower() if c.isalnum() or c == "_")
    code = KIND_ALIASES.get(folded) or KIND_ALIASES.get(folded.replace("_", ""))
    if code is None:
        kinds = ", ".join(sorted(set(KIND_ALIASES.values())))
        msg = f"kind: {kind!r} is not a kind; use one of {kinds}"
        raise InputSchemaError(msg)
    name = str(place).strip()
    if not name:
        msg = "place: give a suggestion id (e.g. TC1) or the place's name"
        raise InputSchemaError(msg)
    if not (0 < float(minutes) <= MAX_MINUTES):
        msg = f"minutes: must be more than 0 and at most {MAX_MINUTES} (got {minutes:g})"
        raise InputSchemaError(msg)
    clock = _clock(time)
    local = pd.Timestamp(dt.datetime.combine(day, clock or dt.time())).tz_localize(TIMEZONE)
    current = pd.Timestamp(now) if now is not None else pd.Timestamp.now(tz=TIMEZONE)
    if current.tzinfo is None:
        current = current.tz_localize(TIMEZONE)
    if local > current + pd.Timedelta(minutes=10):
        msg = f"date: {day} {time or ''} is in the future".rstrip()
        raise InputSchemaError(msg)
    time_text = clock.strftime("%H:%M") if clock is not None else None
    minutes_f = float(minutes)
    # the content and occurrence as read_activities hashes a file's first such line
    content = f"{day.isoformat()}|{time_text or ''}|{code}|{name.casefold()}|{minutes_f:g}||"
    row_hash = hashlib.sha256(f"{content}#0".encode()).hexdigest()[:32]
    frame = pd.DataFrame(
        {
            "start_ms": [int(local.value // 1_000_000)],  # ns since the epoch -> ms
            "day": [day.isoformat()],
            "time": [time_text],
            "kind": [code],
            "place": [name],
            "minutes": [minutes_f],
            "unit": [None],
            "officer": [None],
            "row_hash": [row_hash],
        }
    )
    return frame[list(ACTIVITY_COLUMNS)]


def form_record(line: pd.DataFrame) -> ImportRecord:
    """The imports row of a form entry (its id is the line's hash)."""
    return ImportRecord(
        import_id=f"form:{line['row_hash'].iloc[0]}",
        file=FORM_FILE,
        kind="activities",
        rows_read=len(line),
        accepted=len(line),
        rejected=0,
        key_id="",
    )
