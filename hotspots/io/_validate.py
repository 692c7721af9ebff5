"""Row validation shared by every reader: raw columns in, a validated frame plus rejects out.

Readers map a file's columns onto the canonical fields (see :mod:`hotspots.io._columns`) and
hand the raw values here. Every row ends up either in the frame (metric CRS, the columns of
:mod:`hotspots.schema`) or in the rejects, one line per problem with the row number, the column
as written in the file, the value and the reason. Everything is vectorised over the chunk.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from hotspots.io._location import TargetCRS, locate
from hotspots.io._times import parse_times
from hotspots.schema import INCIDENT_COLUMNS, PRECISIONS, SURVEY_COLUMNS, TIMEZONE
from hotspots.taxonomy import CATEGORIES, CODES, lookup

__all__ = [
    "REJECT_COLUMNS",
    "SWEDISH_LABEL_PARTS",
    "CategoryResolver",
    "Chunk",
    "Context",
    "IdMaker",
    "LocationInput",
    "build_incidents",
    "build_survey",
    "empty_rejects",
]

#: Columns of a rejects table.
REJECT_COLUMNS: tuple[str, ...] = ("row", "column", "value", "reason")
#: Tolerance before a time counts as "in the future" (clock skew, minutes).
FUTURE_TOLERANCE = pd.Timedelta(minutes=10)

_PRECISION_ALIASES: dict[str, str] = {
    **{p: p for p in PRECISIONS},
    "exakt": "exact",
    "punkt": "exact",
    "gps": "exact",
    "adress": "address",
    "gatuadress": "address",
    "gata": "street",
    "gatuniva": "street",
    "vag": "street",
    "stadsdel": "district",
    "omrade": "district",
    "område": "district",
    "district": "district",
    "kommun": "municipality",
    "lan": "municipality",
    "county": "municipality",
}
_TIME_OF_DAY: dict[str, str] = {
    "dag": "dag",
    "day": "dag",
    "dagtid": "dag",
    "morgon": "dag",
    "formiddag": "dag",
    "eftermiddag": "dag",
    "kvall": "kvall",
    "evening": "kvall",
    "kvallstid": "kvall",
    "natt": "natt",
    "night": "natt",
    "nattetid": "natt",
}
_REASONS: dict[str, str] = {
    "belysning": "belysning",
    "lighting": "belysning",
    "morker": "belysning",
    "grupperingar": "grupperingar",
    "gruppering": "grupperingar",
    "groups": "grupperingar",
    "narkotika": "narkotika",
    "drugs": "narkotika",
    "knark": "narkotika",
    "alkohol": "alkohol",
    "alcohol": "alkohol",
    "fylla": "alkohol",
    "trafik": "trafik",
    "traffic": "trafik",
    "skadegorelse": "skadegorelse",
    "vandalism": "skadegorelse",
    "klotter": "skadegorelse",
    "annat": "annat",
    "other": "annat",
    "ovrigt": "annat",
}
_YES_NO: dict[str, int] = {
    "ja": 5,
    "yes": 5,
    "j": 5,
    "y": 5,
    "sant": 5,
    "true": 5,
    "x": 5,
    "nej": 1,
    "no": 1,
    "n": 1,
    "falskt": 1,
    "false": 1,
}


def _fold(text: str) -> str:
    out = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return "".join(c for c in out if not unicodedata.combining(c))


def _label_parts() -> dict[str, str]:
    """Each half of a two-part label that belongs to one category only.

    ``"Skadegörelse / klotter"`` gives ``"skadegorelse"`` and ``"klotter"``.
    """
    seen: dict[str, set[str]] = {}
    for cat in CATEGORIES:
        for text in (cat.sv, cat.en):
            for part in text.split("/"):
                key = _fold(part)
                if key:
                    seen.setdefault(key, set()).add(cat.code)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


#: Folded halves of the taxonomy's two-part labels -> code (e.g. "klotter" -> vandalism).
SWEDISH_LABEL_PARTS: dict[str, str] = _label_parts()


def empty_rejects() -> pd.DataFrame:
    """A rejects table with no rows."""
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="string"),
            "value": pd.Series(dtype="string"),
            "reason": pd.Series(dtype="string"),
        }
    )


@dataclass(frozen=True, slots=True)
class Chunk:
    """One validated chunk of a file.

    Attributes
    ----------
    frame
        Accepted rows: an incident or survey frame in the target metric CRS.
    rejects
        Problems: ``row`` (1-based row as a spreadsheet shows it, or feature number),
        ``column`` (as written in the file), ``value`` and ``reason``.
    rows_read
        Data rows in the chunk.
    """

    frame: gpd.GeoDataFrame
    rejects: pd.DataFrame
    rows_read: int

    @property
    def rejected(self) -> int:
        """Number of distinct rejected rows."""
        return int(self.rejects["row"].nunique()) if len(self.rejects) else 0


@dataclass(frozen=True, slots=True)
class CategoryResolver:
    """Maps source labels to taxonomy codes.

    Attributes
    ----------
    user_map
        ``--category-map``: folded source label -> code; consulted first.
    builtin
        A format's own mapping (police.uk crime types, Polisen event types): folded label ->
        code.
    unknown_to_other
        Store unmapped labels as ``other`` (police.uk, Polisen) instead of rejecting them.
    """

    user_map: Mapping[str, str] = field(default_factory=dict)
    builtin: Mapping[str, str] = field(default_factory=dict)
    unknown_to_other: bool = False

    def resolve(self, labels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(codes, unknown)``: codes (object array, ``None`` if unknown) and mask."""
        text = labels.astype("string").fillna("").str.strip()
        inv, uniques = pd.factorize(text, use_na_sentinel=False)
        mapped: list[str | None] = []
        for value in uniques:
            key = _fold(value)
            code = self.user_map.get(key) or self.builtin.get(key)
            if code is None:
                cat = lookup(value)
                code = cat.code if cat is not None else None
            if code is None and self.unknown_to_other and key:
                code = "other"
            mapped.append(code)
        codes = np.asarray(mapped, dtype=object)[inv] if len(text) else np.array([], object)
        return codes, np.equal(codes, None)


