"""The texts of the actions log in the app, Swedish and English (see hotspots.core.i18n).

The panel's words (``app_actions_*``), the actors (``actions_actor_<code>``) and the kinds of
action (``actions_what_<code>``) of :mod:`hotspots.est.actions`, whose codes are Swedish
words stored in the log, and the messages of its validation (``actions_err_*``).
"""

_ACTORS: dict[str, tuple[str, str]] = {
    "polis": ("Polis", "Police"),
    "kommun": ("Kommun", "Municipality"),
    "bostadsbolag": ("Bostadsbolag", "Housing company"),
    "fastighetsägare": ("Fastighetsägare", "Property owner"),
    "skola": ("Skola", "School"),
    "fritidsgård": ("Fritidsgård", "Youth centre"),
    "socialtjänst": ("Socialtjänst", "Social services"),
    "fältassistenter": ("Fältassistenter", "Field workers"),
    "räddningstjänst": ("Räddningstjänst", "Rescue service"),
    "kollektivtrafik": ("Kollektivtrafik", "Public transport"),
    "väktare": ("Väktare", "Security guards"),
    "ordningsvakter": ("Ordningsvakter", "Public order guards"),
    "näringsidkare": ("Näringsidkare", "Businesses"),
    "förening": ("Förening", "Association"),
    "trafikverket": ("Trafikverket", "Swedish Transport Administration"),
    "länsstyrelsen": ("Länsstyrelsen", "County Administrative Board"),
    "annan": ("Annan", "Other"),
}

_WHAT: dict[str, tuple[str, str]] = {
    "fotpatrull": ("Fotpatrull", "Foot patrol"),
    "bilpatrull": ("Bilpatrull", "Car patrol"),
    "trafikkontroll": ("Trafikkontroll", "Traffic check"),
    "krogkontroll": ("Krogkontroll", "Licensed premises check"),
    "alkoholtillsyn": ("Alkoholtillsyn", "Alcohol licence inspection"),
    "belysning": ("Belysning", "Lighting"),
    "röjning": ("Röjning av växtlighet", "Vegetation clearing"),
    "kameraövervakning": ("Kameraövervakning", "Camera surveillance"),
    "klottersanering": ("Klottersanering", "Graffiti removal"),
    "städning": ("Städning", "Cleaning"),
    "nattvandring": ("Nattvandring", "Night walkers"),
    "fältarbete": ("Fältarbete", "Outreach work"),
    "ordningsvakter": ("Ordningsvakter", "Public order guards"),
    "trygghetsvandring": ("Trygghetsvandring", "Safety walk"),
    "medborgardialog": ("Medborgardialog", "Citizen dialogue"),
    "ombyggnad": ("Ombyggnad", "Redesign"),
    "hastighetsdämpning": ("Hastighetsdämpning", "Traffic calming"),
    "annat": ("Annat", "Other"),
}

