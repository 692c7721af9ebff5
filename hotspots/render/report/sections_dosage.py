"""The lägesbild's section "Uppföljning av medborgarlöftet": promised against delivered.

From :attr:`hotspots.est.lagesbild.Lagesbild.followup` (see :mod:`hotspots.est.followup`):

1. what "planned" and "delivered" mean here;
2. internal profile: the map of delivered minutes per place (first, so that in the PDF it
   shares its landscape page with the heading only);
3. delivered against planned per week, one column per promised kind of activity and the
   total (where areas of several kinds overlap, a kind's column counts the minutes spent
   there and the total counts them once: :attr:`hotspots.est.followup.FollowUp.totals`),
   and the whole period;
4. the period per kind: suggestions, minutes, share, visits, Koper visits, drive-throughs and
   logged (planned and unplanned) activities;
5. internal profile: the places numbered as on the map;
6. the place-day comparison with its intervals, and its reading in words that claim no more
   than the design allows (:func:`hotspots.dosage.effect.effect_text`);
7. the caveats.

A lägesbild without a follow-up (a store without tracks) has no such section.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from hotspots.core.i18n import t
from hotspots.est.followup import FOLLOWUP_KINDS, FollowUp
from hotspots.est.lagesbild import Lagesbild
from hotspots.render.report.document import Block, Figure, Paragraph, Section, Table, num, table
from hotspots.render.report.figures_dosage import dosage_drawable

__all__ = ["FOLLOWUP_PLACE_ROWS", "followup_section", "kind_label", "minutes_cell"]

#: Rows of the places table.
FOLLOWUP_PLACE_ROWS = 15


def kind_label(kind: str, lang: str) -> str:
    """The promise's words for a kind (``foot_patrol`` -> ``Fotpatrull på otrygga platser``)."""
    key = f"followup_kind_{kind}"
    try:
        return t(key, lang)  # type: ignore[arg-type]
    except KeyError:
        return str(kind)


def _share_text(value: object, lang: str) -> str:
    v = pd.to_numeric(value, errors="coerce")
    return "–" if pd.isna(v) else f"{num(100 * float(v), lang)} %"


def minutes_cell(delivered: object, planned: object, share: object, lang: str) -> str:
    """``120 / 180 (67 %)``; ``45 / –`` when nothing was planned; ``–`` for neither."""
    d = float(pd.to_numeric(delivered, errors="coerce") or 0.0)
    p = pd.to_numeric(planned, errors="coerce")
    has_plan = not pd.isna(p) and float(p) > 0
    if not has_plan and d <= 0:
        return "–"
    if not has_plan:
        return f"{num(d, lang)} / –"
    return f"{num(d, lang)} / {num(p, lang)} ({_share_text(share, lang)})"


def _total_cell(total: Mapping[str, float], lang: str) -> str:
    """The total column: each minute of presence once (not the sum of the kinds' columns)."""
    return minutes_cell(
        total["delivered_minutes"], total["planned_minutes"], total["share_delivered"], lang
    )


def _week_table(f: FollowUp, lang: str) -> Table:
    kinds = list(FOLLOWUP_KINDS)
    headers = [t("followup_week", lang), *(kind_label(k, lang) for k in kinds)]
    headers.append(t("followup_total", lang))
    rows = []
    totals = f.totals.set_index("week")
    blocks: list[tuple[str, pd.DataFrame, Mapping[str, float]]] = [
        (week, f.per_week[f.per_week["week"] == week], totals.loc[week].to_dict())
        for week in f.weeks
    ]
    if len(f.weeks) > 1:
        blocks.append((t("followup_whole_period", lang), f.per_period, f.period_total()))
    for label, part, total in blocks:
        by_kind = part.set_index("kind")
        cells = [label]
        for kind in kinds:
            if kind in by_kind.index:
                r = by_kind.loc[kind]
                cells.append(
                    minutes_cell(
                        r["delivered_minutes"], r["planned_minutes"], r["share_delivered"], lang
                    )
                )
            else:
                cells.append("–")
        cells.append(_total_cell(total, lang))
        rows.append(cells)
    widths = [1.1, *([1.45] * len(kinds)), 1.45]
    return table(headers, rows, widths, t("followup_week_caption", lang))


def _period_table(f: FollowUp, lang: str) -> Table:
    headers = [
        t(k, lang)
        for k in (
            "followup_activity",
            "followup_suggestions",
            "followup_planned",
            "followup_delivered",
            "followup_share",
            "followup_visits",
            "followup_koper",
            "followup_drive",
            "followup_logged",
            "followup_unplanned",
        )
    ]
    rows = [
        [
            kind_label(str(r["kind"]), lang),
            num(int(r["suggestions"]), lang),
            num(r["planned_minutes"], lang),
            num(r["delivered_minutes"], lang),
            _share_text(r["share_delivered"], lang),
            num(int(r["visits"]), lang),
            num(int(r["koper_visits"]), lang),
            num(int(r["drive_throughs"]), lang),
            num(int(r["logged_activities"]), lang),
            num(int(r["unplanned_activities"]), lang),
        ]
        for _, r in f.per_period.iterrows()
    ]
    widths = [2.1, 1.05, 0.95, 0.95, 0.65, 0.6, 0.85, 1.3, 0.75, 1.1]
    return table(headers, rows, widths, t("followup_period_caption", lang))