class IdMaker:
    """Stable ids from row content: ``h`` + 16 hex digits of a 64-bit hash of the row.

    Identical rows (police.uk has many: same month, snapped point and type) get ``-1``, ``-2``
    ... by order of appearance, counted across chunks, so re-importing the same file gives the
    same ids and no row is lost.
    """

    _HEX = np.array(list("0123456789abcdef"))

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)
        self._counts = np.zeros(0, dtype=np.int64)

    def make(self, content: pd.DataFrame) -> np.ndarray:
        """Ids for the rows of ``content`` (the row values that identify an incident)."""
        if not len(content):
            return np.array([], dtype=object)
        h = pd.util.hash_pandas_object(content, index=False).to_numpy(dtype=np.uint64)
        within = pd.Series(h).groupby(h).cumcount().to_numpy()
        prior = np.zeros(len(h), dtype=np.int64)
        if len(self._keys):
            pos = np.minimum(np.searchsorted(self._keys, h), len(self._keys) - 1)
            found = self._keys[pos] == h
            prior[found] = self._counts[pos[found]]
        ordinal = prior + within
        allk = np.concatenate([self._keys, h])
        allc = np.concatenate([self._counts, np.ones(len(h), dtype=np.int64)])
        keys, inv = np.unique(allk, return_inverse=True)
        self._keys = keys
        self._counts = np.bincount(inv, weights=allc).astype(np.int64)
        shifts = np.arange(60, -4, -4, dtype=np.uint64)
        nibbles = (h[:, None] >> shifts[None, :]) & np.uint64(0xF)
        chars = self._HEX[nibbles.astype(np.intp)]
        hexes = np.char.add("h", chars.view(f"<U{len(shifts)}").ravel()).astype(object)
        dup = ordinal > 0
        if dup.any():
            hexes[dup] = [f"{s}-{o}" for s, o in zip(hexes[dup], ordinal[dup], strict=True)]
        return hexes


@dataclass(frozen=True, slots=True)
class LocationInput:
    """The raw location of each row.

    Attributes
    ----------
    mode
        ``"latlon"`` (a = latitude, b = longitude, degrees) or ``"xy"`` (a = x, b = y in
        ``crs``).
    a, b
        Raw values (strings or numbers).
    crs
        CRS of ``x``/``y``; ignored for ``latlon``.
    names
        Column names as written in the file (for messages).
    pre_reason
        Optional reasons found by the reader (e.g. a polygon where a point is needed), object
        array with ``None`` where fine.
    """

    mode: str
    a: pd.Series
    b: pd.Series
    crs: CRS | None
    names: tuple[str, str]
    pre_reason: np.ndarray | None = None


