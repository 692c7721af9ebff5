"""Row validation shared by every reader: raw columns in, a validated frame plus rejects out.

Readers map a file's columns onto the canonical fields (see :mod:`hotspots.io._columns`) and
hand the raw values here. Every row ends up either in the frame (metric CRS, the columns of
:mod:`hotspots.core.schema`) or in the rejects, one line per problem with the row number, the column
as written in the file, the value and the reason. Everything is vectorised over the chunk.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyproj import CRS

from hotspots.core.schema import (
    ANALYSIS_COLUMNS,
    INCIDENT_COLUMNS,
    PRECISIONS,
    SURVEY_COLUMNS,
    TIMEZONE,
)
from hotspots.core.taxonomy import CATEGORIES, CODES, lookup
from hotspots.io._address_location import AddressLocation, combine_locations
from hotspots.io._ids import IdMaker
from hotspots.io._location import LocationResult, TargetCRS, locate
from hotspots.io._row_ids import ids_of_rows as _ids
from hotspots.io._row_ids import split_repeated as _split_repeated
from hotspots.io._row_ids import text_column as _text
from hotspots.io._source_ids import RepeatedIds
from hotspots.io._times import parse_times
from hotspots.spatial.points import point_frame

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
    "resolve_target",
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
    rows
        Row number of each accepted row (as in ``rejects``), aligned with ``frame``; ``None``
        for the point incident frames of one analysis.
    id_column
        The file's id column as written (``Crime ID``), or ``None`` when it has none.
    by_address
        Boolean array aligned with ``frame``: the rows located by their address (or a
        street named in their text), ``None`` when no geocoder was used.
    """

    frame: gpd.GeoDataFrame
    rejects: pd.DataFrame
    rows_read: int
    rows: np.ndarray | None = None
    id_column: str | None = None
    by_address: np.ndarray | None = None

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
        inv, mapped = self.resolve_factorized(labels)
        codes = np.asarray(mapped, dtype=object)[inv] if len(inv) else np.array([], object)
        return codes, np.equal(codes, None)

    def resolve_factorized(self, labels: pd.Series) -> tuple[np.ndarray, list[str | None]]:
        """Return ``(inverse, codes of the distinct labels)``: each label is looked up once."""
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
        return np.asarray(inv, dtype=np.intp), mapped


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
    address
        The rows located by their address instead (a geocoder's points, see
        :mod:`hotspots.io._address_location`), or ``None``; ``a``/``b`` then still hold the
        file's coordinate cells (or, without coordinate columns, the address cells).
    """

    mode: str
    a: pd.Series
    b: pd.Series
    crs: CRS | None
    names: tuple[str, str]
    pre_reason: np.ndarray | None = None
    address: AddressLocation | None = None


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
    repeated_ids
        For police.uk: rows that repeat a given id with other content get their own id
        (``-2``, ``-3``, see :mod:`hotspots.io._source_ids`) and the given id is kept in
        ``source_id``; ``None`` keeps given ids as they are (``source_id`` empty).
    analysis_only
        Build point incident frames of :data:`~hotspots.core.schema.ANALYSIS_COLUMNS` (x/y
        columns, no geometry objects, no id, source or description) for one analysis; rows
        are validated and rejected exactly as for an import.
    """

    target: TargetCRS
    categories: CategoryResolver
    now: pd.Timestamp
    import_id: str
    ids: IdMaker = field(default_factory=IdMaker)
    default_precision: str = "exact"
    default_source: str | None = None
    analysis_only: bool = False
    repeated_ids: RepeatedIds | None = None


