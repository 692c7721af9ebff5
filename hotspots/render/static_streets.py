"""Streets, street names and buildings on the PNG/PDF map page, at the page's scale.

The same classes and colours as the web map (:mod:`hotspots.render.streetmap`), drawn with
matplotlib in the metric CRS. What is drawn follows the scale of the page (metres per
point, from the framed extent and the size of the map on the page):

* street widths are their width on the ground at that scale (``width_m``), kept between a
  hairline and a few points, each class over a darker casing;
* the main roads always; ordinary streets from 1:60 000, service roads and pedestrian
  streets from 1:25 000, footways and paths from 1:15 000; buildings (light grey, below the
  density) from 1:20 000;
* street names from 1:30 000, along the street, where the name fits the piece of street and
  does not overlap a name placed before it (the main roads first);
* the geography's attribution (``© OpenStreetMap contributors``) in the map's corner;
* lines simplified to a third of a point, so a PDF of the whole town stays small.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from hotspots.render.streetmap import (
    BUILDING_EDGE,
    BUILDING_FILL,
    drawn_buildings,
    drawn_streets,
    label_anchors,
    style_of,
)

__all__ = [
    "BUILDING_MAX_SCALE",
    "LABEL_FONT_PT",
    "LABEL_MAX_SCALE",
    "STREETS_ZORDER",
    "draw_streets",
    "metres_per_point",
    "scale_denominator",
]

#: Largest scale denominator at which each class is drawn (the main roads at every scale).
_CLASS_MAX_SCALE: dict[str, float] = {
    "street": 60_000,
    "pedestrian": 25_000,
    "service": 25_000,
    "path": 15_000,
}
#: Buildings and street names are drawn at this scale and larger (a smaller denominator).
BUILDING_MAX_SCALE = 20_000
LABEL_MAX_SCALE = 30_000
#: Font size of the street names, points: larger on a detailed page.
LABEL_FONT_PT = 4.6
_LABEL_FONT_LARGE_PT = (7_500, 6.0), (15_000, 5.2)
#: Street lines sit above the density (3) and below the district outlines (6).
STREETS_ZORDER = 4.0
_BUILDINGS_ZORDER = 2.5
_LABEL_ZORDER = 7.2
_POINT_M = 0.0254 / 72  # one typographic point on paper, metres


def metres_per_point(ax: Any, extent: tuple[float, float, float, float]) -> float:
    """Ground metres per typographic point of the map ``ax`` framing ``extent`` (equal aspect)."""
    fig_w, fig_h = ax.figure.get_size_inches()
    box = ax.get_position()
    width_pt, height_pt = box.width * fig_w * 72, box.height * fig_h * 72
    x0, y0, x1, y1 = extent
    return max((x1 - x0) / width_pt, (y1 - y0) / height_pt)


def scale_denominator(m_per_pt: float) -> float:
    """The map scale 1 : N of ``m_per_pt`` ground metres per point."""
    return m_per_pt / _POINT_M


def draw_streets(ax: Any, geography: Any, extent: tuple[float, float, float, float]) -> bool:
    """Draw the streets, their names and the buildings of ``geography`` inside ``extent``.

    Parameters
    ----------
    ax
        The map's axes (metric CRS, equal aspect); its size on the page sets the scale.
    geography
        A :class:`hotspots.spatial.geography.Geography`: its street network, else its roads.
    extent
        ``(xmin, ymin, xmax, ymax)`` framed by the map, metres.

    Returns
    -------
    bool
        Whether any street was drawn.
    """
    m_per_pt = metres_per_point(ax, extent)
    scale = scale_denominator(m_per_pt)
    frame = shapely.box(*extent)
    if scale <= BUILDING_MAX_SCALE:
        _draw_buildings(ax, geography, frame, m_per_pt)
    classes = tuple(
        c
        for c in ("motorway", "primary", "secondary", "street", "pedestrian", "service", "path")
        if scale <= _CLASS_MAX_SCALE.get(c, np.inf)
    )
    lines = drawn_streets(
        geography, area=frame, tolerance_m=max(0.5, m_per_pt / 3), classes=classes
    )
    if not len(lines):
        return False
    for rank, (cls, group) in enumerate(reversed(list(lines.groupby("cls", sort=False)))):
        style = style_of(str(cls))
        width = float(np.clip(style.width_m / m_per_pt, 0.25, 4.0))
        segments = [np.asarray(g.coords) for g in group.geometry]
        z = STREETS_ZORDER + 0.01 * rank
        if style.casing:
            ax.add_collection(
                LineCollection(
                    segments,
                    colors=style.casing,
                    linewidths=width + 0.6,
                    capstyle="round",
                    joinstyle="round",
                    zorder=z,
                )
            )
        ax.add_collection(
            LineCollection(
                segments,
                colors=style.fill,
                linewidths=width,
                linestyles=(0, (2, 1.5)) if style.dash else "solid",
                capstyle="round" if not style.dash else "butt",
                joinstyle="round",
                zorder=z + 0.5,
            )
        )
    if scale <= LABEL_MAX_SCALE:
        font = next((pt for limit, pt in _LABEL_FONT_LARGE_PT if scale <= limit), LABEL_FONT_PT)
        _draw_names(ax, lines, extent, m_per_pt, font_pt=font)
    attribution = str(getattr(geography, "attribution", "") or "")
    if attribution:  # e.g. © OpenStreetMap contributors: the licence asks for it on the map
        ax.text(
            0.995,
            0.004,
            attribution,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=5,
            color="#444444",
            zorder=20,
            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    return True


def _draw_buildings(ax: Any, geography: Any, frame: Any, m_per_pt: float) -> None:
    """Every building as one compound path (a patch per building is slow for a town)."""
    polys = drawn_buildings(geography, area=frame, tolerance_m=max(0.3, m_per_pt / 4))
    if not len(polys):
        return
    # outlines counter-clockwise and courtyards clockwise: the nonzero rule leaves holes open
    rings = shapely.get_rings(shapely.orient_polygons(polys.to_numpy()))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    codes[np.r_[True, index[1:] != index[:-1]]] = MplPath.MOVETO
    codes[np.r_[index[1:] != index[:-1], True]] = MplPath.CLOSEPOLY
    ax.add_patch(
        PathPatch(
            MplPath(coords, codes),
            facecolor=BUILDING_FILL,
            edgecolor=BUILDING_EDGE,
            linewidth=0.15,
            zorder=_BUILDINGS_ZORDER,
        )
    )


def _draw_names(
    ax: Any,
    lines: gpd.GeoDataFrame,
    extent: tuple[float, float, float, float],
    m_per_pt: float,
    *,
    font_pt: float,
) -> None:
    """Street names along the streets, those that fit and do not overlap (most important first)."""
    anchors = label_anchors(lines, spacing_m=160 * m_per_pt, min_length_m=20 * m_per_pt)
    x0, y0, x1, y1 = extent
    kept: list[tuple[float, float, float, float]] = []
    halo = [patheffects.withStroke(linewidth=1.1, foreground="white")]
    for name, x, y, angle, room in zip(
        anchors["name"],
        anchors["x"],
        anchors["y"],
        anchors["angle_deg"],
        anchors["room_m"],
        strict=True,
    ):
        if not (x0 < x < x1 and y0 < y < y1):
            continue
        width_m = 0.56 * font_pt * (len(name) + 1) * m_per_pt
        height_m = 1.3 * font_pt * m_per_pt
        if width_m > 0.95 * room:
            continue
        a = np.radians(angle)
        half_w = (width_m * abs(np.cos(a)) + height_m * abs(np.sin(a))) / 2
        half_h = (width_m * abs(np.sin(a)) + height_m * abs(np.cos(a))) / 2
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if any(box[0] < k[2] and box[2] > k[0] and box[1] < k[3] and box[3] > k[1] for k in kept):
            continue
        kept.append(box)
        ax.text(
            x,
            y,
            str(name),
            rotation=angle,
            rotation_mode="anchor",
            ha="center",
            va="center",
            fontsize=font_pt,
            fontstyle="italic",
            color="#333333",
            zorder=_LABEL_ZORDER,
            clip_on=True,
            path_effects=halo,
        )
