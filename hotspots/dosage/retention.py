"""Raw pings are kept for a number of days, then reduced to stops and passages.

A ping says where an officer was at a given second; a stop (where a unit stood, from when to
when) and a passage through a registered place are what the follow-up needs. After
``keep_days`` (30 by default) the pings of each unit are replaced by its stops (all of them,
with their positions, so visits to any place can still be found later) and its passages
through the places registered in the tracks file (:meth:`TrackStore.places`; a drive-through
of an area that was not registered cannot be found once its pings are gone).

A stop or passage still running at the cut-off is left for a later reduction: the unit's
pings are cut before it, so no stop is split in two.

This module reads and writes through :class:`~hotspots.dosage.storage.TrackStore` only; the
computation is :mod:`hotspots.dosage.stops`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.dosage.stops import (
    StopParams,
    detect_stops,
    empty_passages,
    empty_stops,
    passages_through,
    sorted_pings,
)
from hotspots.dosage.storage import Reduction, TrackStore

__all__ = ["DEFAULT_KEEP_DAYS", "ReduceSummary", "cutoff_ms", "reduce_pings", "reduce_tracks"]

#: Days raw pings are kept before they are reduced.
DEFAULT_KEEP_DAYS = 30


@dataclass(frozen=True, slots=True)
class ReduceSummary:
    """What a reduction did.

    Attributes
    ----------
    before_ms
        The cut-off asked for (UTC ms).
    pings_removed
        Raw pings removed.
    stops
        Stops stored.
    passages
        Passages stored.
    units
        Units reduced.
    """

    before_ms: int
    pings_removed: int
    stops: int
    passages: int
    units: int


def cutoff_ms(keep_days: float, *, now: pd.Timestamp | None = None) -> int:
    """UTC ms of local midnight ``keep_days`` days before ``now`` (default the wall clock).

    Raises
    ------
    InputSchemaError
        When ``keep_days`` is negative.
    """
    if not keep_days >= 0:
        msg = f"--keep-days: must be 0 or more days (got {keep_days})"
        raise InputSchemaError(msg)
    clock = (now if now is not None else pd.Timestamp.now(tz=TIMEZONE)).tz_convert(TIMEZONE)
    day = (clock - pd.Timedelta(days=float(keep_days))).normalize()
    return int(day.tz_convert("UTC").as_unit("ms").asm8.astype(np.int64))


def _areas(places: pd.DataFrame) -> dict[str, shapely.Geometry]:
    out: dict[str, shapely.Geometry] = {}
    for pid, wkt in zip(places["place_id"], places["wkt"], strict=True):
        geom = shapely.from_wkt(str(wkt))
        if geom is not None and not geom.is_empty:
            out[str(pid)] = geom
    return out


def reduce_pings(
    pings: pd.DataFrame, places: pd.DataFrame, *, before_ms: int, params: StopParams
) -> Reduction:
    """Stops, passages and per-unit cuts for the pings before ``before_ms`` (pure).

    Parameters
    ----------
    pings
        Ping frame, every ping before ``before_ms``.
    places
        Registered places (``place_id``, ``wkt``).
    before_ms
        The cut-off (UTC ms).
    params
        Stop detection parameters.

    Returns
    -------
    Reduction
        A unit whose last stop or passage is still running at its last ping before the
        cut-off is cut at the start of that stop or passage; the others at ``before_ms``.
    """
    if len(pings) == 0:
        return Reduction(stops=empty_stops(), passages=empty_passages(), cut_ms={})
    pings = sorted_pings(pings)
    last_t = pings.groupby("unit", sort=False)["t_ms"].max()
    cut: dict[str, int] = {str(u): int(before_ms) for u in last_t.index}
    # a unit whose last ping lies within max_gap_s of the cut-off may go on after it; one
    # whose pings ended earlier starts a new segment with its next ping anyway
    running = last_t[last_t >= before_ms - params.max_gap_s * 1000]
    stops = detect_stops(pings, params)
    if len(stops):
        open_stop = stops["end_ms"].to_numpy() == stops["unit"].map(running).to_numpy()
        for unit, start in zip(
            stops.loc[open_stop, "unit"], stops.loc[open_stop, "start_ms"], strict=True
        ):
            cut[str(unit)] = min(cut[str(unit)], int(start))
    areas = _areas(places) if len(places) else {}
    passages = empty_passages()
    if areas:
        unit_cut = pings["unit"].map(cut).to_numpy(dtype=np.int64)
        kept = pings[pings["t_ms"].to_numpy() < unit_cut]
        passages = passages_through(kept, areas, stops=stops, params=params)
        if len(passages):
            kept_last = kept.groupby("unit", sort=False)["t_ms"].max()
            unit_cut = pd.Series(cut).reindex(kept_last.index.astype(str)).to_numpy()
            kept_last = kept_last[kept_last.to_numpy() >= unit_cut - params.max_gap_s * 1000]
            still = passages["end_ms"].to_numpy() == passages["unit"].map(kept_last).to_numpy()
            for unit, start in zip(
                passages.loc[still, "unit"], passages.loc[still, "start_ms"], strict=True
            ):
                cut[str(unit)] = min(cut[str(unit)], int(start))
    stop_cut = stops["unit"].map(cut).to_numpy(dtype=np.int64) if len(stops) else None
    if stop_cut is not None:
        stops = stops[stops["start_ms"].to_numpy() < stop_cut].reset_index(drop=True)
    if len(passages):
        pass_cut = passages["unit"].map(cut).to_numpy(dtype=np.int64)
        passages = passages[passages["end_ms"].to_numpy() < pass_cut].reset_index(drop=True)
    return Reduction(stops=stops, passages=passages, cut_ms=cut)


def reduce_tracks(
    store: TrackStore, *, before_ms: int, params: StopParams | None = None
) -> ReduceSummary:
    """Reduce the raw pings before ``before_ms`` in ``store`` (one write transaction).

    Parameters
    ----------
    store
        The tracks store.
    before_ms
        Cut-off, UTC ms (see :func:`cutoff_ms`).
    params
        Stop detection parameters (the defaults of :class:`StopParams`).

    Returns
    -------
    ReduceSummary
        Counts.
    """
    p = params or StopParams()
    removed: list[int] = []

    def reducer(pings: pd.DataFrame, places: pd.DataFrame) -> Reduction:
        result = reduce_pings(pings, places, before_ms=before_ms, params=p)
        if len(pings):
            cut = pings["unit"].map(result.cut_ms).to_numpy(dtype=np.int64)
            removed.append(int((pings["t_ms"].to_numpy() < cut).sum()))
        return result

    if not store.exists():
        return ReduceSummary(before_ms, 0, 0, 0, 0)
    result = store.reduce(before_ms, reducer)
    return ReduceSummary(
        before_ms=before_ms,
        pings_removed=sum(removed),
        stops=len(result.stops),
        passages=len(result.passages),
        units=len(result.cut_ms),
    )
