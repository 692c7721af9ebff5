"""Offline web assets: Leaflet, jQuery, markercluster, proj4js and Proj4Leaflet from PyPI packages.

Police networks often block CDNs, so no JavaScript or CSS of the map may come from the
internet. The files ship in packages installed from PyPI: Leaflet, jQuery and
Leaflet.markercluster in ``xstatic-leaflet``, ``xstatic-jquery`` and
``xstatic-leaflet-markercluster``; proj4js and Proj4Leaflet (a map in SWEREF 99 TM under a
basemap in that CRS, :mod:`hotspots.render.leaflet.basemap`) in ``django-leaflet``, whose
static folder is found with :func:`importlib.util.find_spec` and read as files: Django is
never imported. This module reads them and returns them as text or as ``data:`` URLs (with
the images that Leaflet's CSS refers to inlined too), so a map page needs no request at all
for its own code.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from xstatic.pkg import jquery as _xs_jquery
from xstatic.pkg import leaflet as _xs_leaflet
from xstatic.pkg import leaflet_markercluster as _xs_markercluster

from hotspots.core.errors import HotspotsError

__all__ = [
    "ASSETS",
    "PROJ_ASSETS",
    "Asset",
    "asset_bytes",
    "asset_text",
    "asset_versions",
    "data_url",
    "inline_tags",
    "js_css_links",
    "map_asset_names",
    "map_component_page",
]

AssetKind = Literal["js", "css"]


@dataclass(frozen=True, slots=True)
class Asset:
    """One JavaScript or CSS file of an installed package.

    Attributes
    ----------
    name
        Key used by folium (``"leaflet"``, ``"leaflet_css"``, ...).
    kind
        ``"js"`` or ``"css"``.
    base_dir
        The package's data folder.
    filename
        File inside ``base_dir``.
    version
        Upstream version of the packaged library.
    """

    name: str
    kind: AssetKind
    base_dir: str
    filename: str
    version: str

    @property
    def path(self) -> Path:
        """Absolute path of the file."""
        return Path(self.base_dir) / self.filename


#: Every asset a map needs, in load order (jQuery before folium's popups, Leaflet before plugins).
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet", "js", _xs_leaflet.BASE_DIR, "leaflet.js", _xs_leaflet.VERSION),
    Asset("jquery", "js", _xs_jquery.BASE_DIR, "jquery.min.js", _xs_jquery.VERSION),
    Asset(
        "markercluster",
        "js",
        _xs_markercluster.BASE_DIR,
        "leaflet.markercluster.js",
        _xs_markercluster.VERSION,
    ),
    Asset("leaflet_css", "css", _xs_leaflet.BASE_DIR, "leaflet.css", _xs_leaflet.VERSION),
    Asset(
        "markercluster_css",
        "css",
        _xs_markercluster.BASE_DIR,
        "MarkerCluster.css",
        _xs_markercluster.VERSION,
    ),
    Asset(
        "markercluster_default_css",
        "css",
        _xs_markercluster.BASE_DIR,
        "MarkerCluster.Default.css",
        _xs_markercluster.VERSION,
    ),
)

#: The distribution that ships proj4js and Proj4Leaflet, and its import package's folder.
_PROJ_DIST, _PROJ_PACKAGE = "django-leaflet", "leaflet"
#: SHA-256 of Proj4Leaflet 1.0.2's ``src/proj4leaflet.js`` (kartena/Proj4Leaflet, tag 1.0.2).
_PROJ4LEAFLET_1_0_2 = "fdb7fe47dcd594e7c830d0ee3694ef88b4032537268dc2f3b58f49a1d7161c12"


def _proj_static_dir() -> str:
    """``leaflet/static/leaflet`` of the installed django-leaflet, found without importing it.

    ``find_spec`` of a top-level package locates it without running its ``__init__`` (which
    would import Django and ask for its settings). Empty when the package is absent; reading
    an asset then fails with a message naming the package.
    """
    spec = importlib.util.find_spec(_PROJ_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return str(Path(locations[0]) / "static" / "leaflet") if locations else ""


def _proj_versions(base_dir: str) -> tuple[str, str]:
    """Versions of the packaged proj4js (from its text) and Proj4Leaflet (from its digest)."""
    try:
        dist = importlib.metadata.version(_PROJ_DIST)
    except importlib.metadata.PackageNotFoundError:
        return "missing", "missing"
    fallback = f"{_PROJ_DIST} {dist}"
    try:
        proj4 = (Path(base_dir) / "proj4.js").read_text(encoding="utf-8")
        p4l = (Path(base_dir) / "proj4leaflet.js").read_bytes()
    except OSError:
        return fallback, fallback
    found = re.search(r'\.version\s*=\s*"(\d+\.\d+\.\d+)"', proj4)
    p4l_version = "1.0.2" if hashlib.sha256(p4l).hexdigest() == _PROJ4LEAFLET_1_0_2 else fallback
    return (found.group(1) if found else fallback), p4l_version


_PROJ_DIR = _proj_static_dir()
_PROJ4_VERSION, _PROJ4LEAFLET_VERSION = _proj_versions(_PROJ_DIR)
#: proj4js and Proj4Leaflet, after Leaflet: a map in a projected CRS (a SWEREF 99 TM basemap).
PROJ_ASSETS: tuple[Asset, ...] = (
    Asset("proj4", "js", _PROJ_DIR, "proj4.js", _PROJ4_VERSION),
    Asset("proj4leaflet", "js", _PROJ_DIR, "proj4leaflet.js", _PROJ4LEAFLET_VERSION),
)
#: Every asset in load order: a page that includes the projection assets loads them last.
_ALL: tuple[Asset, ...] = ASSETS + PROJ_ASSETS
_BY_NAME: dict[str, Asset] = {a.name: a for a in _ALL}


def map_asset_names(*, projected: bool) -> tuple[str, ...]:
    """The assets a map loads: :data:`ASSETS`, and :data:`PROJ_ASSETS` for a projected map."""
    return tuple(a.name for a in (_ALL if projected else ASSETS))


_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.MULTILINE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:|#)([^'\")]+)\1\s*\)")
_MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml"}


def _asset(name: str) -> Asset:
    try:
        return _BY_NAME[name]
    except KeyError:
        msg = f"unknown asset {name!r}; known: {', '.join(_BY_NAME)}"
        raise HotspotsError(msg) from None


def asset_bytes(path: Path) -> bytes:
    """Read one packaged file, with an actionable error when the package is missing."""
    try:
        return path.read_bytes()
    except OSError as exc:
        msg = (
            f"web asset {path} is missing; reinstall the packages that ship them (uv sync "
            "installs xstatic-leaflet, xstatic-jquery, xstatic-leaflet-markercluster and "
            "django-leaflet)"
        )
        raise HotspotsError(msg) from exc


def _inline_css_urls(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` references by ``data:`` URLs of the packaged images."""

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        target = (base / ref).resolve()
        mime = _MIME.get(target.suffix.lower())
        if mime is None or not target.is_file():
            # a reference we cannot inline (e.g. IE's #default#VML): drop it, never fetch
            return "none"
        return f"url({data_url(asset_bytes(target), mime)})"

    return _CSS_URL.sub(repl, css)