ACTIONS_STRINGS: dict[str, dict[str, str]] = {
    "app_actions_heading": {"sv": "Åtgärder", "en": "Actions"},
    "app_actions_caption": {
        "sv": "Åtgärder som EST har beslutat per plats, öppna först. Loggen innehåller inga "
        "uppgifter om enskilda händelser.",
        "en": "Actions the EST meeting decided per place, open ones first. The log holds no "
        "information about single incidents.",
    },
    "app_actions_none": {"sv": "Inga åtgärder loggade ännu.", "en": "No actions logged yet."},
    "app_actions_read_only": {
        "sv": "Din roll kan läsa åtgärdsloggen men inte ändra den.",
        "en": "Your role may read the actions log but not change it.",
    },
    "app_actions_csv": {"sv": "Åtgärdslogg (CSV)", "en": "Actions log (CSV)"},
    "app_actions_add": {"sv": "Ny åtgärd", "en": "New action"},
    "app_actions_place": {"sv": "Plats", "en": "Place"},
    "app_actions_place_hotspot": {
        "sv": "Brottskoncentration {rank}{district}",
        "en": "Crime hotspot {rank}{district}",
    },
    "app_actions_place_district": {"sv": "Stadsdel: {name}", "en": "District: {name}"},
    "app_actions_place_place": {"sv": "Plats: {name}", "en": "Place: {name}"},
    "app_actions_no_places": {
        "sv": "Det finns ingen plats att välja: inga brottskoncentrationer i urvalet och inga "
        "stadsdelar eller namngivna platser. Ändra urvalet, eller lägg till åtgärden med "
        "kommandot hotspots actions add.",
        "en": "There is no place to choose: no crime hotspots in the selection and no "
        "districts or named places. Change the selection, or add the action with the "
        "command hotspots actions add.",
    },
    "app_actions_problem": {"sv": "Problem", "en": "Problem"},
    "app_actions_actor": {"sv": "Vem gör det", "en": "Who acts"},
    "app_actions_what": {"sv": "Åtgärd", "en": "Action"},
    "app_actions_date": {"sv": "Startdatum", "en": "Start date"},
    "app_actions_follow_up": {
        "sv": "Uppföljning (datum, kan lämnas tomt)",
        "en": "Follow-up (date, may be left empty)",
    },
    "app_actions_status": {"sv": "Status", "en": "Status"},
    "app_actions_note": {"sv": "Anteckning", "en": "Note"},
    "app_actions_save": {"sv": "Spara åtgärden", "en": "Save the action"},
    "app_actions_added": {
        "sv": "{id} sparad: {what} – {place}.",
        "en": "{id} saved: {what} – {place}.",
    },
    "app_actions_choose": {
        "sv": "Ändra eller stäng åtgärd",
        "en": "Edit or close action",
    },
    "app_actions_edit": {"sv": "Ändra {id}", "en": "Edit {id}"},
    "app_actions_place_name": {"sv": "Platsens namn", "en": "Name of the place"},
    "app_actions_save_changes": {"sv": "Spara ändringarna", "en": "Save the changes"},
    "app_actions_edited": {"sv": "{id} ändrad: {fields}.", "en": "{id} changed: {fields}."},
    "app_actions_unchanged": {
        "sv": "Inget ändrades: fälten är som förut.",
        "en": "Nothing changed: the fields are as they were.",
    },
    "app_actions_close": {"sv": "Stäng {id}", "en": "Close {id}"},
    "app_actions_close_status": {"sv": "Hur slutade den", "en": "How did it end"},
    "app_actions_close_date": {"sv": "Stängd (datum)", "en": "Closed on"},
    "app_actions_outcome": {"sv": "Resultat (anteckning)", "en": "Outcome (note)"},
    "app_actions_close_button": {"sv": "Stäng åtgärden", "en": "Close the action"},
    "app_actions_closed_done": {"sv": "{id} stängd: {status}.", "en": "{id} closed: {status}."},
    "app_actions_is_closed": {
        "sv": "{id} är stängd ({date}). Sätt status till planerad eller pågår för att öppna den "
        "igen.",
        "en": "{id} is closed ({date}). Set its status to planned or ongoing to open it again.",
    },
    "app_actions_invalid": {
        "sv": "Inget sparades, kontrollera uppgifterna: {error}",
        "en": "Nothing was saved; check the fields: {error}",
    },
    "app_actions_busy": {
        "sv": "Databasen är upptagen just nu (någon annan skriver, t.ex. en import). Inget "
        "sparades; dina uppgifter finns kvar i formuläret. Försök igen om en stund.",
        "en": "The store is busy right now (someone else is writing, e.g. an import). Nothing "
        "was saved; what you entered is still in the form. Try again in a moment.",
    },
    "app_actions_store_error": {
        "sv": "Åtgärdsloggen kunde inte sparas, inget har ändrats: {error}",
        "en": "The actions log could not be saved; nothing was changed: {error}",
    },
    "app_actions_audit_failed": {
        "sv": "Ändringen sparades, men händelseloggen kunde inte skrivas: {error}",
        "en": "The change was saved, but the audit log could not be written: {error}",
    },
    "app_actions_saving": {"sv": "Sparar …", "en": "Saving …"},
    "col_changed_by": {"sv": "Ändrad av", "en": "Changed by"},
    "actions_kind_hotspot": {"sv": "brottskoncentration", "en": "crime hotspot"},
    "actions_kind_district": {"sv": "stadsdel", "en": "district"},
    "actions_kind_place": {"sv": "plats", "en": "place"},
    "actions_kind_point": {"sv": "punkt", "en": "point"},
    # a crime hotspot as the log names it (place_ref "Hotspot 2 (Centrum), ..." is stored)
    "actions_place_hotspot_ref": {"sv": "Brottskoncentration {rank}", "en": "Hotspot {rank}"},
    # the messages of est.actions.validate_action and friends: {field} is the field's name
    "actions_field_geometry": {"sv": "Läge", "en": "geometry"},
    "actions_err_row": {"sv": "åtgärd {row}: {error}", "en": "action {row}: {error}"},
    "actions_err_required": {"sv": "{field}: måste fyllas i", "en": "{field}: is required"},
    "actions_err_choice": {
        "sv": "{field}: {value} är inte något av {allowed}",
        "en": "{field}: {value} is not one of {allowed}",
    },
    "actions_err_choice_other": {
        "sv": "; välj {other} och skriv en anteckning för allt annat",
        "en": "; use {other} with a note for anything else",
    },
    "actions_err_problem": {
        "sv": "{field}: {value} är varken ett problemområde ({areas}) eller en kategorikod som "
        "assault_public eller drug_dealing",
        "en": "{field}: {value} is neither a problem area ({areas}) nor a category code such as "
        "assault_public or drug_dealing",
    },
    "actions_err_restricted": {
        "sv": "{field}: {value} är en skyddad kategori och knyts aldrig till en plats; välj ett "
        "problemområde i stället",
        "en": "{field}: {value} is a restricted category and is never tied to a place; use a "
        "problem area instead",
    },
    "actions_err_date_required": {
        "sv": "{field}: ett datum behövs, skriv ÅÅÅÅ-MM-DD, t.ex. 2026-11-20",
        "en": "{field}: a date is required, write YYYY-MM-DD, e.g. 2026-11-20",
    },
    "actions_err_date": {
        "sv": "{field}: {value} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-11-20",
        "en": "{field}: {value} is not a date; write YYYY-MM-DD, e.g. 2026-11-20",
    },
    "actions_err_closed_before": {
        "sv": "{field}: {closed} är före åtgärdens datum {date}; ange dagen åtgärden slutade",
        "en": "{field}: {closed} is before the action date {date}; give the day the action ended",
    },
    "actions_err_follow_up_before": {
        "sv": "{field}: {follow_up} är före åtgärdens datum {date}; ange ett senare "
        "uppföljningsdatum",
        "en": "{field}: {follow_up} is before the action date {date}; give a later follow-up date",
    },
    "actions_err_geometry": {
        "sv": "{field}: en punkt behövs (en plats, en stadsdel eller en brottskoncentration; "
        "ytor sparas som en punkt inom ytan)",
        "en": "{field}: a point is required (give --point, --place, --district or --hotspot; "
        "polygons are stored as their representative point)",
    },
    "actions_err_not_found": {
        "sv": "åtgärd {id} finns inte (senaste id: {known}); se `hotspots actions list`",
        "en": "action {id} not found (latest ids: {known}); see `hotspots actions list`",
    },
    "actions_err_no_ids": {"sv": "inga än", "en": "none yet"},
    "actions_err_not_editable": {
        "sv": "åtgärd {id}: {fields} kan inte ändras; det som kan ändras: {editable}",
        "en": "action {id}: cannot edit {fields}; editable: {editable}",
    },
    "actions_err_not_closing": {
        "sv": "{field}: {value} stänger inte en åtgärd; välj klar eller avbruten",
        "en": "{field}: {value} is not a closing status; use klar or avbruten",
    },
    **{f"actions_actor_{code}": {"sv": sv, "en": en} for code, (sv, en) in _ACTORS.items()},
    **{f"actions_what_{code}": {"sv": sv, "en": en} for code, (sv, en) in _WHAT.items()},
}