class _Problems:
    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.bad = np.zeros(len(rows), dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: np.ndarray,
        column: str,
        reason: str | np.ndarray,
        values: object | Callable[[np.ndarray], object],
    ) -> None:
        """Reject the rows of ``mask``.

        ``values`` are the cells as given, or a function that returns them for the rows of a
        mask (so that texts are built for the failing rows only).
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if callable(values):
            picked = pd.Series(values(mask))
        else:
            ser = values if isinstance(values, pd.Series) else pd.Series(values)
            picked = ser.reset_index(drop=True)[mask]
        vals = picked.astype("string").fillna("").to_numpy()
        why = reason[mask] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame({"row": self.rows[mask], "column": column, "value": vals, "reason": why})
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


def _map_values(values: pd.Series, table: Mapping[str, str | int]) -> tuple[np.ndarray, np.ndarray]:
    text = values.fillna("")
    inv, uniques = pd.factorize(text, use_na_sentinel=False)
    mapped = [table.get(_fold(u)) if u != "" else "" for u in uniques]
    out = np.asarray(mapped, dtype=object)[inv] if len(text) else np.array([], object)
    return out, np.equal(out, None)


def _locate(loc: LocationInput, ctx: Context) -> LocationResult:
    """Check and project the locations of one chunk (settles ``ctx.target`` on the first)."""
    return locate(
        loc.a.reset_index(drop=True),
        loc.b.reset_index(drop=True),
        mode=loc.mode,
        src_crs=loc.crs,
        target=ctx.target,
        names=loc.names,
    )


def _location(
    loc: LocationInput, ctx: Context, problems: _Problems
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``x``, ``y`` in the target CRS and the rows located by their address (or ``None``)."""
    addr = loc.address
    coords = addr is None or not addr.use.all()
    res = _locate(loc, ctx) if coords else None

    def given(mask: np.ndarray) -> pd.Series:
        a = loc.a.reset_index(drop=True)[mask].astype("string").fillna("")
        b = loc.b.reset_index(drop=True)[mask].astype("string").fillna("")
        return a + ", " + b

    if res is not None:
        reason, failed = res.reason, res.failed
        if loc.pre_reason is not None:
            pre = ~np.equal(loc.pre_reason, None)
            reason = np.where(pre, loc.pre_reason, reason)
            failed = failed | pre
        if addr is not None:
            failed = failed & ~addr.use
        column = loc.names[0] if loc.names[0] == loc.names[1] else "/".join(loc.names)
        problems.add(failed, column, reason, given)
    if addr is None:
        return res.x, res.y, None  # type: ignore[union-attr]
    both = combine_locations(res, addr, target=ctx.target)
    problems.add(both.failed, addr.column, both.reason, addr.values)
    return both.x, both.y, both.by_address


def resolve_target(loc: LocationInput, ctx: Context) -> CRS:
    """Settle ``ctx.target`` from one chunk's locations, exactly as validating it would.

    A file's first chunk decides the target CRS (see :class:`TargetCRS`); a process that
    validates later chunks without the first calls this on the first chunk's locations.
    """
    if loc.address is not None:  # the geocoded points count, as in validation
        _location(loc, ctx, _Problems(np.zeros(len(loc.address.use), dtype=np.int64)))
        return ctx.target.crs or CRS(3006)
    return _locate(loc, ctx).crs


def _typed(data: dict[str, object], columns: Mapping[str, str]) -> pd.DataFrame:
    """``data`` as a frame of ``columns`` (name -> dtype), in that order."""
    frame = pd.DataFrame(data)
    for col, dtype in columns.items():
        wanted = pd.api.types.pandas_dtype(dtype)
        if frame[col].dtype != wanted:  # a dtype object: "str" == "string" would be lenient
            frame[col] = frame[col].astype(wanted)
    return frame[list(columns)]


def _geoframe(
    data: dict[str, object], columns: Mapping[str, str], x: np.ndarray, y: np.ndarray, crs: CRS
) -> gpd.GeoDataFrame:
    frame = _typed(data, columns)
    geometry = gpd.GeoSeries(shapely.points(x, y), index=frame.index, crs=crs)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)


def _strings(values: pd.Series, keep: np.ndarray) -> pd.Series:
    """``values[keep]`` as the ``string`` dtype, index reset."""
    return values.reset_index(drop=True)[keep].astype("string").reset_index(drop=True)


def _take(mapped: list[str | None], inv: np.ndarray) -> pd.Series:
    """``mapped[inv]`` as the ``string`` dtype (one Arrow take)."""
    table = pa.array(mapped, type=pa.string())
    return pd.Series(pd.array(table.take(pa.array(inv, type=pa.int64())), dtype="string"))


def _labels(values: np.ndarray) -> pd.Series:
    """A column of a few distinct labels (object array) as the ``string`` dtype.

    Converting or hashing each cell is a Python-level loop; one comparison pass per distinct
    label is not (labels here are a handful: precisions, an import id).
    """
    codes = np.full(len(values), -1, dtype=np.int64)
    vocabulary: list[object] = []
    if values.dtype.kind == "U":  # NumPy strings compare in C: one pass per distinct label
        left = np.ones(len(values), dtype=bool)
        while left.any():
            label = values[np.argmax(left)]
            hit = left & (values == label)
            codes[hit] = len(vocabulary)
            vocabulary.append(str(label))
            left &= ~hit
        return _take([str(v) for v in vocabulary], codes)
    rest = np.arange(len(values))
    while len(rest) and len(vocabulary) < _FEW_LABELS:
        label = values[rest[0]]
        hit = np.equal(values[rest], label) if label is not None else np.equal(values[rest], None)
        codes[rest[hit]] = len(vocabulary)
        vocabulary.append(label)
        rest = rest[~hit]
    if len(rest):  # many distinct labels after all
        more, uniques = pd.factorize(values[rest], use_na_sentinel=False)
        codes[rest] = more + len(vocabulary)
        vocabulary.extend(uniques)
    return _take([None if v is None else str(v) for v in vocabulary], codes)


