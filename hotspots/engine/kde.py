"""Kernel density on a grid: linear binning plus FFT convolution, metre-true.

The cost grows with the number of grid cells, not with incidents x cells: points are first
spread onto the four nearest cell centres (linear binning, Wand 1994), then the binned grid is
convolved with the discretised kernel through ``scipy.fft``.

Kernels (``h`` = bandwidth in metres, ``d`` = distance, ``r = d / h``), each a 2-D radial
density integrating to one:

=============  ==============================================  ==================
kernel         K(d)                                            support
=============  ==============================================  ==================
quartic        3 / (pi h^2) * (1 - r^2)^2                      d < h (search radius)
epanechnikov   2 / (pi h^2) * (1 - r^2)                        d < h
triangular     3 / (pi h^2) * (1 - r)                          d < h
uniform        1 / (pi h^2)                                    d < h
gaussian       1 / (2 pi h^2) * exp(-d^2 / (2 h^2))            truncated at 4 h
=============  ==============================================  ==================

The quartic kernel with ``h`` as search radius is the one of ArcGIS *Kernel Density* and the
QGIS *Heatmap* tool. Each discretised kernel is renormalised so that its cells sum to one, so
the density integrates exactly to the (weighted) count of points on the grid.

Edge correction divides the density at each cell by the share of its kernel's mass that
falls inside the study area (the "uniform" correction of spatstat's ``density.ppp`` with
``edge=TRUE``; Diggle 1985), so incidents by a shore are not diluted into the water.

References
----------
Diggle, P. (1985). A kernel method for smoothing point process data. *Applied Statistics* 34.
Wand, M. P. (1994). Fast computation of multivariate kernel estimators. *JCGS* 3(4).
Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*, eq. 3.31.
Esri, *How Kernel Density works* (ArcGIS Pro documentation): the default search radius.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft

from hotspots.core.config import KERNELS
from hotspots.core.errors import InputSchemaError
from hotspots.spatial.grid import Grid

__all__ = [
    "AUTO_BANDWIDTH_RANGE_M",
    "CANONICAL_BANDWIDTH",
    "FFT_NOISE",
    "GAUSSIAN_TRUNCATE_SD",
    "MIN_EDGE_MASS",
    "FFTConvolver",
    "auto_bandwidth",
    "bin_linear",
    "bin_nearest",
    "convolve_same",
    "exact_density",
    "kde_surface",
    "kernel_stencil",
    "kernel_value",
]

#: The Gaussian kernel is cut at this many standard deviations (mass lost < 0.04 %).
GAUSSIAN_TRUNCATE_SD = 4.0
#: Densities below this share of the peak are FFT round-off and set to zero.
FFT_NOISE = 1e-12
#: Edge correction never divides by less than this share of kernel mass (caps the gain at 10x).
MIN_EDGE_MASS = 0.1
#: Range (metres) to which :func:`auto_bandwidth` clamps its quartic search radius.
AUTO_BANDWIDTH_RANGE_M = (100.0, 2000.0)
#: Canonical bandwidths delta_0 (Marron & Nolan 1988) of the 1-D kernels, used to convert a
#: bandwidth between kernels so they smooth about equally.
CANONICAL_BANDWIDTH: dict[str, float] = {
    "gaussian": 0.7764,
    "epanechnikov": 1.7188,
    "quartic": 2.0362,
    "triangular": 1.8882,
    "uniform": 1.3510,
}

_M2_PER_KM2 = 1_000_000.0


def _check_kernel(kernel: str) -> None:
    if kernel not in KERNELS:
        msg = f"--kernel: {kernel!r} is not a kernel; use one of {', '.join(KERNELS)}"
        raise InputSchemaError(msg)


def kernel_support_m(kernel: str, bandwidth_m: float) -> float:
    """Radius in metres beyond which the kernel is zero (Gaussian: its truncation)."""
    _check_kernel(kernel)
    return bandwidth_m * (GAUSSIAN_TRUNCATE_SD if kernel == "gaussian" else 1.0)


def kernel_value(kernel: str, distance_m: np.ndarray, bandwidth_m: float) -> np.ndarray:
    """The continuous kernel ``K(d)`` in 1/m² (see the module table), not truncated.

    Parameters
    ----------
    kernel
        One of :data:`hotspots.core.config.KERNELS`.
    distance_m
        Distances in metres.
    bandwidth_m
        Search radius (Gaussian: standard deviation) in metres.
    """
    _check_kernel(kernel)
    h = float(bandwidth_m)
    d = np.asarray(distance_m, dtype=float)
    if kernel == "gaussian":
        return np.exp(-0.5 * (d / h) ** 2) / (2.0 * math.pi * h * h)
    r = d / h
    inside = r < 1.0
    if kernel == "quartic":
        k = 3.0 / math.pi * (1.0 - r * r) ** 2
    elif kernel == "epanechnikov":
        k = 2.0 / math.pi * (1.0 - r * r)
    elif kernel == "triangular":
        k = 3.0 / math.pi * (1.0 - r)
    else:
        k = np.full_like(r, 1.0 / math.pi)
    return np.where(inside, k, 0.0) / (h * h)


def kernel_stencil(kernel: str, bandwidth_m: float, cell_m: float) -> np.ndarray:
    """The discretised kernel on cell-centre offsets, normalised to sum to one.

    Returns a square array of odd side ``2 * R + 1`` (``R`` = support in whole cells) whose
    centre is the zero offset. Multiply by the binned counts and divide by the cell area to
    get a density.
    """
    _check_kernel(kernel)
    if not bandwidth_m > 0 or not cell_m > 0:
        msg = f"bandwidth ({bandwidth_m}) and cell size ({cell_m}) must be positive metres"
        raise InputSchemaError(msg)
    support = kernel_support_m(kernel, bandwidth_m)
    radius = math.floor(support / cell_m)
    off = np.arange(-radius, radius + 1, dtype=float) * cell_m
    d = np.hypot(off[None, :], off[:, None])
    k = kernel_value(kernel, d, bandwidth_m)
    if kernel == "gaussian":
        k = np.where(d <= support, k, 0.0)
    total = k.sum()
    if total <= 0:  # bandwidth below half a cell: all mass stays in the point's cell
        k = np.zeros_like(k)
        k[radius, radius] = 1.0
        return k
    return k / total


def bin_linear(
    x: np.ndarray, y: np.ndarray, grid: Grid, weights: np.ndarray | None = None
) -> np.ndarray:
    """Linear binning: each point's weight shared among its four nearest cell centres.

    Points outside the grid are dropped; points in the outer half-cell go to the edge cells.
    The result sums to the (weighted) number of points on the grid.

    Returns
    -------
    numpy.ndarray
        ``(ny, nx)`` float64, north-up.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    _, _, inside = grid.index(x, y)
    if not inside.all():
        x, y, w = x[inside], y[inside], w[inside]
    u = np.clip((x - grid.x0) / grid.cell_m - 0.5, 0.0, grid.nx - 1.0)
    v = np.clip((grid.y1 - y) / grid.cell_m - 0.5, 0.0, grid.ny - 1.0)
    c0 = np.minimum(np.floor(u).astype(np.int64), max(grid.nx - 2, 0))
    r0 = np.minimum(np.floor(v).astype(np.int64), max(grid.ny - 2, 0))
    fx = u - c0
    fy = v - r0
    nx = grid.nx
    step_x = 1 if grid.nx > 1 else 0
    step_y = nx if grid.ny > 1 else 0
    n = len(u)
    # the four corners' flat indices and weights, written in place (no concatenation)
    idx = np.empty(4 * n, dtype=np.int64)
    np.multiply(r0, nx, out=idx[:n])
    idx[:n] += c0
    np.add(idx[:n], step_x, out=idx[n : 2 * n])
    np.add(idx[:n], step_y, out=idx[2 * n : 3 * n])
    np.add(idx[:n], step_x + step_y, out=idx[3 * n :])
    wts = np.empty(4 * n)
    gx = 1.0 - fx
    gy = 1.0 - fy
    np.multiply(w, gx, out=gx)  # w (1 - fx)
    np.multiply(w, fx, out=fx)  # w fx
    np.multiply(gx, gy, out=wts[:n])
    np.multiply(fx, gy, out=wts[n : 2 * n])
    np.multiply(gx, fy, out=wts[2 * n : 3 * n])
    np.multiply(fx, fy, out=wts[3 * n :])
    out = np.bincount(idx, weights=wts, minlength=grid.nx * grid.ny)
    return out.reshape(grid.shape)


