"""The static map page (matplotlib, drawn in the metric CRS, no browser): the one renderer.

The page is A4 landscape: the map on the left, drawn in metres so the density cells, the
hotspot polygons and the scale bar are true to scale, and a panel on the right with the
title, the period, the parameters and units, and the legend. A scale bar and a north arrow
(grid north of the metric CRS) sit on the map. Incident points are never drawn here; the
content comes from :func:`hotspots.render.privacy.apply_privacy`.

The snapshot export (:mod:`hotspots.export.static_map`) and the lägesbild's figures
(:mod:`hotspots.render.report.figures`) both draw with :func:`render_static_map`, so there is
one set of density classes (:func:`hotspots.render.symbology.density_classes`) and one look;
the report adds its layers (open actions, emerging cells) as :class:`Overlay` objects.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, check_lang, t
from hotspots.render.privacy import MapContent
from hotspots.render.risk_zones import RISK_COLOUR, risk_zones_of
from hotspots.render.static_streets import draw_streets
from hotspots.render.symbology import (
    HOTSPOT_COLOUR,
    KIND_COLOURS,
    PERCEIVED_COLOUR,
    density_classes,
    settings_lines,
)

__all__ = [
    "BACKDROP_PX",
    "MARGIN_SHARE",
    "PAGE_IN",
    "Backdrop",
    "BackdropSource",
    "Overlay",
    "render_static_map",
]

#: A4 landscape, inches.
PAGE_IN = (11.69, 8.27)
#: Margin around the framed features in the map, share of the larger side.
MARGIN_SHARE = 0.08

Box = tuple[float, float, float, float]
#: Pixels across the map of the basemap image asked for (the page's map at 200 dpi).
BACKDROP_PX = 1600


@dataclass(frozen=True)
class Backdrop:
    """A basemap image drawn under the map (a WMS or WMTS basemap, fetched for the page).

    Attributes
    ----------
    pixels
        RGB or RGBA pixels, shape ``(height, width, 3 | 4)``, row 0 at the north.
    extent
        ``(xmin, ymin, xmax, ymax)`` of the pixels' outer edges, metres in the map's CRS.
    credit
        Whom the page credits for it (``© Lantmäteriet``).
    """

    pixels: np.ndarray
    extent: Box
    credit: str


#: Fetches the backdrop of a page's extent (metres) at about the given width in pixels.
BackdropSource = Callable[[Box, int], Backdrop]


@dataclass(frozen=True)
class Overlay:
    """An extra layer of a static map: filled areas or marked points, with a legend entry.

    Attributes
    ----------
    frame
        The features, in any CRS (drawn in the map's metric CRS). Polygons are filled,
        points are marked.
    label
        Legend text.
    colour
        Fill or marker colour (hex).
    marker
        Matplotlib marker of points (e.g. ``"*"``).
    size
        Marker size of points, points squared.
    text_column
        Column whose value is written beside each feature (e.g. an action's id), or ``None``.
    """

    frame: gpd.GeoDataFrame
    label: str
    colour: str
    marker: str = "o"
    size: float = 60.0
    text_column: str | None = None


def _bounds(frame: gpd.GeoDataFrame, crs: Any) -> Box | None:
    if frame is None or not len(frame):
        return None
    if crs is not None and frame.crs is not None and not frame.crs.equals(crs):
        frame = frame.to_crs(crs)
    return tuple(float(v) for v in frame.total_bounds)  # type: ignore[return-value]


def _density_box(content: MapContent) -> Box | None:
    if content.density is None or content.grid is None:
        return None
    ok = np.isfinite(content.density) & (content.density > 0)
    if not ok.any():
        return None
    g = content.grid
    rows = np.where(ok.any(axis=1))[0]
    cols = np.where(ok.any(axis=0))[0]
    return (
        g.x0 + cols[0] * g.cell_m,
        g.y1 - (rows[-1] + 1) * g.cell_m,
        g.x0 + (cols[-1] + 1) * g.cell_m,
        g.y1 - rows[0] * g.cell_m,
    )


def _frame_box(
    content: MapContent | None, overlays: Sequence[Overlay], geography: Any | None, crs: Any
) -> Box:
    """The features to frame: crime hotspots, else density, else overlays, else the area."""
    box: Box | None = None
    if content is not None and len(content.hotspots):
        hot = content.hotspots
        crime = hot[hot["kind"].astype(str) != "perceived"] if "kind" in hot else hot
        box = _bounds(crime if len(crime) else hot, crs)
    if box is None and content is not None:
        box = _density_box(content)
    if box is None:
        boxes = [b for b in (_bounds(o.frame, crs) for o in overlays) if b is not None]
        if boxes:
            b = np.asarray(boxes)
            box = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    if box is None and geography is not None:
        box = tuple(float(v) for v in geography.municipality.bounds)  # type: ignore[assignment]
    if box is None:
        msg = "nothing to draw: no hotspots, no density, no overlay and no geography"
        raise InputSchemaError(msg)
    return box


def _padded(box: Box) -> Box:
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0, 500.0)
    pad = MARGIN_SHARE * side
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max((x1 - x0) / 2 + pad, 250.0)
    half_h = max((y1 - y0) / 2 + pad, 250.0)
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _nice_length(target_m: float) -> float:
    exp = 10 ** math.floor(math.log10(max(target_m, 1.0)))
    for step in (5, 2, 1):
        if step * exp <= target_m:
            return float(step * exp)
    return float(exp)


def _scale_bar(ax: Any, extent: Box) -> None:
    x0, y0, x1, y1 = extent
    length = _nice_length((x1 - x0) / 5)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    h = 0.008 * (y1 - y0)
    half = length / 2
    ax.add_patch(Rectangle((bx, by), half, h, facecolor="black", edgecolor="black", zorder=20))
    ax.add_patch(
        Rectangle((bx + half, by), half, h, facecolor="white", edgecolor="black", zorder=20)
    )
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(bx, by + 2.2 * h, "0", fontsize=7, ha="center", zorder=20)
    ax.text(bx + length, by + 2.2 * h, text, fontsize=7, ha="center", zorder=20)


def _north_arrow(ax: Any) -> None:
    ax.annotate(
        "",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 10, "headlength": 10},
        zorder=20,
    )
    ax.text(
        0.95,
        0.965,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
        zorder=20,
    )


def _draw_geography(ax: Any, geography: Any, extent: Box, *, base: bool = True) -> None:
    """The geography's layers; without ``base`` only the districts (a basemap lies below)."""
    box = shapely.box(*extent)
    crs = geography.crs
    if base:
        land = gpd.GeoSeries([geography.land.intersection(box)], crs=crs)
        water = gpd.GeoSeries([geography.water.intersection(box)], crs=crs)
        if not land.is_empty.all():  # geopandas warns on an empty plot
            land.plot(ax=ax, color="#f4f1ea", edgecolor="#bbbbbb", linewidth=0.3, zorder=1)
        if not water.is_empty.all():
            water.plot(ax=ax, color="#c6dbef", edgecolor="#9ecae1", linewidth=0.3, zorder=2)
    districts = geography.districts
    if districts is not None and len(districts):
        d = districts.clip(box)
        d.boundary.plot(ax=ax, color="#555555", linewidth=0.5, linestyle=(0, (4, 3)), zorder=6)
        for name, point in zip(d["name"], d.geometry.representative_point(), strict=True):
            ax.text(
                point.x,
                point.y,
                str(name),
                fontsize=5.5,
                color="#444444",
                ha="center",
                va="center",
                zorder=7,
                clip_on=True,
            )
    if base:  # streets by class at the page's scale, their names and buildings (else roads)
        draw_streets(ax, geography, extent)


def _density_key(content: MapContent | None) -> str:
    """The legend's density title: harm per km² with ``--weights``, else incidents."""
    harm = content is not None and content.parameters.get("density_unit") == "harm"
    return "legend_density_harm" if harm else "legend_density"


def _threshold(content: MapContent) -> float | None:
    value = content.parameters.get("threshold_density_per_km2")
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _draw_density(ax: Any, content: MapContent) -> Any:
    if content.density is None or content.grid is None:
        return None
    coverage = float(content.parameters.get("coverage") or 0.05)
    classes = density_classes(content.density, coverage=coverage, threshold=_threshold(content))
    if classes is None:
        return None
    g = content.grid
    cmap = ListedColormap(list(classes.colours))
    cmap.set_under((0, 0, 0, 0))
    cmap.set_bad((0, 0, 0, 0))
    norm = BoundaryNorm([*classes.breaks, np.inf], cmap.N)
    ax.imshow(
        np.ma.masked_invalid(content.density),
        extent=(g.x0, g.x1, g.y0, g.y1),
        origin="upper",
        cmap=cmap,
        norm=norm,
        interpolation="nearest",
        alpha=0.8,
        zorder=3,
    )
    return classes


def _draw_hotspots(ax: Any, content: MapContent, lang: Lang) -> list[Any]:
    hot = content.hotspots.to_crs(content.crs) if len(content.hotspots) else content.hotspots
    handles: list[Any] = []
    if not len(hot):
        return handles
    kind = hot["kind"].astype(str) if "kind" in hot else None
    crime = hot[kind != "perceived"] if kind is not None else hot
    perceived = hot[kind == "perceived"] if kind is not None else hot.iloc[:0]
    if len(crime):
        crime.boundary.plot(ax=ax, color=HOTSPOT_COLOUR, linewidth=1.2, zorder=8)
        handles.append(
            Line2D([], [], color=HOTSPOT_COLOUR, lw=1.5, label=t("layer_hotspots", lang))
        )
        top = crime.sort_values("rank").head(10) if "rank" in crime else crime.head(10)
        for rank, point in zip(
            top.get("rank", range(1, len(top) + 1)),
            top.geometry.representative_point(),
            strict=True,
        ):
            ax.text(
                point.x,
                point.y,
                str(rank),
                fontsize=7,
                fontweight="bold",
                color="white",
                ha="center",
                va="center",
                zorder=12,
                clip_on=True,
                bbox={"boxstyle": "circle,pad=0.2", "fc": HOTSPOT_COLOUR, "ec": "none"},
            )
    if len(perceived):
        perceived.boundary.plot(
            ax=ax, color=PERCEIVED_COLOUR, linewidth=1.0, linestyle=(0, (4, 2)), zorder=8
        )
        handles.append(
            Line2D(
                [], [], color=PERCEIVED_COLOUR, lw=1.2, ls="--", label=t("perceived_hotspot", lang)
            )
        )
    return handles


def _draw_suggestions(ax: Any, content: MapContent, lang: Lang) -> list[Any]:
    sug = content.suggestions
    handles: list[Any] = []
    if sug is None or not len(sug):
        return handles
    sug = sug.to_crs(content.crs)
    for kind_code, group in sug.groupby(sug["kind"].astype(str)):
        colour = KIND_COLOURS.get(kind_code, "#444444")
        points = group[group.geom_type == "Point"]
        lines = group[group.geom_type != "Point"]
        if len(lines):
            lines.plot(ax=ax, color=colour, linewidth=1.6, zorder=10)
        if len(points):
            points.plot(
                ax=ax, color=colour, markersize=28, edgecolor="white", linewidth=0.6, zorder=11
            )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color=colour,
                lw=0,
                markersize=6,
                label=t(f"kind_{kind_code}", lang),
            )
        )
    return handles


