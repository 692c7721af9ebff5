"""The lägesbild's follow-up sections: actions (open, due, effect) and perceived unsafety."""

from __future__ import annotations

from hotspots.core.i18n import t
from hotspots.est.actions import closed_on, place_label, problem_label
from hotspots.est.lagesbild import Lagesbild
from hotspots.est.lagesbild_tables import (
    NEAR_M,
    PERCEIVED_MIN_EXCESS,
    SurveySummary,
)
from hotspots.render.report.document import (
    Paragraph,
    Section,
    Table,
    count_text,
    near_text,
    num,
    table,
)

__all__ = ["actions_section", "survey_section"]

#: Rows of the district table of the survey.
SURVEY_DISTRICT_ROWS = 12
#: Rows of the table of perceived-unsafety places.
PERCEIVED_ROWS = 8


def _open_actions(lb: Lagesbild) -> Table | Paragraph:
    lang = lb.lang
    rows = [
        [
            str(a["id"]),
            str(a["date"]),
            place_label(a["place_kind"], a["place_ref"], lang),
            problem_label(str(a["problem"]), lang),
            str(a["actor"]),
            str(a["action"]),
            str(a["status"]),
            str(a["follow_up"] or "–"),
            str(a["note"] or ""),
        ]
        for _, a in lb.actions_open.iterrows()
    ]
    if not rows:
        return Paragraph(t("report_no_open", lang))
    headers = (
        ["Id"]
        + [
            t(k, lang)
            for k in (
                "report_date",
                "report_place",
                "report_problem",
                "report_actor",
                "report_action",
            )
        ]
        + ["Status"]
        + [t(k, lang) for k in ("report_follow_up", "report_note")]
    )
    widths = [0.65, 1.0, 1.5, 1.4, 0.9, 1.0, 0.6, 1.0, 1.95]
    return table(headers, rows, widths, t("report_open_actions", lang))


def _follow_ups(lb: Lagesbild) -> Table | Paragraph:
    lang = lb.lang
    rows = [
        [
            str(a["id"]),
            str(a["follow_up"]),
            place_label(a["place_kind"], a["place_ref"], lang),
            str(a["action"]),
            str(a["status"]),
            t("report_overdue", lang) if a["overdue"] else "",
            a["closed"] or closed_on(str(a["note"])) or "",
        ]
        for _, a in lb.follow_ups.iterrows()
    ]
    if not rows:
        return Paragraph(t("report_no_due", lang))
    headers = [
        "Id",
        t("report_follow_up", lang),
        t("report_place", lang),
        t("report_action", lang),
        "Status",
        "",
        t("report_closed", lang),
    ]
    widths = [0.7, 1.0, 2.2, 1.4, 0.8, 0.9, 1.0]
    return table(headers, rows, widths, t("report_due_caption", lang))


def _effects(lb: Lagesbild) -> Table | None:
    lang = lb.lang
    rows = [
        [
            str(e["id"]),
            str(e["place"]),
            str(e["action"]),
            str(e["date"]),
            f"{e['a_before']} → {e['a_after']}",
            f"{e['b_before']} → {e['b_after']}",
            f"{e['c_before']} → {e['c_after']}",
            num(e["wdq"], lang, digits=2),
            f"{e['interpretation']}" + (f". {e['warnings']}" if e["warnings"] else ""),
        ]
        for _, e in lb.effects.iterrows()
    ]
    if not rows:
        return None
    headers = (
        ["Id"]
        + [
            t(k, lang)
            for k in (
                "report_place",
                "report_action",
                "report_start",
                "report_at_place",
                "report_buffer",
                "report_control",
            )
        ]
        + ["WDQ"]
        + [t("report_reading", lang)]
    )
    widths = [0.75, 1.3, 1.0, 1.0, 0.8, 1.0, 0.9, 0.55, 2.7]
    return table(headers, rows, widths, t("report_effect_caption", lang))


def _public_actions(lb: Lagesbild) -> Table | Paragraph:
    lang = lb.lang
    rows = [
        [
            str(a["district"]),
            problem_label(str(a["problem"]), lang),
            str(a["action"]),
            str(a["actor"]),
            str(a["status"]),
        ]
        for _, a in lb.actions_open.iterrows()
    ]
    if not rows:
        return Paragraph(t("report_no_actions", lang))
    headers = [
        t(k, lang) for k in ("district", "report_problem", "report_action", "report_actor")
    ] + ["Status"]
    return table(headers, rows, [2.0, 2.4, 1.6, 1.4, 1.0], t("report_citizen_caption", lang))


