"""``hotspots nearrepeat``: Knox tests per category and alert zones after new incidents."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hotspots.cli._options import CategoryOpt, CrsOpt, DbOpt, parse_date, resolve_db
from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.engine.nearrepeat import NearRepeatAnalysis

__all__ = ["register", "report"]


def _zones_json(zones: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Zones as plain values: category, times, radius and the centre in WGS84."""
    if not len(zones):
        return []
    from hotspots.spatial.crs import to_wgs84  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    centres = to_wgs84(zones.set_geometry(zones.geometry.centroid))
    out = []
    for row, centre in zip(zones.itertuples(index=False), centres.geometry, strict=True):
        out.append(
            {
                "category": row.category,
                "label_sv": row.label_sv,
                "label_en": row.label_en,
                "occurred_at": row.occurred_at.isoformat(),
                "valid_until": row.valid_until.isoformat(),
                "distance_m": float(row.distance_m),
                "days": float(row.days),
                "knox_ratio": float(row.knox_ratio),
                "p_value": float(row.p_value),
                "active": bool(row.active),
                "lon": round(float(centre.x), 6),
                "lat": round(float(centre.y), 6),
            }
        )
    return out


def report(
    analysis: NearRepeatAnalysis,
    zones: gpd.GeoDataFrame,
    *,
    parameters: dict[str, Any],
    alpha: float,
    min_ratio: float,
) -> dict[str, Any]:
    """The JSON document of ``hotspots nearrepeat --json``."""
    from hotspots.core.taxonomy import label  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    return {
        "parameters": {
            **parameters,
            "start": analysis.start.isoformat() if analysis.start is not None else None,
            "end": analysis.end.isoformat() if analysis.end is not None else None,
            "excluded_place": analysis.excluded_place,
            "excluded_time": analysis.excluded_time,
        },
        "categories": [
            {
                "code": code,
                "label_sv": label(code, "sv"),
                "label_en": label(code, "en"),
                **table.as_dict(alpha=alpha, min_ratio=min_ratio),
            }
            for code, table in analysis.tables.items()
        ],
        "too_few": analysis.too_few,
        "zones": _zones_json(zones),
    }


def _text(document: dict[str, Any], lang: str) -> str:
    """A short readable summary of the document."""
    params = document["parameters"]
    lines = [
        f"Knox test, {params['permutations']} permutations, bands "
        f"{'/'.join(f'{d:g}' for d in params['distance_bands_m'])} m x "
        f"{'/'.join(f'{d:g}' for d in params['day_bands'])} days "
        f"(p <= {params['alpha']:g}, ratio >= {params['min_ratio']:g}):"
    ]
    key = f"label_{lang}"
    for cat in document["categories"]:
        ratio = cat["ratio"][0][0]
        first = (
            f"ratio {ratio:.2f}, p {cat['p_value'][0][0]:.3f}" if ratio is not None else "no pairs"
        )
        nr = cat["near_repeat"]
        verdict = (
            f"near repeats within {nr['distance_m']:g} m and {nr['days']:g} days"
            if nr
            else "no near repeats"
        )
        lines.append(f"  {cat[key]} ({cat['n_events']} incidents): {first} -> {verdict}")
    for code, n in document["too_few"].items():
        lines.append(f"  {code}: {n} usable incidents, too few to test")
    zones = document["zones"]
    active = sum(z["active"] for z in zones)
    lines.append(f"{len(zones)} alert zone(s), {active} in force at {params['as_of']}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the ``nearrepeat`` command to ``app``."""

    @app.command("nearrepeat")
    def nearrepeat(  # noqa: PLR0917 (a Typer command takes its options as parameters)
        input_path: Annotated[
            Path | None,
            typer.Argument(help="Incident file (any import format); the store when omitted."),
        ] = None,
        since: Annotated[
            str | None,
            typer.Option(
                "--since",
                help="Alert zones for incidents from this date (YYYY-MM-DD); default: the "
                "zones still in force at the last incident.",
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Write the Knox tables and zones as JSON.")
        ] = False,
        db: DbOpt = None,
        category: CategoryOpt = None,
        distance_bands_m: Annotated[
            str, typer.Option("--distance-bands-m", help="Upper edges of the space bands, m.")
        ] = "100,200,300,400",
        day_bands: Annotated[
            str, typer.Option("--day-bands", help="Upper edges of the time bands, days.")
        ] = "7,14,21,28",
        permutations: Annotated[
            int, typer.Option("--permutations", min=0, help="Monte Carlo permutations.")
        ] = 199,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the permutations.")] = 0,
        alpha: Annotated[
            float, typer.Option("--alpha", help="A Knox cell is significant at this p.")
        ] = 0.05,
        min_ratio: Annotated[
            float, typer.Option("--min-ratio", help="... and with at least this Knox ratio.")
        ] = 1.2,
        input_format: Annotated[
            str, typer.Option("--format", help="Input format (auto, csv, geojson, ...).")
        ] = "auto",
        crs: CrsOpt = None,
        lang: Annotated[str, typer.Option("--lang", help="sv (default) or en.")] = "sv",
    ) -> None:
        """Near repeats: where and for how long the risk stays raised after an incident."""
        from hotspots.core.config import parse_categories  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.engine.nearrepeat import parse_bands  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        if lang not in ("sv", "en"):
            msg = f"--lang: {lang!r} is not a language; use sv or en"
            raise InputSchemaError(msg)
        if not (0 < alpha <= 1) or not (math.isfinite(min_ratio) and min_ratio >= 0):
            msg = f"--alpha must lie in (0, 1] and --min-ratio be >= 0 (got {alpha}, {min_ratio})"
            raise InputSchemaError(msg)
        s_edges = parse_bands(distance_bands_m, "--distance-bands-m")
        t_edges = parse_bands(day_bands, "--day-bands")
        codes = parse_categories(category, None)
        start_date = parse_date(since, "--since")
        if input_path is not None and not input_path.exists():
            msg = f"{input_path}: no such file; give an incident file or omit it to use the store"
            raise InputSchemaError(msg)

        import numpy as np  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        import pandas as pd  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        from hotspots.core.schema import TIMEZONE  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.engine.nearrepeat import alert_zones, knox_by_category  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.load.sources import load_incidents  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.spatial.crs import to_metric  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        incidents = to_metric(
            load_incidents(input_path, db=resolve_db(db), fmt=input_format, crs=crs)
        )
        analysis = knox_by_category(
            incidents, categories=codes, distance_bands_m=s_edges, day_bands=t_edges,
            permutations=permutations, rng=np.random.default_rng(seed),
        )  # fmt: skip
        since_ts = None if start_date is None else pd.Timestamp(start_date, tz=TIMEZONE)
        as_of = analysis.end
        zones = alert_zones(
            incidents if codes is None else incidents[incidents["category"].isin(codes)],
            analysis, since=since_ts, as_of=as_of, alpha=alpha, min_ratio=min_ratio,
        )  # fmt: skip
        parameters = {
            "distance_bands_m": list(s_edges),
            "day_bands": list(t_edges),
            "permutations": permutations,
            "seed": seed,
            "alpha": alpha,
            "min_ratio": min_ratio,
            "since": start_date.isoformat() if isinstance(start_date, dt.date) else None,
            "as_of": as_of.isoformat() if as_of is not None else None,
        }
        document = report(analysis, zones, parameters=parameters, alpha=alpha, min_ratio=min_ratio)
        if as_json:
            typer.echo(json.dumps(document, ensure_ascii=False, indent=1))
        else:
            typer.echo(_text(document, lang))
