"""Options shared by the commands (``--db``, filters, analysis options) and their parsing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.core.config import (
    KERNELS,
    AnalysisConfig,
    Filters,
    parse_categories,
    parse_hours,
    parse_weekdays,
)
from hotspots.core.errors import InputSchemaError
from hotspots.load.settings import DEFAULT_DB, resolve_store_ref
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S, open_store

if TYPE_CHECKING:
    from hotspots.engine.harm_weights import HarmWeights
    from hotspots.store.base import Store

__all__ = [
    "DEFAULT_DB",
    "AreaOpt",
    "BandwidthOpt",
    "BasemapCrsOpt",
    "BasemapGridOpt",
    "BasemapOpt",
    "BusyTimeoutOpt",
    "CategoryOpt",
    "CellOpt",
    "CoverageOpt",
    "CrsOpt",
    "DbOpt",
    "HoursOpt",
    "KernelOpt",
    "MethodOpt",
    "MetricCrsOpt",
    "MinIncidentsOpt",
    "SinceOpt",
    "UntilOpt",
    "WeekdaysOpt",
    "WeightsOpt",
    "build_config",
    "build_filters",
    "open_db",
    "parse_date",
    "parse_weights",
    "resolve_db",
]



def resolve_db(db: str | Path | None) -> Path | str:
    """The store: ``--db``, else ``HOTSPOTS_DB``, else ``data/hotspots.gpkg``."""
    return resolve_store_ref(db)


def open_db(db: str | Path | None, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Store:
    """The store named by ``--db`` (see :func:`resolve_db`), waiting ``busy_timeout_s``."""
    return open_store(resolve_db(db), busy_timeout_s=busy_timeout_s)


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store: a GeoPackage file (default data/hotspots.gpkg) or a PostgreSQL URL "
        "postgresql://user@host:port/dbname; default $HOTSPOTS_DB.",
    ),
]
BusyTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--busy-timeout",
        min=0,
        help="Seconds to wait while another command writes to the store, then give up.",
    ),
]
CategoryOpt = Annotated[
    list[str] | None,
    typer.Option("--category", help="Category code or label; repeatable."),
]
AreaOpt = Annotated[
    str | None, typer.Option("--area", help="Problem area: violence, unsafe or drugs_alcohol.")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="First date, YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Date after the last, YYYY-MM-DD.")]
HoursOpt = Annotated[
    str | None, typer.Option("--hours", help="Hours of day, e.g. 22-04 (wraps midnight).")
]
WeekdaysOpt = Annotated[str | None, typer.Option("--weekdays", help="e.g. fri,sat")]
CrsOpt = Annotated[
    str | None, typer.Option("--crs", help="CRS of x/y input columns (default EPSG:3006).")
]
MetricCrsOpt = Annotated[
    str | None,
    typer.Option("--metric-crs", help="Working CRS in metres (default EPSG:3006 / UTM zone)."),
]
KernelOpt = Annotated[str, typer.Option("--kernel", help=f"Kernel: {', '.join(KERNELS)}.")]
BandwidthOpt = Annotated[str, typer.Option("--bandwidth-m", help="Bandwidth in metres, or auto.")]
CellOpt = Annotated[float, typer.Option("--cell-m", help="Grid cell size in metres.")]
MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        help="kde, or auto: pick method, bandwidth and cell size by rolling backtest.",
    ),
]
MinIncidentsOpt = Annotated[
    int,
    typer.Option(
        "--min-incidents",
        help="Smallest number of incidents a hotspot must hold (smaller groups are dropped).",
    ),
]
CoverageOpt = Annotated[
    float, typer.Option("--coverage", help="Share of the study area that becomes hotspot.")
]
WeightsOpt = Annotated[
    str,
    typer.Option(
        "--weights",
        help="Weigh each incident: count (default, one each), harm (brottsskadeindex, "
        "months of average sentence) or a FILE of code;weight;source;date. detect, snapshot "
        "and report: hotspots ranked by harm beside the count hotspots (overlap, "
        "concentration of harm); plan: suggestions ranked by harm; evaluate: each method "
        "scored by the share of the test period's harm it captures.",
    ),
]

BasemapOpt = Annotated[
    str | None,
    typer.Option(
        "--basemap",
        help="Basemap from your own map server: wms:URL#LAYER or "
        "wmts:URL#LAYER[@TILEMATRIXSET] (default $HOTSPOTS_BASEMAP, else none: offline).",
    ),
]
BasemapCrsOpt = Annotated[
    str | None,
    typer.Option(
        "--basemap-crs",
        help="CRS of the basemap and so of the map: auto (default $HOTSPOTS_BASEMAP_CRS, "
        "else Web Mercator unless the WMTS set is in another CRS), 3857 or 3006 "
        "(SWEREF 99 TM, e.g. Lantmäteriet's topowebb in its 3006 set).",
    ),
]
BasemapGridOpt = Annotated[
    str | None,
    typer.Option(
        "--basemap-grid",
        help="Tile grid of a basemap not in Web Mercator: auto (default "
        "$HOTSPOTS_BASEMAP_GRID, else read from the WMTS server's capabilities), a "
        "capabilities URL or saved FILE, lantmateriet-3006, or 'crs=3006 "
        "origin=-1200000,8500000 resolutions=4096,2048,...'.",
    ),
]


def parse_weights(spec: str) -> HarmWeights | None:
    """The table named by ``--weights``; ``None`` for ``count`` (every incident one).

    Read before any data, so that a bad table fails first: :class:`InputSchemaError`
    naming the file, the line and the column (see :func:`hotspots.engine.harm_weights.
    load_weights`).
    """
    if spec.strip().lower() == "count":
        return None
    from hotspots.engine.harm_weights import load_weights  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    return load_weights(spec)


def parse_date(value: str | None, option: str) -> dt.date | None:
    """Parse an ISO date option, raising :class:`InputSchemaError` naming ``option``."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        msg = f"{option}: {value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-16"
        raise InputSchemaError(msg) from exc


def build_filters(
    *,
    category: list[str] | None,
    area: str | None,
    since: str | None,
    until: str | None,
    hours: str | None,
    weekdays: str | None,
) -> Filters:
    """Build :class:`Filters` from the raw filter options."""
    return Filters(
        categories=parse_categories(category, area),
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        hours=parse_hours(hours) if hours else None,
        weekdays=parse_weekdays(weekdays) if weekdays else None,
    )


def build_config(
    *,
    filters: Filters,
    kernel: str,
    bandwidth_m: str,
    cell_m: float,
    coverage: float,
    metric_crs: str | None,
    threshold: str | None = None,
    edge_correction: bool = True,
    method: str = "kde",
    min_incidents: int = 5,
) -> AnalysisConfig:
    """Build :class:`AnalysisConfig`; ``bandwidth_m="auto"`` gives ``bandwidth_m=None``."""
    method = str(method).strip().lower()
    if method not in ("kde", "auto"):
        msg = f"--method: {method!r} is not a method; use kde or auto"
        raise InputSchemaError(msg)
    bw: float | None
    if str(bandwidth_m).strip().lower() == "auto":
        bw = None
    else:
        try:
            bw = float(bandwidth_m)
        except ValueError as exc:
            msg = f"--bandwidth-m: {bandwidth_m!r} is not a number of metres or auto"
            raise InputSchemaError(msg) from exc
    return AnalysisConfig(
        kernel=kernel,  # type: ignore[arg-type]
        bandwidth_m=bw,
        cell_m=cell_m,
        coverage=coverage,
        threshold=threshold,
        edge_correction=edge_correction,
        metric_crs=metric_crs,
        method=method,
        filters=filters,
        min_incidents=min_incidents,
    )
