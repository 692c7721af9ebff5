"""The lägesbild's sections as a neutral document: one function per section.

:func:`build_document` returns a :class:`~hotspots.render.report.document.Document` with the
sections in reading order: cover (period, what to raise at the meeting, parameters); summary
per problem area, category and district; map of hotspots (and suggestions); emerging
hotspots; top places; actions and follow-up; perceived unsafety. Every text comes from
:func:`hotspots.core.i18n.t`; the PDF and HTML writers only lay the document out.
"""

from __future__ import annotations

import pandas as pd

from hotspots.core.i18n import t
from hotspots.est.compare import verdict_text
from hotspots.est.emerging import class_label
from hotspots.est.lagesbild import Lagesbild
from hotspots.render.report.document import (
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    Tone,
    change_text,
    count_text,
    near_text,
    num,
    p_phrase,
    p_text,
    table,
)
from hotspots.render.report.figures import drawable
from hotspots.render.report.sections_dosage import followup_section
from hotspots.render.report.sections_followup import actions_section, survey_section
from hotspots.render.report.sections_priorities import (
    harm_section,
    near_repeat_section,
    weights_text,
)

__all__ = [
    "build_document",
    "cover_section",
    "emerging_section",
    "map_section",
    "places_section",
    "summary_section",
]

#: Rows of the emerging-hotspot table.
EMERGING_ROWS = 14
#: A nearby place is named in the meeting's highlights only within this distance, metres.
HIGHLIGHT_NEAR_M = 300.0


def _tone(verdict: object) -> Tone:
    return {"increase": "up", "decrease": "down"}.get(str(verdict))  # type: ignore[return-value]


def _comparison_table(frame: pd.DataFrame, lang: str, *, first: str, caption: str = "") -> Table:
    headers = [
        first,
        t("report_now", lang),
        t("report_previous", lang),
        t("report_change", lang),
        "p",
        t("report_verdict", lang),
        t("report_year_before", lang),
        t("report_change", lang),
        "p",
        t("report_verdict", lang),
    ]
    rows = []
    tones: list[list[Tone]] = []
    for _, r in frame.iterrows():
        rows.append(
            [
                str(r["label"] or r["key"]),
                count_text(r["current"], lang),
                count_text(r["previous"], lang),
                change_text(r, "prev", lang),
                p_text(r["p_prev"], lang),
                verdict_text(str(r["verdict_prev"]), r["p_prev"], lang),  # type: ignore[arg-type]
                count_text(r["year_earlier"], lang),
                change_text(r, "year", lang),
                p_text(r["p_year"], lang),
                verdict_text(str(r["verdict_year"]), r["p_year"], lang),  # type: ignore[arg-type]
            ]
        )
        cp, cy = _tone(r["verdict_prev"]), _tone(r["verdict_year"])
        tones.append([None, None, None, cp, cp, cp, None, cy, cy, cy])
    widths = [2.2, 0.45, 0.5, 1.05, 0.65, 1.35, 0.5, 1.05, 0.65, 1.35]
    return table(headers, rows, widths, caption, tones)


# ------------------------------------------------------------------------------ cover


def _changes(lb: Lagesbild) -> list[str]:
    """Changes beyond chance per problem area, category and district."""
    lang = lb.lang
    comp = lb.comparison
    out: list[str] = []
    refs = (("prev", "previous", "report_vs_previous"), ("year", "year_earlier", "report_vs_year"))
    for name, frame in (
        ("area", comp.areas),
        ("category", comp.categories),
        ("district", comp.districts),
    ):
        if frame is None or frame.empty:
            continue
        for _, r in frame.iterrows():
            if r["key"] == "total":
                continue
            for ref, col, when in refs:
                if r[f"verdict_{ref}"] not in ("increase", "decrease"):
                    continue
                word = verdict_text(str(r[f"verdict_{ref}"]), r[f"p_{ref}"], lang)  # type: ignore[arg-type]
                what = str(r["label"] or r["key"])
                if name == "district":
                    where = t("report_in_district", lang, district=what)
                    where = where[:1].upper() + where[1:]
                else:
                    where = what
                out.append(
                    f"{where}: {count_text(r['current'], lang)} "
                    f"({count_text(r[col], lang)} {t(when, lang)}) – {word.lower()}, "
                    f"{p_phrase(r[f'p_{ref}'], lang)}"
                )
    return out or [t("report_no_change", lang)]