def _draw_risk_zones(ax: Any, content: MapContent, lang: Lang) -> list[Any]:
    """The zones of raised risk on the content (privacy applied), with their legend entry."""
    layer = risk_zones_of(content)
    if layer is None or not len(layer.areas):
        return []
    areas = layer.areas.to_crs(content.crs) if content.crs is not None else layer.areas
    colour = RISK_COLOUR
    areas.plot(ax=ax, color=colour, alpha=0.18, edgecolor="none", zorder=8)
    areas.boundary.plot(ax=ax, color=colour, linewidth=0.9, linestyle="--", zorder=8)
    text = t("legend_risk", lang)
    if layer.as_of is not None and layer.profile == "internal":
        text += f" ({t('legend_risk_zones', lang, n=layer.n_zones or 0, date=layer.as_of)})"
    elif layer.as_of is not None:
        text += f" ({t('legend_risk_public', lang, date=layer.as_of)})"
    label = _wrap(text, 40)
    return [Patch(facecolor=colour, alpha=0.35, edgecolor=colour, linestyle="--", label=label)]


def _draw_overlay(ax: Any, overlay: Overlay, crs: Any) -> Any:
    frame = overlay.frame
    if crs is not None and frame.crs is not None and not frame.crs.equals(crs):
        frame = frame.to_crs(crs)
    areas = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    points = frame[~frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    if len(areas):
        areas.plot(ax=ax, color=overlay.colour, edgecolor="#555555", linewidth=0.3, zorder=9)
    if len(points):
        points.plot(
            ax=ax,
            color=overlay.colour,
            edgecolor="black",
            linewidth=0.5,
            markersize=overlay.size,
            marker=overlay.marker,
            zorder=13,
        )
    if overlay.text_column is not None:
        for value, point in zip(
            frame[overlay.text_column], frame.geometry.representative_point(), strict=True
        ):
            ax.annotate(
                str(value),
                (point.x, point.y),
                xytext=(5, 5),
                textcoords="offset points",
                fontsize=7,
                color="#1a1a1a",
                zorder=13,
                annotation_clip=True,
            )
    if len(points) and not len(areas):
        return Line2D(
            [],
            [],
            marker=overlay.marker,
            color=overlay.colour,
            markeredgecolor="black",
            lw=0,
            markersize=8,
            label=overlay.label,
        )
    return Patch(facecolor=overlay.colour, edgecolor="#555555", label=overlay.label)


def _side_panel(
    side: Any,
    *,
    title: str,
    lines: Sequence[tuple[str, str]],
    handles: list[Any],
    legend_title: str,
    footer: str,
) -> None:
    side.text(0, 1, title, fontsize=14, fontweight="bold", va="top", wrap=True)
    y = 0.93 - 0.045 * title.count("\n")
    for key, value in lines:
        wrapped = _wrap(value, 26)
        side.text(0, y, f"{key}:", fontsize=7.5, fontweight="bold", va="top")
        side.text(0.52, y, wrapped, fontsize=7.5, va="top")
        y -= 0.03 * (1 + wrapped.count("\n"))
    if handles:
        legend = side.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, y - 0.02),
            fontsize=7.5,
            title=legend_title,
            title_fontsize=8,
            frameon=False,
            alignment="left",
        )
        legend.get_title().set_fontweight("bold")
    side.text(0, 0, footer, fontsize=6.5, color="#555555", va="bottom", wrap=True)


