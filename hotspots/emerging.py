"""Emerging hotspots: weekly space-time bins, Gi* per bin, Mann-Kendall trends, ArcGIS classes.

The method follows ArcGIS Pro's *Emerging Hot Spot Analysis* (Space Time Pattern Mining):

1. **Space-time cube.** Incidents (public categories, precise locations) are binned by ISO week
   (local time, see :mod:`hotspots.periods`) onto a *coarse* grid aligned with the analysis
   grid. Weekly counts on the 25 m analysis grid are almost all zeros, so the cube uses
   :data:`EMERGING_CELL_M` = 250 m cells by default (about a city block; ``cell_m`` changes
   it). Only cells of the study area (land) take part.
2. **Gi* per bin.** For every week the Getis-Ord Gi* z-score of each cell is computed with
   binary weights over a space-time neighbourhood: the cell and its 8 neighbours (queen
   contiguity, i.e. within ``cell_m * sqrt(2)``) in that week and in the
   ``neighbourhood_weeks`` previous weeks (ArcGIS's "neighbourhood time step", default 1).
   The global mean and standard deviation are those of the whole cube (all weeks, all study
   cells), as in ArcGIS. The z-scores come from :func:`hotspots.significance.gi_star_z`
   applied to the neighbourhood sums; p-values are one-sided per sign and corrected with the
   Benjamini-Hochberg false discovery rate over all bins of the cube. A bin is a *hot spot*
   when ``z > 0`` and the adjusted ``p < alpha``, a *cold spot* when ``z < 0`` likewise.
3. **Trend.** The Mann-Kendall test (:func:`mann_kendall`, with tie correction) is applied per
   cell to its series of Gi* z-scores (the trend in the *intensity of clustering*, used for
   intensifying and diminishing) and to its series of counts (the trend in incidents, reported
   alongside).
4. **Classes** (ArcGIS definitions, for hot spots; ``T`` weeks, the last is the report week):

   * ``new``: hot in the final week and never hot before.
   * ``consecutive``: a single uninterrupted run of at least two hot weeks ending in the final
     week, never hot before that run, and hot in fewer than 90 % of the weeks.
   * ``intensifying``: hot in at least 90 % of the weeks including the final one, and the
     Gi* z-scores rise significantly (Mann-Kendall, ``p < alpha``).
   * ``persistent``: hot in at least 90 % of the weeks including the final one, with no
     significant trend in the z-scores.
   * ``diminishing``: hot in at least 90 % of the weeks including the final one, and the
     z-scores fall significantly.
   * ``sporadic``: hot in the final week, on-and-off hot before, hot in fewer than 90 % of the
     weeks, and never a cold spot.
   * ``oscillating``: hot in the final week, a cold spot in some earlier week, hot in fewer
     than 90 % of the weeks.
   * ``historical``: not hot in the final week, but hot in at least 90 % of the weeks.
   * ``not_significant``: none of the above ("no pattern detected").

   Cold-spot classes are not produced: weekly crime counts per block are too sparse for
   significant cold spots to mean anything for an EST meeting.

ArcGIS requires at least 10 time steps; so does :func:`emerging_hotspots`.

References
----------
Esri, *How Emerging Hot Spot Analysis works*, ArcGIS Pro documentation (Space Time Pattern
Mining toolbox).
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13, 245-259.
Kendall, M. G. (1975). *Rank Correlation Methods*, 4th ed. Griffin, London.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import norm

from hotspots._errors import InputSchemaError

__all__ = [
    "CLASSES",
    "EMERGING_CELL_M",
    "MIN_WEEKS",
    "MannKendall",
    "class_label",
    "classify_series",
    "mann_kendall",
    "mann_kendall_many",
]

#: Cell side of the space-time cube, metres.
EMERGING_CELL_M = 250.0
#: Fewest weekly time steps accepted (as ArcGIS).
MIN_WEEKS = 10
#: Class codes, most urgent first.
CLASSES: tuple[str, ...] = (
    "new",
    "intensifying",
    "consecutive",
    "persistent",
    "sporadic",
    "oscillating",
    "diminishing",
    "historical",
    "not_significant",
)

EmergingClass = Literal[
    "new",
    "intensifying",
    "consecutive",
    "persistent",
    "sporadic",
    "oscillating",
    "diminishing",
    "historical",
    "not_significant",
]

_LABELS: dict[str, dict[str, str]] = {
    "new": {"sv": "Ny", "en": "New"},
    "intensifying": {"sv": "Förstärkt", "en": "Intensifying"},
    "consecutive": {"sv": "Sammanhängande", "en": "Consecutive"},
    "persistent": {"sv": "Ihållande", "en": "Persistent"},
    "sporadic": {"sv": "Sporadisk", "en": "Sporadic"},
    "oscillating": {"sv": "Växlande", "en": "Oscillating"},
    "diminishing": {"sv": "Avtagande", "en": "Diminishing"},
    "historical": {"sv": "Historisk", "en": "Historical"},
    "not_significant": {"sv": "Inget mönster", "en": "No pattern"},
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "new": {
        "sv": "Signifikant hotspot senaste veckan, aldrig tidigare",
        "en": "Significant hotspot in the last week, never before",
    },
    "intensifying": {
        "sv": "Hotspot nästan alla veckor och allt starkare",
        "en": "Hotspot in almost every week and getting stronger",
    },
    "consecutive": {
        "sv": "Hotspot de senaste veckorna i följd, inte tidigare",
        "en": "Hotspot in the latest weeks in a row, not before",
    },
    "persistent": {
        "sv": "Hotspot nästan alla veckor, utan trend",
        "en": "Hotspot in almost every week, no trend",
    },
    "sporadic": {
        "sv": "Hotspot senaste veckan och av och till tidigare",
        "en": "Hotspot in the last week and on and off before",
    },
    "oscillating": {
        "sv": "Hotspot senaste veckan, tidigare ibland kall punkt",
        "en": "Hotspot in the last week, earlier sometimes a cold spot",
    },
    "diminishing": {
        "sv": "Hotspot nästan alla veckor men allt svagare",
        "en": "Hotspot in almost every week but getting weaker",
    },
    "historical": {
        "sv": "Hotspot nästan alla veckor men inte den senaste",
        "en": "Hotspot in almost every week but not the last one",
    },
    "not_significant": {"sv": "Inget signifikant mönster", "en": "No significant pattern"},
}


def class_label(code: str, lang: Literal["sv", "en"] = "sv", *, long: bool = False) -> str:
    """Label (or, with ``long``, a one-line description) of an emerging class."""
    table = _DESCRIPTIONS if long else _LABELS
    return table.get(code, {}).get(lang, code)


@dataclass(frozen=True, slots=True)
class MannKendall:
    """Mann-Kendall trend test of one series.

    Attributes
    ----------
    s
        ``S = sum_{i<j} sign(x_j - x_i)``.
    var_s
        Variance of ``S`` under no trend, corrected for ties.
    z
        Standardised ``S`` with continuity correction: ``(S - 1)/sd`` if ``S > 0``,
        ``(S + 1)/sd`` if ``S < 0``, 0 otherwise.
    p_value
        Two-sided p-value from the normal approximation.
    tau
        Kendall's tau-a, ``S / (n (n - 1) / 2)``.
    trend
        ``"increasing"``, ``"decreasing"`` or ``"no_trend"`` at level ``alpha``.
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    trend: Literal["increasing", "decreasing", "no_trend"]