def _highlights(lb: Lagesbild) -> list[str]:
    """Short texts for the cover: what the meeting should look at first."""
    lang = lb.lang
    out = _changes(lb)
    if lb.emerging is not None and len(lb.emerging_table):
        urgent = lb.emerging_table[lb.emerging_table["cls"].isin(["new", "intensifying"])]
        for _, r in urgent.iterrows():
            place = r["district"] or t("report_unknown_district", lang)
            if r["near"] and pd.notna(r["near_m"]) and r["near_m"] <= HIGHLIGHT_NEAR_M:
                place += ", " + t("report_near", lang, place=r["near"])
            key = "report_cells_one" if r["cells"] == 1 else "report_cells_many"
            out.append(
                t(
                    "report_emerging_highlight",
                    lang,
                    pattern=class_label(str(r["cls"]), lang),
                    place=place,
                    cells=t(key, lang, n=num(r["cells"], lang)),
                )
            )
    near = lb.near_repeat
    if lb.privacy == "internal" and near is not None and near.n_zones:
        labels = ", ".join(str(v) for v in near.categories["label"])
        out.append(
            t("report_near_repeat_highlight", lang, n=num(near.n_zones, lang), categories=labels)
        )
    if len(lb.top_places):
        r = lb.top_places.iloc[0]
        where = f"{r['district']}, {r['window']} {r['days']}".strip()
        out.append(t("report_largest_hotspot", lang, where=where))
    if lb.privacy == "internal":
        out.append(
            t(
                "report_open_due",
                lang,
                n_open=num(len(lb.actions_open), lang),
                n_due=num(len(lb.follow_ups), lang),
            )
        )
    return out


def _parameter_rows(lb: Lagesbild) -> list[list[str]]:
    lang = lb.lang
    p = lb.parameters
    rows = [
        [t("period", lang), f"{p['period']} ({p['period_dates']})"],
        [
            t("report_compared_with", lang),
            t("report_compared_text", lang, previous=p["previous"], year=p["year_earlier"]),
        ],
        [
            t("report_hotspot_map", lang),
            t("report_hotspot_map_text", lang, window=p["hotspot_window"]),
        ],
        [t("report_privacy_profile", lang), t(f"report_privacy_{lb.privacy}", lang)],
        [t("report_generated", lang), lb.generated_at.strftime("%Y-%m-%d %H:%M")],
    ]
    if lb.data_version:
        rows.append([t("report_data_version", lang), str(lb.data_version)[:16]])
    if "analysis_kernel" in p:
        text = t(
            "report_analysis_text",
            lang,
            kernel=p["analysis_kernel"],
            bandwidth=num(p.get("analysis_bandwidth_m"), lang),
            cell=num(p.get("analysis_cell_m"), lang),
            coverage=num(100 * float(p.get("analysis_coverage", 0)), lang, digits=1),
            area=num(p.get("analysis_study_area_km2"), lang),
            crs=p.get("analysis_metric_crs", ""),
        )
        rows.append([t("report_analysis", lang), text])
    if "emerging_n_weeks" in p:
        text = t(
            "report_emerging_text",
            lang,
            n=num(p["emerging_n_weeks"], lang),
            first=p["emerging_first_week"],
            last=p["emerging_last_week"],
            cell=num(p["emerging_cell_m"], lang),
        )
        rows.append([t("report_emerging_parameter", lang), text])
    if "plan_week" in p:
        rows.append([t("report_plan_week", lang), str(p["plan_week"])])
    if lb.harm is not None:
        rows.append([t("report_harm_parameter", lang), weights_text(lb.harm, lang)])
    return rows


