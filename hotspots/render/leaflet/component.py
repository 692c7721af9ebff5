"""The map as the app's map component takes it: a base script and an overlay script.

The browser runs the base once (a new map) and replaces only the overlay when the analysis
changes. Rendered bases are kept in a :class:`BaseMapCache` that the caller owns and passes
in (the app keeps one per process): nothing here is module state that Streamlit sessions
would share.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import folium
from folium.map import Layer

from hotspots.core.errors import InputSchemaError
from hotspots.render.leaflet.basemap import parse_basemap
from hotspots.render.leaflet.build import add_overlays, base_map, map_bounds, walk
from hotspots.render.leaflet.options import MapOptions, resolve_tiles
from hotspots.render.leaflet.templates import BaseLayerRef, HtmlControl, IncidentLayer, VectorLayer
from hotspots.render.privacy import MapContent

__all__ = ["BaseMapCache", "BaseParts", "MapParts", "map_parts", "render_base"]


@dataclass(frozen=True, slots=True)
class MapParts:
    """The map as the app's map component takes it: a base script and an overlay script.

    The browser runs ``base`` once (a new map) and replaces only ``overlay`` when the
    analysis changes, so a filter change neither reloads Leaflet nor rebuilds the geography,
    and the view (zoom, centre) stays where the user left it.

    Attributes
    ----------
    map_name
        Global JavaScript name of the Leaflet map that ``base`` creates (``map_hs``).
    html
        The map's ``<div>``.
    style
        CSS of the map and its boxes (no ``<style>`` tags).
    base
        Script creating the map, panes, scale bar, tiles and geography layers; the same text
        for the same geography and options.
    overlay
        Script adding the density, hotspots, suggestions, incidents, info box, legend and
        layer control to the map named ``map_name``; run as a function body.
    bounds
        ``[[south, west], [north, east]]`` of the opening view, degrees, or ``None``.
    """

    map_name: str
    html: str
    style: str
    base: str
    overlay: str
    bounds: list[list[float]] | None


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class BaseParts:
    """The rendered base map (see :func:`render_base`) and what the overlay needs of it.

    Attributes
    ----------
    map_name
        Global JavaScript name of the Leaflet map (``map_hs``).
    html
        The map's ``<div>``.
    style
        CSS of the map (no ``<style>`` tags).
    script
        Script creating the map, panes, scale bar, tiles and geography layers.
    layers
        ``(variable name, layer name, overlay, control)`` of each base layer, in order.
    notes
        Notes for the info box (e.g. that there is no basemap).
    """

    map_name: str
    html: str
    style: str
    script: str
    layers: tuple[tuple[str, str, bool, bool], ...]
    notes: tuple[str, ...]


def render_base(geography: Any | None, opts: MapOptions) -> BaseParts:
    """Render the base map of ``geography`` under ``opts`` (panes, tiles, geography layers).

    Every element has a fixed id, so the same geography and options give the same text.
    """
    notes: list[str] = []
    m = base_map(geography, opts, notes)
    fig = m.get_root()
    fig.render()
    script = "\n".join(e.render() for e in fig.script._children.values())
    layers = tuple(
        (c.get_name(), c.layer_name, bool(c.overlay), bool(c.control))
        for c in m._children.values()
        if isinstance(c, Layer)
    )
    return BaseParts(
        map_name=m.get_name(),
        html=m._template.module.html(m, {}).strip(),
        style="\n".join(dict.fromkeys(_STYLE.findall(fig.header.render()))),
        script=script,
        layers=layers,
        notes=tuple(notes),
    )


class BaseMapCache:
    """Rendered base maps kept for reuse, by geography, language, tiles and geography setting.

    The caller owns the cache and passes it to :func:`map_parts` (the app keeps one per
    process, shared by its sessions: a base map depends on nothing a session sets but the
    language and the options in its key). Safe to use from several threads; holds at most
    ``max_entries`` bases, the oldest go first. Each entry keeps its geography alive, so the
    geography's ``id`` in the key is not reused while the entry exists.

    Parameters
    ----------
    max_entries
        Most base maps kept.
    """

    def __init__(self, max_entries: int = 8) -> None:
        if max_entries < 1:
            msg = f"max_entries must be at least 1 (got {max_entries})"
            raise InputSchemaError(msg)
        self.max_entries = max_entries
        self._entries: dict[tuple[Any, ...], tuple[Any, BaseParts]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def base(self, geography: Any | None, opts: MapOptions) -> BaseParts:
        """The base map of ``geography`` under ``opts``: kept, else rendered and kept."""
        key = (
            id(geography),
            opts.lang,
            resolve_tiles(opts.tiles),
            opts.show_geography,
            parse_basemap(opts.basemap, opts.basemap_grid),
        )
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and hit[0] is geography:
            return hit[1]
        base = render_base(geography, opts)
        with self._lock:
            while len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (geography, base)
        return base


#: Element types whose scripts :func:`_overlay_scripts` renders without the figure.
_DIRECT = (
    VectorLayer,
    IncidentLayer,
    HtmlControl,
    folium.raster_layers.ImageOverlay,
    folium.LayerControl,
)


def _overlay_scripts(m: folium.Map, elements: list[Any]) -> tuple[str, list[str]]:
    """Scripts and styles of ``elements`` (children of ``m``) in folium's order.

    Does what folium's render does for these element types (a shown layer is added to its
    parent after its own and its children's scripts; the layer control lists the map's
    layers) without building the whole page, whose every script folium would compile as a
    template.
    """
    scripts: list[str] = []
    styles: list[str] = []

    def visit(element: Any, parent: Any) -> None:
        module = element._template.module
        header = getattr(module, "header", None)
        if header is not None:
            styles.extend(_STYLE.findall(str(header(element, {}))))
        if isinstance(element, folium.LayerControl):
            element.reset()
            for item in parent._children.values():
                if isinstance(item, Layer) and item.control:
                    target = element.overlays if item.overlay else element.base_layers
                    target[item.layer_name] = item.get_name()
        script = getattr(module, "script", None)
        if script is not None:
            scripts.append(str(script(element, {})))
        for child in element._children.values():
            visit(child, element)
        if isinstance(element, Layer) and element.show:
            scripts.append(f"{element.get_name()}.addTo({parent.get_name()});")

    for element in elements:
        visit(element, m)
    return "\n".join(scripts), styles


def map_parts(
    content: MapContent,
    *,
    geography: Any | None = None,
    options: MapOptions | None = None,
    bases: BaseMapCache | None = None,
) -> MapParts:
    """The same map as :func:`~hotspots.render.leaflet.build.build_map`, split in two scripts.

    Parameters
    ----------
    content
        From :func:`hotspots.render.privacy.apply_privacy`.
    geography
        As for :func:`~hotspots.render.leaflet.build.build_map`.
    options
        As for :func:`~hotspots.render.leaflet.build.build_map`.
    bases
        Where rendered base maps are kept and reused (one per geography and options);
        ``None`` renders the base afresh.

    Returns
    -------
    MapParts
        The scripts are folium's own rendering of each element (escaped as in the
        standalone page); assets are not included (the component page inlines them once).
    """
    opts = options or MapOptions()
    base = render_base(geography, opts) if bases is None else bases.base(geography, opts)
    notes = list(base.notes)
    m = folium.Map(location=[59.38, 13.50], tiles=None)
    m._id = base.map_name.removeprefix("map_")
    for var_name, layer_name, overlay, control in base.layers:
        BaseLayerRef(var_name, layer_name, overlay=overlay, control=control).add_to(m)
    n_base = len(m._children)
    add_overlays(m, content, options=opts, notes=notes)
    elements = list(m._children.values())[n_base:]
    if all(isinstance(e, _DIRECT) for top in elements for e in walk(top)):
        overlay, styles = _overlay_scripts(m, elements)
    else:  # an element type this module does not render itself: let folium do it
        fig = m.get_root()
        fig.render()  # adds the "add to map" children of shown layers: walk after it
        names = {e.get_name() for top in elements for e in walk(top)}
        overlay = "\n".join(e.render() for name, e in fig.script._children.items() if name in names)
        styles = _STYLE.findall(fig.header.render())
    style = "\n".join(dict.fromkeys([base.style, *styles]))
    return MapParts(
        map_name=base.map_name,
        html=base.html,
        style=style,
        base=base.script,
        overlay=overlay,
        bounds=map_bounds(content, geography),
    )