@dataclass
class Context:
    """What validation needs besides the rows.

    Attributes
    ----------
    target
        The target metric CRS (shared by all chunks of a file).
    categories
        Category label resolver.
    now
        Current time; later times are rejected as future.
    import_id
        sha256 of the source file, stored with each row.
    ids
        Id maker shared by all chunks of a file.
    default_precision
        Location precision when the file has none (``exact``; Polisen ``municipality``).
    default_source
        Source when the file has none (``None`` leaves it empty).
    """

    target: TargetCRS
    categories: CategoryResolver
    now: pd.Timestamp
    import_id: str
    ids: IdMaker = field(default_factory=IdMaker)
    default_precision: str = "exact"
    default_source: str | None = None


class _Problems:
    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.bad = np.zeros(len(rows), dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, column: str, reason: str | np.ndarray, values: object) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        vals = pd.Series(values).astype("string").fillna("").to_numpy()
        why = reason[mask] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame(
                {"row": self.rows[mask], "column": column, "value": vals[mask], "reason": why}
            )
        )
        self.bad |= mask

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return empty_rejects()
        out = pd.concat(self.parts, ignore_index=True)
        out = out.sort_values("row", kind="stable", ignore_index=True)
        return out.astype(
            {"row": "int64", "column": "string", "value": "string", "reason": "string"}
        )


def _text(raw: pd.DataFrame, col: str | None, n: int) -> pd.Series:
    if col is None or col not in raw:
        return pd.Series(pd.array([pd.NA] * n, dtype="string"))
    out = raw[col].astype("string").str.strip()
    return out.where(out != "", pd.NA).reset_index(drop=True)


def _map_values(values: pd.Series, table: Mapping[str, str | int]) -> tuple[np.ndarray, np.ndarray]:
    text = values.fillna("")
    inv, uniques = pd.factorize(text, use_na_sentinel=False)
    mapped = [table.get(_fold(u)) if u != "" else "" for u in uniques]
    out = np.asarray(mapped, dtype=object)[inv] if len(text) else np.array([], object)
    return out, np.equal(out, None)


def _location(loc: LocationInput, ctx: Context, problems: _Problems) -> tuple[np.ndarray, ...]:
    res = locate(
        loc.a.reset_index(drop=True),
        loc.b.reset_index(drop=True),
        mode=loc.mode,
        src_crs=loc.crs,
        target=ctx.target,
        names=loc.names,
    )
    given = (
        loc.a.astype("string").fillna("") + ", " + loc.b.astype("string").fillna("")
    ).reset_index(drop=True)
    reason = res.reason
    if loc.pre_reason is not None:
        reason = np.where(np.equal(loc.pre_reason, None), reason, loc.pre_reason)
    column = loc.names[0] if loc.names[0] == loc.names[1] else "/".join(loc.names)
    problems.add(~np.equal(reason, None), column, reason, given)
    return res.x, res.y


def _content_for_id(raw: pd.DataFrame, loc: LocationInput) -> pd.DataFrame:
    content = raw.reset_index(drop=True).astype("string").fillna("")
    content["__a"] = loc.a.reset_index(drop=True).astype("string").fillna("")
    content["__b"] = loc.b.reset_index(drop=True).astype("string").fillna("")
    return content


def _ids(
    raw: pd.DataFrame, fields: Mapping[str, str], loc: LocationInput, ctx: Context
) -> np.ndarray:
    n = len(raw)
    given = _text(raw, fields.get("id"), n)
    made = ctx.ids.make(_content_for_id(raw, loc))
    have = given.notna().to_numpy()
    return np.where(have, given.fillna("").to_numpy(dtype=object), made)


def _geoframe(
    data: dict[str, object], columns: Mapping[str, str], x: np.ndarray, y: np.ndarray, crs: CRS
) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(data)
    for col, dtype in columns.items():
        frame[col] = frame[col].astype(dtype)
    frame = frame[list(columns)]
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=crs)