def actions_section(lb: Lagesbild) -> Section:
    """Open actions, due follow-ups and effect follow-up (public: actions by district)."""
    title = t("report_actions", lb.lang)
    if lb.privacy != "internal":
        return Section("actions", title, (_public_actions(lb),))
    blocks: list[Table | Paragraph] = [_open_actions(lb), _follow_ups(lb)]
    effects = _effects(lb)
    if effects is not None:
        blocks.append(effects)
    return Section("actions", title, tuple(blocks))


# ------------------------------------------------------------------------------ survey


def _crime_fear_sentence(s: SurveySummary, lang: str) -> str:
    """``Av de 10 största hotspots efter antal brott har 7 även hög upplevd otrygghet och ...``."""
    parts = [
        t(f"report_crime_fear_part_{k}", lang, n=num(v, lang)) for k, v in s.crime_fear.items()
    ]
    joined = (
        parts[0] if len(parts) == 1 else (", ".join(parts[:-1]) + t("report_and", lang) + parts[-1])
    )
    return t("report_crime_fear_text", lang, n=num(s.crime_fear_of, lang), parts=joined)


def _survey_tables(s: SurveySummary, lang: str) -> list[Table | Paragraph]:
    out: list[Table | Paragraph] = []
    rows = [
        [
            str(r["district"]),
            num(int(r["marks"]), lang),
            num(r["mean_unsafe"], lang, digits=1),
            f"{num(100 * r['share_unsafe'], lang)} %",
        ]
        for _, r in s.districts.head(SURVEY_DISTRICT_ROWS).iterrows()
    ]
    if rows:
        headers = [t(k, lang) for k in ("district", "report_marks", "report_mean", "report_unsafe")]
        out.append(table(headers, rows, [2.5, 0.8, 0.8, 0.9], t("report_unsafe_districts", lang)))
    reasons = [[str(r["label"]), num(int(r["marks"]), lang)] for _, r in s.reasons.iterrows()]
    if reasons:
        out.append(table([t("report_reason", lang), t("report_marks", lang)], reasons, [2.5, 0.8]))
    times = [[str(r["label"]), num(int(r["marks"]), lang)] for _, r in s.times.iterrows()]
    if times:
        headers = [t("report_time_of_day", lang), t("report_marks", lang)]
        out.append(table(headers, times, [2.5, 0.8]))
    places = s.perceived_places.head(PERCEIVED_ROWS)
    if len(places):
        # every row names its spot, or says that the base layers name nothing there
        rows = [
            [
                str(r["district"] or "–"),
                near_text(r["near"], r["near_m"], lang, within_m=NEAR_M),
                count_text(r["marks"], lang),
                num(r["mean_unsafe"], lang, digits=1),
            ]
            for _, r in places.iterrows()
        ]
        headers = [
            t("district", lang),
            t("report_near_column", lang),
            t("report_marks_long", lang),
            t("report_mean", lang),
        ]
        widths = [2.2, 2.4, 1.1, 0.7]
        out.append(table(headers, rows, widths, t("report_perceived_caption", lang)))
        out.append(
            Paragraph(
                t(
                    "report_perceived_note",
                    lang,
                    excess=num(PERCEIVED_MIN_EXCESS, lang, digits=1),
                    mean=num(s.mean_unsafe, lang, digits=1),
                    near=num(NEAR_M, lang),
                ),
                kind="note",
            )
        )
    return out


def survey_section(lb: Lagesbild) -> Section:
    """Perceived unsafety: marks, crime x fear, districts, reasons, times and places."""
    lang = lb.lang
    title = t("report_survey", lang)
    s = lb.survey
    if s is None:
        return Section("survey", title, (Paragraph(t("report_no_survey", lang)),))
    span = f" ({s.first} – {s.last})" if s.first and s.last else ""
    blocks: list[Table | Paragraph] = [
        Paragraph(
            t(
                "report_survey_text",
                lang,
                n=num(s.n_marks, lang),
                span=span,
                mean=num(s.mean_unsafe, lang, digits=1),
                share=num(100 * s.share_unsafe, lang),
            )
        )
    ]
    if s.crime_fear:
        blocks.append(Paragraph(_crime_fear_sentence(s, lang)))
    blocks.extend(_survey_tables(s, lang))
    return Section("survey", title, tuple(blocks))
