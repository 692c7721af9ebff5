"""The texts of the patrol dosage and its effect, Swedish and English (see hotspots.core.i18n).

Used by :mod:`hotspots.dosage.effect`, ``hotspots dosage`` (keys ``dosage_cli_*``) and the
follow-up of the citizen promise in the lägesbild and the app (keys ``followup_*``) through
:func:`hotspots.core.i18n.t`.
"""

DOSAGE_STRINGS: dict[str, dict[str, str]] = {
    "dosage_design": {
        "sv": "{n1} platsdagar med minst ett besök på {minutes:g} minuter jämförs med {n0} "
        "platsdagar utan besök på samma {places} platser, justerat med {controls} jämförbara "
        "platser utan besök samma dagar (skillnad-i-skillnader), {start} till {last}.",
        "en": "{n1} place-days with at least one visit of {minutes:g} minutes are compared "
        "with {n0} place-days without a visit at the same {places} places, adjusted by "
        "{controls} comparable places without visits on the same days "
        "(difference-in-differences), {start} to {last}.",
    },
    "dosage_design_no_controls": {
        "sv": "{n1} platsdagar med besök jämförs med {n0} platsdagar utan besök på samma "
        "{places} platser. Det fanns inga jämförbara platser utan besök, så dagar med olika "
        "mycket händelser överallt (helger, evenemang) kan inte räknas bort.",
        "en": "{n1} place-days with a visit are compared with {n0} place-days without one at "
        "the same {places} places. There were no comparable places without visits, so days "
        "that were busy everywhere (weekends, events) cannot be accounted for.",
    },
    "dosage_result": {
        "sv": "{where}: {obs:.2f} händelser per plats och dag på besöksdagar mot väntat "
        "{cf:.2f}, skillnad {est:+.2f} ({level} % intervall {low:+.2f} till {high:+.2f}).",
        "en": "{where}: {obs:.2f} incidents per place-day on visit days against an expected "
        "{cf:.2f}, a difference of {est:+.2f} ({level} % interval {low:+.2f} to {high:+.2f}).",
    },
    "dosage_in_place": {"sv": "På platserna", "en": "At the places"},
    "dosage_in_buffer": {"sv": "I närområdet ({m:g} m)", "en": "In the surroundings ({m:g} m)"},
    "dosage_zero": {
        "sv": "Intervallet omfattar noll: skillnaden går inte att skilja från slumpen.",
        "en": "The interval includes zero: the difference cannot be told from chance.",
    },
    "dosage_fewer": {
        "sv": "Färre händelser på besöksdagar än väntat ({pct:.0f} %).",
        "en": "Fewer incidents on visit days than expected ({pct:.0f} %).",
    },
    "dosage_more": {
        "sv": "Fler händelser på besöksdagar än väntat (+{pct:.0f} %).",
        "en": "More incidents on visit days than expected (+{pct:.0f} %).",
    },
    "dosage_displacement": {
        "sv": "Fler händelser i närområdet på besöksdagar: tecken på förflyttning.",
        "en": "More incidents in the surroundings on visit days: a sign of displacement.",
    },
    "dosage_diffusion": {
        "sv": "Färre händelser även i närområdet: tecken på spridning av positiv effekt.",
        "en": "Fewer incidents in the surroundings too: a sign of diffusion of benefits.",
    },
    "dosage_no_buffer_sign": {
        "sv": "Inget tydligt tecken på förflyttning till närområdet.",
        "en": "No clear sign of displacement to the surroundings.",
    },
    "dosage_observational": {
        "sv": "Besöken lottades inte ut: dagar och platser valdes av människor, ofta där och "
        "när något väntades hända. Skillnaden visar därför ett samband, inte säkert en "
        "effekt av besöken.",
        "en": "The visits were not randomised: days and places were chosen by people, often "
        "where and when trouble was expected. The difference is therefore an association, "
        "not proven to be an effect of the visits.",
    },
    "dosage_dependence": {
        "sv": "Intervallen bygger på omsampling av platsdagar som om de vore oberoende; dagar "
        "på samma plats hänger ihop, så den verkliga osäkerheten är troligen större.",
        "en": "The intervals resample place-days as if they were independent; days at one "
        "place are not, so the true uncertainty is probably larger.",
    },
    "dosage_reactive": {
        "sv": "Bara händelser som allmänheten anmält räknas (de polisen själv upptäcker ökar "
        "med fler patruller).",
        "en": "Only incidents reported by the public are counted (those the police find "
        "themselves rise with more patrols).",
    },
    "dosage_few": {
        "sv": "För få besöksdagar eller händelser för att säga något säkert.",
        "en": "Too few visit days or incidents to say anything reliable.",
    },
    "dosage_no_estimate": {
        "sv": "Ingen jämförelse möjlig: ingen plats hade både dagar med och utan besök.",
        "en": "No comparison possible: no place had days both with and without a visit.",
    },
    "dosage_no_data": {
        "sv": "Det finns inga händelsedata från {start} och framåt ännu; jämförelsen får vänta.",
        "en": "There are no incident data from {start} on yet; the comparison has to wait.",
    },
    "dosage_cut": {
        "sv": "Händelsedata finns till och med {last}; senare dagar är inte med.",
        "en": "Incident data reach {last}; later days are left out.",
    },
    "dosage_wdq": {
        "sv": "Före och efter ({before} till {first} mot {first} till {last}), WDQ: {text}.",
        "en": "Before and after ({before} to {first} against {first} to {last}), WDQ: {text}.",
    },
    # hotspots dosage (the text table)
    "dosage_cli_title": {
        "sv": "Planerat mot levererat, {week}",
        "en": "Planned against delivered, {week}",
    },
    "dosage_cli_kind": {
        "sv": "{kind}: {planned} min planerat, {delivered} levererat ({share}); {visits} besök, "
        "{koper} enligt Koper, {drive} genomfarter; {unplanned} oplanerade i loggen",
        "en": "{kind}: {planned} min planned, {delivered} delivered ({share}); {visits} visits, "
        "{koper} Koper, {drive} drive-throughs; {unplanned} unplanned logged",
    },
    "dosage_cli_note": {"sv": "obs: {text}", "en": "note: {text}"},
    "dosage_cli_effect": {"sv": "Effekt", "en": "Effect"},
}