def build_incidents(
    raw: pd.DataFrame,
    *,
    rows: np.ndarray,
    fields: Mapping[str, str],
    location: LocationInput,
    ctx: Context,
) -> Chunk:
    """Validate raw incident rows.

    Parameters
    ----------
    raw
        The chunk as read, original column names (strings or, for vector files, typed).
    rows
        Row number of each row (spreadsheet row for CSV, feature number otherwise).
    fields
        Canonical field -> column of ``raw`` (``occurred_at`` or ``date``/``time``,
        ``category``, optional ``occurred_until``, ``id``, ``precision``, ``source``,
        ``description``).
    location
        The raw location of each row.
    ctx
        Target CRS, category resolver, current time, import id.

    Returns
    -------
    Chunk
        The accepted incident frame (metric CRS) and the rejects.
    """
    n = len(raw)
    raw = raw.reset_index(drop=True)
    rows = np.asarray(rows, dtype=np.int64)
    problems = _Problems(rows)

    # --- time -------------------------------------------------------------------------
    if "occurred_at" in fields:
        time_col = fields["occurred_at"]
        time_raw = raw[time_col]
    elif "date" in fields and "time" in fields:
        time_col = f"{fields['date']}+{fields['time']}"
        time_raw = (
            _text(raw, fields["date"], n).fillna("")
            + " "
            + _text(raw, fields["time"], n).fillna("")
        ).str.strip()
    else:
        time_col = fields.get("date") or fields["time"]
        time_raw = raw[time_col]
    times = parse_times(time_raw.reset_index(drop=True))
    problems.add(times.empty, time_col, "missing time: the cell is empty", time_raw)
    problems.add(
        times.bad,
        time_col,
        "unparseable time; write YYYY-MM-DD HH:MM (e.g. 2026-03-14 22:15), local Swedish time",
        time_raw,
    )
    future = np.asarray(times.start > ctx.now + FUTURE_TOLERANCE, dtype=bool)
    problems.add(future, time_col, f"time in the future (after {ctx.now:%Y-%m-%d %H:%M})", time_raw)
    start, until, tprec = times.start, times.until, times.precision
    if "occurred_until" in fields:
        ucol = fields["occurred_until"]
        uraw = raw[ucol].reset_index(drop=True)
        u = parse_times(uraw)
        problems.add(u.bad, ucol, "unparseable end time; write YYYY-MM-DD HH:MM", uraw)
        given_until = ~u.empty & ~u.bad
        before = given_until & np.asarray(u.start < start, dtype=bool)
        problems.add(before, ucol, "end time before the start time", uraw)
        until = until.where(~given_until, u.start)

    # --- category ----------------------------------------------------------------------
    ccol = fields["category"]
    labels = _text(raw, ccol, n)
    codes, unknown = ctx.categories.resolve(labels)
    empty_cat = labels.isna().to_numpy()
    problems.add(empty_cat, ccol, "missing category: the cell is empty", labels)
    problems.add(
        unknown & ~empty_cat,
        ccol,
        "unknown category; use a code or Swedish/English label of "
        f"{', '.join(CODES)}, or map it with --category-map FILE",
        labels,
    )

    # --- precision, source, description -----------------------------------------------
    prec_raw = _text(raw, fields.get("precision"), n)
    prec, bad_prec = _map_values(prec_raw, _PRECISION_ALIASES)
    prec = np.where(np.equal(prec, ""), ctx.default_precision, prec)
    problems.add(
        bad_prec,
        fields.get("precision", "precision"),
        f"unknown precision; use one of {', '.join(PRECISIONS)}",
        prec_raw,
    )
    source = _text(raw, fields.get("source"), n)
    if ctx.default_source is not None:
        source = source.fillna(ctx.default_source)
    source = source.str.casefold()
    description = _text(raw, fields.get("description"), n)

    # --- location and id ------------------------------------------------------------------
    x, y = _location(location, ctx, problems)
    ids = _ids(raw, fields, location, ctx)

    ok = ~problems.bad
    data = {
        "id": ids[ok],
        "occurred_at": start[ok],
        "occurred_until": until[ok],
        "time_precision": tprec[ok],
        "category": codes[ok],
        "source_category": labels[ok].to_numpy(),
        "precision": prec[ok],
        "source": source[ok].to_numpy(),
        "description": description[ok].to_numpy(),
        "import_id": ctx.import_id,
    }
    frame = _geoframe(data, INCIDENT_COLUMNS, x[ok], y[ok], ctx.target.crs or CRS(3006))
    return Chunk(frame=frame, rejects=problems.frame(), rows_read=n)


