"""Texts of harm-weighted priorities, near repeats and the enforcement-bias safeguard.

Swedish and English, for :mod:`hotspots.core.i18n` (merged into its ``STRINGS``): the plan's
extra columns and its nights, and the lägesbild's sections on harm
(:mod:`hotspots.est.lagesbild_harm`) and on raised risk after recent incidents
(:mod:`hotspots.est.lagesbild_nearrepeat`).
"""

PRIORITY_STRINGS: dict[str, dict[str, str]] = {
    # the plan's columns
    "col_harm_per_week": {
        "sv": "Skadevärde per vecka",
        "en": "Harm per week",
    },
    "col_proactive_nearby": {
        "sv": "Proaktiva händelser i närheten",
        "en": "Proactive incidents nearby",
    },
    # the plan's times: a visit after midnight is named by its night (planning.tables)
    "plan_night": {"sv": "natten {nights}", "en": "{nights} night"},
    "plan_nights": {"sv": "nätterna {nights}", "en": "{nights} nights"},
    # maps of harm (--weights): the density's unit
    "legend_density_harm": {"sv": "Skadevärde per km²", "en": "Harm per km²"},
    "layer_density_harm": {
        "sv": "Skadetäthet (skadevärde per km²)",
        "en": "Harm density (harm per km²)",
    },
    # lägesbild: harm
    "report_harm": {
        "sv": "Skadevägda hotspots",
        "en": "Harm-weighted hotspots",
    },
    "report_harm_intro": {
        "sv": "Varje händelse väger här sitt skadevärde ({unit}) i stället för 1: "
        "{weights}. Skadevärdena är {source}; skyddade kategorier räknas aldrig in. "
        "Skade-hotspots tas fram med samma kärna, bandbredd och täckning som "
        "hotspotkartan, så att de bara skiljer sig i vikterna.",
        "en": "Each incident weighs its harm ({unit}) here instead of 1: {weights}. The "
        "weights are {source}; restricted categories never count. Harm hotspots use the "
        "kernel, bandwidth and coverage of the hotspot map, so that the two differ only by "
        "the weights.",
    },
    "report_harm_unit_months": {
        "sv": "månader i genomsnittligt straff, brottsskadeindex",
        "en": "months of average sentence, the Swedish crime harm index",
    },
    "report_harm_unit_other": {"sv": "egna vikter", "en": "own weights"},
    "report_harm_source_harm": {
        "sv": "den medföljande tabellen (närmaste publicerade exempel per kategori, daterad "
        "{date})",
        "en": "the shipped table (nearest published example per category, dated {date})",
    },
    "report_harm_source_file": {
        "sv": "från filen {file} (daterad {date})",
        "en": "from the file {file} (dated {date})",
    },
    "report_harm_overlap": {
        "sv": "{share} % av skade-hotspotcellerna är också hotspotceller räknat i antal "
        "händelser ({both} av {harm} celler; {count} celler räknat i antal, Jaccard "
        "{jaccard}).",
        "en": "{share} % of the harm hotspot cells are also hotspot cells by count ({both} "
        "of {harm} cells; {count} cells by count, Jaccard {jaccard}).",
    },
    "report_harm_half": {
        "sv": "Hälften av all skada ligger på {harm_half} % av ytan, hälften av alla "
        "händelser på {count_half} %.",
        "en": "Half of all harm lies in {harm_half} % of the area, half of all incidents in "
        "{count_half} %.",
    },
    "report_harm_no_spots": {
        "sv": "Inga skade-hotspots med minst det minsta antalet händelser.",
        "en": "No harm hotspots with at least the minimum number of incidents.",
    },
    "report_harm_concentration_caption": {
        "sv": "Koncentration: andel av skadan respektive händelserna i de tätaste cellerna",
        "en": "Concentration: share of harm and of incidents in the densest cells",
    },
    "report_harm_area": {"sv": "Andel av ytan", "en": "Share of the area"},
    "report_harm_share": {"sv": "Andel av skadan", "en": "Share of harm"},
    "report_harm_count_share": {"sv": "Andel av händelserna", "en": "Share of incidents"},
    "report_harm_spots_caption": {
        "sv": "Skade-hotspots, störst skada först",
        "en": "Harm hotspots, most harm first",
    },
    "report_harm_value": {"sv": "Skadevärde", "en": "Harm"},
    "report_harm_incidents": {"sv": "Händelser", "en": "Incidents"},
    "report_harm_also_count": {"sv": "Också hotspot i antal", "en": "Also a count hotspot"},
    "report_harm_curve_title": {
        "sv": "Koncentrationskurva: skada och händelser mot andel av ytan",
        "en": "Concentration curve: harm and incidents against share of the area",
    },
    "report_harm_curve_caption": {
        "sv": "Andel av all skada (och av alla händelser) i de celler som har mest, mot "
        "andelen av studieområdets yta. Ju brantare kurvan börjar, desto mer samlad.",
        "en": "Share of all harm (and of all incidents) in the cells that hold most, against "
        "the share of the study area. The steeper the curve starts, the more concentrated.",
    },
    "report_harm_curve_even": {"sv": "Jämnt fördelat", "en": "Spread evenly"},
    "report_harm_map_title": {
        "sv": "{title} {period}: skade-hotspots",
        "en": "{title} {period}: harm hotspots",
    },
    "report_harm_map_caption": {
        "sv": "Skadetäthet och skade-hotspots över {window}; blå ringar visar hotspots räknat "
        "i antal händelser.",
        "en": "Harm density and harm hotspots over {window}; blue outlines show the hotspots "
        "by number of incidents.",
    },
    "report_harm_count_outline": {"sv": "Hotspot i antal", "en": "Hotspot by count"},
    "report_harm_parameter": {"sv": "Vikter", "en": "Weights"},
    # lägesbild: near repeats
    "report_near_repeat": {"sv": "Förhöjd risk", "en": "Raised risk"},
    "report_near_repeat_intro": {
        "sv": "Efter vissa brott ökar risken för ett nytt brott av samma slag i närheten en "
        "tid. Knox-testet ({permutations} slumpningar, {first}–{last}) visar för vilka "
        "kategorier det gäller här och hur långt och hur länge. Zonerna nedan gäller vid "
        "periodens slut ({as_of}).",
        "en": "After some crimes the risk of another of the same kind nearby rises for a while. "
        "The Knox test ({permutations} permutations, {first}–{last}) shows which categories "
        "this holds for here, and how far and for how long. The zones below are those in "
        "force at the end of the period ({as_of}).",
    },
    "report_near_repeat_none": {
        "sv": "Ingen kategori visar förhöjd risk nära i tid och rum efter en händelse "
        "(Knox-testet är inte signifikant); inga zoner.",
        "en": "No category shows a raised risk close in space and time after an incident (the "
        "Knox test is not significant); no zones.",
    },
    "report_near_repeat_not_computed": {
        "sv": "Förhöjd risk kunde inte beräknas: {reason}",
        "en": "Raised risk could not be computed: {reason}",
    },
    "report_near_repeat_tested": {
        "sv": "Prövade kategorier utan signifikant förhöjd risk: {codes}.",
        "en": "Categories tested without a significant raised risk: {codes}.",
    },
    "report_near_repeat_categories_caption": {
        "sv": "Kategorier med förhöjd risk efter en händelse",
        "en": "Categories with a raised risk after an incident",
    },
    "report_near_repeat_ratio": {"sv": "Knox-kvot", "en": "Knox ratio"},
    "report_near_repeat_distance": {"sv": "Avstånd", "en": "Distance"},
    "report_near_repeat_days": {"sv": "Dagar", "en": "Days"},
    "report_near_repeat_zones": {"sv": "Zoner nu", "en": "Zones now"},
    "report_near_repeat_zones_caption": {
        "sv": "Zoner med förhöjd risk vid periodens slut, nyaste först",
        "en": "Zones of raised risk at the end of the period, newest first",
    },
    "report_near_repeat_districts_caption": {
        "sv": "Zoner med förhöjd risk per stadsdel vid periodens slut",
        "en": "Zones of raised risk per district at the end of the period",
    },
    "report_near_repeat_since": {"sv": "Händelse", "en": "Incident"},
    "report_near_repeat_until": {"sv": "Gäller till", "en": "In force until"},
    "report_near_repeat_radius": {"sv": "Radie", "en": "Radius"},
    "report_near_repeat_more": {
        "sv": "… och {n} zoner till.",
        "en": "… and {n} more zones.",
    },
    "report_near_repeat_note": {
        "sv": "Knox-kvot: hur många fler par av händelser nära i tid och rum än slumpen ger "
        "(1 = som slumpen). En kategori räknas när det närmaste avståndet och den kortaste "
        "tiden är signifikanta (p ≤ {alpha}, kvot ≥ {ratio}); avstånd och dagar är de "
        "yttersta band som fortfarande är det. Skyddade kategorier prövas aldrig.",
        "en": "Knox ratio: how many more pairs of incidents close in space and time than chance "
        "gives (1 = as chance). A category counts when the closest distance and the shortest "
        "time are significant (p ≤ {alpha}, ratio ≥ {ratio}); the distance and days are the "
        "outermost bands that still are. Restricted categories are never tested.",
    },
    "report_near_repeat_public_note": {
        "sv": "Publik version: zonerna visas bara som antal per stadsdel och kategori, tal "
        "under 5 som <5.",
        "en": "Public version: zones only as counts per district and category, counts under 5 "
        "as <5.",
    },
    "report_near_repeat_highlight": {
        "sv": "Förhöjd risk: {n} zoner ({categories})",
        "en": "Raised risk: {n} zones ({categories})",
    },
    # maps: the raised-risk layer (hotspots.render.leaflet.risk, the static map)
    "layer_risk": {"sv": "Förhöjd risk (närupprepning)", "en": "Raised risk (near repeats)"},
    "legend_risk": {
        "sv": "Förhöjd risk efter nya händelser",
        "en": "Raised risk after recent incidents",
    },
    "legend_risk_extent": {
        "sv": "{category}: {distance} m, {days} dagar",
        "en": "{category}: {distance} m, {days} days",
    },
    "legend_risk_zones": {
        "sv": "{n} zoner i kraft {date}",
        "en": "{n} zones in force on {date}",
    },
    "legend_risk_none": {
        "sv": "Ingen kategori med förhöjd risk (Knox-testet)",
        "en": "No category with a raised risk (Knox test)",
    },
    "legend_risk_public": {
        "sv": "Zoner per stadsdel eller km-ruta {date}; områden med färre än 5 visas inte",
        "en": "Zones per district or km square on {date}; areas with fewer than 5 not shown",
    },
    "risk_zone_tip": {
        "sv": "Förhöjd risk: {category} till {until}",
        "en": "Raised risk: {category} until {until}",
    },
    "risk_area_tip": {
        "sv": "{area}: {n} zoner med förhöjd risk",
        "en": "{area}: {n} zones of raised risk",
    },
    "risk_area_square": {"sv": "km-ruta", "en": "km square"},
    # app: the weights choice, the harm panel
    "app_weights": {"sv": "Vikt", "en": "Weight"},
    "app_weights_count": {"sv": "antal", "en": "count"},
    "app_weights_harm": {"sv": "skada (brottsskadeindex)", "en": "harm (crime harm index)"},
    "app_weights_help": {
        "sv": "Antal: varje händelse väger 1. Skada: varje händelse väger sitt "
        "brottsskadeindex (månader av genomsnittligt straff), så ett grovt våldsbrott väger "
        "mer än en cykelstöld. Skyddade kategorier väger aldrig in.",
        "en": "Count: every incident weighs 1. Harm: every incident weighs its crime harm "
        "index (months of average sentence), so a grave assault weighs more than a bicycle "
        "theft. Restricted categories never weigh in.",
    },
    "app_harm_heading": {"sv": "Skada jämfört med antal", "en": "Harm against counts"},
    "app_harm_caption": {
        "sv": "Kartan visar skadetäthet och skade-hotspots: varje händelse väger sitt "
        "brottsskadeindex (vikttabell {date}). Tabellen under panelen visar hotspots räknat "
        "i antal händelser.",
        "en": "The map shows harm density and harm hotspots: each incident weighs its crime "
        "harm index (weights table of {date}). The table below the panel shows the hotspots "
        "by number of incidents.",
    },
    "app_harm_spots": {"sv": "Skade-hotspots", "en": "Harm hotspots"},
    "app_harm_overlap": {"sv": "Också hotspot i antal", "en": "Also a count hotspot"},
    "app_harm_overlap_help": {
        "sv": "Andel av skade-hotspots celler som också är hotspot räknat i antal händelser "
        "({both} av {harm} celler; Jaccard {jaccard}).",
        "en": "Share of the harm hotspot cells that are also hotspot cells by count ({both} "
        "of {harm} cells; Jaccard {jaccard}).",
    },
    "app_harm_half": {"sv": "Hälften av skadan på", "en": "Half of the harm in"},
    "app_harm_half_count": {
        "sv": "Hälften av händelserna på",
        "en": "Half of the incidents in",
    },
    "app_harm_of_area": {"sv": "{pct} % av ytan", "en": "{pct} % of the area"},
    "app_harm_curve": {
        "sv": "Koncentrationskurva: andel av skadan och av händelserna mot andel av ytan, "
        "tätaste cellerna först",
        "en": "Concentration curve: share of harm and of incidents against share of the area, "
        "densest cells first",
    },
    "app_plan_by_harm": {
        "sv": "Förslagen rangordnas efter skada per vecka (brottsskadeindex).",
        "en": "The suggestions are ranked by harm per week (crime harm index).",
    },
}
