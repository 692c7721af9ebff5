"""The lägesbild's maps, drawn by the one static-map renderer (:mod:`hotspots.render.static_map`).

``map``: density and the top places' hotspots through the privacy gate
(:func:`hotspots.render.privacy.apply_privacy`), with the planner's suggestions and the open
actions (green stars) in the internal profile. ``emerging``: the emerging-hotspot cells
coloured by pattern. Both are A4 landscape pages with the renderer's legend, scale bar and
north arrow. A drawing error is an error: nothing here falls back to another renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from io import BytesIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import t
from hotspots.est.emerging import class_label
from hotspots.est.lagesbild import Lagesbild
from hotspots.render.privacy import MapContent, apply_privacy
from hotspots.render.report.document import num
from hotspots.render.report.figures_dosage import dosage_figure
from hotspots.render.report.figures_priorities import harm_curve_figure, harm_map_figure
from hotspots.render.static_map import BackdropSource, Overlay, render_static_map

__all__ = [
    "CLASS_COLOURS",
    "FIGURES",
    "drawable",
    "emerging_figure",
    "figure_png",
    "map_content",
    "map_figure",
    "report_figures",
]

#: Colour of each emerging-hotspot pattern, most urgent first.
CLASS_COLOURS: dict[str, str] = {
    "new": "#e7298a",
    "intensifying": "#b30000",
    "consecutive": "#fc8d59",
    "persistent": "#d7301f",
    "sporadic": "#fdbb84",
    "oscillating": "#c994c7",
    "diminishing": "#fee8c8",
    "historical": "#bdbdbd",
}
#: Patterns that frame the emerging map (when there are any).
_URGENT = ("new", "intensifying", "consecutive", "persistent")
#: Colour of the open actions' stars.
ACTION_COLOUR = "#33a02c"
#: The figures a report may hold.
FIGURES: tuple[str, ...] = ("map", "emerging")


def drawable(lb: Lagesbild, key: str) -> bool:
    """Whether figure ``key`` has anything to show (else a section says so in words).

    The hotspot map needs an analysis with hotspots, density or a geography under it; the
    emerging map needs cells with a pattern.
    """
    if key == "map":
        result = lb.analysis
        if result is None:
            return False
        density = getattr(result, "density", None)
        has_density = density is not None and bool(np.any(np.nan_to_num(density) > 0))
        return bool(len(result.hotspots)) or has_density or lb.geography is not None
    if key == "emerging":
        return lb.emerging is not None and bool(len(lb.emerging.cells))
    msg = f"figure {key!r} is not one of {', '.join(FIGURES)}"
    raise InputSchemaError(msg)


def map_content(lb: Lagesbild) -> MapContent | None:
    """The lägesbild's analysis and plan through the privacy gate (``None`` without analysis)."""
    if lb.analysis is None:
        return None
    return apply_privacy(lb.analysis, profile=lb.privacy, plan=lb.plan)


def map_figure(lb: Lagesbild, backdrop: BackdropSource | None = None) -> Figure:
    """The hotspot map of the top places (and suggestions and open actions when internal).

    Raises
    ------
    InputSchemaError
        When the lägesbild has no hotspot analysis.
    """
    content = map_content(lb)
    if content is None:
        msg = f"no hotspot map for {lb.period.label}: too few incidents for an analysis"
        raise InputSchemaError(msg)
    hot = content.hotspots
    ranks = set(lb.top_places["rank"].tolist()) if len(lb.top_places) else set()
    crime = hot[(hot["kind"] == "crime") & hot["rank"].isin(ranks)]
    perceived = hot[hot["kind"] == "perceived"]
    if len(crime):
        x0, y0, x1, y1 = crime.total_bounds
        perceived = perceived.cx[x0:x1, y0:y1]
    overlays = []
    points = lb.action_points
    if points is not None and len(points):
        overlays.append(
            Overlay(
                points,
                t("report_open_action", lb.lang),
                ACTION_COLOUR,
                marker="*",
                size=140.0,
                text_column="id",
            )
        )
    title = t(f"report_map_title_{lb.privacy}", lb.lang, title=lb.title, period=lb.period.label)
    return render_static_map(
        content.replace(hotspots=pd.concat([crime, perceived])),
        geography=lb.geography,
        lang=lb.lang,
        title=title,
        overlays=overlays,
        backdrop=backdrop,
    )


def emerging_figure(lb: Lagesbild, backdrop: BackdropSource | None = None) -> Figure:
    """The emerging-hotspot cells coloured by pattern, framed on the urgent ones.

    Raises
    ------
    InputSchemaError
        When the lägesbild has no emerging-hotspot result.
    """
    em = lb.emerging
    if em is None:
        msg = f"no emerging-hotspot map for {lb.period.label}: the analysis could not be made"
        raise InputSchemaError(msg)
    lang = lb.lang
    cells = em.cells
    overlays = [
        Overlay(cells[cells["cls"] == cls], class_label(cls, lang), colour)
        for cls, colour in CLASS_COLOURS.items()
        if len(cells) and (cells["cls"] == cls).any()
    ]
    bounds = None
    if len(cells):
        urgent = cells[cells["cls"].isin(_URGENT)]
        bounds = tuple(float(v) for v in (urgent if len(urgent) else cells).total_bounds)
    p = em.parameters
    settings = [
        (
            t("report_weeks", lang),
            f"{p.get('first_week')}–{p.get('last_week')} ({p.get('n_weeks')})",
        ),
        (t("cell", lang), f"{num(p.get('cell_m'), lang)} m"),
        (t("method", lang), "Getis-Ord Gi* (FDR) + Mann–Kendall"),
        (t("profile", lang), t(f"profile_{lb.privacy}", lang)),
    ]
    title = t("report_emerging_map_title", lang, title=lb.title, period=lb.period.label)
    return render_static_map(
        None,
        geography=lb.geography,
        lang=lang,
        title=title,
        overlays=overlays,
        settings=settings,
        crs=cells.crs,
        bounds=bounds,  # type: ignore[arg-type]
        backdrop=backdrop,
    )


def report_figures(
    lb: Lagesbild, backdrop: BackdropSource | None = None
) -> dict[str, Callable[[], Figure]]:
    """The figure makers of a lägesbild by key, for the document writers.

    ``backdrop`` draws a basemap under each map (:mod:`hotspots.export.backdrop`).
    """
    return {
        "map": partial(map_figure, lb, backdrop),
        "emerging": partial(emerging_figure, lb, backdrop),
        "dosage": partial(dosage_figure, lb, backdrop),
        "harm_map": partial(harm_map_figure, lb, backdrop),
        "harm_curve": partial(harm_curve_figure, lb),
    }


def figure_png(fig: Figure, *, dpi: int) -> bytes:
    """The figure as PNG bytes at ``dpi``."""
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
