"""The "Förhöjd risk" layer: zones of raised risk after recent incidents (near repeats).

Drawn from the :class:`~hotspots.render.risk_zones.RiskZoneLayer` that
:func:`~hotspots.render.risk_zones.with_risk_zones` put on the map content, so the privacy
profile is already applied: internal maps get each zone's circle (category, incident date,
in force until, radius, days, Knox ratio in its pop-up); public maps get districts or km
squares with at least five zones and their counts per category, nothing finer. The layer is
off when the map opens and is toggled in the layer control; its legend entry shows with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotspots.core.i18n import Lang, t
from hotspots.render import labels
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.leaflet.layers import features
from hotspots.render.leaflet.templates import VectorLayer
from hotspots.render.privacy import MapContent
from hotspots.render.risk_zones import RISK_COLOUR, RiskZoneLayer, risk_zones_of
from hotspots.render.symbology import format_number

__all__ = ["RISK_COLOUR", "risk_layer", "risk_legend"]


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th>{escape_html(k)}</th><td>{escape_html(v)}</td></tr>" for k, v in rows if v
    )
    return f"<table>{cells}</table>"


def _zone_popup(rec: Mapping[str, Any], lang: Lang) -> str:
    category = labels.category(str(rec.get("category", "")), lang)
    rows = [
        (t("report_near_repeat_since", lang), str(rec.get("occurred", ""))),
        (t("report_near_repeat_until", lang), str(rec.get("valid_until", ""))),
        (
            t("report_near_repeat_radius", lang),
            f"{format_number(float(rec['distance_m']), lang=lang)} m",
        ),
        (t("report_near_repeat_days", lang), format_number(float(rec["days"]), lang=lang)),
        (t("report_near_repeat_ratio", lang), format_number(float(rec["knox_ratio"]), lang=lang)),
    ]
    head = f"<b>{escape_html(t('layer_risk', lang))}: {escape_html(category)}</b>"
    return f'<div class="hs-pop">{head}{_table(rows)}</div>'


def _area_name(rec: Mapping[str, Any], lang: Lang) -> str:
    return str(rec.get("area") or "") or t("risk_area_square", lang)


def _area_popup(rec: Mapping[str, Any], lang: Lang) -> str:
    rows = [
        (
            labels.category(code, lang),
            t("suppressed", lang) if n is None else format_number(float(n), lang=lang),
        )
        for code, n in rec.get("by_category") or ()
    ]
    head = escape_html(t("risk_area_tip", lang, area=_area_name(rec, lang), n=rec["zones"]))
    return f'<div class="hs-pop"><b>{head}</b>{_table(rows)}</div>'


def risk_layer(content: MapContent, lang: Lang) -> VectorLayer | None:
    """The layer of raised risk, off when the map opens; ``None`` when the content has none."""
    layer = risk_zones_of(content)
    if layer is None:
        return None
    areas = layer.areas
    if layer.profile == "public":
        data = features(
            areas,
            style={
                "color": RISK_COLOUR,
                "weight": 2,
                "fillColor": RISK_COLOUR,
                "fillOpacity": 0.22,
            },
            popup=lambda r: _area_popup(r, lang),
            tooltip=lambda r: escape_html(
                t("risk_area_tip", lang, area=_area_name(r, lang), n=r["zones"])
            ),
        )
    else:
        data = features(
            areas,
            style={
                "color": RISK_COLOUR,
                "weight": 2,
                "dashArray": "5 3",
                "fillColor": RISK_COLOUR,
                "fillOpacity": 0.2,
            },
            popup=lambda r: _zone_popup(r, lang),
            tooltip=lambda r: escape_html(
                t(
                    "risk_zone_tip",
                    lang,
                    category=labels.category(str(r.get("category", "")), lang),
                    until=str(r.get("valid_until", "")),
                )
            ),
        )
    return VectorLayer(data, name=escape_html(t("layer_risk", lang)), show=False)


def risk_legend(layer: RiskZoneLayer, lang: Lang) -> str:
    """The legend entry of the layer: swatch, the categories' distance and days, the count."""
    swatch = (
        f'<span class="sw" style="border:1.5px dashed {RISK_COLOUR};'
        f'background:{RISK_COLOUR}33"></span>'
    )
    lines = [f"<b>{escape_html(t('legend_risk', lang))}</b>"]
    if not layer.extents:
        lines.append(swatch + escape_html(t("legend_risk_none", lang)))
    for code, distance, days, _ratio in layer.extents:
        text = t(
            "legend_risk_extent",
            lang,
            category=labels.category(code, lang),
            distance=format_number(distance, lang=lang),
            days=format_number(days, lang=lang),
        )
        lines.append(swatch + escape_html(text))
    date = "" if layer.as_of is None else layer.as_of.isoformat()
    if layer.extents and layer.profile == "public":
        lines.append(escape_html(t("legend_risk_public", lang, date=date)))
    elif layer.extents:
        lines.append(escape_html(t("legend_risk_zones", lang, n=layer.n_zones or 0, date=date)))
    return "<br>".join(lines) + "<br>"