def bin_nearest(
    x: np.ndarray, y: np.ndarray, grid: Grid, weights: np.ndarray | None = None
) -> np.ndarray:
    """Simple binning: each point's weight to the cell that contains it (``(ny, nx)``)."""
    row, col, inside = grid.index(x, y)
    w = np.ones(len(row)) if weights is None else np.asarray(weights, dtype=float)
    out = np.bincount(
        row[inside] * grid.nx + col[inside], weights=w[inside], minlength=grid.nx * grid.ny
    )
    return out.reshape(grid.shape)


class FFTConvolver:
    """Zero-padded 2-D convolution with one stencil over images of one shape, by FFT.

    The stencil's spectrum is computed once and reused for every image (e.g. the binned
    counts and the study mask of the edge correction).

    Parameters
    ----------
    shape
        ``(ny, nx)`` of the images.
    stencil
        Odd-sided array; its centre is aligned with each output cell.
    workers
        Threads for ``scipy.fft``.
    """

    def __init__(self, shape: tuple[int, int], stencil: np.ndarray, *, workers: int = 1) -> None:
        ky, kx = stencil.shape
        ny, nx = shape
        self.shape = (ny, nx)
        self.offset = (ky // 2, kx // 2)
        self.fft_shape = (
            scipy.fft.next_fast_len(ny + ky - 1, real=True),
            scipy.fft.next_fast_len(nx + kx - 1, real=True),
        )
        self.workers = workers
        self.spectrum = scipy.fft.rfft2(stencil, s=self.fft_shape, workers=workers)

    def __call__(self, image: np.ndarray) -> np.ndarray:
        """The convolution of ``image`` with the stencil, cropped to ``image``'s shape."""
        spec = scipy.fft.rfft2(image, s=self.fft_shape, workers=self.workers)
        spec *= self.spectrum
        full = scipy.fft.irfft2(spec, s=self.fft_shape, workers=self.workers)
        ry, rx = self.offset
        ny, nx = self.shape
        return full[ry : ry + ny, rx : rx + nx]


def convolve_same(image: np.ndarray, stencil: np.ndarray, *, workers: int = 1) -> np.ndarray:
    """Linear (zero-padded) 2-D convolution by FFT, cropped to ``image``'s shape.

    ``stencil`` must have odd sides; its centre is aligned with each output cell.
    """
    return FFTConvolver(image.shape, stencil, workers=workers)(image)


def kde_surface(
    x: np.ndarray,
    y: np.ndarray,
    *,
    grid: Grid,
    kernel: str = "quartic",
    bandwidth_m: float,
    weights: np.ndarray | None = None,
    study_mask: np.ndarray | None = None,
    edge_correction: bool = True,
    workers: int = 1,
) -> np.ndarray:
    """Kernel density of points on ``grid`` in (weighted) incidents per km².

    Parameters
    ----------
    x, y
        Point coordinates in metres, in ``grid.crs``.
    grid
        The raster grid.
    kernel
        Kernel name (see the module docstring).
    bandwidth_m
        Search radius (Gaussian: standard deviation), metres.
    weights
        Optional weight per point (default one each).
    study_mask
        ``(ny, nx)`` bool; cells outside get NaN. ``None`` = the whole grid.
    edge_correction
        Divide by the kernel mass inside ``study_mask`` (floored at :data:`MIN_EDGE_MASS`).
    workers
        Threads for ``scipy.fft`` (default one; ``-1`` = all cores, which on a small machine
        shared with other work is often no faster).

    Returns
    -------
    numpy.ndarray
        ``(ny, nx)`` float64 density per km², NaN outside the study area. Without edge
        correction (or with no edge in reach), ``nansum(density) * cell_area_km2`` equals
        the weighted count of points whose kernel mass falls inside the study area.
    """
    stencil = kernel_stencil(kernel, bandwidth_m, grid.cell_m)
    binned = bin_linear(x, y, grid, weights)
    conv = FFTConvolver(grid.shape, stencil, workers=workers)
    dens = conv(binned)
    # FFT round-off leaves values of about 1e-16 x peak everywhere: zero them, so that cells
    # out of every kernel's reach have exactly no density
    peak = float(dens.max()) if dens.size else 0.0
    dens[dens < peak * FFT_NOISE] = 0.0
    dens *= _M2_PER_KM2 / (grid.cell_m * grid.cell_m)
    if study_mask is None:
        return dens
    mask = np.asarray(study_mask, dtype=bool)
    if mask.shape != grid.shape:
        msg = f"study_mask has shape {mask.shape}, the grid {grid.shape}"
        raise InputSchemaError(msg)
    if edge_correction:
        mass = conv(mask.astype(float))
        dens /= np.maximum(mass, MIN_EDGE_MASS)
    dens[~mask] = np.nan
    return dens


def exact_density(
    x: np.ndarray,
    y: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    *,
    kernel: str,
    bandwidth_m: float,
    weights: np.ndarray | None = None,
    chunk: int = 256,
) -> np.ndarray:
    """Direct kernel sum at query points (per km²): the slow reference for tests/benchmarks.

    The Gaussian is not truncated here.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    qx = np.asarray(qx, dtype=float).ravel()
    qy = np.asarray(qy, dtype=float).ravel()
    out = np.empty(len(qx))
    for i in range(0, len(qx), chunk):
        dx = qx[i : i + chunk, None] - x[None, :]
        dy = qy[i : i + chunk, None] - y[None, :]
        out[i : i + chunk] = kernel_value(kernel, np.hypot(dx, dy), bandwidth_m) @ w
    return out * _M2_PER_KM2


def auto_bandwidth(
    x: np.ndarray, y: np.ndarray, *, kernel: str = "quartic", cell_m: float = 25.0
) -> float:
    """Bandwidth by the spatial variant of Silverman's rule (ArcGIS's default search radius).

    ``R = 0.9 * min(SD, sqrt(1 / ln 2) * Dm) * n ** -0.2`` where ``SD`` is the standard
    distance of the points, ``Dm`` the median distance to their mean centre and ``n`` their
    number (Silverman 1986, eq. 3.31, as adapted by Esri). ``R`` is the quartic search radius,
    clamped to :data:`AUTO_BANDWIDTH_RANGE_M` and to at least two cells; for another kernel it
    is scaled by the ratio of canonical bandwidths (:data:`CANONICAL_BANDWIDTH`), so that for
    instance the Gaussian standard deviation is about 0.38 R.

    Parameters
    ----------
    x, y
        Point coordinates in metres.
    kernel
        Kernel the bandwidth is for.
    cell_m
        Grid cell size in metres.

    Returns
    -------
    float
        Bandwidth in metres (rounded to whole metres).
    """
    _check_kernel(kernel)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    lo, hi = AUTO_BANDWIDTH_RANGE_M
    lo = max(lo, 2.0 * cell_m)
    hi = max(hi, lo)
    if n < 2:
        radius = lo
    else:
        dx = x - x.mean()
        dy = y - y.mean()
        sd = math.sqrt(float(np.mean(dx * dx + dy * dy)))
        dm = float(np.median(np.hypot(dx, dy)))
        radius = 0.9 * min(sd, math.sqrt(1.0 / math.log(2.0)) * dm) * n ** (-0.2)
        radius = min(max(radius, lo), hi)
    h = radius * CANONICAL_BANDWIDTH[kernel] / CANONICAL_BANDWIDTH["quartic"]
    return float(max(round(h), 1.0))
