"""The lägesbild's sections on harm and on raised risk after recent incidents.

:func:`harm_section` (only when the lägesbild was built with harm weights): the harm map, the
weights used, the overlap of harm spots with count spots, the concentration table and curve,
and the top harm spots. :func:`near_repeat_section` ("Förhöjd risk"): the categories whose
Knox test is significant, with the distance and days of raised risk, and the zones in force
at the period's end (internal: each zone by district and place; public: counts per district).
Every text comes from :func:`hotspots.core.i18n.t`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hotspots.core.i18n import t
from hotspots.core.taxonomy import label
from hotspots.est.lagesbild import Lagesbild
from hotspots.est.lagesbild_harm import HarmPicture, concentration_rows
from hotspots.est.lagesbild_nearrepeat import NearRepeatPicture
from hotspots.render.report.document import (
    Figure,
    Paragraph,
    Section,
    Table,
    count_text,
    near_text,
    num,
    p_text,
    table,
)

__all__ = ["ZONE_ROWS", "harm_section", "near_repeat_section", "weights_text"]

#: Rows of the zone table (the rest are counted in a line under it).
ZONE_ROWS = 20
#: A nearby place is named without its distance within this many metres.
NEAR_M = 300.0

Block = Paragraph | Table | Figure


def _pct(share: float, lang: str, digits: int | None = None) -> str:
    """A share in per cent; below 1 % with two decimals (0,05 %), else with ``digits`` (1)."""
    value = 100 * share
    if digits is None:
        digits = 2 if 0 < abs(value) < 1 else 1
    return f"{num(value, lang, digits=digits)} %"


def _weights_text(harm: HarmPicture, lang: str) -> tuple[str, str, str]:
    """The unit, the weights in words (heaviest first) and where they come from."""
    described = harm.weights
    weights = sorted(described["weights"].items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{label(code, lang)} {num(w, lang, digits=0 if w == int(w) else 1)}"
                       for code, w in weights)  # fmt: skip
    date = described.get("date") or "–"
    if described.get("name") == "file":
        unit = t("report_harm_unit_other", lang)
        source = t("report_harm_source_file", lang, file=Path(str(described["file"])).name,
                   date=date)  # fmt: skip
    else:
        unit = t("report_harm_unit_months", lang)
        source = t("report_harm_source_harm", lang, date=date)
    return unit, listed, source


def weights_text(harm: HarmPicture, lang: str) -> str:
    """The weights in a few words for the cover: their kind and where they come from."""
    unit, _, source = _weights_text(harm, lang)
    return f"{unit}: {source}"


def harm_section(lb: Lagesbild) -> Section | None:
    """Harm hotspots beside the count hotspots (``None`` without harm weights)."""
    harm = lb.harm
    if harm is None:
        return None
    lang = lb.lang
    title = t("report_harm", lang)
    blocks: list[Block] = [
        Figure(
            "harm_map",
            t("report_harm_map_caption", lang, window=lb.hotspot_window.label),
            title,
        )
    ]
    unit, listed, source = _weights_text(harm, lang)
    blocks.append(Paragraph(t("report_harm_intro", lang, unit=unit, weights=listed,
                              source=source)))  # fmt: skip
    ov = harm.overlap
    if ov.harm_cells:
        blocks.append(
            Paragraph(
                t(
                    "report_harm_overlap",
                    lang,
                    share=num(100 * ov.harm_in_count, lang),
                    both=num(ov.both_cells, lang),
                    harm=num(ov.harm_cells, lang),
                    count=num(ov.count_cells, lang),
                    jaccard=num(ov.jaccard, lang, digits=2),
                )
            )
        )
    else:
        blocks.append(Paragraph(t("report_harm_no_spots", lang)))
    blocks.append(
        Paragraph(
            t(
                "report_harm_half",
                lang,
                harm_half=_pct(harm.harm_curve.area_for(0.5), lang).removesuffix(" %"),
                count_half=_pct(harm.count_curve.area_for(0.5), lang).removesuffix(" %"),
            )
        )
    )
    rows = [
        [_pct(area, lang), _pct(h, lang), _pct(c, lang)]
        for area, h, c in concentration_rows(harm.harm_curve, harm.count_curve)
    ]
    headers = [t(k, lang) for k in ("report_harm_area", "report_harm_share",
                                    "report_harm_count_share")]  # fmt: skip
    blocks.append(
        table(headers, rows, [2.0, 2.0, 2.0], t("report_harm_concentration_caption", lang))
    )
    blocks.append(
        Figure("harm_curve", t("report_harm_curve_caption", lang), title, kind="chart")
    )
    spot_rows = [
        [
            str(r["rank"]),
            str(r["district"] or "–"),
            "<5" if r["harm"] is None or pd.isna(r["harm"]) else num(r["harm"], lang),
            count_text(r["incidents"], lang),
            _pct(float(r["in_count_spots"]), lang, digits=0),
        ]
        for _, r in harm.spots.iterrows()
    ]
    if spot_rows:
        headers = [
            "#",
            t("district", lang),
            t("report_harm_value", lang),
            t("report_harm_incidents", lang),
            t("report_harm_also_count", lang),
        ]
        blocks.append(table(headers, spot_rows, [0.4, 2.4, 1.1, 1.0, 1.6],
                            t("report_harm_spots_caption", lang)))  # fmt: skip
    return Section("harm", title, tuple(blocks))


def near_repeat_section(lb: Lagesbild) -> Section:
    """Raised risk after recent incidents: significant categories and their zones."""
    lang = lb.lang
    title = t("report_near_repeat", lang)
    near = lb.near_repeat
    if near is None:
        return Section("near_repeat", title, (Paragraph(t("report_not_computed", lang)),))
    p = near.parameters
    blocks: list[Block] = [
        Paragraph(
            t(
                "report_near_repeat_intro",
                lang,
                permutations=num(p["permutations"], lang),
                first=p["first"] or "–",
                last=p["last"] or "–",
                as_of=p["as_of"],
            )
        )
    ]
    if not len(near.categories):
        blocks.append(Paragraph(t("report_near_repeat_none", lang)))
    else:
        blocks.append(_category_table(near, lang))
        if lb.privacy == "internal":
            blocks.extend(_zone_tables(near, lang))
        else:
            blocks.extend(_district_table(near, lang))
            blocks.append(Paragraph(t("report_near_repeat_public_note", lang), kind="note"))
    if near.tested:
        codes = ", ".join(label(c, lang) for c in near.tested)
        blocks.append(Paragraph(t("report_near_repeat_tested", lang, codes=codes), kind="note"))
    blocks.append(
        Paragraph(
            t(
                "report_near_repeat_note",
                lang,
                alpha=num(p["alpha"], lang, digits=2),
                ratio=num(p["min_ratio"], lang, digits=1),
            ),
            kind="note",
        )
    )
    return Section("near_repeat", title, tuple(blocks))


def _category_table(near: NearRepeatPicture, lang: str) -> Table:
    rows = [
        [
            str(r["label"]),
            num(r["ratio"], lang, digits=2),
            p_text(r["p_value"], lang),
            f"{num(r['distance_m'], lang)} m",
            num(r["days"], lang),
            count_text(r["zones"], lang),
        ]
        for _, r in near.categories.iterrows()
    ]
    headers = [
        t("category", lang),
        t("report_near_repeat_ratio", lang),
        "p",
        t("report_near_repeat_distance", lang),
        t("report_near_repeat_days", lang),
        t("report_near_repeat_zones", lang),
    ]
    return table(headers, rows, [3.0, 1.0, 0.8, 1.0, 0.8, 1.0],
                 t("report_near_repeat_categories_caption", lang))  # fmt: skip


def _zone_tables(near: NearRepeatPicture, lang: str) -> list[Block]:
    zones = near.zones
    if not len(zones):
        return []
    rows = [
        [
            str(r["label"]),
            str(r["district"] or "–"),
            near_text(r["near"], r["near_m"], lang, within_m=NEAR_M),
            r["occurred"].isoformat(),
            r["valid_until"].isoformat(),
            f"{num(r['distance_m'], lang)} m",
        ]
        for _, r in zones.head(ZONE_ROWS).iterrows()
    ]
    headers = [
        t("category", lang),
        t("district", lang),
        t("report_near_column", lang),
        t("report_near_repeat_since", lang),
        t("report_near_repeat_until", lang),
        t("report_near_repeat_radius", lang),
    ]
    caption = t("report_near_repeat_zones_caption", lang)
    blocks: list[Block] = [table(headers, rows, [2.2, 1.7, 2.4, 1.1, 1.1, 0.8], caption)]
    if len(zones) > ZONE_ROWS:
        blocks.append(
            Paragraph(
                t("report_near_repeat_more", lang, n=num(len(zones) - ZONE_ROWS, lang)), kind="note"
            )
        )
    return blocks


def _district_table(near: NearRepeatPicture, lang: str) -> list[Block]:
    if not len(near.districts):
        return []
    rows = [
        [str(r["district"] or "–"), str(r["label"]), count_text(r["zones"], lang)]
        for _, r in near.districts.iterrows()
    ]
    headers = [t("district", lang), t("category", lang), t("report_near_repeat_zones", lang)]
    return [table(headers, rows, [3.0, 3.0, 1.0],
                  t("report_near_repeat_districts_caption", lang))]  # fmt: skip