def mann_kendall_many(
    series: np.ndarray, *, continuity: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised Mann-Kendall test over the rows of ``series``.

    Parameters
    ----------
    series
        Array ``(m, n)``: ``m`` series of ``n`` time steps each (time along axis 1).
    continuity
        Apply the continuity correction of ±1 to ``S``.

    Returns
    -------
    s, var_s, z, p
        Arrays of length ``m``: statistic, tie-corrected variance, z-score and two-sided
        p-value. A series with ``var_s == 0`` (all values equal) gets ``z = 0`` and ``p = 1``.

    Notes
    -----
    ``Var(S) = [n(n-1)(2n+5) - sum_g t_g (t_g - 1)(2 t_g + 5)] / 18`` where ``t_g`` are the
    sizes of the groups of tied values.
    """
    x = np.asarray(series, dtype=float)
    if x.ndim != 2:
        msg = f"series must be 2-D (series x time), got shape {x.shape}"
        raise InputSchemaError(msg)
    _, n = x.shape
    if n < 3:
        msg = f"the Mann-Kendall test needs at least 3 time steps (got {n})"
        raise InputSchemaError(msg)
    if not np.isfinite(x).all():
        msg = "series contains NaN or infinite values"
        raise InputSchemaError(msg)
    s = np.zeros(x.shape[0])
    for i in range(n - 1):
        s += np.sign(x[:, i + 1 :] - x[:, i : i + 1]).sum(axis=1)
    # Tie correction: sort each row and measure the runs of equal values.
    xs = np.sort(x, axis=1)
    tie_term = np.zeros(x.shape[0])
    run = np.ones(x.shape[0])
    for k in range(1, n + 1):
        same = xs[:, k] == xs[:, k - 1] if k < n else np.zeros(x.shape[0], dtype=bool)
        ended = ~same
        tie_term += np.where(ended, run * (run - 1) * (2 * run + 5), 0.0)
        run = np.where(same, run + 1, 1.0)
    var_s = (n * (n - 1) * (2 * n + 5) - tie_term) / 18.0
    sd = np.sqrt(np.maximum(var_s, 0.0))
    adj = np.sign(s) if continuity else np.zeros_like(s)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (s - adj) / np.where(sd > 0, sd, 1.0), 0.0)
    z = np.where(s == 0, 0.0, z)
    p = np.minimum(1.0, 2.0 * norm.sf(np.abs(z)))
    return s, var_s, z, p


def mann_kendall(
    values: np.ndarray | list[float], *, alpha: float = 0.05, continuity: bool = True
) -> MannKendall:
    """Mann-Kendall trend test of one series, with tie correction.

    Parameters
    ----------
    values
        The series in time order (at least 3 values).
    alpha
        Significance level of :attr:`MannKendall.trend`.
    continuity
        Apply the continuity correction.

    Returns
    -------
    MannKendall
    """
    x = np.asarray(values, dtype=float)[None, :]
    s, var_s, z, p = mann_kendall_many(x, continuity=continuity)
    n = x.shape[1]
    trend: Literal["increasing", "decreasing", "no_trend"] = "no_trend"
    if p[0] < alpha:
        trend = "increasing" if s[0] > 0 else "decreasing"
    return MannKendall(
        s=float(s[0]),
        var_s=float(var_s[0]),
        z=float(z[0]),
        p_value=float(p[0]),
        tau=float(s[0]) / (n * (n - 1) / 2.0),
        trend=trend,
    )


def classify_series(
    hot: np.ndarray,
    cold: np.ndarray,
    trend_z: np.ndarray,
    trend_p: np.ndarray,
    *,
    alpha: float = 0.05,
) -> np.ndarray:
    """Classify locations from their weekly hot/cold flags and the trend of their z-scores.

    Parameters
    ----------
    hot, cold
        Boolean arrays ``(m, T)``: significant hot / cold spot per location and week (oldest
        first; the last column is the final week).
    trend_z, trend_p
        Mann-Kendall z and p of each location's Gi* z series (length ``m``).
    alpha
        Significance level of the trend.

    Returns
    -------
    numpy.ndarray
        Class codes (see :data:`CLASSES` and the module docstring), dtype ``object``.
    """
    hot = np.asarray(hot, dtype=bool)
    cold = np.asarray(cold, dtype=bool)
    m, t = hot.shape
    last = hot[:, -1]
    n_hot = hot.sum(axis=1)
    frac = n_hot / t
    often = frac >= 0.9 - 1e-12
    # Length of the run of hot weeks that ends in the final week.
    run = np.zeros(m, dtype=int)
    still = np.ones(m, dtype=bool)
    for k in range(t - 1, -1, -1):
        still &= hot[:, k]
        run += still
    rising = (np.asarray(trend_p) < alpha) & (np.asarray(trend_z) > 0)
    falling = (np.asarray(trend_p) < alpha) & (np.asarray(trend_z) < 0)
    any_cold = cold.any(axis=1)

    out = np.full(m, "not_significant", dtype=object)
    out[~last & often] = "historical"
    out[last & often & ~rising & ~falling] = "persistent"
    out[last & often & rising] = "intensifying"
    out[last & often & falling] = "diminishing"
    # Fewer than 90 % hot weeks, hot in the final week (sfdep's reading of the ArcGIS rules:
    # "never hot before" also means no significant cold bin before).
    rare = last & ~often
    sig_before = (hot[:, :-1] | cold[:, :-1]).any(axis=1)
    new = rare & ~sig_before
    consecutive = rare & ~new & (run >= 2) & (n_hot == run) & ~any_cold
    rest = rare & ~new & ~consecutive
    out[new] = "new"
    out[consecutive] = "consecutive"
    out[rest & ~any_cold] = "sporadic"
    out[rest & any_cold] = "oscillating"
    return out
