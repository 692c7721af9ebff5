"""Write the demo data set to CSV files and load it into the store (the I/O side of the demo).

:mod:`hotspots.demo` generates the frames without touching files; this module writes them as
``incidents.csv`` and ``survey.csv`` in the data contract of the README (``x``/``y`` in
SWEREF 99 TM, EPSG:3006) and imports them through :func:`hotspots.load.ingest.import_file`, the
same path a user's files take. :func:`ensure_demo_store` fills a store that does not exist yet,
which the app calls on its first run.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from hotspots.demo import DemoData, PlantedCluster, generate_demo
from hotspots.load.ingest import import_file
from hotspots.spatial.crs import DEFAULT_METRIC_CRS
from hotspots.spatial.geography import Geography, default_geography
from hotspots.store import StoreRef, open_store, store_folder

__all__ = [
    "DEFAULT_SEED",
    "INCIDENT_CSV_COLUMNS",
    "SURVEY_CSV_COLUMNS",
    "DemoLoad",
    "ensure_demo_store",
    "load_demo",
    "write_demo_csv",
]

logger = logging.getLogger(__name__)

#: Seed of the demo data set unless another is asked for.
DEFAULT_SEED = 2026

#: Columns of ``incidents.csv``; ``x``/``y`` are EPSG:3006 metres.
INCIDENT_CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "occurred_until",
    "category",
    "x",
    "y",
    "precision",
    "source",
    "description",
)
#: Columns of ``survey.csv``; ``x``/``y`` are EPSG:3006 metres.
SURVEY_CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "x",
    "y",
    "unsafe",
    "time_of_day",
    "reason",
    "source",
    "date",
)


@dataclass(frozen=True, slots=True)
class DemoLoad:
    """What :func:`load_demo` wrote and imported.

    Attributes
    ----------
    incidents_csv, survey_csv
        The files written.
    incidents, survey
        The import summaries (``accepted``, ``inserted``, ``updated``, ``rejected``, ...).
    truth
        The planted clusters of the generated data.
    """

    incidents_csv: Path
    survey_csv: Path
    incidents: Any
    survey: Any
    truth: list[PlantedCluster]


def _iso(values: pd.Series) -> list[str]:
    return ["" if pd.isna(t) else t.isoformat() for t in values]


def write_demo_csv(
    data: DemoData, out_dir: Path, *, crs: str = DEFAULT_METRIC_CRS
) -> tuple[Path, Path]:
    """Write ``incidents.csv`` and ``survey.csv`` (UTF-8, comma-separated) into ``out_dir``.

    Parameters
    ----------
    data
        The output of :func:`hotspots.demo.generate_demo`.
    out_dir
        Folder, created when missing.
    crs
        CRS of the ``x``/``y`` columns (the frames are reprojected to it).

    Returns
    -------
    tuple of Path
        The two files.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    inc: gpd.GeoDataFrame = data.incidents.to_crs(crs)
    incidents = pd.DataFrame(
        {
            "id": inc["id"].astype(str),
            "occurred_at": _iso(inc["occurred_at"]),
            "occurred_until": _iso(inc["occurred_until"]),
            "category": inc["category"].astype(str),
            "x": inc.geometry.x.round(1),
            "y": inc.geometry.y.round(1),
            "precision": inc["precision"].astype(str),
            "source": inc["source"].astype(str),
            "description": inc["description"].astype(str),
        },
        columns=list(INCIDENT_CSV_COLUMNS),
    )
    sv: gpd.GeoDataFrame = data.survey.to_crs(crs)
    survey = pd.DataFrame(
        {
            "id": sv["id"].astype(str),
            "x": sv.geometry.x.round(1),
            "y": sv.geometry.y.round(1),
            "unsafe": sv["unsafe"].astype(int),
            "time_of_day": sv["time_of_day"].astype(str),
            "reason": sv["reason"].astype(str),
            "source": sv["source"].astype(str),
            "date": sv["date"].dt.strftime("%Y-%m-%d"),
        },
        columns=list(SURVEY_CSV_COLUMNS),
    )
    inc_path = out_dir / "incidents.csv"
    sv_path = out_dir / "survey.csv"
    for frame, path in ((incidents, inc_path), (survey, sv_path)):
        # written aside and renamed: a concurrent reader sees the old or the new file, whole
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        frame.to_csv(tmp, index=False, encoding="utf-8")
        tmp.replace(path)
    return inc_path, sv_path


def load_demo(
    db: StoreRef,
    *,
    seed: int = DEFAULT_SEED,
    end: dt.date | None = None,
    out_dir: Path | None = None,
    geography: Geography | None = None,
    years: int = 2,
) -> DemoLoad:
    """Generate the demo data, write its CSV files and import them into the store ``db``.

    Parameters
    ----------
    db
        The GeoPackage store (created when missing).
    seed
        Seed of the generator.
    end
        The data end with the last complete ISO week before this date (default today).
    out_dir
        Folder of the CSV files (default ``demo`` beside the store).
    geography
        Base layers (default the demo geography of Karlstad).
    years
        Length of the data in years of 52 ISO weeks.
    """
    # imported here so that the demo command stays available while ingest is being changed

    geo = geography if geography is not None else default_geography()
    data = generate_demo(geo, seed=seed, end=end or dt.date.today(), years=years)
    folder = out_dir if out_dir is not None else _demo_folder(db)
    inc_path, sv_path = write_demo_csv(data, folder, crs=geo.crs.to_string())
    crs = geo.crs.to_string()
    inc_summary = import_file(inc_path, db=db, kind="incidents", crs=crs)
    sv_summary = import_file(sv_path, db=db, kind="survey", crs=crs)
    logger.info("demo data (seed %s) written to %s and loaded into %s", seed, folder, db)
    return DemoLoad(inc_path, sv_path, inc_summary, sv_summary, data.truth)


def _demo_folder(db: StoreRef) -> Path:
    """Where the demo CSV files go: ``demo`` beside a GeoPackage store, else a temp folder."""
    folder = store_folder(db)
    return folder / "demo" if folder is not None else Path(tempfile.gettempdir()) / "hotspots-demo"


def ensure_demo_store(
    db: StoreRef,
    *,
    seed: int = DEFAULT_SEED,
    end: dt.date | None = None,
    out_dir: Path | None = None,
) -> bool:
    """Fill a store with the demo data only when there is nothing at ``db`` yet.

    A GeoPackage path that exists in any form (a store, a store being written, a file that
    cannot be opened) is never touched; a PostgreSQL database is filled only while it has no
    store layers. A store that cannot be opened raises
    :class:`~hotspots.core.errors.StoreError` rather than being taken for absent.

    Returns
    -------
    bool
        ``True`` when the demo was generated and imported, ``False`` when something was there.
    """
    if open_store(db).occupied():
        return False
    load_demo(db, seed=seed, end=end, out_dir=out_dir)
    return True