def cover_section(lb: Lagesbild) -> Section:
    """Cover: the period's total and its changes, the notes, what to raise, the parameters."""
    lang = lb.lang
    blocks: list[Paragraph | Table] = []
    if lb.privacy == "public":
        blocks.append(Paragraph(t("report_public_notice", lang), kind="notice"))
    areas = lb.comparison.areas.set_index("key")
    if "total" in areas.index:
        tot = areas.loc["total"]
        blocks.append(
            Paragraph(
                t(
                    "report_total",
                    lang,
                    now=count_text(tot["current"], lang),
                    previous=count_text(tot["previous"], lang),
                    verdict_previous=verdict_text(
                        str(tot["verdict_prev"]),
                        tot["p_prev"],
                        lang,  # type: ignore[arg-type]
                    ).lower(),
                    year=count_text(tot["year_earlier"], lang),
                    verdict_year=verdict_text(
                        str(tot["verdict_year"]),
                        tot["p_year"],
                        lang,  # type: ignore[arg-type]
                    ).lower(),
                )
            )
        )
    blocks.extend(Paragraph(note) for note in lb.notes)
    blocks.append(
        table([t("report_for_meeting", lang)], [[f"• {h}"] for h in _highlights(lb)], [10])
    )
    blocks.append(table([t("report_parameter", lang), ""], _parameter_rows(lb), [2.2, 7.8]))
    blocks.append(Paragraph(t("report_tests_note", lang), kind="note"))
    return Section("cover", f"{lb.title} – {lb.period.describe(lang)}", tuple(blocks))


# ------------------------------------------------------------------------------ summary


def summary_section(lb: Lagesbild) -> Section:
    """Counts and changes per problem area, category and (top ten) district."""
    lang = lb.lang
    comp = lb.comparison
    blocks: list[Paragraph | Table] = []
    if lb.privacy == "internal" and comp.categories["restricted"].any():
        blocks.append(Paragraph(t("report_restricted_note", lang)))
    blocks.append(_comparison_table(comp.areas, lang, first=t("report_problem_area", lang)))
    blocks.append(_comparison_table(comp.categories, lang, first=t("category", lang)))
    if comp.districts is not None and len(comp.districts):
        blocks.append(
            _comparison_table(
                comp.districts.head(10),
                lang,
                first=t("district", lang),
                caption=t("report_districts_caption", lang),
            )
        )
    return Section("summary", t("report_summary", lang), tuple(blocks))


# ------------------------------------------------------------------------------ map


def map_section(lb: Lagesbild) -> Section:
    """The hotspot map (with suggestions and open actions in the internal profile)."""
    lang = lb.lang
    title = t(f"report_map_{lb.privacy}", lang)
    if not drawable(lb, "map"):
        return Section("map", title, (Paragraph(t("report_no_map", lang)),))
    caption = t(f"report_map_caption_{lb.privacy}", lang, window=lb.hotspot_window.label)
    return Section("map", title, (Figure("map", caption, title),))


# ------------------------------------------------------------------------------ emerging


