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
        "sv": "{where}: {obs} händelser per plats och dag på besöksdagar mot väntat "
        "{cf}, skillnad {est} ({level} % intervall {low} till {high}).",
        "en": "{where}: {obs} incidents per place-day on visit days against an expected "
        "{cf}, a difference of {est} ({level} % interval {low} to {high}).",
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
    "dosage_wdq_what": {
        "sv": "WDQ jämför hela tiden sedan första besöket med lika lång tid före, på de "
        "besökta platserna och i närområdet i förhållande till de jämförbara platserna: den "
        "frågar om platserna som helhet blev lugnare, inte om just besöksdagarna var det.",
        "en": "The WDQ compares the whole time since the first visit with as long a time "
        "before it, at the visited places and around them relative to the comparison places: "
        "it asks whether the places as a whole became calmer, not whether the visit days "
        "themselves were.",
    },
    "dosage_reconcile_more": {
        "sv": "Jämförelserna pekar åt olika håll, och det är väntat. Besöken görs där och när "
        "något väntas hända (och en enhet som skickas till en händelse blir ofta kvar på "
        "platsen), så besöksdagar har fler händelser redan innan ett besök kunnat påverka "
        "något: jämförelsen av dagar är snedvriden mot fler händelser och visar inte att "
        "besöken ökade brottsligheten. WDQ påverkas inte av vilka dagar som valdes, men visar "
        "inte heller säkert en effekt: platserna valdes för att de haft många händelser, och "
        "sådana toppar brukar gå tillbaka av sig själva.",
        "en": "The two comparisons point different ways, and that is to be expected. Visits "
        "are made where and when trouble is expected (and a unit sent to an incident often "
        "stays at the place), so visit days have more incidents before a visit could change "
        "anything: the comparison of days is confounded towards more incidents and does not "
        "show that the visits raised crime. The WDQ does not depend on which days were "
        "chosen, but it does not prove an effect either: the places were chosen because they "
        "had had many incidents, and such peaks tend to fall back by themselves.",
    },
    "dosage_reconcile_fewer": {
        "sv": "Jämförelserna pekar åt olika håll. Färre händelser på besöksdagar kan bero på "
        "att besöken blir av när det är lugnt (när enheterna inte behövs på annat håll) och "
        "inte på besöken själva; enligt WDQ blev platserna som helhet inte lugnare än de "
        "jämförbara platserna. Ingen av jämförelserna visar säkert en effekt.",
        "en": "The two comparisons point different ways. Fewer incidents on visit days may "
        "come from visits being made when it is quiet (when the units are not needed "
        "elsewhere) rather than from the visits themselves; by the WDQ the places as a whole "
        "did not become calmer than the comparison places. Neither comparison proves an "
        "effect.",
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
    "dosage_cli_total": {
        "sv": "Totalt: {planned} min planerat, {delivered} levererat ({share}); där områden "
        "överlappar räknas varje minut en gång",
        "en": "Total: {planned} min planned, {delivered} delivered ({share}); where areas "
        "overlap, each minute counts once",
    },
    "dosage_cli_note": {"sv": "obs: {text}", "en": "note: {text}"},
    "dosage_cli_effect": {"sv": "Effekt", "en": "Effect"},
    # the lägesbild's follow-up of the citizen promise (and the app's follow-up page)
    "followup_title": {
        "sv": "Uppföljning av medborgarlöftet",
        "en": "Follow-up of the citizen promise",
    },
    "followup_intro": {
        "sv": "Planerat är veckoplanen för varje vecka ({weeks}), gjord som lägesbilden veckan "
        "före föreslog den: de fyra veckornas hotspots och {hours} patrulltimmar per vecka. "
        "Levererat är minuter på plats enligt GPS-spåren (tid i förslagets område vid "
        "besök; att bara köra igenom räknas inte) och enligt aktivitetsloggen. Ett besök "
        "enligt Koper är ett stopp på minst 10 minuter. Där förslagens områden överlappar "
        "räknas samma minuter för varje aktivitet, men kolumnen Totalt räknar varje minut "
        "en gång.",
        "en": "Planned is each week's plan ({weeks}), made as the lägesbild of the week before "
        "proposed it: the hotspots of the four weeks before and {hours} patrol hours per "
        "week. Delivered is minutes on site from the GPS tracks (time in the suggestion's "
        "area on visits; driving through does not count) and from the activity log. A Koper "
        "visit is a stop of at least 10 minutes. Where suggestion areas overlap, the same "
        "minutes count for each activity, but the Total column counts each minute once.",
    },
    "followup_intro_no_hours": {
        "sv": "Planerat är veckoplanen för varje vecka ({weeks}), gjord som lägesbilden veckan "
        "före föreslog den; planen fördelade inga timmar, så bara besök och minuter på plats "
        "visas. Levererat är minuter på plats enligt GPS-spåren och aktivitetsloggen (där "
        "förslagens områden överlappar räknas samma minuter för varje aktivitet, men "
        "Totalt räknar varje minut en gång).",
        "en": "Planned is each week's plan ({weeks}), made as the lägesbild of the week before "
        "proposed it; the plans allocated no hours, so only visits and minutes on site are "
        "shown. Delivered is minutes on site from the GPS tracks and the activity log (where "
        "suggestion areas overlap, the same minutes count for each activity, but the Total "
        "counts each minute once).",
    },
    "followup_no_tracks": {
        "sv": "Inga GPS-spår eller loggade aktiviteter under perioden (hotspots tracks import, "
        "hotspots activities import eller formuläret i appen): det går inte att säga vad "
        "som levererades.",
        "en": "No GPS tracks or logged activities in the period (hotspots tracks import, "
        "hotspots activities import or the form in the app): what was delivered cannot be "
        "told.",
    },
    "followup_no_plan": {
        "sv": "Ingen plan kunde göras för {week} (för få händelser veckorna före).",
        "en": "No plan could be made for {week} (too few incidents in the weeks before).",
    },
    "followup_weeks_capped": {
        "sv": "Perioden är lång; de sista {n} veckorna följs upp.",
        "en": "The period is long; its last {n} weeks are followed up.",
    },
    "followup_week_caption": {
        "sv": "Levererat mot planerat per vecka, minuter (andel av planerat)",
        "en": "Delivered against planned per week, minutes (share of planned)",
    },
    "followup_period_caption": {
        "sv": "Hela perioden per aktivitet",
        "en": "The whole period per activity",
    },
    "followup_week": {"sv": "Vecka", "en": "Week"},
    "followup_whole_period": {"sv": "Hela perioden", "en": "Whole period"},
    "followup_total": {"sv": "Totalt", "en": "Total"},
    "followup_activity": {"sv": "Aktivitet", "en": "Activity"},
    "followup_suggestions": {"sv": "Förslag", "en": "Suggestions"},
    "followup_planned": {"sv": "Planerat, min", "en": "Planned, min"},
    "followup_delivered": {"sv": "Levererat, min", "en": "Delivered, min"},
    "followup_share": {"sv": "Andel", "en": "Share"},
    "followup_visits": {"sv": "Besök", "en": "Visits"},
    "followup_koper": {"sv": "Besök ≥ 10 min", "en": "Visits ≥ 10 min"},
    "followup_drive": {"sv": "Genomfarter", "en": "Drive-throughs"},
    "followup_logged": {"sv": "Loggade", "en": "Logged"},
    "followup_unplanned": {"sv": "Oplanerade (logg)", "en": "Unplanned (log)"},
    "followup_place": {"sv": "Plats", "en": "Place"},
    "followup_weeks_column": {"sv": "Veckor", "en": "Weeks"},
    "followup_places_caption": {
        "sv": "Platserna i veckoplanerna, flest levererade minuter först (numren på kartan)",
        "en": "The places of the weekly plans, most delivered minutes first (the numbers on "
        "the map)",
    },
    "followup_more_places": {
        "sv": "… och {n} platser till med planerad eller levererad tid.",
        "en": "… and {n} more places with planned or delivered time.",
    },
    "followup_map_title": {
        "sv": "Levererad tid per plats, {period}",
        "en": "Delivered time per place, {period}",
    },
    "followup_map_caption": {
        "sv": "Förslagens områden färgade efter levererade minuter under perioden (GPS och "
        "logg); grå: planerat men inget levererat. Numren står i tabellen nedan.",
        "en": "The suggestions' areas coloured by minutes delivered in the period (GPS and "
        "log); grey: planned but nothing delivered. The numbers are in the table below.",
    },
    "followup_map_none": {"sv": "planerat, 0 min", "en": "planned, 0 min"},
    "followup_map_class": {"sv": "{low}–{high} min", "en": "{low}–{high} min"},
    "followup_map_class_top": {"sv": "≥ {low} min", "en": "≥ {low} min"},
    "followup_map_minutes": {"sv": "Levererat", "en": "Delivered"},
    "followup_map_sources": {"sv": "GPS-spår och aktivitetslogg", "en": "GPS tracks and log"},
    "followup_effect": {"sv": "Blev det skillnad?", "en": "Did it make a difference?"},
    "followup_effect_caption": {
        "sv": "Händelser per plats och dag på dagar med besök (≥ 10 min) mot väntat, "
        "{start} – {last}",
        "en": "Incidents per place and day on days with a visit (≥ 10 min) against the "
        "expected, {start} – {last}",
    },
    "followup_effect_where_place": {"sv": "På platserna", "en": "At the places"},
    "followup_effect_where_buffer": {
        "sv": "Närområdet ({m} m)",
        "en": "Surroundings ({m} m)",
    },
    "followup_effect_observed": {"sv": "Med besök", "en": "With a visit"},
    "followup_effect_expected": {"sv": "Väntat", "en": "Expected"},
    "followup_effect_difference": {"sv": "Skillnad", "en": "Difference"},
    "followup_effect_interval": {"sv": "{level} % intervall", "en": "{level} % interval"},
    "followup_effect_days": {
        "sv": "Platsdagar med / utan besök",
        "en": "Place-days with / without a visit",
    },
    "followup_no_effect": {
        "sv": "Ingen jämförelse: inga besök vid planens platser under perioden.",
        "en": "No comparison: no visits at the plans' places in the period.",
    },
    "followup_public_note": {
        "sv": "Den publika versionen visar summor per aktivitet, inte var och när polisen "
        "patrullerar.",
        "en": "The public version shows totals per activity, not where and when the police patrol.",
    },
    "followup_kind_foot_patrol": {
        "sv": "Fotpatrull på otrygga platser",
        "en": "Foot patrols at unsafe places",
    },
    "followup_kind_traffic_check": {"sv": "Trafikkontroller", "en": "Traffic checks"},
    "followup_kind_pub_check": {"sv": "Krogkontroller", "en": "Pub checks"},
    "followup_kind_school_visit": {"sv": "Skolbesök", "en": "School visits"},
    "followup_kind_youth_outreach": {
        "sv": "Fritidsgårdar, uppsökande",
        "en": "Youth centres, outreach",
    },
    # the app's follow-up page (hotspots/app/views/followup.py)
    "followup_app_week": {"sv": "Vecka (ÅÅÅÅ-Vnn)", "en": "Week (YYYY-Wnn)"},
    "followup_app_bad_week": {
        "sv": "{text} är ingen vecka; skriv t.ex. 2026-W47.",
        "en": "{text} is not a week; write e.g. 2026-W47.",
    },
    "followup_app_intro": {
        "sv": "Veckans plan ({hours} patrulltimmar, gjord på de fyra veckorna före) mot vad "
        "GPS-spåren och aktivitetsloggen säger levererades.",
        "en": "The week's plan ({hours} patrol hours, made from the four weeks before) against "
        "what the GPS tracks and the activity log say was delivered.",
    },
    "followup_app_no_tracks": {
        "sv": "Inga GPS-spår eller loggade aktiviteter ännu. Importera spår med hotspots tracks "
        "import, en logg med hotspots activities import, eller logga nedan.",
        "en": "No GPS tracks or logged activities yet. Import tracks with hotspots tracks "
        "import, a log with hotspots activities import, or log below.",
    },
    "followup_app_no_geography": {
        "sv": "Ingen geografi täcker händelserna, så ingen veckoplan kan göras.",
        "en": "No geography covers the incidents, so no weekly plan can be made.",
    },
    "followup_app_planned": {"sv": "Planerat", "en": "Planned"},
    "followup_app_delivered": {"sv": "Levererat", "en": "Delivered"},
    "followup_app_table": {
        "sv": "Planerat mot levererat per förslag",
        "en": "Planned against delivered per suggestion",
    },
    "followup_app_by_kind": {"sv": "Per aktivitet", "en": "Per activity"},
    "followup_app_csv": {"sv": "Ladda ner tabellen (CSV)", "en": "Download the table (CSV)"},
    "followup_app_map": {"sv": "Levererad tid per plats", "en": "Delivered time per place"},
    "followup_app_no_places": {
        "sv": "Inga platser med planerad eller levererad tid den här veckan.",
        "en": "No places with planned or delivered time this week.",
    },
    "followup_app_id": {"sv": "Förslag", "en": "Suggestion"},
    "followup_app_tracked": {"sv": "Varav GPS, min", "en": "Of which GPS, min"},
    "followup_app_logged_min": {"sv": "Varav logg, min", "en": "Of which log, min"},
    "followup_app_share": {"sv": "Andel, %", "en": "Share, %"},
    "followup_app_long": {"sv": "Besök > 15 min", "en": "Visits > 15 min"},
    "followup_app_log": {"sv": "Logga en aktivitet", "en": "Log an activity"},
    "followup_app_log_help": {
        "sv": "Trafikkontroller, krogkontroller, skolbesök och andra insatser som inget "
        "GPS-spår visar. Plats: förslagets id ({ids}) eller platsens namn.",
        "en": "Traffic checks, pub checks, school visits and other activities no GPS track "
        "shows. Place: the suggestion's id ({ids}) or the place's name.",
    },
    "followup_app_date": {"sv": "Datum", "en": "Date"},
    "followup_app_time": {"sv": "Starttid (valfri, tt:mm)", "en": "Start time (optional, hh:mm)"},
    "followup_app_kind": {"sv": "Aktivitet", "en": "Activity"},
    "followup_app_place": {"sv": "Plats", "en": "Place"},
    "followup_app_minutes": {"sv": "Minuter", "en": "Minutes"},
    "followup_app_save": {"sv": "Spara i loggen", "en": "Save to the log"},
    "followup_app_saved": {
        "sv": "Sparat: {kind}, {place}, {day}, {minutes} min.",
        "en": "Saved: {kind}, {place}, {day}, {minutes} min.",
    },
    "followup_app_already": {
        "sv": "Den raden finns redan i loggen; inget ändrades.",
        "en": "That line is in the log already; nothing changed.",
    },
    "followup_app_bad_time": {
        "sv": "{text} är ingen tid; skriv t.ex. 21:15 eller lämna tomt.",
        "en": "{text} is not a time; write e.g. 21:15 or leave it empty.",
    },
    "followup_app_no_place": {
        "sv": "Skriv platsen: förslagets id eller platsens namn.",
        "en": "Write the place: the suggestion's id or the place's name.",
    },
    "followup_app_future": {
        "sv": "Aktiviteten ligger i framtiden; logga den när den är gjord.",
        "en": "The activity is in the future; log it once it is done.",
    },
    "followup_app_not_saved": {"sv": "Inte sparat: {reason}", "en": "Not saved: {reason}"},
    "followup_app_may_not_log": {
        "sv": "Bara analytiker och planerare kan logga aktiviteter.",
        "en": "Only analysts and planners can log activities.",
    },
    "followup_app_week_log": {"sv": "Veckans logg", "en": "The week's log"},
    "followup_app_public": {
        "sv": "Din roll ser summor per aktivitet, inte platser och tider.",
        "en": "Your role sees totals per activity, not places and times.",
    },
}
