"""Texts of the incidents left out of an analysis (outside the study area or in water).

Swedish and English, for :mod:`hotspots.core.i18n` (merged into its ``STRINGS``): the
sentences of :func:`hotspots.engine.placement.left_out_text` and
:func:`~hotspots.engine.placement.moved_text` (the app's banner on the map page, the
lägesbild's note), the study areas they name, and the app's download of the list. The list's
reasons and headers are :data:`hotspots.core.strings_rejects.DROPPED_STRINGS`.
"""

PLACEMENT_STRINGS: dict[str, dict[str, str]] = {
    "placement_left_out": {
        "sv": "{n} händelser ligger utanför studieområdet eller i vatten och ingår inte i "
        "analysen: {outside} utanför studieområdet ({area}) och {water} i vatten.",
        "en": "{n} incidents lie outside the study area or in water and are not part of the "
        "analysis: {outside} outside the study area ({area}) and {water} in water.",
    },
    "placement_left_out_one": {
        "sv": "{n} händelse ligger utanför studieområdet eller i vatten och ingår inte i "
        "analysen: {outside} utanför studieområdet ({area}) och {water} i vatten.",
        "en": "{n} incident lies outside the study area or in water and is not part of the "
        "analysis: {outside} outside the study area ({area}) and {water} in water.",
    },
    "placement_period_left_out": {
        "sv": "Av periodens händelser ingår {n} inte i kartan och hotspotanalysen: {outside} "
        "ligger utanför studieområdet ({area}) och {water} i vatten.",
        "en": "{n} of the period's incidents are not part of the map and the hotspot "
        "analysis: {outside} lie outside the study area ({area}) and {water} in water.",
    },
    "placement_moved": {
        "sv": "Händelser i vatten högst {metres} m från land har flyttats in på närmaste land "
        "och ingår: {n}.",
        "en": "Incidents in water within {metres} m of land were moved onto the nearest land "
        "and are included: {n}.",
    },
    "placement_area_urban": {"sv": "stadsdelarnas land", "en": "the districts' land"},
    "placement_area_municipality": {"sv": "kommunens land", "en": "the municipality's land"},
    "placement_list_where": {
        "sv": "Listan över dem finns på kartsidan i appen (analytiker) och med hotspots "
        "detect --dropped.",
        "en": "Their list is on the app's map page (analysts) and from hotspots detect --dropped.",
    },
    "placement_download": {
        "sv": "Ladda ned listan över händelserna utanför analysen (CSV)",
        "en": "Download the list of the incidents left out (CSV)",
    },
    "placement_counts_only": {
        "sv": "Listan över händelserna visas bara för analytiker och planerare.",
        "en": "The list of the incidents is shown to analysts and planners only.",
    },
}