def _places_blocks(lb: Lagesbild, f: FollowUp) -> list[Block]:
    lang = lb.lang
    blocks: list[Block] = []
    rows = [
        [
            str(r["label"]),
            kind_label(str(r["kind"]), lang),
            str(r["place"]),
            num(int(r["weeks"]), lang),
            num(r["planned_minutes"], lang),
            num(r["delivered_minutes"], lang),
            _share_text(r["share_delivered"], lang),
            num(int(r["visits"]), lang),
            num(int(r["koper_visits"]), lang),
        ]
        for _, r in f.places.head(FOLLOWUP_PLACE_ROWS).iterrows()
    ]
    if rows:
        headers = [
            "#",
            *(
                t(k, lang)
                for k in (
                    "followup_activity",
                    "followup_place",
                    "followup_weeks_column",
                    "followup_planned",
                    "followup_delivered",
                    "followup_share",
                    "followup_visits",
                    "followup_koper",
                )
            ),
        ]
        widths = [0.35, 2.1, 2.75, 0.7, 0.95, 0.95, 0.6, 0.6, 0.9]
        blocks.append(table(headers, rows, widths, t("followup_places_caption", lang)))
        more = len(f.places) - FOLLOWUP_PLACE_ROWS
        if more > 0:
            blocks.append(
                Paragraph(t("followup_more_places", lang, n=num(more, lang)), kind="note")
            )
    return blocks


def _effect_blocks(f: FollowUp, lang: str) -> list[Block]:
    blocks: list[Block] = []
    if len(f.effect) and f.effect_window is not None:
        level = round(100 * (1 - f.alpha))
        headers = [
            "",
            t("followup_effect_observed", lang),
            t("followup_effect_expected", lang),
            t("followup_effect_difference", lang),
            t("followup_effect_interval", lang, level=level),
            t("followup_effect_days", lang),
        ]
        rows = []
        for _, r in f.effect.iterrows():
            where = (
                t("followup_effect_where_place", lang)
                if r["where"] == "place"
                else t("followup_effect_where_buffer", lang, m=num(f.buffer_m, lang))
            )
            rows.append(
                [
                    where,
                    num(r["observed_mean"], lang, digits=2),
                    num(r["counterfactual_mean"], lang, digits=2),
                    num(r["estimate"], lang, digits=2, sign=True),
                    f"{num(r['low'], lang, digits=2, sign=True)} – "
                    f"{num(r['high'], lang, digits=2, sign=True)}",
                    f"{num(int(r['visit_days']), lang)} / {num(int(r['other_days']), lang)}",
                ]
            )
        start, end = f.effect_window
        last = end - pd.Timedelta(days=1)
        caption = (
            t("followup_effect", lang)
            + " "
            + t("followup_effect_caption", lang, start=start.isoformat(), last=last.isoformat())
        )
        blocks.append(table(headers, rows, [1.9, 1.1, 0.9, 0.9, 1.6, 1.9], caption))
    if f.effect_text:
        blocks.extend(Paragraph(line) for line in f.effect_text)
    elif not len(f.effect):
        blocks.append(Paragraph(t("followup_no_effect", lang)))
    return blocks


def _notes(f: FollowUp, lang: str) -> list[Block]:
    out: list[Block] = []
    for note in f.notes:
        if note.startswith("no_plan:"):
            out.append(Paragraph(t("followup_no_plan", lang, week=note.split(":", 1)[1]), "note"))
        elif note == "weeks_capped":
            out.append(
                Paragraph(t("followup_weeks_capped", lang, n=num(len(f.weeks), lang)), "note")
            )
    return out


def followup_section(lb: Lagesbild) -> Section | None:
    """The follow-up of the citizen promise, or ``None`` when the lägesbild has none."""
    f = lb.followup
    if f is None:
        return None
    lang = lb.lang
    title = t("followup_title", lang)
    weeks = ", ".join(f.weeks) if f.weeks else lb.period.label
    if f.patrol_hours_per_week is not None:
        intro = t("followup_intro", lang, weeks=weeks, hours=num(f.patrol_hours_per_week, lang))
    else:
        intro = t("followup_intro_no_hours", lang, weeks=weeks)
    blocks: list[Block] = [Paragraph(intro)]
    if lb.privacy == "public":
        blocks.append(Paragraph(t("followup_public_note", lang), kind="notice"))
    if not f.tracked:
        blocks.append(Paragraph(t("followup_no_tracks", lang), kind="notice"))
    if lb.privacy == "internal" and dosage_drawable(lb):
        map_title = t("followup_map_title", lang, period=lb.period.label)
        blocks.append(Figure("dosage", t("followup_map_caption", lang), map_title))
    if f.weeks:
        blocks.append(_week_table(f, lang))
        blocks.append(_period_table(f, lang))
    if lb.privacy == "internal":
        blocks.extend(_places_blocks(lb, f))
    if f.tracked:
        blocks.extend(_effect_blocks(f, lang))
    blocks.extend(_notes(f, lang))
    return Section("followup", title, tuple(blocks))