def emerging_section(lb: Lagesbild) -> Section:
    """Emerging hotspots: counts per pattern, the map, the table and how to read it."""
    lang = lb.lang
    title = t("report_emerging", lang)
    if lb.emerging is None:
        return Section("emerging", title, (Paragraph(t("report_not_computed", lang)),))
    blocks: list[Paragraph | Table | Figure] = []
    summary = lb.emerging.summary()
    if summary:
        counts = ", ".join(f"{class_label(k, lang)} {v}" for k, v in summary.items())
        blocks.append(Paragraph(t("report_emerging_counts", lang, counts=counts)))
    else:
        blocks.append(Paragraph(t("report_no_patterns", lang)))
    blocks.append(
        Paragraph(
            "; ".join(
                f"{class_label(k, lang)}: {class_label(k, lang, long=True).lower()}"
                for k in ("new", "intensifying", "persistent", "diminishing", "sporadic")
            )
            + "."
        )
    )
    weeks = f"{lb.parameters.get('emerging_first_week')}–{lb.parameters.get('emerging_last_week')}"
    if drawable(lb, "emerging"):
        caption = t("report_emerging_caption", lang, weeks=weeks)
        blocks.append(Figure("emerging", caption, title))
    rows = [
        [
            str(r["label"]),
            str(r["district"] or "–"),
            near_text(r["near"], r["near_m"], lang, within_m=HIGHLIGHT_NEAR_M),
            str(r["cells"]),
            count_text(r["incidents"], lang),
            count_text(r["last_week"], lang),
            str(r["hot_weeks"]),
            str(r["trend"]),
        ]
        for _, r in lb.emerging_table.head(EMERGING_ROWS).iterrows()
    ]
    if rows:
        headers = [
            t(k, lang)
            for k in (
                "report_pattern",
                "district",
                "report_near_column",
                "report_cells",
                "report_incidents_12w",
                "report_last_week",
                "report_max_hot_weeks",
                "report_counts_over_time",
            )
        ]
        blocks.append(table(headers, rows, [1.6, 1.8, 2.2, 0.55, 0.9, 0.85, 0.9, 1.2]))
    blocks.append(Paragraph(t("report_emerging_note", lang), kind="note"))
    return Section("emerging", title, tuple(blocks))


# ------------------------------------------------------------------------------ places


def places_section(lb: Lagesbild) -> Section:
    """The top places with time windows, significance, crime x fear and proposals."""
    lang = lb.lang
    internal = lb.privacy == "internal"
    title = t(f"report_places_{lb.privacy}", lang)
    rows = [
        [
            str(r["rank"]),
            str(r["district"]),
            count_text(r["incidents"], lang),
            count_text(r["in_period"], lang),
            str(r["categories"]),
            f"{r['window']} {r['days']}".strip(),
            str(r["significance"]),
            str(r["crime_fear"]),
            "\n".join(r["proposals"]),
        ]
        for _, r in lb.top_places.iterrows()
    ]
    if not rows:
        return Section("places", title, (Paragraph(t("report_no_hotspots", lang)),))
    headers = [
        "#",
        t("district", lang),
        t("report_4w", lang),
        t("report_now", lang),
        t("report_most_common", lang),
        t("time", lang),
        "Gi*",
        t("report_safety", lang),
        t("report_proposed", lang),
    ]
    widths = [0.4, 1.8, 0.6, 0.8, 3.0, 1.5, 0.7, 1.4, 3.6]
    if not internal:
        headers, widths, rows = headers[:-1], widths[:-1], [r[:-1] for r in rows]
    return Section("places", title, (table(headers, rows, widths),))


def build_document(lb: Lagesbild) -> Document:
    """The whole lägesbild as a neutral :class:`Document`."""
    lang = lb.lang
    title = f"{lb.title} {lb.period.label}"
    footer = title + (f" · {t('report_footer_public', lang)}" if lb.privacy == "public" else "")
    sections = (
        cover_section(lb),
        summary_section(lb),
        map_section(lb),
        emerging_section(lb),
        places_section(lb),
        actions_section(lb),
        survey_section(lb),
    )
    promise = followup_section(lb)  # with tracks only: the follow-up of the citizen promise
    if promise is not None:
        at = next(i for i, s in enumerate(sections) if s.key == "actions") + 1
        sections = (*sections[:at], promise, *sections[at:])
    # raised risk after the emerging hotspots; with harm weights, harm after the map
    at = next(i for i, s in enumerate(sections) if s.key == "emerging") + 1
    sections = (*sections[:at], near_repeat_section(lb), *sections[at:])
    harm = harm_section(lb)
    if harm is not None:
        at = next(i for i, s in enumerate(sections) if s.key == "map") + 1
        sections = (*sections[:at], harm, *sections[at:])
    return Document(
        title=title,
        subject=lb.period.describe(lang),
        lang=lang,
        footer=footer,
        keywords=f"EST, lägesbild, {lb.privacy}",
        sections=sections,
    )