_FEW_LABELS = 16


def _casefold(values: pd.Series) -> pd.Series:
    """Case-fold each distinct text once (``str.casefold`` per cell is a Python loop)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return values
    folded = pa.array([str(u).casefold() for u in uniques], type=pa.string())
    taken = folded.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="string"), index=values.index)


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
    cat_inv, cat_codes = ctx.categories.resolve_factorized(labels)
    unknown = (
        np.equal(np.asarray(cat_codes, dtype=object), None)[cat_inv]
        if n
        else np.zeros(0, dtype=bool)
    )
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
    if "precision" in fields:
        prec_raw = _text(raw, fields["precision"], n)
        prec, bad_prec = _map_values(prec_raw, _PRECISION_ALIASES)
        prec = np.where(np.equal(prec, ""), ctx.default_precision, prec)
        problems.add(
            bad_prec,
            fields["precision"],
            f"unknown precision; use one of {', '.join(PRECISIONS)}",
            prec_raw,
        )
    else:  # no column: every row has the format's precision
        prec = np.full(n, ctx.default_precision)

    # --- location -------------------------------------------------------------------------
    x, y, by_address = _location(location, ctx, problems)
    if by_address is not None and by_address.any():  # the geocoder's address or street
        prec = np.where(by_address, location.address.precision, prec)  # type: ignore[union-attr]
    ok = ~problems.bad
    crs = ctx.target.crs or CRS(3006)
    data = {
        "occurred_at": start[ok],
        "occurred_until": until[ok],
        "time_precision": _labels(tprec[ok]),
        "category": _take(cat_codes, cat_inv[ok]),
        "precision": _labels(prec[ok]),
    }
    geocoded = None if by_address is None else by_address[ok]
    if ctx.analysis_only:
        frame = _typed(data, {c: INCIDENT_COLUMNS[c] for c in ANALYSIS_COLUMNS})
        frame = point_frame(frame, x[ok], y[ok], crs)
        return Chunk(frame=frame, rejects=problems.frame(), rows_read=n, by_address=geocoded)

    source = _text(raw, fields.get("source"), n)
    if ctx.default_source is not None:
        source = source.fillna(ctx.default_source)
    source = _casefold(source)
    description = _text(raw, fields.get("description"), n)
    given = _text(raw, fields.get("id"), n)
    ids = _ids(raw, fields, location, ctx, given)
    if ctx.repeated_ids is not None:  # the stored id may differ from the given one
        ids = _split_repeated(ids, given, ok, raw=raw, loc=location, repeated=ctx.repeated_ids)
        source_id = _strings(given, ok)
    else:  # the stored id is the given one (or a content hash): nothing to keep apart
        source_id = _take([None], np.zeros(int(ok.sum()), dtype=np.int64))
    data |= {
        "id": _strings(ids, ok),
        "source_id": source_id,
        "source_category": _strings(labels, ok),
        "source": _strings(source, ok),
        "description": _strings(description, ok),
        "import_id": _take([ctx.import_id], np.zeros(int(ok.sum()), dtype=np.int64)),
    }
    frame = _geoframe(data, INCIDENT_COLUMNS, x[ok], y[ok], crs)
    return Chunk(
        frame=frame,
        rejects=problems.frame(),
        rows_read=n,
        rows=rows[ok],
        id_column=fields.get("id"),
        by_address=geocoded,
    )


def build_survey(
    raw: pd.DataFrame,
    *,
    rows: np.ndarray,
    fields: Mapping[str, str],
    location: LocationInput,
    ctx: Context,
) -> Chunk:
    """Validate raw survey / dialogue marks (README, "Survey and dialogue marks").

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

    x, y, _ = _location(location, ctx, problems)
    ids = _ids(raw, fields, location, ctx)
    ok = ~problems.bad
    data = {
        "id": _strings(ids, ok),
        "unsafe": score[ok].astype(np.int64),
        "time_of_day": pd.Series(tod[ok], dtype=object).replace("", None).to_numpy(),
        "reason": pd.Series(reason[ok], dtype=object).replace("", None).to_numpy(),
        "source": source[ok].to_numpy(),
        "date": date[ok],
        "import_id": ctx.import_id,
    }
    frame = _geoframe(data, SURVEY_COLUMNS, x[ok], y[ok], ctx.target.crs or CRS(3006))
    return Chunk(
        frame=frame,
        rejects=problems.frame(),
        rows_read=n,
        rows=rows[ok],
        id_column=fields.get("id"),
    )
