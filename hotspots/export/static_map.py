"""PNG and PDF maps made without a browser (matplotlib, drawn in the metric CRS).

The page is A4 landscape: the map on the left, drawn in metres so the density cells, the
hotspot polygons and the scale bar are true to scale, and a panel on the right with the
title, the period, the parameters and units, and the legend. A scale bar and a north arrow
(grid north of the metric CRS) sit on the map. Incident points are never drawn here; the
content comes from :func:`hotspots.export.privacy.apply_privacy`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from hotspots._errors import InputSchemaError
from hotspots.export.privacy import MapContent
from hotspots.i18n import Lang, check_lang, t
from hotspots.symbology import (
    HOTSPOT_COLOUR,
    KIND_COLOURS,
    PERCEIVED_COLOUR,
    density_classes,
    settings_lines,
)

__all__ = ["FORMATS", "render_static_map", "write_static_map"]

logger = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("png", "pdf")
#: A4 landscape, inches.
PAGE_IN = (11.69, 8.27)
#: Margin around the hotspots in the map frame, share of the larger side.
MARGIN_SHARE = 0.08


def _extent(content: MapContent, geography: Any | None) -> tuple[float, float, float, float]:
    hot = content.hotspots
    box: tuple[float, float, float, float] | None = None
    if len(hot):
        crime = hot[hot["kind"].astype(str) != "perceived"] if "kind" in hot else hot
        frame = crime if len(crime) else hot
        box = tuple(float(v) for v in frame.to_crs(content.crs).total_bounds)  # type: ignore[assignment]
    elif content.density is not None and content.grid is not None:
        ok = np.isfinite(content.density) & (content.density > 0)
        if ok.any():
            g = content.grid
            rows = np.where(ok.any(axis=1))[0]
            cols = np.where(ok.any(axis=0))[0]
            box = (
                g.x0 + cols[0] * g.cell_m,
                g.y1 - (rows[-1] + 1) * g.cell_m,
                g.x0 + (cols[-1] + 1) * g.cell_m,
                g.y1 - rows[0] * g.cell_m,
            )
    if box is None and geography is not None:
        box = tuple(float(v) for v in geography.municipality.bounds)  # type: ignore[assignment]
    if box is None:
        msg = "nothing to draw: no hotspots, no density and no geography"
        raise InputSchemaError(msg)
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


def _scale_bar(ax: Any, extent: tuple[float, float, float, float], lang: Lang) -> None:
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


def _draw_geography(ax: Any, geography: Any, extent: tuple[float, float, float, float]) -> None:
    box = shapely.box(*extent)
    crs = geography.crs
    land = gpd.GeoSeries([geography.land.intersection(box)], crs=crs)
    water = gpd.GeoSeries([geography.water.intersection(box)], crs=crs)
    land.plot(ax=ax, color="#f4f1ea", edgecolor="#bbbbbb", linewidth=0.3, zorder=1)
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
    roads = geography.roads
    if roads is not None and len(roads):
        r = roads.clip(box)
        if len(r):
            width = r["kind"].map({"motorway": 1.6, "primary": 1.2, "secondary": 0.8}).fillna(0.4)
            r.plot(ax=ax, color="#8c6d31", linewidth=width.to_numpy(), zorder=5)


def _draw_density(ax: Any, content: MapContent, coverage: float) -> Any:
    if content.density is None or content.grid is None:
        return None
    classes = density_classes(content.density, coverage=coverage, threshold=_threshold(content))
    if classes is None:
        return None
    g = content.grid
    cmap = ListedColormap(list(classes.colours))
    cmap.set_under((0, 0, 0, 0))
    cmap.set_bad((0, 0, 0, 0))
    bounds = [*classes.breaks, np.inf]
    norm = BoundaryNorm(bounds, cmap.N)
    data = np.ma.masked_invalid(content.density)
    ax.imshow(
        data,
        extent=(g.x0, g.x1, g.y0, g.y1),
        origin="upper",
        cmap=cmap,
        norm=norm,
        interpolation="nearest",
        alpha=0.8,
        zorder=3,
    )
    return classes


def render_static_map(
    content: MapContent,
    *,
    geography: Any | None = None,
    lang: Lang = "sv",
    title: str | None = None,
) -> Figure:
    """Draw the map page as a matplotlib figure (no pyplot, no browser).

    Parameters
    ----------
    content
        From :func:`hotspots.export.privacy.apply_privacy`.
    geography
        Base layers (land, water, districts, roads), or ``None``.
    lang
        ``"sv"`` or ``"en"``.
    title
        Title; default the translated "Crime hotspots".

    Returns
    -------
    matplotlib.figure.Figure
        An A4 landscape figure.
    """
    lang = check_lang(lang)
    fig = Figure(figsize=PAGE_IN)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.05, 0.68, 0.9))
    side = fig.add_axes((0.72, 0.05, 0.26, 0.9))
    side.axis("off")
    extent = _extent(content, geography)
    if geography is not None:
        _draw_geography(ax, geography, extent)
    coverage = float(content.parameters.get("coverage") or 0.05)
    classes = _draw_density(ax, content, coverage)
    hot = content.hotspots.to_crs(content.crs) if len(content.hotspots) else content.hotspots
    handles: list[Any] = []
    if classes is not None:
        handles.extend(
            Patch(facecolor=c, edgecolor="none", label=lab, alpha=0.8)
            for c, lab in zip(classes.colours, classes.labels(), strict=True)
        )
    if len(hot):
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
                    [],
                    [],
                    color=PERCEIVED_COLOUR,
                    lw=1.2,
                    ls="--",
                    label=t("perceived_hotspot", lang),
                )
            )
    sug = content.suggestions
    if sug is not None and len(sug):
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
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#888888")
    _scale_bar(ax, extent, lang)
    _north_arrow(ax)

    # side panel: title, parameters, legend
    side.text(0, 1, title or t("title", lang), fontsize=14, fontweight="bold", va="top", wrap=True)
    lines = settings_lines(
        parameters=content.parameters,
        filters=content.filters,
        period=content.period,
        n_incidents=content.n_incidents,
        lang=lang,
        profile=content.profile,
    )
    y = 0.93
    for key, value in lines:
        side.text(0, y, f"{key}:", fontsize=7.5, fontweight="bold", va="top")
        side.text(0.52, y, _wrap(value, 26), fontsize=7.5, va="top")
        y -= 0.03 * (1 + _wrap(value, 26).count("\n"))
    if handles:
        legend = side.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, y - 0.02),
            fontsize=7.5,
            title=f"{t('legend', lang)} – {t('legend_density', lang)}"
            if classes is not None
            else t("legend", lang),
            title_fontsize=8,
            frameon=False,
            alignment="left",
        )
        legend.get_title().set_fontweight("bold")
    crs = str(content.parameters.get("metric_crs") or content.crs)
    side.text(
        0,
        0,
        t("made_with", lang, date=dt.date.today().isoformat(), crs=crs),
        fontsize=6.5,
        color="#555555",
        va="bottom",
        wrap=True,
    )
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


def write_static_map(
    content: MapContent,
    path: Path,
    *,
    geography: Any | None = None,
    lang: Lang = "sv",
    title: str | None = None,
    dpi: int = 200,
) -> Path:
    """Write the map page as PNG or PDF (chosen by the suffix of ``path``).

    Raises
    ------
    InputSchemaError
        When the suffix is not ``.png`` or ``.pdf``.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        msg = f"--out: {path} must end in .png or .pdf (got {path.suffix or 'no suffix'!r})"
        raise InputSchemaError(msg)
    fig = render_static_map(content, geography=geography, lang=lang, title=title)
    metadata = {"Title": title or t("title", lang)}
    if fmt == "pdf":
        metadata["Creator"] = "hotspots"
    fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
    logger.info("wrote %s", path)
    return path


def _threshold(content: MapContent) -> float | None:
    value = content.parameters.get("threshold_density_per_km2")
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
