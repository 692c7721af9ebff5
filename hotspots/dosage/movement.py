"""Stops, passages and visits of a period, from raw pings and from reduced ones alike.

For a period ``[start, end)`` and a set of place areas, :func:`load_movement` reads the raw
pings of the period (with a margin on both sides, so that a stop across midnight is found
whole), finds their stops and passages, and adds the stops and passages stored by earlier
reductions (:mod:`hotspots.dosage.retention`). Stops and passages are counted in the period
they start in. Where a unit's pings were reduced, passages exist only for the places that
were registered then; :attr:`Movement.incomplete_places` names the areas for which
drive-throughs and presence minutes may therefore be missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from hotspots.dosage.stops import StopParams, detect_stops, passages_through
from hotspots.dosage.storage import TrackStore
from hotspots.dosage.visits import KoperRule, place_visits

__all__ = ["MARGIN_MS", "Movement", "load_movement", "movement_from_pings"]

#: Pings this long before and after the period are read, so its stops are found whole.
MARGIN_MS = 6 * 3_600_000


@dataclass(frozen=True)
class Movement:
    """What the units did in a period, at a set of places.

    Attributes
    ----------
    stops
        All stops starting in the period (anywhere).
    passages
        Passages through the places starting in the period.
    visits
        Stops inside the places (:func:`~hotspots.dosage.visits.place_visits`).
    pings
        Raw pings read (0 when the period was reduced).
    incomplete_places
        Places without passages for the reduced part of the period.
    """

    stops: pd.DataFrame
    passages: pd.DataFrame
    visits: pd.DataFrame
    pings: int
    incomplete_places: tuple[str, ...] = ()


def _in_range(frame: pd.DataFrame, start_ms: int, end_ms: int) -> pd.DataFrame:
    t = frame["start_ms"].to_numpy(dtype=np.int64)
    return frame[(t >= start_ms) & (t < end_ms)].reset_index(drop=True)


def movement_from_pings(
    pings: pd.DataFrame,
    areas: Mapping[str, BaseGeometry],
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    params: StopParams | None = None,
    rule: KoperRule | None = None,
) -> Movement:
    """Stops, passages and visits of raw ``pings`` (no store involved).

    Parameters
    ----------
    pings
        Ping frame (metres).
    areas
        Place id -> area (metres).
    start_ms, end_ms
        Keep what starts in ``[start_ms, end_ms)`` (UTC ms); default everything.
    params
        Stop detection parameters.
    rule
        Koper's visit lengths.
    """
    p = params or StopParams()
    stops = detect_stops(pings, p)
    passages = passages_through(pings, dict(areas), stops=stops, params=p)
    lo = -(2**62) if start_ms is None else int(start_ms)
    hi = 2**62 if end_ms is None else int(end_ms)
    stops = _in_range(stops, lo, hi)
    passages = _in_range(passages, lo, hi)
    visits = place_visits(stops, areas, rule=rule)
    return Movement(stops=stops, passages=passages, visits=visits, pings=len(pings))


def load_movement(
    store: TrackStore,
    areas: Mapping[str, BaseGeometry],
    *,
    start_ms: int,
    end_ms: int,
    params: StopParams | None = None,
    rule: KoperRule | None = None,
) -> Movement:
    """Stops, passages and visits starting in ``[start_ms, end_ms)``, raw and reduced.

    Parameters
    ----------
    store
        The tracks store.
    areas
        Place id -> area (metres).
    start_ms, end_ms
        The period, UTC ms.
    params
        Stop detection parameters.
    rule
        Koper's visit lengths.
    """
    p = params or StopParams()
    raw = store.pings(start_ms=start_ms - MARGIN_MS, end_ms=end_ms + MARGIN_MS)
    fresh = movement_from_pings(raw, areas, start_ms=start_ms, end_ms=end_ms, params=p)
    old_stops = store.stops(start_ms=start_ms, end_ms=end_ms)
    old_passages = store.passages(start_ms=start_ms, end_ms=end_ms)
    old_passages = old_passages[old_passages["place_id"].isin(list(areas))]
    stops = (
        pd.concat([old_stops, fresh.stops], ignore_index=True) if len(old_stops) else fresh.stops
    )
    passages = (
        pd.concat([old_passages, fresh.passages], ignore_index=True)
        if len(old_passages)
        else fresh.passages
    )
    reduced = store.reduced_before()
    incomplete: tuple[str, ...] = ()
    if reduced and max(reduced.values()) > start_ms:
        registered = set(store.places()["place_id"].astype(str))
        incomplete = tuple(sorted(str(a) for a in areas if str(a) not in registered))
    visits = place_visits(stops, areas, rule=rule)
    return Movement(
        stops=stops,
        passages=passages,
        visits=visits,
        pings=len(raw),
        incomplete_places=incomplete,
    )
