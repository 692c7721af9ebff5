"""Getis-Ord Gi* hot-spot statistics on grid cell counts, with Benjamini-Hochberg FDR.

For cell ``i`` with binary weights ``w_ij = 1`` when the centres of ``i`` and ``j`` are at most
the distance band apart (``w_ii = 1``, the *star* variant), over the ``n`` cells of the study
area with counts ``x``:

    G*_i = sum_j w_ij x_j / sum_j x_j
    E[G*_i] = W_i / n,                 W_i = sum_j w_ij
    Var[G*_i] = W_i (n - W_i) / (n - 1) / n^2 * s^2 / xbar^2

with ``xbar`` the mean and ``s^2`` the (population) variance of the counts, and
``z_i = (G*_i - E) / sqrt(Var)``. This is the analytic form of Getis & Ord (1992) / Ord &
Getis (1995) as implemented by ``esda.G_Local(star=True, transform="B")``. The neighbour sums
are computed by FFT convolution with a disc, so a grid of millions of cells takes a second.

p-values are two-sided normal (as in ArcGIS *Hot Spot Analysis*), adjusted over all cells of the
study area with the Benjamini-Hochberg step-up procedure. The normal approximation is rough for
very sparse counts (most cells empty); the classes are a screening aid beside the density, not a
test of a single pre-chosen place.

References
----------
Getis, A., Ord, J. K. (1992). The analysis of spatial association by use of distance
statistics. *Geographical Analysis* 24(3).
Ord, J. K., Getis, A. (1995). Local spatial autocorrelation statistics: distributional
issues and an application. *Geographical Analysis* 27(4).
Benjamini, Y., Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57(1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from hotspots.core.errors import InputSchemaError
from hotspots.engine.kde import FFTConvolver

__all__ = ["GI_CLASSES", "GiStar", "benjamini_hochberg", "disc_stencil", "gi_class", "gi_star"]

#: Labels from the strongest to none, with their FDR level.
GI_CLASSES: tuple[tuple[str, float], ...] = (("hot_99", 0.01), ("hot_95", 0.05), ("hot_90", 0.10))


@dataclass(frozen=True, slots=True)
class GiStar:
    """Gi* results on a grid (arrays ``(ny, nx)``, NaN outside the study area).

    Attributes
    ----------
    z
        z-scores.
    p
        Two-sided normal p-values.
    p_fdr
        Benjamini-Hochberg adjusted p-values.
    n_neighbours
        ``W_i``: cells within the distance band (self included) inside the study area.
    """

    z: np.ndarray
    p: np.ndarray
    p_fdr: np.ndarray
    n_neighbours: np.ndarray


def disc_stencil(distance_m: float, cell_m: float) -> np.ndarray:
    """Binary weights (1.0/0.0) of the cell offsets whose centres are within ``distance_m``."""
    if not distance_m > 0 or not cell_m > 0:
        msg = f"distance band ({distance_m}) and cell size ({cell_m}) must be positive metres"
        raise InputSchemaError(msg)
    radius = math.floor(distance_m / cell_m + 1e-9)
    off = np.arange(-radius, radius + 1, dtype=float) * cell_m
    d = np.hypot(off[None, :], off[:, None])
    return (d <= distance_m * (1 + 1e-9)).astype(float)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (same shape; NaN stays NaN and is not counted)."""
    p = np.asarray(p, dtype=float)
    flat = p.ravel()
    ok = np.isfinite(flat)
    vals = flat[ok]
    m = len(vals)
    out = np.full(flat.shape, np.nan)
    if m:
        order = np.argsort(vals, kind="stable")
        ranked = vals[order] * m / np.arange(1, m + 1)
        adj = np.minimum.accumulate(ranked[::-1])[::-1]
        res = np.empty(m)
        res[order] = np.minimum(adj, 1.0)
        out[ok] = res
    return out.reshape(p.shape)


def gi_star(
    counts: np.ndarray, study_mask: np.ndarray, *, distance_m: float, cell_m: float
) -> GiStar:
    """Getis-Ord Gi* z-scores and FDR-adjusted p-values of cell counts.

    Parameters
    ----------
    counts
        ``(ny, nx)`` incidents per cell.
    study_mask
        ``(ny, nx)`` bool; only these cells take part (as observations and neighbours).
    distance_m
        Distance band in metres (the KDE bandwidth).
    cell_m
        Cell size in metres.

    Returns
    -------
    GiStar
        All NaN when the counts inside the study area are constant (no variance).
    """
    mask = np.asarray(study_mask, dtype=bool)
    x = np.where(mask, np.asarray(counts, dtype=float), 0.0)
    n = int(mask.sum())
    nan = np.full(mask.shape, np.nan)
    if n < 2:
        return GiStar(nan, nan.copy(), nan.copy(), nan.copy())
    disc = disc_stencil(distance_m, cell_m)
    total = float(x.sum())
    mean = total / n
    var = float((x * x).sum()) / n - mean * mean
    conv = FFTConvolver(mask.shape, disc)
    w_i = np.rint(conv(mask.astype(float)))
    if total <= 0 or var <= 1e-12 * max(mean * mean, 1e-300):
        return GiStar(nan, nan.copy(), nan.copy(), np.where(mask, w_i, np.nan))
    local = conv(x)
    local[local < 0.5 * min(float(x[x > 0].min()), 1.0)] = 0.0  # FFT round-off
    g = local / total
    expected = w_i / n
    variance = w_i * (n - w_i) / (n - 1) / (n * n) * var / (mean * mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (g - expected) / np.sqrt(variance)
    z = np.where(mask & (variance > 0), z, np.nan)
    p = np.full(mask.shape, np.nan)
    ok = np.isfinite(z)
    p[ok] = 2.0 * special.ndtr(-np.abs(z[ok]))  # two-sided normal p
    return GiStar(z=z, p=p, p_fdr=benjamini_hochberg(p), n_neighbours=np.where(mask, w_i, np.nan))


def gi_class(z: float, p_fdr: float) -> str:
    """Label of a Gi* result: ``hot_99``, ``hot_95``, ``hot_90`` or ``not_significant``.

    A positive z whose FDR-adjusted p is below 0.01, 0.05 or 0.10; cold spots are not
    reported (the product maps concentrations).
    """
    if not (np.isfinite(z) and np.isfinite(p_fdr)) or z <= 0:
        return "not_significant"
    for name, level in GI_CLASSES:
        if p_fdr < level:
            return name
    return "not_significant"
