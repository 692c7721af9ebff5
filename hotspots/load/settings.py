"""Where a command or the app finds its store and its geography.

An explicit argument wins, then the environment (``HOTSPOTS_DB``, ``HOTSPOTS_GEOGRAPHY``), then
the default: the store ``data/hotspots.gpkg`` in the current folder and the demo geography of
Karlstad that ships with the package.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from hotspots.store import is_database_url

if TYPE_CHECKING:
    import pandas as pd

    from hotspots.spatial.geography import Geography

__all__ = [
    "DEFAULT_DB",
    "analysis_geography",
    "base_geography",
    "geography_config",
    "resolve_store_ref",
]

#: The default store: a GeoPackage in the folder the command starts in.
DEFAULT_DB = Path("data/hotspots.gpkg")


def resolve_store_ref(db: str | Path | None) -> Path | str:
    """The store: ``db``, else ``HOTSPOTS_DB``, else ``data/hotspots.gpkg``.

    Returns
    -------
    pathlib.Path or str
        A GeoPackage path, or a ``postgresql://`` URL as given.
    """
    given = db if db is not None else os.environ.get("HOTSPOTS_DB") or DEFAULT_DB
    if is_database_url(given):
        return str(given).strip()
    return Path(given)


def geography_config(config: Path | None) -> Path | None:
    """The geography config file: ``--geography``, else ``HOTSPOTS_GEOGRAPHY``, else none."""
    if config is not None:
        return config
    env = os.environ.get("HOTSPOTS_GEOGRAPHY")
    return Path(env) if env else None


def base_geography(config: Path | None, *, metric_crs: str) -> Geography:
    """The user's layers when a config file is given (or set in the environment), else the demo."""
    from hotspots.spatial.geography import default_geography, load_geography  # noqa: PLC0415 - geopandas; the CLI starts without it

    path = geography_config(config)
    if path is not None:
        return load_geography(config=path, metric_crs=metric_crs)
    return default_geography(metric_crs)


def analysis_geography(
    incidents: pd.DataFrame,
    *,
    metric_crs: str,
    config: Path | None,
    study_area: str,
) -> Geography | None:
    """The geography for an analysis of ``incidents``, cut to ``study_area``.

    With a config file (``--geography`` or ``HOTSPOTS_GEOGRAPHY``) its layers are used; else
    the demo geography when most incidents lie in Karlstad; else ``None`` (foreign data: the
    engine takes the data's extent as study area).
    """
    from hotspots.spatial.geography import check_study_area  # noqa: PLC0415 - geopandas; the CLI starts without it

    check_study_area(study_area)
    if geography_config(config) is not None:
        return base_geography(config, metric_crs=metric_crs).with_study_area(study_area)
    from hotspots.spatial.geography import choose_geography  # noqa: PLC0415 - geopandas; the CLI starts without it

    geography = choose_geography(incidents, metric_crs)
    return None if geography is None else geography.with_study_area(study_area)