@functools.cache
def asset_text(name: str) -> str:
    """The text of asset ``name``, ready to inline.

    Source-map comments are removed (they would make developer tools fetch a file) and CSS
    ``url(...)`` references to images are replaced by ``data:`` URLs.
    """
    asset = _asset(name)
    text = asset_bytes(asset.path).decode("utf-8")
    text = _SOURCE_MAP.sub("", text)
    if asset.kind == "css":
        text = _inline_css_urls(text, asset.path.parent)
    return text


def data_url(content: bytes | str, mime: str) -> str:
    """A base64 ``data:`` URL of ``content``."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


@functools.cache
def _asset_data_url(name: str) -> str:
    asset = _asset(name)
    mime = "text/javascript" if asset.kind == "js" else "text/css"
    return data_url(asset_text(name), mime)


def js_css_links(
    names: tuple[str, ...] | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(default_js, default_css)`` lists in folium's format, every URL a ``data:`` URL.

    Parameters
    ----------
    names
        Asset names to include (default: every asset, :data:`ASSETS` and
        :data:`PROJ_ASSETS`; a map takes :func:`map_asset_names`).

    Returns
    -------
    tuple
        ``[(name, url), ...]`` for scripts and for style sheets; setting them as a folium
        element's ``default_js``/``default_css`` makes the map load nothing from a CDN (the
        app's map component inlines the same files through :func:`map_component_page`).
    """
    chosen = [a for a in _ALL if names is None or a.name in names]
    js = [(a.name, _asset_data_url(a.name)) for a in chosen if a.kind == "js"]
    css = [(a.name, _asset_data_url(a.name)) for a in chosen if a.kind == "css"]
    return js, css


def inline_tags(names: tuple[str, ...] | None = None) -> str:
    """``<style>`` and ``<script>`` tags holding the assets' text, for a standalone page.

    ``names`` default to every asset (:data:`ASSETS` and :data:`PROJ_ASSETS`).
    """
    parts: list[str] = []
    for a in _ALL:
        if names is not None and a.name not in names:
            continue
        text = asset_text(a.name)
        if a.kind == "css":
            parts.append(f"<style>/* {a.filename} {a.version} */\n{text}\n</style>")
        else:
            # no asset contains "</script", so it can sit in a script element verbatim
            if "</script" in text.lower():
                msg = f"asset {a.name} contains </script and cannot be inlined"
                raise HotspotsError(msg)
            parts.append(f"<script>/* {a.filename} {a.version} */\n{text}\n</script>")
    return "\n".join(parts)