def build_survey(
    raw: pd.DataFrame,
    *,
    rows: np.ndarray,
    fields: Mapping[str, str],
    location: LocationInput,
    ctx: Context,
) -> Chunk:
    """Validate raw survey / dialogue marks (see DESIGN.md, "survey and dialogue marks").

    ``unsafe`` is 1-5 (5 = very unsafe) or yes/no (``ja``/``nej`` -> 5/1); ``time_of_day``
    ``dag``/``kvall``/``natt``; ``reason`` one or more of belysning, grupperingar, narkotika,
    alkohol, trafik, skadegorelse, annat (comma-separated); ``date`` an ISO date.
    """
    n = len(raw)
    raw = raw.reset_index(drop=True)
    rows = np.asarray(rows, dtype=np.int64)
    problems = _Problems(rows)

    ucol = fields["unsafe"]
    uraw = _text(raw, ucol, n)
    num = pd.to_numeric(uraw.str.replace(",", ".", regex=False), errors="coerce")
    yes_no, not_yes_no = _map_values(uraw, _YES_NO)
    score = np.where(num.notna().to_numpy(), num.to_numpy(dtype=float, na_value=np.nan), np.nan)
    yn = ~not_yes_no & ~np.equal(yes_no, "")
    score = np.where(yn, yes_no.astype(object), score).astype(float)
    empty_u = uraw.isna().to_numpy()
    valid = np.isfinite(score) & (np.round(score) == score) & (score >= 1) & (score <= 5)
    problems.add(empty_u, ucol, "missing unsafe value: the cell is empty", uraw)
    problems.add(
        ~empty_u & ~valid,
        ucol,
        "unsafe must be a whole number 1-5 (5 = very unsafe) or ja/nej",
        uraw,
    )

    tcol = fields.get("time_of_day")
    traw = _text(raw, tcol, n)
    tod, bad_tod = _map_values(traw, _TIME_OF_DAY)
    problems.add(bad_tod, tcol or "time_of_day", "time_of_day must be dag, kvall or natt", traw)

    rcol = fields.get("reason")
    rraw = _text(raw, rcol, n)
    parts = rraw.fillna("").str.replace(";", ",", regex=False).str.split(",")
    inv, uniques = pd.factorize(parts.map(lambda p: ",".join(s.strip() for s in p if s.strip())))
    mapped_u: list[str | None] = []
    for u in uniques:
        codes = [_REASONS.get(_fold(p)) for p in u.split(",") if p]
        mapped_u.append(None if None in codes else ",".join(dict.fromkeys(c or "" for c in codes)))
    reason = np.asarray(mapped_u, dtype=object)[inv] if len(uniques) else np.full(n, "", object)
    reason = np.where(inv < 0, "", reason) if len(uniques) else reason
    problems.add(
        np.equal(reason, None),
        rcol or "reason",
        "unknown reason; use belysning, grupperingar, narkotika, alkohol, trafik, "
        "skadegorelse or annat (several separated by commas)",
        rraw,
    )

    source = _text(raw, fields.get("source"), n).map(
        lambda s: _fold(s) if isinstance(s, str) else s
    )
    dcol = fields.get("date")
    if dcol is not None:
        draw = raw[dcol].reset_index(drop=True)
        dparsed = parse_times(draw)
        problems.add(dparsed.bad, dcol, "unparseable date; write YYYY-MM-DD", draw)
        future = np.asarray(dparsed.start > ctx.now + FUTURE_TOLERANCE, dtype=bool)
        problems.add(future, dcol, f"date in the future (after {ctx.now:%Y-%m-%d})", draw)
        date = dparsed.start.tz_convert(TIMEZONE).tz_localize(None).normalize()
    else:
        date = pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "ns")))

    x, y = _location(location, ctx, problems)
    ids = _ids(raw, fields, location, ctx)
    ok = ~problems.bad
    data = {
        "id": ids[ok],
        "unsafe": score[ok].astype(np.int64),
        "time_of_day": pd.Series(tod[ok], dtype=object).replace("", None).to_numpy(),
        "reason": pd.Series(reason[ok], dtype=object).replace("", None).to_numpy(),
        "source": source[ok].to_numpy(),
        "date": date[ok],
        "import_id": ctx.import_id,
    }
    frame = _geoframe(data, SURVEY_COLUMNS, x[ok], y[ok], ctx.target.crs or CRS(3006))
    return Chunk(frame=frame, rejects=problems.frame(), rows_read=n)
