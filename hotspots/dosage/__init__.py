"""Patrol dosage: did the patrols happen, for how long, and did they help (issue 17).

GPS pings of patrol units come in (:mod:`~hotspots.dosage.pings`, ids pseudonymised with a
key by :mod:`~hotspots.dosage.pseudonym`) and are kept in the tracks store
(:mod:`~hotspots.dosage.storage`: a file beside a GeoPackage store, or the PostgreSQL
store's own database, :mod:`~hotspots.dosage.storage_pg`) for a number of days before they
are reduced to stops (:mod:`~hotspots.dosage.retention`). :mod:`~hotspots.dosage.stops`
finds stops and passages, :mod:`~hotspots.dosage.visits` turns them into visits to places
with Koper's 10-15 minutes and drive-throughs, per day and shift;
:mod:`~hotspots.dosage.movement` gathers them for a period. :mod:`~hotspots.dosage.delivery`
sets them (and the activity log, :mod:`~hotspots.dosage.activities`) against a week's plan,
and :mod:`~hotspots.dosage.effect` compares place-days with and without visits;
:mod:`~hotspots.dosage.followup` makes the lägesbild's follow-up of the citizen promise from
them, and :mod:`~hotspots.dosage.activity_entry` turns the app's form into a log line.

Layer: above :mod:`hotspots.planning` and :mod:`hotspots.engine`; it uses the WDQ of
:mod:`hotspots.est.effect`, so it sits on :mod:`hotspots.est` (or beside it, as a
non-independent sibling) and nothing below imports it.
"""

from __future__ import annotations

from hotspots.dosage.delivery import DosageReport, dosage_report, suggestion_areas
from hotspots.dosage.effect import PatrolEffect, effect_text, patrol_effect
from hotspots.dosage.movement import Movement, load_movement, movement_from_pings
from hotspots.dosage.pseudonym import PseudonymKey, load_key, pseudonymise
from hotspots.dosage.stops import StopParams, detect_stops, passages_through
from hotspots.dosage.visits import DEFAULT_SHIFTS, KoperRule, place_visits, visit_summary

__all__ = [
    "DEFAULT_SHIFTS",
    "DosageReport",
    "KoperRule",
    "Movement",
    "PatrolEffect",
    "PseudonymKey",
    "StopParams",
    "detect_stops",
    "dosage_report",
    "effect_text",
    "load_key",
    "load_movement",
    "movement_from_pings",
    "passages_through",
    "patrol_effect",
    "place_visits",
    "pseudonymise",
    "suggestion_areas",
    "visit_summary",
]
