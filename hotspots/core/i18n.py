"""User-facing strings of the map, the exports and the app, in Swedish (default) and English.

Every text a user reads on a map, in a static map or in the app comes from :data:`STRINGS`
through :func:`t`, so switching the language switches everything and a missing translation
is caught by a test.
"""

from __future__ import annotations

from typing import Literal

from hotspots.core.errors import InputSchemaError

__all__ = ["LANGS", "STRINGS", "Lang", "check_lang", "column_label", "t", "weekday_names"]

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")

STRINGS: dict[str, dict[str, str]] = {
    # layers
    "layer_density": {"sv": "Täthet (händelser per km²)", "en": "Density (incidents per km²)"},
    "layer_hotspots": {"sv": "Brottskoncentrationer", "en": "Crime hotspots"},
    "layer_perceived": {"sv": "Upplevd otrygghet", "en": "Perceived unsafety"},
    "layer_suggestions": {
        "sv": "Förslag (patrull, kontroller)",
        "en": "Suggestions (patrol, checks)",
    },
    "layer_districts": {"sv": "Stadsdelar", "en": "Districts"},
    "layer_roads": {"sv": "Huvudvägar", "en": "Main roads"},
    "layer_places": {"sv": "Platser", "en": "Places"},
    "layer_incidents": {
        "sv": "Händelser (syns från gatunivå, zoom {zoom})",
        "en": "Incidents (shown at street level, zoom {zoom})",
    },
    "layer_basemap": {"sv": "Bakgrundskarta", "en": "Basemap"},
    # info box / legend
    "title": {"sv": "Brottskoncentrationer", "en": "Crime hotspots"},
    "legend_density": {"sv": "Täthet, händelser per km²", "en": "Density, incidents per km²"},
    "legend_perceived": {
        "sv": "Upplevd otrygghet (enkät), svar per km²",
        "en": "Perceived unsafety (survey), answers per km²",
    },
    "period": {"sv": "Period", "en": "Period"},
    "categories": {"sv": "Kategorier", "en": "Categories"},
    "all_public_categories": {"sv": "alla (utom skyddade)", "en": "all (except restricted)"},
    "hours": {"sv": "Timmar", "en": "Hours"},
    "weekdays": {"sv": "Veckodagar", "en": "Weekdays"},
    "all": {"sv": "alla", "en": "all"},
    "method": {"sv": "Metod", "en": "Method"},
    "kernel": {"sv": "Kärna", "en": "Kernel"},
    "bandwidth": {"sv": "Bandbredd", "en": "Bandwidth"},
    "cell": {"sv": "Cell", "en": "Cell"},
    "coverage": {"sv": "Täckning", "en": "Coverage"},
    "coverage_text": {
        "sv": "{pct} % av ytan markeras som koncentration",
        "en": "{pct} % of the area marked as hotspot",
    },
    "n_incidents": {"sv": "Händelser i analysen", "en": "Incidents in the analysis"},
    "study_area": {"sv": "Studieområde", "en": "Study area"},
    "crs": {"sv": "Koordinatsystem", "en": "Coordinate system"},
    "profile": {"sv": "Profil", "en": "Profile"},
    "profile_internal": {"sv": "intern", "en": "internal"},
    "profile_public": {
        "sv": "publik (inga enskilda händelser, antal under 5 dolda)",
        "en": "public (no single incidents, counts under 5 hidden)",
    },
    "incident_cap": {
        "sv": "visar de {shown} senaste av {total} händelser",
        "en": "showing the latest {shown} of {total} incidents",
    },
    "no_basemap": {
        "sv": "Ingen bakgrundskarta (offline); sätt HOTSPOTS_TILES för en lokal kartserver",
        "en": "No basemap (offline); set HOTSPOTS_TILES for a local tile server",
    },
    "metres": {"sv": "m", "en": "m"},
    # hotspot popup
    "hotspot": {"sv": "Koncentration", "en": "Hotspot"},
    "perceived_hotspot": {"sv": "Otrygg plats (enkät)", "en": "Unsafe place (survey)"},
    "rank": {"sv": "Rang", "en": "Rank"},
    "incidents": {"sv": "Händelser", "en": "Incidents"},
    "area_km2": {"sv": "Yta", "en": "Area"},
    "share": {"sv": "Andel av alla händelser", "en": "Share of all incidents"},
    "pai": {"sv": "PAI (träffsäkerhet per yta)", "en": "PAI (predictive accuracy index)"},
    "peak_density": {"sv": "Högsta täthet", "en": "Peak density"},
    "gi": {"sv": "Gi* z (FDR p)", "en": "Gi* z (FDR p)"},
    "top_categories": {"sv": "Vanligaste kategorier", "en": "Top categories"},
    "peak_hours": {"sv": "Mest utsatta timmar", "en": "Peak hours"},
    "peak_weekdays": {"sv": "Mest utsatta dagar", "en": "Peak days"},
    "district": {"sv": "Stadsdel", "en": "District"},
    "crime_fear": {"sv": "Brott × otrygghet", "en": "Crime × fear"},
    "suppressed": {"sv": "färre än 5", "en": "fewer than 5"},
    "per_km2": {"sv": "per km²", "en": "per km²"},
    # suggestions
    "suggestion": {"sv": "Förslag", "en": "Suggestion"},
    "kind_foot_patrol": {"sv": "Fotpatrull", "en": "Foot patrol"},
    "kind_traffic_check": {"sv": "Trafikkontroll", "en": "Traffic check"},
    "kind_pub_check": {"sv": "Krogkontroll", "en": "Pub check"},
    "kind_youth_outreach": {"sv": "Uppsökande arbete", "en": "Youth outreach"},
    "kind_school_visit": {"sv": "Skolbesök", "en": "School visit"},
    "when": {"sv": "När", "en": "When"},
    "why": {"sv": "Varför", "en": "Why"},
    "expected_share": {"sv": "Förväntad andel av händelserna", "en": "Expected share of incidents"},
    "stops": {"sv": "Stopp", "en": "Stops"},
    "loop_length": {"sv": "Slingans längd", "en": "Loop length"},
    # incidents
    "category": {"sv": "Kategori", "en": "Category"},
    "time": {"sv": "Tid", "en": "Time"},
    "precision": {"sv": "Lägesnoggrannhet", "en": "Location precision"},
    "source": {"sv": "Källa", "en": "Source"},
    "description": {"sv": "Beskrivning", "en": "Description"},
    # place kinds (geography)
    "place_square": {"sv": "torg", "en": "square"},
    "place_station": {"sv": "station", "en": "station"},
    "place_bus_terminal": {"sv": "bussterminal", "en": "bus terminal"},
    "place_nightlife_street": {"sv": "krogstråk", "en": "nightlife street"},
    "place_venue": {"sv": "krog/restaurang", "en": "licensed venue"},
    "place_systembolaget": {"sv": "Systembolaget", "en": "Systembolaget (alcohol shop)"},
    "place_school": {"sv": "skola", "en": "school"},
    "place_youth_centre": {"sv": "fritidsgård", "en": "youth centre"},
    "place_university": {"sv": "universitet", "en": "university"},
    "place_shopping_centre": {"sv": "köpcentrum", "en": "shopping centre"},
    "place_park": {"sv": "park", "en": "park"},
    "place_harbour": {"sv": "hamn", "en": "harbour"},
    "place_car_park": {"sv": "parkering", "en": "car park"},
    # CSV column headers (hotspots.io.csv_safety.write_excel_csv: "col_" + column name)
    "col_row": {"sv": "Rad", "en": "Row"},
    "col_column": {"sv": "Kolumn", "en": "Column"},
    "col_value": {"sv": "Värde", "en": "Value"},
    "col_reason": {"sv": "Orsak", "en": "Reason"},
    "col_date": {"sv": "Datum", "en": "Date"},
    "col_day": {"sv": "Dag", "en": "Day"},
    "col_start": {"sv": "Start", "en": "Start"},
    "col_end": {"sv": "Slut", "en": "End"},
    "col_minutes": {"sv": "Minuter", "en": "Minutes"},
    "col_kind": {"sv": "Typ", "en": "Kind"},
    "col_place": {"sv": "Plats", "en": "Place"},
    "col_district": {"sv": "Stadsdel", "en": "District"},
    "col_suggestion": {"sv": "Förslag", "en": "Suggestion"},
    "col_route": {"sv": "Rutt", "en": "Route"},
    "col_hours": {"sv": "Tider", "en": "Hours"},
    "col_team": {"sv": "Patrull", "en": "Team"},
    "col_id": {"sv": "Id", "en": "Id"},
    "col_rank": {"sv": "Rang", "en": "Rank"},
    "col_focus": {"sv": "Inriktning", "en": "Focus"},
    "col_weekdays": {"sv": "Veckodagar", "en": "Weekdays"},
    "col_incidents": {"sv": "Händelser", "en": "Incidents"},
    "col_incidents_in_window": {"sv": "Händelser i tidsfönstret", "en": "Incidents in window"},
    "col_incidents_per_week": {"sv": "Händelser per vecka", "en": "Incidents per week"},
    "col_expected_share": {"sv": "Förväntad andel", "en": "Expected share"},
    "col_survey_marks": {"sv": "Enkätsvar", "en": "Survey marks"},
    "col_hotspot_rank": {"sv": "Hotspot (rang)", "en": "Hotspot (rank)"},
    "col_loop_length_m": {"sv": "Slingans längd (m)", "en": "Loop length (m)"},
    "col_stops": {"sv": "Stopp", "en": "Stops"},
    "col_stop_minutes": {"sv": "Minuter per stopp", "en": "Minutes per stop"},
    "col_visit_minutes": {"sv": "Besöksminuter", "en": "Visit minutes"},
    "col_allocated_minutes": {"sv": "Tilldelade minuter", "en": "Allocated minutes"},
    "col_evidence": {"sv": "Underlag", "en": "Evidence"},
    "col_why": {"sv": "Varför", "en": "Why"},
    "col_lon": {"sv": "Longitud", "en": "Longitude"},
    "col_lat": {"sv": "Latitud", "en": "Latitude"},
    "col_wkt": {"sv": "Geometri (WKT, WGS84)", "en": "Geometry (WKT, WGS84)"},
    "col_status": {"sv": "Status", "en": "Status"},
    "col_place_kind": {"sv": "Platstyp", "en": "Place kind"},
    "col_place_ref": {"sv": "Plats", "en": "Place"},
    "col_problem": {"sv": "Problem", "en": "Problem"},
    "col_actor": {"sv": "Aktör", "en": "Actor"},
    "col_action": {"sv": "Åtgärd", "en": "Action"},
    "col_follow_up": {"sv": "Uppföljning", "en": "Follow-up"},
    "col_note": {"sv": "Anteckning", "en": "Note"},
    "col_closed": {"sv": "Stängd", "en": "Closed"},
    "col_created": {"sv": "Skapad", "en": "Created"},
    "col_updated": {"sv": "Ändrad", "en": "Updated"},
    "col_place_id": {"sv": "Plats", "en": "Place"},
    "col_shift": {"sv": "Pass", "en": "Shift"},
    "col_week": {"sv": "Vecka", "en": "Week"},
    "col_visits": {"sv": "Besök", "en": "Visits"},
    "col_koper_visits": {"sv": "Besök minst 10 min", "en": "Visits of 10 min or more"},
    "col_long_visits": {"sv": "Besök över 15 min", "en": "Visits over 15 min"},
    "col_short_visits": {"sv": "Besök under 10 min", "en": "Visits under 10 min"},
    "col_drive_throughs": {"sv": "Genomkörningar", "en": "Drive-throughs"},
    "col_presence_minutes": {"sv": "Närvarominuter", "en": "Presence minutes"},
    "col_drive_through_minutes": {"sv": "Genomkörningsminuter", "en": "Drive-through minutes"},
    "col_units": {"sv": "Enheter", "en": "Units"},
    # app
    "app_page": {"sv": "Sida", "en": "Page"},
    "app_page_map": {"sv": "Karta", "en": "Map"},
    "app_page_plan": {"sv": "Patrullplan", "en": "Patrol plan"},
    "app_page_evaluation": {"sv": "Utvärdering", "en": "Evaluation"},
    "app_page_data": {"sv": "Data", "en": "Data"},
    "app_page_report": {"sv": "Lägesbild", "en": "Situation report"},
    "app_password": {"sv": "Lösenord", "en": "Password"},
    "app_password_wrong": {"sv": "Fel lösenord", "en": "Wrong password"},
    "app_store_unavailable": {
        "sv": "Databasen går inte att öppna just nu; inget har ändrats",
        "en": "The store cannot be opened right now; nothing was changed",
    },
    "app_demo_loading": {
        "sv": "Första start: fyller databasen med demodata för Karlstad …",
        "en": "First run: filling the store with the Karlstad demo data …",
    },
    "app_filters": {"sv": "Urval", "en": "Filters"},
    "app_area": {"sv": "Problemområde", "en": "Problem area"},
    "app_area_all": {
        "sv": "Alla (utom skyddade kategorier)",
        "en": "All (except restricted categories)",
    },
    "app_area_custom": {"sv": "Välj kategorier …", "en": "Choose categories …"},
    "app_night": {"sv": "Bara natt (22–04)", "en": "Night only (22–04)"},
    "app_analysis": {"sv": "Analys", "en": "Analysis"},
    "app_bandwidth_auto": {
        "sv": "Bandbredd automatiskt (backtest)",
        "en": "Automatic bandwidth (backtest)",
    },
    "app_bandwidth_m": {"sv": "Bandbredd (m)", "en": "Bandwidth (m)"},
    "app_coverage_pct": {"sv": "Täckning (% av ytan)", "en": "Coverage (% of the area)"},
    "app_cell_m": {"sv": "Cellstorlek (m)", "en": "Cell size (m)"},
    "app_tuning": {
        "sv": "Väljer bandbredd genom backtest (en gång per urval) …",
        "en": "Choosing the bandwidth by backtest (once per selection) …",
    },
    "app_plan_needs_geography": {
        "sv": "Patrullplanen behöver geografi (vägar, platser, vatten) för området; "
        "data utanför demokommunen saknar den.",
        "en": "The patrol plan needs a geography (roads, places, water) of the area; "
        "data outside the demo municipality has none.",
    },
    "app_study_area": {"sv": "Studieområde", "en": "Study area"},
    "app_study_urban": {"sv": "Tätorten (stadsdelarna)", "en": "The town (its districts)"},
    "app_study_municipality": {"sv": "Hela kommunen", "en": "The whole municipality"},
    "app_study_help": {
        "sv": "Täckningen är en andel av studieområdet: 5 % av hela kommunens land är "
        "mer än hela tätorten.",
        "en": "Coverage is a share of the study area: 5 % of the whole municipality's land "
        "is more than the whole town.",
    },
    "app_show_suggestions": {
        "sv": "Visa patrull- och kontrollförslag på kartan",
        "en": "Show patrol and check suggestions on the map",
    },
    "app_computing": {"sv": "Beräknar …", "en": "Computing …"},
    "app_hit_rate": {
        "sv": "Träffsäkerhet vid {pct} % yta",
        "en": "Hit rate at {pct} % of the area",
    },
    "app_hit_rate_help": {
        "sv": (
            "Andel av senare händelser som föll i koncentrationerna,"
            " backtest över {n} perioder med samma inställningar"
        ),
        "en": (
            "Share of later incidents that fell in the hotspots,"
            " backtest over {n} periods with these settings"
        ),
    },
    "app_pai_help": {
        "sv": "Träffsäkerhet delad med andel av ytan (PAI); 1 = slump",
        "en": "Hit rate divided by the share of the area (PAI); 1 = chance",
    },
    "app_exports": {"sv": "Export", "en": "Export"},
    "app_prepare_exports": {
        "sv": "Skapa exportfiler (HTML, PNG, PDF, GIS-data)",
        "en": "Create export files (HTML, PNG, PDF, GIS data)",
    },
    "app_plan_internal_only": {
        "sv": "Patrullplanen är intern; välj profilen intern.",
        "en": "The patrol plan is internal; choose the internal profile.",
    },
    "app_patrol_hours": {"sv": "Patrulltimmar per vecka", "en": "Patrol hours per week"},
    "app_teams": {"sv": "Antal patruller samtidigt", "en": "Number of teams at once"},
    "app_teams_help": {
        "sv": "Besök som sker samtidigt fördelas på patrullerna; ingen patrull är på två "
        "platser samtidigt.",
        "en": "Visits at the same time are shared among the teams; no team is in two places "
        "at once.",
    },
    "app_plan_caption": {
        "sv": "Plan för vecka {week}, byggd på {n} händelser.",
        "en": "Plan for week {week}, based on {n} incidents.",
    },
    "app_no_suggestions": {
        "sv": "Inga förslag med valda filter.",
        "en": "No suggestions with these filters.",
    },
    "app_schedule": {"sv": "Veckoschema", "en": "Weekly schedule"},
    "app_eval_caption": {
        "sv": (
            "Rullande backtest: träna på allt före varje startdag,"
            " testa på perioden efter ({windows})."
        ),
        "en": (
            "Rolling backtest: train on everything before each"
            " origin, test on the period after ({windows})."
        ),
    },
    "app_hit_rate_axis": {"sv": "Träffsäkerhet (%)", "en": "Hit rate (%)"},
    "app_store_summary": {
        "sv": "Databas {path}: {n} händelser (dataversion {version}).",
        "en": "Store {path}: {n} incidents (data version {version}).",
    },
    "app_imports": {"sv": "Importer", "en": "Imports"},
    "app_import": {"sv": "Importera fil", "en": "Import a file"},
    "app_import_kind": {"sv": "Typ", "en": "Kind"},
    "app_kind_incidents": {"sv": "Händelser", "en": "Incidents"},
    "app_kind_survey": {"sv": "Trygghetsenkät", "en": "Survey"},
    "app_import_format": {"sv": "Format", "en": "Format"},
    "app_import_crs": {
        "sv": "Koordinatsystem för x/y (tomt = EPSG:3006)",
        "en": "CRS of x/y columns (empty = EPSG:3006)",
    },
    "app_upload": {
        "sv": "Fil (CSV, GeoJSON, GeoPackage, Shapefile-zip, police.uk, Polisen JSON)",
        "en": "File (CSV, GeoJSON, GeoPackage, Shapefile zip, police.uk, Polisen JSON)",
    },
    "app_import_button": {"sv": "Importera", "en": "Import"},
    "app_import_failed": {
        "sv": "Importen avbröts, databasen är oförändrad",
        "en": "Import failed, the store is unchanged",
    },
    "app_import_done": {
        "sv": (
            "Klart: {accepted} godkända ({inserted} nya, {updated}"
            " uppdaterade), {rejected} avvisade."
        ),
        "en": "Done: {accepted} accepted ({inserted} new, {updated} updated), {rejected} rejected.",
    },
    "app_rejects_download": {
        "sv": "Ladda ner avvisade rader (CSV)",
        "en": "Download rejected rows (CSV)",
    },
    "app_report_week": {"sv": "Vecka, t.ex. 2026-W47", "en": "Week, e.g. 2026-W47"},
    "app_report_build": {"sv": "Skapa lägesbild", "en": "Build the report"},
    "app_empty_store": {
        "sv": "Databasen är tom; importera händelser.",
        "en": "The store is empty; import incidents.",
    },
    # app (issue 14): the map page's tables, the data page's rejects, the lägesbild periods
    "app_place_number": {"sv": "Nr", "en": "No."},
    "app_survey_marks": {"sv": "Enkätsvar", "en": "Survey marks"},
    "app_mean_unsafe": {"sv": "Otrygghet, medel (1–5)", "en": "Unsafety, mean (1-5)"},
    "app_no_hotspots": {
        "sv": "Inga brottskoncentrationer med valda filter.",
        "en": "No crime hotspots with these filters.",
    },
    "app_perceived_heading": {
        "sv": "Otrygga platser enligt trygghetsenkäten",
        "en": "Places the survey marks as unsafe",
    },
    "app_perceived_caption": {
        "sv": "Här har många som svarat på trygghetsundersökningen markerat att de känner sig "
        "otrygga, men få av de valda händelserna har skett här. De räknas inte som "
        "brottskoncentrationer och saknar därför PAI och utsatta timmar; numreringen "
        "fortsätter från {first} som på kartan (streckade konturer).",
        "en": "Many who answered the safety survey marked these places as unsafe, but few of "
        "the chosen incidents happened here. They are not crime hotspots, so they have no PAI "
        "or peak hours; their numbers continue from {first} as on the map (dashed outlines).",
    },
    "app_rejects_heading": {
        "sv": "Avvisade rader och varför",
        "en": "Rejected rows and why",
    },
    "app_rejects_shown": {
        "sv": "Visar de första {shown} av {total} avvisade raderna; hela listan finns i filen.",
        "en": "Showing the first {shown} of {total} rejected rows; the file has them all.",
    },
    "app_report_period_kind": {"sv": "Period", "en": "Period"},
    "app_report_kind_week": {"sv": "Vecka", "en": "Week"},
    "app_report_kind_weeks4": {"sv": "Fyra veckor", "en": "Four weeks"},
    "app_report_kind_month": {"sv": "Månad", "en": "Month"},
    "app_report_kind_custom": {"sv": "Egen period", "en": "Custom period"},
    "app_report_weeks4": {
        "sv": "Fyra veckor till och med vecka, t.ex. 2026-W47",
        "en": "Four weeks up to the week, e.g. 2026-W47",
    },
    "app_report_month": {"sv": "Månad, t.ex. 2026-10", "en": "Month, e.g. 2026-10"},
    "app_report_dates": {"sv": "Första och sista dag", "en": "First and last day"},
    "app_report_period_text": {
        "sv": "Lägesbild för {period}.",
        "en": "Situation report for {period}.",
    },
    "app_eval_methods": {
        "sv": "Täthetskarta: den valda analysen (och med halva och dubbla bandbredden). "
        "Förra periodens brottsrutor: det enklaste alternativet – rutorna om {cell} m med "
        "flest händelser under träningstiden pekas ut som nästa periods koncentrationer. En "
        "metod som inte slår den är inte värd sin komplexitet. PEI* jämför träffsäkerheten "
        "med den bästa möjliga för samma yta (1 = perfekt).",
        "en": "Density map: the chosen analysis (and with half and double the bandwidth). "
        "Last period's crime cells: the simplest alternative – the {cell} m cells with most "
        "incidents in the training time are named next period's hotspots. A method that "
        "does not beat it is not worth its complexity. PEI* compares the hit rate with the "
        "best possible for the same area (1 = perfect).",
    },
    # static map
    "scale": {"sv": "Skala", "en": "Scale"},
    "north": {"sv": "N", "en": "N"},
    "legend": {"sv": "Teckenförklaring", "en": "Legend"},
    "made_with": {
        "sv": "Framställd med hotspots {date}. Koordinater {crs}.",
        "en": "Made with hotspots {date}. Coordinates {crs}.",
    },
    "no_data": {"sv": "Inga händelser med valda filter", "en": "No incidents with these filters"},
    # lägesbild (EST report): hotspots.est.lagesbild* and hotspots.render.report
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
        "närmaste namngivna plats, med avstånd när den ligger längre bort än {near} m.",
        "en": "Listed are places whose mean score is at least {excess} above the whole "
        "survey's mean {mean}, and above it beyond chance (one-sided z-test, p < 0.05). "
        "'Near': the nearest named place, with its distance when it is farther than {near} m.",
    },
}

