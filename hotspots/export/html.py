"""The standalone HTML map: one file, every script and style inlined, renders with no internet.

Built by :func:`hotspots.render.leaflet.build_map` (so it is the app's map), rendered by folium, and
then every ``<script src="data:...">`` and ``<link href="data:...">`` of the packaged assets
is replaced by an inline ``<script>``/``<style>`` element holding the same text, so the file
is readable and auditable and needs no request at all, not even for a ``data:`` URL.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from hotspots.core.errors import InputSchemaError
from hotspots.render import assets
from hotspots.render.leaflet import MapOptions, build_map, escape_html, map_html
from hotspots.render.privacy import MapContent

__all__ = ["inline_assets", "standalone_html", "write_html"]

logger = logging.getLogger(__name__)

_REMOTE = re.compile(
    r"""<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE
)


def inline_assets(page: str) -> str:
    """Replace the ``data:`` URL tags of the packaged assets by inline elements.

    Raises
    ------
    InputSchemaError
        When the page still refers to a script or style sheet on another host.
    """
    if _REMOTE.search(page):
        msg = "the map page refers to a remote script or style sheet; it would not work offline"
        raise InputSchemaError(msg)
    js, css = assets.js_css_links()
    for name, url in js:
        tag = re.compile(r'<script\s+src="' + re.escape(url) + r'"\s*>\s*</script>')
        page = tag.sub(lambda _m, n=name: assets.inline_tags((n,)), page, count=1)
        page = tag.sub("", page)
    for name, url in css:
        tag = re.compile(r'<link\s+rel="stylesheet"\s+href="' + re.escape(url) + r'"\s*/?>')
        page = tag.sub(lambda _m, n=name: assets.inline_tags((n,)), page, count=1)
        page = tag.sub("", page)
    return page


def standalone_html(
    content: MapContent,
    *,
    geography: Any | None = None,
    options: MapOptions | None = None,
) -> str:
    """The complete standalone HTML page of the map of ``content``."""
    m = build_map(content, geography=geography, options=options)
    page = inline_assets(map_html(m))
    title = (options.title if options and options.title else None) or "hotspots"
    return page.replace("<head>", f"<head>\n<title>{escape_html(title)}</title>", 1)


def write_html(
    content: MapContent,
    path: Path,
    *,
    geography: Any | None = None,
    options: MapOptions | None = None,
) -> Path:
    """Write the standalone HTML map to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(
        standalone_html(content, geography=geography, options=options), encoding="utf-8"
    )
    logger.info("wrote %s", path)
    return path