def asset_versions() -> dict[str, str]:
    """Upstream versions of the packaged libraries, e.g. ``{"leaflet": "1.9.3", ...}``.

    proj4js's is the version its file states; Proj4Leaflet's is ``1.0.2`` when the file is
    that release's (by its SHA-256), else ``django-leaflet <version>``.
    """
    return {a.name: a.version for a in _ALL if a.kind == "js"}


#: The app's map component (a Streamlit component frame, protocol version 1): the page holds
#: Leaflet and the plugins inline, so the frame loads them once; each render message brings
#: ``base`` and ``overlay`` scripts (see :class:`hotspots.render.leaflet.MapParts`). A new ``base``
#: makes a new map; a new ``overlay`` only replaces the layers, controls and map handlers the
#: previous overlay created (recorded through Leaflet's init hooks while it ran), so the
#: frame, the geography and the view stay on a filter change.
_COMPONENT_JS = """
(function () {
  "use strict";
  var shown = {style: null, base: null, overlay: null, mapName: null, undo: null};
  var recording = null;
  L.Layer.addInitHook(function () { if (recording) { recording.layers.push(this); } });
  L.Control.addInitHook(function () { if (recording) { recording.controls.push(this); } });

  function post(type, extra) {
    var msg = {isStreamlitMessage: true, type: type};
    for (var k in extra) { msg[k] = extra[k]; }
    window.parent.postMessage(msg, "*");
  }
  // layers ask for data left out of the overlay (incident points at street zoom): the
  // component's value becomes {what: true, ...}, which reruns the app with that data
  var wanted = {};
  window.hsRequest = function (what) {
    if (wanted[what]) { return; }
    wanted[what] = true;
    post("streamlit:setComponentValue", {value: wanted, dataType: "json"});
  };
  function undoOverlay() {
    var rec = shown.undo;
    shown.undo = null;
    if (!rec) { return; }
    rec.controls.forEach(function (c) { c.remove(); });
    rec.layers.forEach(function (l) { if (rec.map.hasLayer(l)) { rec.map.removeLayer(l); } });
    rec.handlers.forEach(function (h) { rec.map.off.apply(rec.map, h); });
  }
  function runBase(args) {
    undoOverlay();
    var old = shown.mapName && window[shown.mapName];
    if (old) { old.remove(); }
    document.getElementById("hs-root").innerHTML = args.html;
    var script = document.createElement("script");
    script.text = args.base;
    document.body.appendChild(script);
    shown.mapName = args.map_name;
    var map = window[args.map_name];
    // not animated: a zoom by the user (or a script) right after must not be undone by it
    if (args.bounds) { map.fitBounds(args.bounds, {animate: false}); }
  }
  function runOverlay(code) {
    undoOverlay();
    var map = window[shown.mapName];
    var rec = {map: map, layers: [], controls: [], handlers: []};
    map.on = function () {
      rec.handlers.push(Array.prototype.slice.call(arguments));
      return L.Map.prototype.on.apply(this, arguments);
    };
    recording = rec;
    try {
      (new Function(code))();
    } finally {
      recording = null;
      delete map.on;
      shown.undo = rec;
    }
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "streamlit:render") { return; }
    var args = data.args;
    try {
      document.getElementById("hs-root").style.height = args.frame_height + "px";
      if (args.style !== shown.style) {
        document.getElementById("hs-style").textContent = args.style;
        shown.style = args.style;
      }
      if (args.base !== shown.base || !window[args.map_name]) {
        shown.base = args.base;
        shown.overlay = null;
        runBase(args);
      }
      if (args.overlay !== shown.overlay) {
        shown.overlay = args.overlay;
        var started = performance.now();
        runOverlay(args.overlay);
        // for benchmarks/app_bench.py: overlay script time, and when the frame after it
        // was painted (two animation frames later)
        window.hsOverlayMs = performance.now() - started;
        requestAnimationFrame(function () {
          requestAnimationFrame(function () { window.hsPaintedAt = Date.now(); });
        });
      }
    } finally {
      post("streamlit:setFrameHeight", {height: args.frame_height});
    }
  });
  post("streamlit:componentReady", {apiVersion: 1});
})();
"""


def map_component_page() -> str:
    """``index.html`` of the app's map component: Leaflet and plugins inline, no request.

    proj4js and Proj4Leaflet are inline too (about 85 kB), so the same page draws a map in
    SWEREF 99 TM when the app's basemap is in that CRS; they define ``proj4`` and ``L.Proj``
    only and change nothing of Leaflet's own.

    Returns
    -------
    str
        A complete page; its script takes render messages with the fields of
        :class:`hotspots.render.leaflet.MapParts` plus ``frame_height`` (pixels).
    """
    return (
        '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        f"{inline_tags()}\n"
        '<style id="hs-style"></style>\n'
        "<style>html, body { margin: 0; padding: 0; }</style>\n"
        "</head>\n<body>\n"
        '<div id="hs-root" style="width:100%;height:600px"></div>\n'
        f"<script>{_COMPONENT_JS}</script>\n"
        "</body>\n</html>\n"
    )
