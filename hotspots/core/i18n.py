"""User-facing strings of the map, the exports and the app, in Swedish (default) and English.

Every text a user reads on a map, in a static map or in the app comes from :data:`STRINGS`
through :func:`t`, so switching the language switches everything and a missing translation
is caught by a test.
"""

from __future__ import annotations

from typing import Literal

from hotspots.core.errors import InputSchemaError
from hotspots.core.strings_actions import ACTIONS_STRINGS
from hotspots.core.strings_dosage import DOSAGE_STRINGS
from hotspots.core.strings_placement import PLACEMENT_STRINGS
from hotspots.core.strings_priorities import PRIORITY_STRINGS
from hotspots.core.strings_rejects import DROPPED_STRINGS, REJECT_STRINGS
from hotspots.core.strings_report import REPORT_STRINGS
from hotspots.core.strings_routing import ROUTING_STRINGS
from hotspots.core.strings_streets import STREETS_STRINGS

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
    "profile_planning": {
        "sv": "planering (utan beskrivningar)",
        "en": "planning (no descriptions)",
    },
    "profile_public": {
        "sv": "publik (inga enskilda händelser, antal under 5 dolda)",
        "en": "public (no single incidents, counts under 5 hidden)",
    },
    "incident_cap": {
        "sv": "visar de {shown} senaste av {total} händelser",
        "en": "showing the latest {shown} of {total} incidents",
    },
    "no_basemap": {
        "sv": "Ingen bakgrundskarta (offline); HOTSPOTS_BASEMAP (WMS/WMTS) eller "
        "HOTSPOTS_TILES ger en från er egen kartserver",
        "en": "No basemap (offline); HOTSPOTS_BASEMAP (WMS/WMTS) or HOTSPOTS_TILES gives one "
        "from your own map server",
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
    "login_title": {"sv": "Logga in", "en": "Log in"},
    "login_intro": {
        "sv": "Logga in med ditt konto. Din roll avgör vad du ser.",
        "en": "Log in with your account. Your role decides what you see.",
    },
    "login_user": {"sv": "Användarnamn", "en": "User name"},
    "login_button": {"sv": "Logga in", "en": "Log in"},
    "login_note": {
        "sv": "Inloggningar och visningar loggas (brottsdatalagen). Kontot skapas av "
        "administratören.",
        "en": "Logins and views are logged (Swedish Criminal Data Act). The administrator "
        "creates accounts.",
    },
    "login_wrong": {"sv": "Fel användarnamn eller lösenord.", "en": "Wrong user name or password."},
    "login_locked": {
        "sv": "För många misslyckade inloggningar. Försök igen efter kl. {until}.",
        "en": "Too many failed logins. Try again after {until}.",
    },
    "login_expired": {
        "sv": "Din session har gått ut efter en tid utan aktivitet. Logga in igen.",
        "en": "Your session ended after a time without activity. Please log in again.",
    },
    "app_logout": {"sv": "Logga ut", "en": "Log out"},
    "app_restricted_total": {
        "sv": "Skyddade kategorier, sammanlagt (visas aldrig på karta eller i export)",
        "en": "Restricted categories, in total (never on a map or in an export)",
    },
    "app_logged_in_as": {
        "sv": "Inloggad som {user} ({role})",
        "en": "Logged in as {user} ({role})",
    },
    "app_session_ended": {
        "sv": "Du är inte inloggad, eller sessionen har gått ut.",
        "en": "You are not logged in, or your session has ended.",
    },
    "app_login_link": {"sv": "Logga in", "en": "Log in"},
    "app_no_pages": {
        "sv": "Din roll ({role}) har inga sidor i appen.",
        "en": "Your role ({role}) has no pages in the app.",
    },
    "app_page_admin": {"sv": "Administration", "en": "Administration"},
    "app_page_followup": {"sv": "Uppföljning", "en": "Follow-up"},
    "admin_title": {"sv": "Konton och granskningslogg", "en": "Accounts and audit log"},
    "admin_users": {"sv": "Konton", "en": "Accounts"},
    "admin_add_user": {"sv": "Nytt konto", "en": "New account"},
    "admin_add_button": {"sv": "Skapa kontot", "en": "Create the account"},
    "admin_password_again": {"sv": "Lösenordet igen", "en": "Password again"},
    "admin_passwords_differ": {
        "sv": "Lösenorden skiljer sig åt; inget ändrades.",
        "en": "The passwords differ; nothing was changed.",
    },
    "admin_disable_button": {"sv": "Stäng av kontot", "en": "Disable the account"},
    "admin_passwd_button": {"sv": "Byt lösenord", "en": "Change the password"},
    "admin_done": {"sv": "Klart (och loggat).", "en": "Done (and logged)."},
    "admin_audit": {"sv": "Granskningslogg", "en": "Audit log"},
    "admin_since": {"sv": "Från och med", "en": "Since"},
    "admin_verify": {"sv": "Kontrollera kedjan", "en": "Verify the chain"},
    "admin_verify_ok": {
        "sv": "Loggen är obruten: ingen post är ändrad eller borttagen.",
        "en": "The log is intact: no entry was edited or deleted.",
    },
    "admin_verify_broken": {
        "sv": "Loggen är bruten vid post {seq}: {reason}",
        "en": "The log is broken at entry {seq}: {reason}",
    },
    "admin_audit_csv": {"sv": "Ladda ned loggen (CSV)", "en": "Download the log (CSV)"},
    "admin_yes": {"sv": "ja", "en": "yes"},
    "admin_no": {"sv": "nej", "en": "no"},
    "admin_col_name": {"sv": "Konto", "en": "Account"},
    "admin_col_role": {"sv": "Roll", "en": "Role"},
    "admin_col_disabled": {"sv": "Avstängt", "en": "Disabled"},
    "admin_col_created": {"sv": "Skapat (UTC)", "en": "Created (UTC)"},
    "admin_col_updated": {"sv": "Ändrat (UTC)", "en": "Updated (UTC)"},
    "admin_col_failed_logins": {"sv": "Misslyckade inloggningar", "en": "Failed logins"},
    "admin_col_locked_until": {"sv": "Låst till (UTC)", "en": "Locked until (UTC)"},
    "admin_col_seq": {"sv": "Nr", "en": "No."},
    "admin_col_at": {"sv": "Tid (UTC)", "en": "Time (UTC)"},
    "admin_col_user": {"sv": "Användare", "en": "User"},
    "admin_col_event": {"sv": "Händelse", "en": "Event"},
    "admin_col_detail": {"sv": "Detaljer", "en": "Details"},
    "role_analytiker": {"sv": "analytiker", "en": "analyst"},
    "role_planerare": {"sv": "planerare", "en": "patrol planner"},
    "role_est": {"sv": "EST", "en": "EST"},
    "role_publik": {"sv": "publik", "en": "public"},
    "role_admin": {"sv": "administratör", "en": "administrator"},
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
    "app_plan_does_not_fit": {
        "sv": "{hours} patrulltimmar ryms inte med {teams} patrull(er) samtidigt: förslagens "
        "tidsfönster rymmer {fits} timmar besök utan att en patrull är på två platser samtidigt. "
        "Sänk timmarna eller öka antalet patruller.",
        "en": "{hours} patrol hours do not fit with {teams} team(s) at once: the suggestions' "
        "time windows hold {fits} hours of visits without a team being in two places at once. "
        "Lower the hours or raise the number of teams.",
    },
    "app_plan_does_not_fit_windows": {
        "sv": "{hours} patrulltimmar ryms inte: förslagens tidsfönster (valda dagar och "
        "timmar) rymmer {fits} timmar besök. Sänk timmarna eller vidga urvalet.",
        "en": "{hours} patrol hours do not fit: the suggestions' time windows (the days and "
        "hours chosen) hold {fits} hours of visits. Lower the hours or widen the selection.",
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
        "sv": "Lägesbild för {period}, alla kategorier utom de skyddade (som `hotspots "
        "report`); urvalet i sidopanelen gäller kartan, inte lägesbilden.",
        "en": "Situation report for {period}, every category but the restricted ones (as "
        "`hotspots report`); the filters in the sidebar apply to the map, not the report.",
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
    "basemap_credit": {"sv": "Bakgrundskarta {credit}.", "en": "Basemap {credit}."},
    "app_basemap_failed_report": {
        "sv": "Bakgrundskartan kunde inte hämtas till lägesbildens kartor, som därför saknar "
        "den: {reason}",
        "en": "The basemap could not be fetched for the situation report's maps, which are "
        "made without it: {reason}",
    },
    "app_basemap_failed": {
        "sv": "Bakgrundskartan kunde inte hämtas till PNG- och PDF-filerna, som därför saknar "
        "den: {reason}",
        "en": "The basemap could not be fetched for the PNG and PDF files, which are made "
        "without it: {reason}",
    },
    "no_data": {"sv": "Inga händelser med valda filter", "en": "No incidents with these filters"},
}

STRINGS.update(REPORT_STRINGS)
STRINGS.update(DOSAGE_STRINGS)
STRINGS.update(REJECT_STRINGS)
STRINGS.update(DROPPED_STRINGS)
STRINGS.update(PRIORITY_STRINGS)
STRINGS.update(ROUTING_STRINGS)
STRINGS.update(STREETS_STRINGS)
STRINGS.update(ACTIONS_STRINGS)
STRINGS.update(PLACEMENT_STRINGS)

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