def render_static_map(
    content: MapContent | None,
    *,
    geography: Any | None = None,
    lang: Lang = "sv",
    title: str | None = None,
    overlays: Sequence[Overlay] = (),
    settings: Sequence[tuple[str, str]] | None = None,
    crs: Any | None = None,
    bounds: Box | None = None,
    backdrop: BackdropSource | None = None,
) -> Figure:
    """Draw the map page as a matplotlib figure (no pyplot, no browser).

    Parameters
    ----------
    content
        From :func:`hotspots.render.privacy.apply_privacy`: density, hotspots and
        suggestions; ``None`` for a page of overlays only.
    geography
        Base layers (land, water, districts, roads), or ``None``.
    lang
        ``"sv"`` or ``"en"``.
    title
        Title; default the translated "Crime hotspots".
    overlays
        Extra layers drawn above the content, each with a legend entry.
    settings
        The side panel's ``(name, value)`` lines; default the analysis settings of
        ``content`` (:func:`hotspots.render.symbology.settings_lines`).
    crs
        The metric CRS to draw in when ``content`` is ``None`` (default the geography's, else
        the first overlay's).
    bounds
        ``(xmin, ymin, xmax, ymax)`` in metres to frame (a margin is added); default the
        crime hotspots, else the density, else the overlays, else the municipality.
    backdrop
        Fetches a basemap image for the page's extent (:mod:`hotspots.export.backdrop`);
        drawn under everything, the geography's land, water and streets then left out (the
        basemap has its own) and its credit in the footer. Its errors propagate.

    Returns
    -------
    matplotlib.figure.Figure
        An A4 landscape figure.

    Raises
    ------
    InputSchemaError
        When there is nothing to frame (no hotspots, density, overlay or geography).
    """
    lang = check_lang(lang)
    if content is not None:
        crs = content.crs
    elif crs is None:
        crs = (
            geography.crs
            if geography is not None
            else next((o.frame.crs for o in overlays if o.frame.crs is not None), None)
        )
    # the Agg canvas joins at the end: with it, every geopandas plot call redraws the page
    fig = Figure(figsize=PAGE_IN)
    ax = fig.add_axes((0.02, 0.05, 0.68, 0.9))
    side = fig.add_axes((0.72, 0.05, 0.26, 0.9))
    side.axis("off")
    extent = _padded(bounds or _frame_box(content, overlays, geography, crs))
    below = backdrop(extent, BACKDROP_PX) if backdrop is not None else None
    if below is not None:
        x0, y0, x1, y1 = below.extent
        ax.imshow(below.pixels, extent=(x0, x1, y0, y1), zorder=0, interpolation="bilinear")
    if geography is not None:
        _draw_geography(ax, geography, extent, base=below is None)
    handles: list[Any] = []
    classes = None
    if content is not None:
        classes = _draw_density(ax, content)
        if classes is not None:
            handles.extend(
                Patch(facecolor=c, edgecolor="none", label=lab, alpha=0.8)
                for c, lab in zip(classes.colours, classes.labels(lang=lang), strict=True)
            )
        handles.extend(_draw_hotspots(ax, content, lang))
        handles.extend(_draw_suggestions(ax, content, lang))
        handles.extend(_draw_risk_zones(ax, content, lang))
    handles.extend(_draw_overlay(ax, o, crs) for o in overlays if len(o.frame))
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#888888")
    _scale_bar(ax, extent)
    _north_arrow(ax)
    if settings is None:
        settings = (
            settings_lines(
                parameters=content.parameters,
                filters=content.filters,
                period=content.period,
                n_incidents=content.n_incidents,
                lang=lang,
                profile=content.profile,
            )
            if content is not None
            else []
        )
    shown_crs = str((content.parameters.get("metric_crs") if content else None) or crs)
    _side_panel(
        side,
        title=title or t("title", lang),
        lines=settings,
        handles=handles,
        legend_title=f"{t('legend', lang)} – {t(_density_key(content), lang)}"
        if classes is not None
        else t("legend", lang),
        footer=t("made_with", lang, date=dt.date.today().isoformat(), crs=shown_crs)
        + (f" {t('basemap_credit', lang, credit=below.credit)}" if below is not None else ""),
    )
    FigureCanvasAgg(fig)
    return fig


def _wrap(text: str, width: int) -> str:
    words = str(text).split()
    lines: list[str] = []
    current = ""
    for w in words:
        if current and len(current) + 1 + len(w) > width:
            lines.append(current)
            current = w
        else:
            current = f"{current} {w}".strip()
    if current:
        lines.append(current)
    return "\n".join(lines)
