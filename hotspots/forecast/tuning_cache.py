"""Tuned bandwidths kept in a small JSON file beside the store, so a restarted app need not tune.

Tuning a bandwidth by rolling backtest (:func:`hotspots.forecast.tuning.auto_tune`) takes
seconds; the app does it for every choice of categories, kernel and cell size. The answer
depends only on the data, those settings, the study area and the tuning code, so it is kept in
``<store>.tuning.json`` under a key of all of them:

* the version of the store's incidents layer (:meth:`~hotspots.store.Store.layer_version`:
  any change of the incidents changes it, logging an action does not);
* the settings, the working CRS and the study area (the geography's layers and extent);
* :data:`CODE_REVISION`, a hash of the source of the modules the result depends on (a changed
  tuning rule never serves an old answer).

Reading is best effort: a missing, unreadable or foreign file is simply a cache miss. Writes
replace the file atomically and keep the newest :data:`MAX_ENTRIES` entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from hotspots.core.config import AnalysisConfig, Filters
from hotspots.forecast.analysis import run_analysis
from hotspots.store import StoreRef, open_store, store_folder

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.spatial.geography import Geography

__all__ = [
    "CODE_REVISION",
    "MAX_ENTRIES",
    "cache_key",
    "cache_path",
    "load_tuned",
    "save_tuned",
    "tuned_bandwidth",
]

logger = logging.getLogger(__name__)

#: Most entries kept in one file (the oldest go first).
MAX_ENTRIES = 64

#: Source files (relative to the package) the tuned bandwidth depends on.
_DEPENDS_ON = (
    "engine/analysis.py",
    "forecast/tuning.py",
    "forecast/methods.py",
    "forecast/backtesting.py",
    "forecast/metrics.py",
    "engine/kde.py",
    "spatial/grid.py",
    "engine/select.py",
)


def _code_revision() -> str:
    digest = hashlib.sha1()
    package = Path(__file__).resolve().parents[1]
    for name in _DEPENDS_ON:
        with contextlib.suppress(OSError):
            digest.update((package / name).read_bytes())
    return digest.hexdigest()[:16]


#: Hash of the tuning code; part of every key.
CODE_REVISION = _code_revision()


def cache_path(store: StoreRef) -> Path:
    """The cache file of ``store``: ``<store file name>.tuning.json`` in the same folder.

    A PostgreSQL store has no folder: its file is ``~/.cache/hotspots/<digest of the
    URL>.tuning.json``.
    """
    folder = store_folder(store)
    if folder is None:
        digest = hashlib.sha1(str(open_store(store)).encode()).hexdigest()[:16]
        cache = Path.home() / ".cache" / "hotspots"
        cache.mkdir(parents=True, exist_ok=True)
        return cache / f"{digest}.tuning.json"
    path = Path(getattr(store, "path", store))
    return path.with_name(path.name + ".tuning.json")


def cache_key(*, data_version: str, settings: Mapping[str, object]) -> str:
    """One string for the data version, the settings (JSON-able values) and the code."""
    payload = {"data": data_version, "code": CODE_REVISION, "settings": dict(settings)}
    return json.dumps(payload, sort_keys=True, default=str)


def _read(path: Path) -> dict[str, float]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}


def load_tuned(store: StoreRef, key: str) -> float | None:
    """The bandwidth (metres) saved under ``key``, or ``None``."""
    return _read(cache_path(store)).get(key)


def save_tuned(store: StoreRef, key: str, bandwidth_m: float) -> None:
    """Save ``bandwidth_m`` (metres) under ``key``; failures are logged, never raised."""
    path = cache_path(store)
    entries = _read(path)
    entries.pop(key, None)
    entries[key] = float(bandwidth_m)
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(kept, fh, ensure_ascii=False, indent=0)
        os.replace(tmp, path)
    except OSError as exc:
        logger.warning("could not save the tuned bandwidth to %s: %s", path, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def tuned_bandwidth(
    store: StoreRef,
    *,
    incidents: gpd.GeoDataFrame,
    geography: Geography | None,
    kernel: str,
    cell_m: float,
    categories: tuple[str, ...] | None,
) -> float:
    """The automatic bandwidth (metres) for these settings: from the file, else tuned and saved.

    The key holds the store's incidents layer version (:meth:`~hotspots.store.Store.
    layer_version`: logging an action does not invalidate it), the study area (the
    geography's layers and :attr:`~hotspots.spatial.geography.Geography.study_area`, or the data
    extent), the settings and :data:`CODE_REVISION`.

    Parameters
    ----------
    store
        The store's GeoPackage (the file goes beside it).
    incidents
        The store's incidents (metric CRS).
    geography
        The geography whose land is the study area, or ``None`` (data extent).
    kernel, cell_m, categories
        The settings tuned for (``categories`` ``None``: all public categories).
    """
    area = (
        "data extent"
        if geography is None
        else {"study_area": geography.study_area, "layers": dict(geography.sources)}
    )
    settings = {
        "kernel": kernel,
        "cell_m": float(cell_m),
        "categories": categories,
        "area": area,
        "crs": incidents.crs.to_string(),
    }
    key = cache_key(data_version=open_store(store).layer_version("incidents"), settings=settings)
    saved = load_tuned(store, key)
    if saved is not None:
        return saved
    config = AnalysisConfig(
        kernel=kernel,  # type: ignore[arg-type]
        bandwidth_m=None,
        cell_m=float(cell_m),
        filters=Filters(categories=categories),
        metric_crs=incidents.crs.to_string(),
    )
    tuned = float(run_analysis(incidents, config=config, geography=geography).config.bandwidth_m)
    save_tuned(store, key, tuned)
    return tuned
