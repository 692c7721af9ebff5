"""Texts of routed patrols: loops along the streets, or straight lines without a network.

Swedish and English, for :mod:`hotspots.core.i18n` (merged into its ``STRINGS``): the
sentences a foot patrol's and a traffic check's reason end with
(:mod:`hotspots.planning.reasons`), the plan's column of walking minutes, and the map
legend's note when loops are drawn as straight lines (:mod:`hotspots.render.leaflet.legend`).
"""

ROUTING_STRINGS: dict[str, dict[str, str]] = {
    "plan_loop_streets": {
        "sv": "Slingan följer gatorna: {length} m, {minutes} min gång i {speed} km/h.",
        "en": "The loop follows the streets: {length} m, {minutes} min walking at {speed} km/h.",
    },
    "plan_loop_straight": {
        "sv": "Slingan är ritad som raka linjer mellan stoppen: geografin saknar gångnät "
        "(hotspots geography build ger ett).",
        "en": "The loop is drawn as straight lines between the stops: the geography has no "
        "walking network (hotspots geography build makes one).",
    },
    "legend_loops_straight": {
        "sv": "Slingorna är raka linjer (inget gångnät)",
        "en": "Loops are straight lines (no walking network)",
    },
    "plan_traffic_site": {
        "sv": "Platsen ligger på {road}, inte på bro eller motorväg, med sidogata eller "
        "ficka inom {side} m.",
        "en": "The site is on {road}, not on a bridge or a motorway, with a side street or "
        "lay-by within {side} m.",
    },
    "road_class_primary": {"sv": "en huvudväg", "en": "a main road"},
    "road_class_secondary": {"sv": "en större gata", "en": "a secondary road"},
    "road_class_street": {"sv": "en lokalgata", "en": "a local street"},
    "col_walk_minutes": {"sv": "Gångtid (min)", "en": "Walking time (min)"},
}
