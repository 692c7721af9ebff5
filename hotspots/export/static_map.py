"""PNG and PDF map files made without a browser.

The page itself is drawn by :func:`hotspots.render.static_map.render_static_map` (the one
static-map renderer, shared with the lägesbild's figures); this module writes it to a file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, t
from hotspots.render.privacy import MapContent
from hotspots.render.static_map import BackdropSource, render_static_map

__all__ = ["FORMATS", "render_static_map", "write_static_map"]

logger = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("png", "pdf")


def write_static_map(
    content: MapContent,
    path: Path,
    *,
    geography: Any | None = None,
    lang: Lang = "sv",
    title: str | None = None,
    dpi: int = 200,
    backdrop: BackdropSource | None = None,
) -> Path:
    """Write the map page as PNG or PDF (chosen by the suffix of ``path``).

    ``backdrop`` draws a basemap under the map (:func:`hotspots.export.backdrop.basemap_backdrop`).

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
    fig = render_static_map(content, geography=geography, lang=lang, title=title, backdrop=backdrop)
    metadata = {"Title": title or t("title", lang)}
    if fmt == "pdf":
        metadata["Creator"] = "hotspots"
    fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
    logger.info("wrote %s", path)
    return path
