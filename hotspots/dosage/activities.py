"""The activity log: traffic checks, pub checks, school visits ... that no tracker recorded.

A CSV (any separator, UTF-8 or Windows-1252) with one line per activity:

``date`` (``datum``)
    The local date, ``2026-12-03``.
``time`` (``tid``, ``klockslag``), optional
    The local start time, ``21:15``; without it the activity has no shift.
``kind`` (``typ``, ``aktivitet``)
    One of the plan's kinds, in English or Swedish: ``foot_patrol`` (fotpatrull),
    ``traffic_check`` (trafikkontroll, nykterhetskontroll), ``pub_check`` (krogkontroll,
    krogbesök), ``school_visit`` (skolbesök), ``youth_outreach`` (fritidsgård, uppsökande).
``place`` (``plats``)
    The place: a suggestion id of the week's plan (``TC1``) or a place name (``Stora torget``).
``minutes`` (``minuter``, ``min``)
    Minutes spent, more than 0 and at most 24 hours.
``unit``/``officer``, optional
    Pseudonymised on import like the tracks (a key is then needed).

Rows are validated like incidents and pings: every problem is one rejects line with the row,
the column, the value and the reason. Each line gets a hash of its content and of how many
identical lines came before it in the file, so importing a file twice stores it once while
two identical lines of one file stay two activities.
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hotspots.core.errors import InputFileError
from hotspots.core.schema import TIMEZONE
from hotspots.dosage.pings import REJECT_COLUMNS
from hotspots.dosage.pseudonym import PseudonymKey, load_key, pseudonymise
from hotspots.io._location import to_number
from hotspots.io._text import sniff_text
from hotspots.io._times import parse_times

__all__ = ["KIND_ALIASES", "ActivityReading", "read_activities"]

#: Accepted spellings of each kind (folded: lower case, no accents, letters only).
KIND_ALIASES: dict[str, str] = {
    **{k: k for k in ("foot_patrol", "traffic_check", "pub_check", "school_visit")},
    "youth_outreach": "youth_outreach",
    "footpatrol": "foot_patrol",
    "fotpatrull": "foot_patrol",
    "fotpatrullering": "foot_patrol",
    "patrull": "foot_patrol",
    "trafficcheck": "traffic_check",
    "trafikkontroll": "traffic_check",
    "trafik": "traffic_check",
    "nykterhetskontroll": "traffic_check",
    "rattfyllerikontroll": "traffic_check",
    "pubcheck": "pub_check",
    "krogkontroll": "pub_check",
    "krogbesok": "pub_check",
    "restaurangkontroll": "pub_check",
    "schoolvisit": "school_visit",
    "skolbesok": "school_visit",
    "skola": "school_visit",
    "youthoutreach": "youth_outreach",
    "fritidsgard": "youth_outreach",
    "fritidsgardsbesok": "youth_outreach",
    "ungdomsgard": "youth_outreach",
    "uppsokande": "youth_outreach",
    "uppsokandeverksamhet": "youth_outreach",
}
_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "datum", "dag"),
    "time": ("time", "tid", "klockslag", "starttid", "start"),
    "kind": ("kind", "typ", "aktivitet", "activity", "slag"),
    "place": ("place", "plats", "stalle", "forslag", "suggestion"),
    "minutes": ("minutes", "minuter", "min", "tid_min", "langd", "duration"),
    "unit": ("unit", "enhet", "patrull", "anrop"),
    "officer": ("officer", "polis", "tjansteman", "tjanstenummer"),
}
#: Longest activity, minutes.
MAX_MINUTES = 24 * 60


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in plain.lower() if c.isalnum() or c == "_")


@dataclass(frozen=True, slots=True)
class ActivityReading:
    """An activity log, validated.

    Attributes
    ----------
    activities
        Accepted lines (:data:`~hotspots.dosage.storage.ACTIVITY_COLUMNS`).
    rejects
        One line per problem (``row, column, value, reason``).
    rows_read
        Data rows in the file.
    rejected
        Rows with a problem; ``rows_read == len(activities) + rejected``.
    delimiter
        The file's separator.
    key_id
        Id of the key used, ``""`` when the log names no unit or officer.
    """

    activities: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    rejected: int
    delimiter: str
    key_id: str


def read_activities(
    path: Path, *, key_file: Path | None = None, now: pd.Timestamp | None = None
) -> ActivityReading:
    """Read and validate an activity log.

    Parameters
    ----------
    path
        The CSV file.
    key_file
        Pseudonymisation key for ``unit``/``officer`` columns (or the environment variable
        of :mod:`hotspots.dosage.pseudonym`); needed only when the log has them.
    now
        Current time; later activities are rejected. Default the wall clock.

    Raises
    ------
    InputFileError
        When the file cannot be read, has no data rows, or lacks the date, kind, place or
        minutes column.
    MissingKeyError
        When the log names units or officers and no key is given.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found" if not path.exists() else "is not a file")
    layout = sniff_text(path)
    header = list(layout.header)
    folded = {_fold(h): h for h in reversed(header)}
    cols = {
        f: next((folded[n] for n in names if n in folded), None) for f, names in _FIELDS.items()
    }
    missing = [f for f in ("date", "kind", "place", "minutes") if cols[f] is None]
    if missing:
        raise InputFileError(
            path,
            f"has no {', '.join(missing)} column (an activity log needs date, kind, place and "
            "minutes; time, unit and officer are optional)",
        )
    rows: list[int] = []
    values: list[list[str]] = [[] for _ in header]
    bad_lines: list[tuple[int, int]] = []
    try:
        with path.open(encoding=layout.encoding, newline="") as fh:
            for _ in range(layout.skip_lines + 1):
                fh.readline()
            row_no = layout.skip_lines + 1
            for fields in csv.reader(fh, delimiter=layout.delimiter):
                row_no += 1
                if not fields or all(not f.strip() for f in fields):
                    continue
                if len(fields) != len(header):
                    bad_lines.append((row_no, len(fields)))
                    continue
                rows.append(row_no)
                for col, value in zip(values, fields, strict=True):
                    col.append(value.strip())
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot be read as CSV ({exc})") from exc
    if not rows and not bad_lines:
        raise InputFileError(path, "has a header but no data rows")
    table = pd.DataFrame(
        {h: pd.Series(v, dtype="string") for h, v in zip(header, values, strict=True)}
    )
    n = len(table)
    row_arr = np.asarray(rows, dtype=np.int64)
    parts: list[pd.DataFrame] = []
    bad = np.zeros(n, dtype=bool)

    def reject(mask: np.ndarray, column: str, reason: str, shown: pd.Series | None) -> None:
        nonlocal bad
        if not mask.any():
            return
        vals = shown[mask].fillna("").to_numpy(dtype=object) if shown is not None else ""
        parts.append(
            pd.DataFrame({"row": row_arr[mask], "column": column, "value": vals, "reason": reason})
        )
        bad |= mask

    def col(field: str) -> pd.Series:
        name = cols[field]
        if name is None:
            return pd.Series([""] * n, dtype="string")
        return table[name].fillna("")

    date_s, time_s, kind_s, place_s, min_s = (
        col("date"),
        col("time"),
        col("kind"),
        col("place"),
        col("minutes"),
    )
    dates = parse_times(date_s)
    reject(np.asarray(dates.empty), cols["date"] or "date", "date is empty", date_s)
    reject(
        np.asarray(dates.bad) & ~np.asarray(dates.empty),
        cols["date"] or "date",
        "date is not a date (write e.g. 2026-12-03)",
        date_s,
    )
    has_time = (time_s != "").to_numpy()
    stamp_text = (date_s.str.slice(0, 10) + " " + time_s).where(has_time, date_s)
    stamps = parse_times(stamp_text)
    bad_time = has_time & (np.asarray(stamps.bad) | (stamps.precision != "exact")) & ~bad
    reject(bad_time, cols["time"] or "time", "time is not a clock time (write e.g. 21:15)", time_s)
    start = stamps.start
    clock = (now if now is not None else pd.Timestamp.now(tz=TIMEZONE)).tz_convert(TIMEZONE)
    future = np.asarray(start > clock + pd.Timedelta(minutes=10), dtype=bool) & ~bad
    reject(future, cols["date"] or "date", "the activity is in the future", date_s)
    kinds = kind_s.map(
        lambda v: KIND_ALIASES.get(_fold(v).replace("_", "")) or KIND_ALIASES.get(_fold(v))
    )
    no_kind = kinds.isna().to_numpy() | (kind_s == "").to_numpy()
    reject(
        no_kind,
        cols["kind"] or "kind",
        "unknown kind; use foot_patrol, traffic_check, pub_check, school_visit or "
        "youth_outreach (or fotpatrull, trafikkontroll, krogkontroll, skolbesök, fritidsgård)",
        kind_s,
    )
    reject((place_s == "").to_numpy(), cols["place"] or "place", "place is empty", place_s)
    minutes, m_empty, m_bad = to_number(min_s)
    reject(m_empty, cols["minutes"] or "minutes", "minutes is empty", min_s)
    reject(m_bad, cols["minutes"] or "minutes", "minutes is not a number", min_s)
    out_of_range = ~m_empty & ~m_bad & ~((minutes > 0) & (minutes <= MAX_MINUTES))
    reject(
        out_of_range,
        cols["minutes"] or "minutes",
        f"minutes must be more than 0 and at most {MAX_MINUTES}",
        min_s,
    )
    unit_s, officer_s = col("unit"), col("officer")
    named = (unit_s != "").to_numpy() | (officer_s != "").to_numpy()
    key: PseudonymKey | None = load_key(key_file) if named.any() else None
    keep = ~bad
    unit_ps = np.full(n, None, dtype=object)
    officer_ps = np.full(n, None, dtype=object)
    if key is not None:
        has_u = keep & (unit_s != "").to_numpy()
        has_o = keep & (officer_s != "").to_numpy()
        if has_u.any():
            unit_ps[has_u] = pseudonymise(unit_s[has_u].to_numpy(dtype=str), key, kind="unit")
        if has_o.any():
            officer_ps[has_o] = pseudonymise(
                officer_s[has_o].to_numpy(dtype=str), key, kind="officer"
            )
    local = pd.DatetimeIndex(start)
    start_ms = np.zeros(n, dtype=np.int64)
    if keep.any():
        start_ms[keep] = local[keep].tz_convert("UTC").as_unit("ms").asi8
    frame = pd.DataFrame(
        {
            "start_ms": start_ms,
            "day": [d.isoformat() if k else "" for d, k in zip(local.date, keep, strict=True)],
            "time": np.where(has_time & keep, local.strftime("%H:%M"), None),
            "kind": kinds.to_numpy(dtype=object),
            "place": place_s.to_numpy(dtype=object),
            "minutes": np.where(keep, minutes, np.nan),
            "unit": unit_ps,
            "officer": officer_ps,
        }
    )[keep].reset_index(drop=True)
    content = (
        frame["day"]
        + "|"
        + frame["time"].fillna("")
        + "|"
        + frame["kind"]
        + "|"
        + frame["place"].str.casefold()
        + "|"
        + frame["minutes"].map(lambda m: f"{m:g}")
        + "|"
        + frame["unit"].fillna("")
        + "|"
        + frame["officer"].fillna("")
    )
    occurrence = content.groupby(content).cumcount().astype(str)
    frame["row_hash"] = [
        hashlib.sha256(f"{c}#{k}".encode()).hexdigest()[:32]
        for c, k in zip(content, occurrence, strict=True)
    ]
    if bad_lines:
        parts.append(
            pd.DataFrame(
                {
                    "row": [r for r, _ in bad_lines],
                    "column": "",
                    "value": "",
                    "reason": [
                        f"has {k} fields; the header has {len(header)}" for _, k in bad_lines
                    ],
                }
            )
        )
    rejects = (
        pd.concat(parts, ignore_index=True).sort_values("row", kind="stable", ignore_index=True)
        if parts
        else pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS})
    )
    rejects = rejects.astype(
        {"row": "int64", "column": "string", "value": "string", "reason": "string"}
    )
    return ActivityReading(
        activities=frame,
        rejects=rejects,
        rows_read=n + len(bad_lines),
        rejected=int(rejects["row"].nunique()) if len(rejects) else 0,
        delimiter=layout.delimiter,
        key_id=key.key_id if key is not None else "",
    )
