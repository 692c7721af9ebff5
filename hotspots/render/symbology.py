"""Shared look of every map: density classes, colours, and the settings text (pure, no I/O).

The interactive map (:mod:`hotspots.render.leaflet`) and the static PNG/PDF map
(:mod:`hotspots.export.static_map`) draw from here, so both show the same classes, colours,
units and parameter lines.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hotspots.core.i18n import Lang, t, weekday_names
from hotspots.core.numbers import finite_number, number_text
from hotspots.core.taxonomy import PROBLEM_AREA_LABELS, PROBLEM_AREAS, codes_in_area, label

__all__ = [
    "DENSITY_COLOURS",
    "HOTSPOT_COLOUR",
    "KIND_COLOURS",
    "PERCEIVED_COLOUR",
    "SURVEY_COLOURS",
    "DensityClasses",
    "density_classes",
    "format_number",
    "settings_lines",
]

#: Five density classes, light to dark (ColorBrewer YlOrRd, hex written out).
DENSITY_COLOURS: tuple[str, ...] = ("#fed976", "#feb24c", "#fd8d3c", "#e31a1c", "#800026")
#: Survey (perceived unsafety) classes, light to dark purple.
SURVEY_COLOURS: tuple[str, ...] = ("#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f")
HOTSPOT_COLOUR = "#67000d"
PERCEIVED_COLOUR = "#3f007d"
KIND_COLOURS: dict[str, str] = {
    "foot_patrol": "#1f78b4",
    "traffic_check": "#ff7f00",
    "pub_check": "#e7298a",
    "youth_outreach": "#33a02c",
    "school_visit": "#a6761d",
}
#: Class breaks as multiples of the hotspot threshold (the density at the coverage cut): the
#: two darkest classes are the hotspot cells, the lighter ones their surroundings.
CLASS_MULTIPLES: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)


@dataclass(frozen=True, slots=True)
class DensityClasses:
    """Class breaks of a density surface.

    Attributes
    ----------
    breaks
        Lower bounds of the classes, increasing, in the surface's unit (e.g. incidents
        per km²); values below ``breaks[0]`` are not drawn.
    colours
        One hex colour per class.
    """

    breaks: tuple[float, ...]
    colours: tuple[str, ...]

    def classify(self, values: np.ndarray) -> np.ndarray:
        """Class index of each value (-1 below the first break or not finite)."""
        v = np.asarray(values, dtype=float)
        idx = np.searchsorted(np.asarray(self.breaks), np.nan_to_num(v, nan=-np.inf), "right")
        out = idx.astype(np.int64) - 1
        out[~np.isfinite(v)] = -1
        return out

    def labels(self, unit: str = "", *, lang: Lang = "sv") -> list[str]:
        """Legend labels: ``"12–25"``, ..., ``"≥ 80"`` (with ``unit`` appended)."""
        out: list[str] = []
        suffix = f" {unit}" if unit else ""
        for i, lo in enumerate(self.breaks):
            if i + 1 < len(self.breaks):
                hi = self.breaks[i + 1]
                out.append(f"{format_number(lo, lang=lang)}–{format_number(hi, lang=lang)}{suffix}")
            else:
                out.append(f"≥ {format_number(lo, lang=lang)}{suffix}")
        return out


def _nice(value: float) -> float:
    """Round down to 2 significant digits (1 for values below 10)."""
    if not math.isfinite(value) or value <= 0:
        return 0.0
    digits = 1 if value < 10 else 2
    exp = math.floor(math.log10(value)) - digits + 1
    step = 10.0**exp
    return math.floor(value / step) * step


def density_classes(
    density: np.ndarray | None,
    *,
    coverage: float = 0.05,
    threshold: float | None = None,
    colours: tuple[str, ...] = DENSITY_COLOURS,
    multiples: tuple[float, ...] = CLASS_MULTIPLES,
) -> DensityClasses | None:
    """Class breaks for a density surface, tied to the hotspot threshold and rounded.

    The threshold is the density exceeded by the top ``coverage`` share of the cells with a
    value (the study area); the breaks are ``multiples`` of it, rounded down to two
    significant digits, so the class starting at 1 × threshold begins where hotspots begin.
    Classes above the largest value are left out.

    Parameters
    ----------
    density
        Density, e.g. incidents per km² (NaN outside the study area), any shape.
    coverage
        Share of the study area that is hotspot (0-1).
    threshold
        The analysis' own hotspot threshold (same unit as ``density``); when given it is
        used instead of the coverage quantile, so a surface with suppressed cells keeps
        the classes of the full one.
    colours
        One colour per class, light to dark; ``len(colours) == len(multiples)``.
    multiples
        Class starts as multiples of the threshold, increasing.

    Returns
    -------
    DensityClasses or None
        ``None`` when no cell has a positive value.
    """
    if density is None:
        return None
    v = np.asarray(density, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0 or not (v > 0).any():
        return None
    if threshold is None or not math.isfinite(threshold) or threshold <= 0:
        threshold = float(np.quantile(v, 1.0 - min(max(coverage, 0.0), 1.0)))
    if threshold <= 0:
        threshold = float(np.quantile(v[v > 0], 0.5))
    top = float(v.max())
    breaks: list[float] = []
    for k in multiples:
        b = _nice(threshold * k) or threshold * k
        if b > top or (breaks and b <= breaks[-1]):
            continue
        breaks.append(b)
    if not breaks:
        breaks = [_nice(top) or top]
    return DensityClasses(tuple(breaks), tuple(colours[: len(breaks)]))


def format_number(value: float | None, *, digits: int = 2, lang: Lang = "sv") -> str:
    r"""A number without needless decimals, written as :func:`~hotspots.core.numbers.number_text`.

    Whole numbers and numbers of 100 or more have no decimals, numbers from 1 to 100 keep
    ``digits - 1`` decimals and numbers below 1 ``digits`` significant digits, trailing zeros
    dropped; a missing or infinite value is ``–``.

    Parameters
    ----------
    value
        The number, in any unit.
    digits
        Significant digits below 1; one more than the decimals from 1 to 100.
    lang
        ``"sv"`` (``1\xa0382``, ``12,5``) or ``"en"`` (``1,382``, ``12.5``).

    Examples
    --------
    >>> format_number(1382.0), format_number(1382.0, lang="en"), format_number(12.5)
    ('1\xa0382', '1,382', '12,5')
    >>> format_number(0.25, lang="en"), format_number(3.14159e-05, lang="en")
    ('0.25', '0.000031')
    """
    number = finite_number(value)
    if number is None:
        return "–"
    a = abs(number)
    if a >= 100 or number.is_integer():
        decimals = 0
    elif a >= 1:
        decimals = max(0, digits - 1)
    else:  # digits significant digits
        decimals = max(0, digits - 1 - math.floor(math.log10(a)))
    text = number_text(number, lang, digits=decimals)
    point = "," if lang == "sv" else "."
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text


def _categories_text(categories: tuple[str, ...] | None, lang: Lang) -> str:
    if not categories:
        return t("all_public_categories", lang)
    cats = set(categories)
    parts: list[str] = []
    for area in PROBLEM_AREAS:
        codes = set(codes_in_area(area))
        if codes and codes <= cats:
            parts.append(PROBLEM_AREA_LABELS[area][lang])
            cats -= codes
    parts.extend(label(c, lang) for c in categories if c in cats)
    return ", ".join(parts)


def _period_text(filters: Any, period: tuple[dt.date, dt.date] | None, lang: Lang) -> str:
    since = getattr(filters, "since", None)
    until = getattr(filters, "until", None)
    if since is not None or until is not None:
        a = since.isoformat() if since else "…"
        b = (until - dt.timedelta(days=1)).isoformat() if until else "…"
        return f"{a} – {b}"
    if period is not None:
        return f"{period[0].isoformat()} – {period[1].isoformat()}"
    return "–"


def settings_lines(
    *,
    parameters: Mapping[str, Any],
    filters: Any,
    period: tuple[dt.date, dt.date] | None,
    n_incidents: int,
    lang: Lang = "sv",
    profile: str | None = None,
    compact: bool = False,
) -> list[tuple[str, str]]:
    """The chosen parameters and units as ``(label, value)`` lines (plain text, unescaped).

    Parameters
    ----------
    parameters
        The analysis parameters (``kernel``, ``bandwidth_m``, ``cell_m``, ``coverage``,
        ``metric_crs``, ``study_area_km2``, optionally ``bandwidth_auto``).
    filters
        The :class:`hotspots.core.config.Filters` of the analysis (or ``None``).
    period
        First and last date of the incidents analysed.
    n_incidents
        Number of incidents analysed.
    lang
        ``"sv"`` or ``"en"``.
    profile
        Privacy profile to show, or ``None``.
    compact
        Fewer, denser lines (for the box on the interactive map): hours and weekdays on one
        line, kernel, bandwidth and cell on one line, the CRS left out.
    """
    lines: list[tuple[str, str]] = [(t("period", lang), _period_text(filters, period, lang))]
    lines.append(
        (t("categories", lang), _categories_text(getattr(filters, "categories", None), lang))
    )
    hours = getattr(filters, "hours", None)
    lines.append((t("hours", lang), str(hours) if hours is not None else "00-24"))
    days = getattr(filters, "weekdays", None)
    lines.append(
        (t("weekdays", lang), ", ".join(weekday_names(days, lang)) if days else t("all", lang))
    )
    kernel = parameters.get("kernel")
    if kernel:
        lines.append((t("kernel", lang), str(kernel)))
    bw = parameters.get("bandwidth_m")
    if bw is not None:
        auto = parameters.get("bandwidth_auto") or parameters.get("bandwidth_source") == "auto"
        text = f"{format_number(float(bw), lang=lang)} m" + (" (auto)" if auto else "")
        lines.append((t("bandwidth", lang), text))
    cell = parameters.get("cell_m")
    if cell is not None:
        side = format_number(float(cell), lang=lang)
        lines.append((t("cell", lang), f"{side} × {side} m"))
    cov = parameters.get("coverage")
    if cov is not None:
        pct = format_number(100.0 * float(cov), lang=lang)
        lines.append((t("coverage", lang), t("coverage_text", lang, pct=pct)))
    lines.append((t("n_incidents", lang), number_text(n_incidents, lang)))
    area = parameters.get("study_area_km2")
    if area is not None:
        lines.append((t("study_area", lang), f"{format_number(float(area), lang=lang)} km²"))
    crs = parameters.get("metric_crs")
    if crs:
        lines.append((t("crs", lang), str(crs)))
    if profile is not None:
        lines.append((t("profile", lang), t(f"profile_{profile}", lang)))
    if compact:
        return _compact(lines, lang)
    return lines


def _compact(lines: list[tuple[str, str]], lang: Lang) -> list[tuple[str, str]]:
    """Merge the time and the method lines of :func:`settings_lines`."""
    d = dict(lines)
    out: list[tuple[str, str]] = []
    merged_time = (t("hours", lang), t("weekdays", lang))
    merged_method = (t("kernel", lang), t("bandwidth", lang), t("cell", lang))
    for key, value in lines:
        if key == merged_time[0]:
            out.append((f"{key}, {merged_time[1].lower()}", f"{value}; {d[merged_time[1]]}"))
        elif key == merged_method[0]:
            parts = [value]
            parts += [f"{k.lower()} {d[k]}" for k in merged_method[1:] if k in d]
            out.append((t("method", lang), ", ".join(parts)))
        elif key in (*merged_time[1:], *merged_method[1:], t("crs", lang)):
            continue
        else:
            out.append((key, value))
    return out
