"""The texts of the lägesbild (EST report) in Swedish and English, for :mod:`hotspots.core.i18n`.

Used by :mod:`hotspots.est.lagesbild` and :mod:`hotspots.render.report` through
:func:`hotspots.core.i18n.t`; kept apart only so that no module grows past a screenful of
strings.
"""

REPORT_STRINGS: dict[str, dict[str, str]] = {
    "report_title": {"sv": "Lägesbild EST", "en": "EST situational picture"},
    "report_footer_public": {"sv": "publik version", "en": "public version"},
    "report_public_notice": {"sv": "Publik version", "en": "Public version"},
    "report_note_incomplete": {
        "sv": "OBS: underlaget slutar {last}, före periodens slut {end}; perioden är ofullständig.",
        "en": "Note: the data end on {last}, before the period's end {end}; the period is "
        "incomplete.",
    },
    "report_note_no_analysis": {
        "sv": "Ingen hotspotanalys: {reason}",
        "en": "No hotspot analysis: {reason}",
    },
    "report_note_no_plan": {"sv": "Inga förslag: {reason}", "en": "No suggestions: {reason}"},
    "report_note_no_emerging": {
        "sv": "Inga nya hotspots beräknade: {reason}",
        "en": "No emerging hotspots: {reason}",
    },
    "report_reason_belysning": {"sv": "Dålig belysning", "en": "Poor lighting"},
    "report_reason_grupperingar": {"sv": "Grupperingar", "en": "Groups loitering"},
    "report_reason_narkotika": {"sv": "Narkotika", "en": "Drugs"},
    "report_reason_alkohol": {"sv": "Alkohol", "en": "Alcohol"},
    "report_reason_trafik": {"sv": "Trafik", "en": "Traffic"},
    "report_reason_skadegorelse": {"sv": "Skadegörelse", "en": "Vandalism"},
    "report_reason_annat": {"sv": "Annat", "en": "Other"},
    "report_time_dag": {"sv": "Dag", "en": "Day"},
    "report_time_kvall": {"sv": "Kväll", "en": "Evening"},
    "report_time_natt": {"sv": "Natt", "en": "Night"},
    "report_crime_fear_high_crime_high_fear": {
        "sv": "Brott och otrygghet",
        "en": "Crime and fear",
    },
    "report_crime_fear_perceived_unsafe": {"sv": "Upplevd otrygghet", "en": "Perceived unsafety"},
    "report_crime_fear_high_crime_low_fear": {
        "sv": "Brott, trygg plats",
        "en": "Crime, felt safe",
    },
    "report_crime_fear_low": {"sv": "Låg", "en": "Low"},
    "report_gi_hot_99": {"sv": "99 %", "en": "99 %"},
    "report_gi_hot_95": {"sv": "95 %", "en": "95 %"},
    "report_gi_hot_90": {"sv": "90 %", "en": "90 %"},
    "report_gi_not_significant": {"sv": "ej sign.", "en": "n.s."},
    "report_trend_rising": {"sv": "ökar", "en": "rising"},
    "report_trend_falling": {"sv": "minskar", "en": "falling"},
    "report_trend_none": {"sv": "ingen trend", "en": "no trend"},
    "report_too_early": {"sv": "Kort tid efter åtgärden", "en": "Short time since the action"},
    # lägesbild: cover
    "report_total": {
        "sv": "Händelser under perioden (ej skyddade kategorier): {now} – föregående period "
        "{previous} ({verdict_previous}), samma period förra året {year} ({verdict_year}).",
        "en": "Incidents in the period (public categories): {now} – previous period {previous} "
        "({verdict_previous}), same period last year {year} ({verdict_year}).",
    },
    "report_for_meeting": {"sv": "Att ta upp på mötet", "en": "For the meeting"},
    "report_vs_previous": {"sv": "mot förra perioden", "en": "vs the previous period"},
    "report_vs_year": {"sv": "mot året före", "en": "vs a year earlier"},
    "report_in_district": {"sv": "i {district}", "en": "in {district}"},
    "report_no_change": {
        "sv": "Inga förändringar som säkert går att skilja från slumpen.",
        "en": "No change that can safely be told from chance.",
    },
    "report_unknown_district": {"sv": "okänd stadsdel", "en": "unknown district"},
    "report_near": {"sv": "nära {place}", "en": "near {place}"},
    "report_cells_one": {"sv": "({n} cell om 250 m)", "en": "({n} cell of 250 m)"},
    "report_cells_many": {"sv": "({n} celler om 250 m)", "en": "({n} cells of 250 m)"},
    "report_emerging_highlight": {
        "sv": "{pattern} hotspot: {place} {cells}",
        "en": "{pattern} hotspot: {place} {cells}",
    },
    "report_largest_hotspot": {"sv": "Största hotspot: {where}", "en": "Largest hotspot: {where}"},
    "report_open_due": {
        "sv": "{n_open} öppna åtgärder, {n_due} uppföljningar att göra.",
        "en": "{n_open} open actions, {n_due} follow-ups due.",
    },
    "report_parameter": {"sv": "Parameter", "en": "Parameter"},
    "report_compared_with": {"sv": "Jämförs med", "en": "Compared with"},
    "report_compared_text": {
        "sv": "{previous} (föregående) och {year} (ett år tidigare)",
        "en": "{previous} (previous) and {year} (a year earlier)",
    },
    "report_hotspot_map": {"sv": "Hotspotkarta", "en": "Hotspot map"},
    "report_hotspot_map_text": {
        "sv": "{window} (fyra veckor till och med perioden)",
        "en": "{window} (four weeks up to the period's end)",
    },
    "report_privacy_profile": {"sv": "Sekretessprofil", "en": "Privacy profile"},
    "report_privacy_internal": {
        "sv": "Intern (polis och kommun)",
        "en": "Internal (police and municipality)",
    },
    "report_privacy_public": {
        "sv": "Publik: inga enskilda händelser, tal under 5 döljs, skyddade kategorier och "
        "operativa förslag visas inte",
        "en": "Public: no single incidents, counts below 5 hidden, no restricted categories "
        "and no operational suggestions",
    },
    "report_generated": {"sv": "Skapad", "en": "Generated"},
    "report_data_version": {"sv": "Dataversion", "en": "Data version"},
    "report_analysis": {"sv": "Analys", "en": "Analysis"},
    "report_analysis_text": {
        "sv": "KDE {kernel}, bandbredd {bandwidth} m, cell {cell} m, täckning {coverage} % "
        "av {area} km², {crs}",
        "en": "KDE {kernel}, bandwidth {bandwidth} m, cell {cell} m, coverage {coverage} % "
        "of {area} km², {crs}",
    },
    "report_emerging_parameter": {"sv": "Nya hotspots", "en": "Emerging hotspots"},
    "report_emerging_text": {
        "sv": "{n} veckor ({first}–{last}), celler {cell} m, Gi* + Mann–Kendall",
        "en": "{n} weeks ({first}–{last}), cells {cell} m, Gi* + Mann–Kendall",
    },
    "report_plan_week": {"sv": "Förslag gäller", "en": "Suggestions for"},
    "report_tests_note": {
        "sv": "Förändringar prövas mot slumpen med ett exakt test (villkorligt binomialtest för "
        "två Poisson-antal, justerat för periodernas längd i timmar). Bedömningen ”troligen mer "
        "än slumpen” betyder p < 0,05; med många rader blir ungefär var tjugonde sådan av en "
        "slump – lägg kraft på tydliga och återkommande förändringar.",
        "en": "Changes are tested against chance with an exact test (conditional binomial test "
        "of two Poisson counts, adjusted for the periods' lengths in hours). 'Probably more "
        "than chance' means p < 0.05; with many rows about one in twenty will be so by chance "
        "– act on clear and recurring changes.",
    },
    # lägesbild: summary
    "report_summary": {"sv": "Sammanfattning per problemområde", "en": "Summary by problem area"},
    "report_problem_area": {"sv": "Problemområde", "en": "Problem area"},
    "report_now": {"sv": "Nu", "en": "Now"},
    "report_previous": {"sv": "Förra", "en": "Previous"},
    "report_change": {"sv": "Förändring", "en": "Change"},
    "report_verdict": {"sv": "Bedömning", "en": "Verdict"},
    "report_year_before": {"sv": "Året före", "en": "Year before"},
    "report_restricted_note": {
        "sv": "Skyddade kategorier (våld i nära relation, sexualbrott) redovisas bara i "
        "interna tabeller, aldrig per plats eller på karta.",
        "en": "Restricted categories (domestic violence, sexual offences) appear only in "
        "internal tables, never per place or on a map.",
    },
    "report_districts_caption": {
        "sv": "Stadsdelar med flest händelser (ej skyddade kategorier)",
        "en": "Districts with most incidents (public categories)",
    },
    # lägesbild: map
    "report_map_public": {"sv": "Karta: hotspots", "en": "Map: hotspots"},
    "report_map_internal": {
        "sv": "Karta: hotspots och förslag",
        "en": "Map: hotspots and suggestions",
    },
    "report_map_title_public": {
        "sv": "{title} {period}: hotspots",
        "en": "{title} {period}: hotspots",
    },
    "report_map_title_internal": {
        "sv": "{title} {period}: hotspots och förslag",
        "en": "{title} {period}: hotspots and suggestions",
    },
    "report_map_caption_public": {
        "sv": "Täthet och hotspots {window} (konturer, nummer = rang).",
        "en": "Density and hotspots {window} (outlines, number = rank).",
    },
    "report_map_caption_internal": {
        "sv": "Täthet och hotspots {window} (konturer, nummer = rang); förslag och öppna "
        "åtgärder (gröna stjärnor).",
        "en": "Density and hotspots {window} (outlines, number = rank); suggestions and open "
        "actions (green stars).",
    },
    "report_no_map": {"sv": "Ingen karta: för få händelser.", "en": "No map: too few incidents."},
    "report_open_action": {"sv": "Öppen åtgärd", "en": "Open action"},
    # lägesbild: emerging hotspots
    "report_emerging": {"sv": "Nya och förändrade hotspots", "en": "Emerging hotspots"},
    "report_emerging_map_title": {
        "sv": "{title} {period}: nya och förändrade hotspots",
        "en": "{title} {period}: emerging hotspots",
    },
    "report_emerging_counts": {
        "sv": "Celler om 250 m per mönster: {counts}.",
        "en": "Cells of 250 m by pattern: {counts}.",
    },
    "report_emerging_caption": {
        "sv": "Celler om 250 m med ett mönster under veckorna {weeks}; färg = mönster.",
        "en": "Cells of 250 m with a pattern over the weeks {weeks}; colour = pattern.",
    },
    "report_weeks": {"sv": "Veckor", "en": "Weeks"},
    "report_no_patterns": {"sv": "Inga signifikanta mönster.", "en": "No significant patterns."},
    "report_not_computed": {"sv": "Kunde inte beräknas.", "en": "Could not be computed."},
    "report_pattern": {"sv": "Mönster", "en": "Pattern"},
    "report_near_column": {"sv": "Nära", "en": "Near"},
    "report_near_none": {
        "sv": "inget namngivet ställe i kartunderlaget",
        "en": "no named place in the base map",
    },
    "report_cells": {"sv": "Celler", "en": "Cells"},
    "report_incidents_12w": {"sv": "Händelser 12 v", "en": "Incidents 12 wk"},
    "report_last_week": {"sv": "Senaste v.", "en": "Last week"},
    "report_max_hot_weeks": {"sv": "Max hot-veckor", "en": "Max hot weeks"},
    "report_counts_over_time": {"sv": "Antal över tid", "en": "Counts over time"},
    "report_emerging_note": {
        "sv": "En cell är hotspot en vecka när Getis-Ord Gi* för cellen, dess grannar och "
        "veckan före är signifikant efter FDR-korrektion (p < 0,05); trenden prövas med "
        "Mann–Kendall. ”Senaste v.” är händelserna i cellerna under rapportveckan – en ny "
        "hotspot kan ha få egna händelser när grannarna har många. Celler utan händelser "
        "under veckorna klassas inte. ”Nära”: närmaste namngivna plats, med avstånd när den "
        "ligger längre bort än 300 m.",
        "en": "A cell is a hotspot in a week when Getis-Ord Gi* over the cell, its neighbours "
        "and the week before is significant after FDR correction (p < 0.05); trends are "
        "tested with Mann-Kendall. 'Last week' counts the cells' incidents in the report week "
        "– a new hotspot may have few of its own when its neighbours have many. Cells without "
        "incidents in the weeks are not classified. 'Near': the nearest named place, with its "
        "distance when it is farther than 300 m.",
    },
    # lägesbild: top places
    "report_places_public": {"sv": "Prioriterade platser", "en": "Top places"},
    "report_places_internal": {
        "sv": "Prioriterade platser och förslag",
        "en": "Top places and proposals",
    },
    "report_4w": {"sv": "4 v", "en": "4 wk"},
    "report_most_common": {"sv": "Vanligast", "en": "Most common"},
    "report_safety": {"sv": "Trygghet", "en": "Safety"},
    "report_proposed": {"sv": "Föreslagna insatser", "en": "Proposed actions"},
    "report_no_hotspots": {"sv": "Inga hotspots.", "en": "No hotspots."},
    # lägesbild: actions
    "report_actions": {"sv": "Åtgärder och uppföljning", "en": "Actions and follow-up"},
    "report_date": {"sv": "Datum", "en": "Date"},
    "report_place": {"sv": "Plats", "en": "Place"},
    "report_problem": {"sv": "Problem", "en": "Problem"},
    "report_actor": {"sv": "Aktör", "en": "Actor"},
    "report_action": {"sv": "Åtgärd", "en": "Action"},
    "report_follow_up": {"sv": "Uppföljning", "en": "Follow-up"},
    "report_note": {"sv": "Anteckning", "en": "Note"},
    "report_open_actions": {"sv": "Öppna åtgärder", "en": "Open actions"},
    "report_no_open": {"sv": "Inga öppna åtgärder.", "en": "No open actions."},
    "report_overdue": {"sv": "försenad", "en": "overdue"},
    "report_closed": {"sv": "Stängd", "en": "Closed"},
    "report_due_caption": {
        "sv": "Uppföljningar att göra (inom en vecka)",
        "en": "Follow-ups due (within a week)",
    },
    "report_no_due": {"sv": "Inga uppföljningar förfaller.", "en": "No follow-ups due."},
    "report_start": {"sv": "Start", "en": "Start"},
    "report_at_place": {"sv": "Platsen", "en": "Place"},
    "report_buffer": {"sv": "Närområde", "en": "Buffer"},
    "report_control": {"sv": "Kontroll", "en": "Control"},
    "report_reading": {"sv": "Tolkning", "en": "Reading"},
    "report_effect_caption": {
        "sv": "Effektuppföljning: händelser 8 veckor före → efter (WDQ, Bowers & Johnson 2003)",
        "en": "Effect follow-up: incidents 8 weeks before → after (WDQ, Bowers & Johnson 2003)",
    },
    "report_citizen_caption": {
        "sv": "Åtgärder inom medborgarlöftet",
        "en": "Actions of the citizen promise",
    },
    "report_no_actions": {"sv": "Inga åtgärder registrerade.", "en": "No actions recorded."},
    # lägesbild: perceived unsafety
    "report_survey": {
        "sv": "Upplevd otrygghet (trygghetsundersökning)",
        "en": "Perceived unsafety (survey)",
    },
    "report_no_survey": {
        "sv": "Inga enkätsvar i underlaget.",
        "en": "No survey marks in the data.",
    },
    "report_survey_text": {
        "sv": "{n} markeringar{span}; medelbetyg {mean} av 5; {share} % anger otryggt (4–5).",
        "en": "{n} marks{span}; mean score {mean} of 5; {share} % feel unsafe (4-5).",
    },
    "report_crime_fear_text": {
        "sv": "Av de {n} största hotspots efter antal brott har {parts}.",
        "en": "Of the {n} largest hotspots by number of incidents, {parts}.",
    },
    "report_crime_fear_part_high_crime_high_fear": {
        "sv": "{n} även hög upplevd otrygghet",
        "en": "{n} also have high perceived unsafety",
    },
    "report_crime_fear_part_high_crime_low_fear": {
        "sv": "{n} låg upplevd otrygghet",
        "en": "{n} have low perceived unsafety",
    },
    "report_crime_fear_part_perceived_unsafe": {
        "sv": "{n} hög upplevd otrygghet men få brott",
        "en": "{n} have high perceived unsafety but few incidents",
    },
    "report_crime_fear_part_low": {
        "sv": "{n} låg nivå av både brott och otrygghet",
        "en": "{n} have low levels of both crime and unsafety",
    },
    "report_and": {"sv": " och ", "en": " and "},
    "report_marks": {"sv": "Svar", "en": "Marks"},
    "report_marks_long": {"sv": "Markeringar", "en": "Marks"},
    "report_mean": {"sv": "Medel", "en": "Mean"},
    "report_unsafe": {"sv": "Otryggt", "en": "Unsafe"},
    "report_unsafe_districts": {"sv": "Mest otrygga stadsdelar", "en": "Most unsafe districts"},
    "report_reason": {"sv": "Skäl (betyg 4–5)", "en": "Reason (score 4-5)"},
    "report_time_of_day": {"sv": "Tid på dygnet (betyg 4–5)", "en": "Time of day (score 4-5)"},
    "report_perceived_caption": {
        "sv": "Platser som upplevs otrygga men har få brott",
        "en": "Places perceived as unsafe with few incidents",
    },
    "report_perceived_note": {
        "sv": "Med är platser vars medelbetyg ligger minst {excess} över hela enkätens medel "
        "{mean} och över det med mer än slumpen (ensidigt z-test, p < 0,05). ”Nära”: "
        "närmaste namngivna plats eller gata, med avstånd när den ligger längre bort än "
        "{near} m.",
        "en": "Listed are places whose mean score is at least {excess} above the whole "
        "survey's mean {mean}, and above it beyond chance (one-sided z-test, p < 0.05). "
        "'Near': the nearest named place or street, with its distance when it is farther "
        "than {near} m.",
    },
}
