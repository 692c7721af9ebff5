"""Where analysis commands get their frames: an input file or the store.

An input file is read and validated like an import, but not stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from hotspots.io import read_file
from hotspots.store import StoreRef, open_store

__all__ = ["load_incidents", "load_survey"]

logger = logging.getLogger(__name__)


def _load(
    kind: str,
    input: Path | None,
    *,
    db: StoreRef,
    fmt: str,
    crs: str | None,
    category_map: Path | Mapping[str, str] | None,
    analysis_only: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> pd.DataFrame:
    if input is None:
        if meanwhile is not None:
            meanwhile()
        store = open_store(db)
        return store.incidents() if kind == "incidents" else store.survey()
    frame, rejects = read_file(
        Path(input),
        kind=kind,
        fmt=fmt,
        crs=crs,
        category_map=category_map,  # type: ignore[arg-type]
        analysis_only=analysis_only,
        meanwhile=meanwhile,
    )
    if len(rejects):
        first = rejects.iloc[0]
        logger.warning(
            "%s: %d row(s) rejected (e.g. row %s, %s: %s); `hotspots import` writes them all "
            "to a rejects file",
            Path(input).name,
            rejects["row"].nunique(),
            first["row"],
            first["column"],
            first["reason"],
        )
    return frame


def load_incidents(
    input: Path | None,
    *,
    db: StoreRef,
    fmt: str = "auto",
    crs: str | None = None,
    category_map: Path | Mapping[str, str] | None = None,
    analysis_only: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> pd.DataFrame:
    """Incidents from ``input`` (any import format; validated, not stored) or the store.

    Parameters
    ----------
    input
        A file, or ``None`` to read the store ``db``.
    db
        The store.
    fmt, crs, category_map
        As for ``hotspots import``.
    analysis_only
        For a file: return a point incident frame of the columns an analysis reads (faster
        for one analysis of a large file; see :mod:`hotspots.core.schema`). The store's incidents
        are always a full incident frame.
    meanwhile
        Other work for this process while the incidents are read (see
        :func:`hotspots.io.read_file`): done while a second process validates a large file.

    Returns
    -------
    pandas.DataFrame
        An incident frame (GeoDataFrame) or a point incident frame, in a metric CRS: the
        store's, or for a file EPSG:3006 when the data are Swedish and the data's UTM zone
        elsewhere. Rejected rows are left out (a warning is logged).

    Raises
    ------
    InputFileError
        When the file cannot be read, or there is no store and no input.
    """
    return _load(
        "incidents",
        input,
        db=db,
        fmt=fmt,
        crs=crs,
        category_map=category_map,
        analysis_only=analysis_only,
        meanwhile=meanwhile,
    )


def load_survey(
    input: Path | None,
    *,
    db: StoreRef,
    fmt: str = "auto",
    crs: str | None = None,
    category_map: Path | Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Survey and dialogue marks from ``input`` or the store (see :func:`load_incidents`)."""
    return _load("survey", input, db=db, fmt=fmt, crs=crs, category_map=category_map)
