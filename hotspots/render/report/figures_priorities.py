"""The lägesbild's figures of harm: the harm map and the concentration curve.

``harm_map``: the harm density and the harm hotspots through the privacy gate
(:func:`hotspots.render.privacy.apply_privacy`), the count hotspots as outlines beside them,
drawn by the one static-map renderer on an A4 landscape page. ``harm_curve``: the
concentration curves of harm and of incidents (share of the total in the densest cells
against the share of the study area) as a chart in the text's flow.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import t
from hotspots.est.lagesbild import Lagesbild
from hotspots.est.lagesbild_harm import HarmPicture
from hotspots.render.privacy import apply_privacy
from hotspots.render.report.document import num
from hotspots.render.static_map import BackdropSource, Overlay, render_static_map

__all__ = [
    "COUNT_OUTLINE_COLOUR",
    "CURVE_MAX_AREA",
    "harm_curve_figure",
    "harm_drawable",
    "harm_map_figure",
]

#: Colour of the count hotspots' outlines on the harm map, and of the count curve.
COUNT_OUTLINE_COLOUR = "#2166ac"
#: Colour of the harm curve.
HARM_COLOUR = "#b2182b"
#: The concentration chart shows the densest part of the area, up to at most this share
#: (less where 99 % of harm and of incidents lie in less).
CURVE_MAX_AREA = 0.25
#: ... and at least this share.
CURVE_MIN_AREA = 0.005


def harm_drawable(lb: Lagesbild) -> bool:
    """Whether the lägesbild has harm to draw (built with harm weights, with an analysis)."""
    return lb.harm is not None


def _harm(lb: Lagesbild) -> HarmPicture:
    if lb.harm is None:
        msg = f"no harm figure for {lb.period.label}: the lägesbild was built without weights"
        raise InputSchemaError(msg)
    return lb.harm


def harm_map_figure(lb: Lagesbild, backdrop: BackdropSource | None = None) -> Figure:
    """Harm density and the top harm hotspots, the count hotspots as outlines.

    Raises
    ------
    InputSchemaError
        When the lägesbild has no harm picture.
    """
    harm = _harm(lb)
    content = apply_privacy(harm.view, profile=lb.privacy)
    ranks = set(harm.spots["rank"].tolist())
    hot = content.hotspots
    hot = hot[hot["rank"].isin(ranks)] if len(hot) else hot
    outlines = harm.count_hotspots[["geometry"]].copy()
    outlines["geometry"] = outlines.geometry.boundary
    overlays = []
    if len(outlines):
        label = t("report_harm_count_outline", lb.lang)
        overlays.append(Overlay(outlines, label, COUNT_OUTLINE_COLOUR, marker="_"))
    bounds = None
    frames = [f for f in (hot, harm.count_hotspots) if len(f)]
    if frames:
        boxes = np.array([f.total_bounds for f in frames])
        bounds = (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
    title = t("report_harm_map_title", lb.lang, title=lb.title, period=lb.period.label)
    return render_static_map(
        content.replace(hotspots=hot),
        geography=lb.geography,
        lang=lb.lang,
        title=title,
        overlays=overlays,
        bounds=None if bounds is None else tuple(float(v) for v in bounds),  # type: ignore[arg-type]
        backdrop=backdrop,
    )


def harm_curve_figure(lb: Lagesbild) -> Figure:
    """Share of harm and of incidents in the densest cells against the share of the area.

    Raises
    ------
    InputSchemaError
        When the lägesbild has no harm picture.
    """
    harm = _harm(lb)
    lang = lb.lang
    fig = Figure(figsize=(7.2, 3.0))
    ax = fig.add_subplot(1, 1, 1)
    reach = [c.area_for(0.99) for c in (harm.harm_curve, harm.count_curve)]
    reach = [r for r in reach if np.isfinite(r)]
    top = float(np.clip(1.5 * max(reach, default=CURVE_MAX_AREA), CURVE_MIN_AREA, CURVE_MAX_AREA))
    for curve, colour, key in (
        (harm.harm_curve, HARM_COLOUR, "report_harm_share"),
        (harm.count_curve, COUNT_OUTLINE_COLOUR, "report_harm_count_share"),
    ):
        keep = curve.area_share <= top + 1e-12
        ax.plot(100 * curve.area_share[keep], 100 * curve.value_share[keep], color=colour,
                linewidth=1.8, label=t(key, lang))  # fmt: skip
    ax.plot([0, 100 * top], [0, 100 * top], color="0.6", linewidth=0.9, linestyle="--",
            label=t("report_harm_curve_even", lang))  # fmt: skip
    ax.set_xlim(0, 100 * top)
    ax.set_ylim(0, 100)
    ax.set_xlabel(f"{t('report_harm_area', lang)} (%)")
    ax.set_ylabel("%")
    ax.xaxis.set_major_formatter(lambda v, _pos: num(v, lang, digits=0 if top >= 0.05 else 1))
    ax.yaxis.set_major_formatter(lambda v, _pos: num(v, lang))
    ax.grid(color="0.9", linewidth=0.6)
    ax.set_title(t("report_harm_curve_title", lang), fontsize=9)
    ax.legend(loc="lower right", fontsize=7.5, frameon=False)
    ax.tick_params(labelsize=7.5)
    fig.tight_layout()
    return fig