_WEEKDAYS: dict[str, tuple[str, ...]] = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` when it is ``"sv"`` or ``"en"``.

    Raises
    ------
    InputSchemaError
        For any other value.
    """
    if lang not in LANGS:
        msg = f"--lang: {lang!r} is not a language; use sv or en"
        raise InputSchemaError(msg)
    return lang  # type: ignore[return-value]


def t(key: str, lang: Lang = "sv", **values: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``values``.

    Parameters
    ----------
    key
        A key of :data:`STRINGS`.
    lang
        ``"sv"`` or ``"en"``.
    **values
        Replacement fields, e.g. ``zoom=16``.

    Raises
    ------
    KeyError
        For an unknown key (a programming error, caught by the tests).
    """
    text = STRINGS[key][check_lang(lang)]
    return text.format(**values) if values else text


def weekday_names(days: tuple[int, ...] | list[int], lang: Lang = "sv") -> list[str]:
    """Short weekday names of weekday numbers (Monday = 0)."""
    names = _WEEKDAYS[check_lang(lang)]
    return [names[int(d)] for d in days]


def column_label(name: str, lang: Lang = "sv") -> str:
    """The header of CSV column ``name`` in ``lang`` (``STRINGS["col_" + name]``).

    A column without a translation (a user's own column, say) keeps its name.

    Examples
    --------
    >>> column_label("date", "sv"), column_label("date", "en"), column_label("adress", "sv")
    ('Datum', 'Date', 'adress')
    """
    entry = STRINGS.get(f"col_{name}")
    return entry[check_lang(lang)] if entry is not None else name
