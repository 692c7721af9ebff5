"""Tuned bandwidths kept in a small JSON file, so a restarted app need not tune.

Tuning a bandwidth by rolling backtest (:func:`hotspots.forecast.tuning.auto_tune`) takes
seconds; the app does it for every choice of categories, kernel and cell size. The tuning is
deterministic (its budget is a number of candidates, not seconds), so the answer depends only
on the inputs and the code, and it is kept in a file (:func:`cache_path`: ``<store>.tuning.json``
beside a GeoPackage store; in the user's cache folder for a PostgreSQL store) under a key that
records both (the key is a JSON document; the file maps it to the bandwidth in metres):

* the code version (:func:`code_version`): ``hotspots.__version__``, the hash of the tuning
  algorithm's parameters (:data:`hotspots.forecast.tuning.ALGORITHM_HASH`) and
  :data:`CODE_REVISION`, a hash of the source of the modules the result depends on;
* the fingerprint of the inputs (:func:`input_fingerprint`): the version of the store's
  incidents layer (:meth:`~hotspots.store.Store.layer_version`: any change of the incidents
  changes it, logging an action does not), the filters, the kernel, the cell size, the
  working CRS and the geography (its study area, layer files and a hash of its land and
  roads).

An entry whose recorded version or inputs differ from the current ones is never used: it is
a miss, and the next save drops entries of another code version. Reading is best effort: a
missing, unreadable or foreign file is simply a cache miss. Writes replace the file atomically
and keep the newest :data:`MAX_ENTRIES` entries.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from hotspots.core.config import AnalysisConfig, Filters
from hotspots.forecast import tuning
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
    "code_version",
    "geography_fingerprint",
    "input_fingerprint",
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
    "forecast/sepp.py",
    "forecast/streets.py",
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


@functools.cache
def _package_version() -> str:
    import hotspots  # noqa: PLC0415 - the package itself; its version is looked up lazily

    return str(hotspots.__version__)


def code_version() -> dict[str, str]:
    """The code a cached choice was made by: package version, algorithm and source hashes."""
    return {
        "hotspots": _package_version(),
        "tuning": tuning.ALGORITHM_HASH,
        "source": CODE_REVISION,
    }


def _digest(geoms: Any) -> str:
    """Hash of geometries' WKB (order matters), 16 hex digits."""
    digest = hashlib.sha256()
    for wkb in shapely.to_wkb(geoms, hex=False):
        digest.update(wkb or b"")
    return digest.hexdigest()[:16]


def geography_fingerprint(geography: Geography | None) -> dict[str, object] | str:
    """What of a geography a tuned choice depends on: study area, layer files, land and roads.

    ``"data extent"`` without a geography (the study area then follows the incidents).
    """
    if geography is None:
        return "data extent"
    return {
        "study_area": geography.study_area,
        "layers": dict(geography.sources),
        "land": _digest([geography.land]),
        "roads": _digest(geography.roads.geometry.to_numpy()) if len(geography.roads) else "",
    }


def input_fingerprint(
    *,
    data_version: str,
    categories: tuple[str, ...] | None,
    kernel: str,
    cell_m: float,
    crs: str,
    geography: Geography | None,
) -> dict[str, object]:
    """The inputs of a tuned bandwidth, JSON-able (the ``settings`` of :func:`cache_key`).

    Parameters
    ----------
    data_version
        Version of the store's incidents layer.
    categories
        The category filter the tuning applies (``None``: all public categories).
    kernel, cell_m
        The kernel and the grid cell (metres).
    crs
        The working metric CRS.
    geography
        The geography whose land is the study area, or ``None``.
    """
    return {
        "data": data_version,
        "filters": {"categories": None if categories is None else list(categories)},
        "kernel": kernel,
        "cell_m": float(cell_m),
        "crs": crs,
        "geography": geography_fingerprint(geography),
    }


def _user_cache_folder() -> Path:
    """``$XDG_CACHE_HOME/hotspots``, else ``~/.cache/hotspots`` (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "hotspots"


def cache_path(store: StoreRef) -> Path:
    """The cache file of ``store``.

    A GeoPackage store's is ``<store file name>.tuning.json`` in the same folder. A PostgreSQL
    store (a :class:`~hotspots.store.Store` or its ``postgresql://`` URL as a string, never a
    :class:`~pathlib.Path`, which would fold the URL's ``//``) has no folder and offers no table
    for such things: its file is ``<digest>.tuning.json`` in the user's cache folder
    (``$XDG_CACHE_HOME/hotspots``, else ``~/.cache/hotspots``), the digest hashing the URL
    without its password (:attr:`~hotspots.store.Store.location`), so a URL with or without
    the password names the same file and the password is never written.
    """
    folder = store_folder(store)
    if folder is None:
        location = str(open_store(store))  # the URL without its password; nothing connects
        digest = hashlib.sha1(location.encode()).hexdigest()[:16]
        return _user_cache_folder() / f"{digest}.tuning.json"
    path = Path(getattr(store, "path", store))
    return path.with_name(path.name + ".tuning.json")


def cache_key(*, data_version: str, settings: Mapping[str, object]) -> str:
    """One string recording the code version, the data version and the settings.

    A JSON document ``{"code": code_version(), "data": ..., "settings": ...}``, so each entry
    of the file says what made it.
    """
    payload = {"code": code_version(), "data": data_version, "settings": dict(settings)}
    return json.dumps(payload, sort_keys=True, default=str)


def _recorded_code(key: str) -> object:
    """The code version recorded in ``key`` (``None`` when the key is not one of ours)."""
    try:
        payload = json.loads(key)
    except ValueError:
        return None
    return payload.get("code") if isinstance(payload, dict) else None


def _read(path: Path) -> dict[str, float]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}


def load_tuned(store: StoreRef, key: str) -> float | None:
    """The bandwidth (metres) saved under ``key``, or ``None``.

    ``None`` too when the key records another code version than the running one (the
    entry was made by other code: never used).
    """
    if _recorded_code(key) != code_version():
        return None
    return _read(cache_path(store)).get(key)


def save_tuned(store: StoreRef, key: str, bandwidth_m: float) -> None:
    """Save ``bandwidth_m`` (metres) under ``key``; failures are logged, never raised.

    Entries recorded by another code version are dropped.
    """
    path = cache_path(store)
    current = code_version()
    entries = {k: v for k, v in _read(path).items() if _recorded_code(k) == current}
    entries.pop(key, None)
    entries[key] = float(bandwidth_m)
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    tmp: Path | None = None
    try:
        if store_folder(store) is None:  # the user's cache folder may not exist yet
            path.parent.mkdir(parents=True, exist_ok=True)
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

    The key records the code version (:func:`code_version`) and the inputs
    (:func:`input_fingerprint`: the store's incidents layer version, the category filter, the
    kernel, the cell size, the CRS and the geography); an entry whose version or inputs differ
    is not used.

    Parameters
    ----------
    store
        The store, its GeoPackage path or its ``postgresql://`` URL (a string); where the file
        goes: :func:`cache_path`.
    incidents
        The store's incidents (metric CRS).
    geography
        The geography whose land is the study area, or ``None`` (data extent).
    kernel, cell_m, categories
        The settings tuned for (``categories`` ``None``: all public categories).
    """
    data_version = open_store(store).layer_version("incidents")
    settings = input_fingerprint(
        data_version=data_version,
        categories=categories,
        kernel=kernel,
        cell_m=cell_m,
        crs=incidents.crs.to_string(),
        geography=geography,
    )
    key = cache_key(data_version=data_version, settings=settings)
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
