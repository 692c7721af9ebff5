"""Forecasting methods scored on one grid: counts, KDE, recency-weighted KDE, counts + KDE.

Every method turns training incidents (coordinates in metres, ages in days before the forecast
origin) into a score per cell of the *evaluation grid* (the analysis grid of
:mod:`hotspots.spatial.grid`), so that all methods are ranked over the same cells and study
area by :mod:`hotspots.forecast.backtesting`. Scores are expected incidents per evaluation cell
(they sum to the number, or weighted number, of training incidents on the grid);
:func:`density_per_km2` turns them into a density.

Methods
-------
``naive``
    Counts per square cell of ``cell_m`` metres (a multiple of the grid cell or not); every
    evaluation cell gets the count of the count cell its centre lies in, spread evenly over the
    evaluation cells of that count cell. With ``cell_m`` equal to the grid cell this is the
    plain count per cell: the strongest forecast where incidents repeat at exact addresses.
``kde``
    Kernel density of the binned counts (FFT convolution) with any kernel of
    :data:`hotspots.core.config.KERNELS` and bandwidth ``bandwidth_m``.
``recency_kde``
    The same with each incident weighted ``0.5 ** (age_days / half_life_days)``: recent events
    count more (the prospective idea of Bowers, Johnson & Pease 2004, in its simplest form).
``hybrid``
    ``counts + weight * kde / k0``: plain counts per grid cell keep the sharp repeat locations
    on top, and the kernel density ranks the cells with few or no past incidents, so smoothing
    decides mostly where counts cannot. ``k0`` is the centre weight of the kernel stencil, so
    with ``weight`` 1 an incident adds 1 to its own cell through the counts and about 1 more
    through the kernel, and ``K(d) / K(0)`` to each cell within reach: small weights break the
    ties of the counts, large ones approach the kernel density.
``fine``
    The hybrid at address level: counts per grid cell plus ``weight`` times a kernel density
    computed on fine cells of ``cell_m`` metres (e.g. 10 m, about one address) and summed over
    each grid cell. Bandwidths below the grid cell are possible (10-40 m), so the counts'
    ties are broken by incidents just across a cell edge rather than by a kernel a whole cell
    wide. Computed sparsely (occupied fine cells x kernel offsets), never as a fine raster.
``sepp``
    A self-exciting point process on the grid fitted by EM (:mod:`hotspots.forecast.sepp`,
    Mohler et al. 2015): background rate per cell plus an exponentially decaying trigger
    within the cell; the score is the expected count over the next ``horizon_days``.
``street``
    Street-segment hotspots (:mod:`hotspots.forecast.streets`): incidents counted on their
    nearest road segment of at most ``segment_m`` metres, each segment's count spread over the
    cells it crosses by length. Needs the geography's road layer (``History.streets``).

References
----------
Bowers, K. J., Johnson, S. D. & Pease, K. (2004). Prospective hot-spotting: the future of crime
mapping? British Journal of Criminology 44(5), 641-658.

Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for predicting
spatial patterns of crime. Security Journal 21, 4-28.

Mohler, G. O. et al. (2015). Randomized controlled field trials of predictive policing.
Journal of the American Statistical Association 110(512), 1399-1411.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import fft as sfft

from hotspots.core.config import KERNELS
from hotspots.core.errors import InputSchemaError
from hotspots.engine.kde import kernel_stencil
from hotspots.forecast.sepp import SeppFit, fit_sepp
from hotspots.forecast.streets import Streets
from hotspots.spatial.grid import Grid

__all__ = [
    "METHODS",
    "GridLike",
    "History",
    "MethodSpec",
    "bin_points",
    "density_per_km2",
    "score",
]

#: Method names understood by :func:`score`.
METHODS: tuple[str, ...] = ("naive", "kde", "recency_kde", "hybrid", "fine", "sepp", "street")
#: Methods that smooth with a kernel (they need ``kernel`` and ``bandwidth_m``).
_KERNEL_METHODS = frozenset({"kde", "recency_kde", "hybrid", "fine"})
#: FFT round-off is removed by rounding smoothed values to this share of the peak, so that
#: cells with equal exact values (empty areas, symmetric neighbours) tie instead of being
#: ordered by round-off noise.
_FFT_QUANTUM = 1e-10


#: The grid type the methods score on (:class:`hotspots.spatial.grid.Grid`, north-up).
GridLike = Grid


@dataclass(frozen=True, slots=True)
class MethodSpec:
    """One forecasting method with its parameters.

    Attributes
    ----------
    method
        One of :data:`METHODS`.
    kernel
        Kernel of ``kde``, ``recency_kde`` and ``hybrid``.
    bandwidth_m
        Kernel bandwidth in metres (radius; standard deviation for ``gaussian``).
    cell_m
        Count cell size in metres for ``naive``; ``None`` = the grid cell.
    half_life_days
        Half-life of the recency weight of ``recency_kde``, days.
    weight
        Weight of the kernel density in ``hybrid`` and ``fine`` (0 = plain counts).
    segment_m
        Longest street segment of ``street``, metres.
    horizon_days
        Forecast period of ``sepp``, days (``None``: the intensity at the origin).

    Notes
    -----
    ``cell_m`` of ``fine`` is the fine (address-level) cell, metres.
    """

    method: str
    kernel: str | None = None
    bandwidth_m: float | None = None
    cell_m: float | None = None
    half_life_days: float | None = None
    weight: float | None = None
    segment_m: float | None = None
    horizon_days: float | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            msg = f"--method: {self.method!r} is not a method; use one of {', '.join(METHODS)}"
            raise InputSchemaError(msg)
        smooth = self.method in _KERNEL_METHODS
        if smooth and (self.kernel not in KERNELS or not (self.bandwidth_m or 0) > 0):
            msg = f"method {self.method!r} needs a kernel and a positive bandwidth_m"
            raise InputSchemaError(msg)
        if self.method == "recency_kde" and not (self.half_life_days or 0) > 0:
            msg = "method 'recency_kde' needs a positive half_life_days"
            raise InputSchemaError(msg)
        if self.method in ("hybrid", "fine") and (self.weight is None or self.weight < 0):
            msg = f"method {self.method!r} needs a weight >= 0"
            raise InputSchemaError(msg)
        if self.method == "fine" and self.cell_m is None:
            msg = "method 'fine' needs cell_m, the fine cell in metres (e.g. 10)"
            raise InputSchemaError(msg)
        if self.method == "street" and not (self.segment_m or 0) > 0:
            msg = "method 'street' needs a positive segment_m (longest street segment, metres)"
            raise InputSchemaError(msg)
        if self.horizon_days is not None and not self.horizon_days > 0:
            msg = f"horizon_days must be positive (got {self.horizon_days})"
            raise InputSchemaError(msg)
        if self.cell_m is not None and not self.cell_m > 0:
            msg = f"cell_m must be positive (got {self.cell_m})"
            raise InputSchemaError(msg)

    def label(self) -> str:
        """Short readable name, e.g. ``"kde quartic 200 m"`` or ``"naive 50 m"``."""
        if self.method == "naive":
            return f"naive {_m(self.cell_m)}" if self.cell_m else "naive grid cell"
        if self.method == "sepp":
            horizon = f" horizon {self.horizon_days:g} d" if self.horizon_days else ""
            return f"sepp grid EM{horizon}"
        if self.method == "street":
            return f"street segments {_m(self.segment_m)}"
        base = f"{self.kernel} {_m(self.bandwidth_m)}"
        if self.method == "fine":
            return f"fine counts + {self.weight:g}·kde {base} on {_m(self.cell_m)} cells"
        if self.method == "kde":
            return f"kde {base}"
        if self.method == "recency_kde":
            return f"recency_kde {base} half-life {self.half_life_days:g} d"
        return f"hybrid counts + {self.weight:g}·kde {base}"  # weight of the peak-scaled KDE

    def as_dict(self) -> dict[str, object]:
        """Plain parameters for JSON output."""
        return {
            "method": self.method,
            "kernel": self.kernel,
            "bandwidth_m": self.bandwidth_m,
            "cell_m": self.cell_m,
            "half_life_days": self.half_life_days,
            "weight": self.weight,
            "segment_m": self.segment_m,
            "horizon_days": self.horizon_days,
            "label": self.label(),
        }


def _m(value: float | None) -> str:
    return f"{value:g} m" if value is not None else "?"


# --------------------------------------------------------------------------------------------
# Binning and kernels
# --------------------------------------------------------------------------------------------


def bin_points(
    x: np.ndarray,
    y: np.ndarray,
    grid: GridLike,
    *,
    weights: np.ndarray | None = None,
    cell_m: float | None = None,
) -> np.ndarray:
    """Count (or sum ``weights`` of) points per cell.

    Parameters
    ----------
    x, y
        Coordinates in metres, in the grid's CRS.
    grid
        The grid (origin and extent).
    weights
        Optional weight per point.
    cell_m
        Cell size of the counting grid, metres; ``None`` = ``grid.cell_m``. The counting grid
        shares the grid's north-west corner and covers at least the grid's extent.

    Returns
    -------
    numpy.ndarray
        ``ny' x nx'`` float counts, north-up; points outside the extent are ignored.
    """
    size = float(grid.cell_m if cell_m is None else cell_m)
    nx = math.ceil(grid.nx * grid.cell_m / size - 1e-9)
    ny = math.ceil(grid.ny * grid.cell_m / size - 1e-9)
    y1 = grid.y0 + grid.ny * grid.cell_m
    col = np.floor((np.asarray(x, dtype=float) - grid.x0) / size)
    row = np.floor((y1 - np.asarray(y, dtype=float)) / size)
    ok = (col >= 0) & (col < nx) & (row >= 0) & (row < ny)
    idx = row[ok].astype(np.int64) * nx + col[ok].astype(np.int64)
    w = None if weights is None else np.asarray(weights, dtype=float)[ok]
    return np.bincount(idx, weights=w, minlength=nx * ny).reshape(ny, nx).astype(float)


@dataclass
class History:
    """Training incidents binned once, with cached FFTs, for scoring many methods fast.

    Parameters
    ----------
    x, y
        Coordinates of the training incidents in metres.
    age_days
        Age of each incident at the forecast origin, days (>= 0).
    grid
        The evaluation grid.
    streets
        The geography's road lines for ``street`` (``None``: no street network).

    Notes
    -----
    Binned counts and their FFT are computed once per weighting; each kernel density is then
    one multiplication and one inverse FFT (cost grows with grid cells, not incidents). The
    SEPP fit and the street-segment counts are cached too.
    """

    x: np.ndarray
    y: np.ndarray
    age_days: np.ndarray
    grid: GridLike
    streets: Streets | None = None
    _counts: dict[float | None, np.ndarray] = field(default_factory=dict, repr=False)
    _spectra: dict[tuple[float | None, int], np.ndarray] = field(default_factory=dict, repr=False)
    _fine: dict[tuple[float, str, float], np.ndarray] = field(default_factory=dict, repr=False)
    _segments: dict[float, np.ndarray] = field(default_factory=dict, repr=False)
    _sepp: SeppFit | None = field(default=None, repr=False)

    def _weights(self, half_life_days: float | None) -> np.ndarray | None:
        if half_life_days is None:
            return None
        return 0.5 ** (np.maximum(np.asarray(self.age_days, float), 0) / half_life_days)

    def counts(self, half_life_days: float | None = None) -> np.ndarray:
        """Counts per grid cell (each incident in its cell), recency-weighted on request."""
        if half_life_days not in self._counts:
            w = self._weights(half_life_days)
            self._counts[half_life_days] = bin_points(self.x, self.y, self.grid, weights=w)
        return self._counts[half_life_days]

    def smooth(
        self, kernel: str, bandwidth_m: float, half_life_days: float | None = None
    ) -> np.ndarray:
        """Kernel density in incidents per grid cell.

        The engine's kernel stencil (:func:`hotspots.engine.kde.kernel_stencil`) convolved by FFT
        with the counts per cell (the same counts as ``naive``), whose spectrum is cached.
        Counts per cell rather than linear binning: real incidents are often snapped to
        address or anonymisation points, and linear binning would split each such point over
        four cells, which blurs exactly the repeat locations that small bandwidths should keep.
        No edge correction (it would reorder cells by the study-area outline, which a forecast
        should not depend on).
        """
        stencil = kernel_stencil(kernel, bandwidth_m, self.grid.cell_m)
        r = stencil.shape[0] // 2
        counts = self.counts(half_life_days)
        ny, nx = counts.shape
        pad = _fft_pad(r)
        shape = (sfft.next_fast_len(ny + 2 * pad), sfft.next_fast_len(nx + 2 * pad))
        key = (half_life_days, shape[0] * 100_003 + shape[1])
        if key not in self._spectra:
            self._spectra[key] = sfft.rfft2(counts, s=shape)
        kpad = np.zeros(shape)
        kpad[: 2 * r + 1, : 2 * r + 1] = stencil
        kpad = np.roll(kpad, (-r, -r), axis=(0, 1))  # centre the stencil at (0, 0)
        out = sfft.irfft2(self._spectra[key] * sfft.rfft2(kpad), s=shape)[:ny, :nx]
        return _quantise(out)

    def fine_smooth(self, kernel: str, bandwidth_m: float, fine_m: float) -> np.ndarray:
        """A kernel density on fine cells of ``fine_m`` metres, summed per grid cell.

        The fine cells share the grid's north-west corner; each fine cell's density goes to
        the grid cell that holds its centre. Computed over the occupied fine cells and the
        kernel's offsets only. Incidents per grid cell (sums to the incidents whose
        kernel mass stays on the grid).
        """
        key = (float(fine_m), kernel, float(bandwidth_m))
        if key not in self._fine:
            self._fine[key] = _fine_density(
                self.x, self.y, self.grid, kernel=kernel, bandwidth_m=bandwidth_m, fine_m=fine_m
            )
        return self._fine[key]

    def sepp(self) -> SeppFit:
        """The self-exciting point process fitted on this history (cached)."""
        if self._sepp is None:
            cells, age = self._cells_ages()
            period = float(age.max()) if age.size else 1.0
            self._sepp = fit_sepp(
                cells, period - age, n_cells=self.grid.nx * self.grid.ny, period_days=period
            )
        return self._sepp

    def _cells_ages(self) -> tuple[np.ndarray, np.ndarray]:
        """Flat grid cell and age of every incident on the grid."""
        g = self.grid
        col = np.floor((np.asarray(self.x, dtype=float) - g.x0) / g.cell_m)
        row = np.floor((g.y0 + g.ny * g.cell_m - np.asarray(self.y, dtype=float)) / g.cell_m)
        ok = (col >= 0) & (col < g.nx) & (row >= 0) & (row < g.ny)
        cells = row[ok].astype(np.int64) * g.nx + col[ok].astype(np.int64)
        return cells, np.maximum(np.asarray(self.age_days, dtype=float)[ok], 0.0)

    def street_scores(self, segment_m: float) -> np.ndarray:
        """Incidents on street segments of at most ``segment_m`` metres, spread over the grid.

        Each segment's count (incidents within :data:`hotspots.forecast.streets.SNAP_M` of a
        road, on their nearest segment; cached) goes to the cells it crosses, by length.

        Raises
        ------
        InputSchemaError
            Without a street network.
        """
        if self.streets is None:
            msg = "method 'street' needs a street network; the geography has no road layer"
            raise InputSchemaError(msg)
        key = float(segment_m)
        net = self.streets.network(key)
        if key not in self._segments:
            self._segments[key] = net.segment_counts(self.x, self.y)
        return net.cell_scores(self._segments[key], self.grid)


def _fine_density(
    x: np.ndarray, y: np.ndarray, grid: GridLike, *, kernel: str, bandwidth_m: float, fine_m: float
) -> np.ndarray:
    """Kernel density on ``fine_m`` cells (per-cell counts), summed per grid cell."""
    f = float(fine_m)
    y1 = grid.y0 + grid.ny * grid.cell_m
    fc = np.floor((np.asarray(x, dtype=float) - grid.x0) / f)
    fr = np.floor((y1 - np.asarray(y, dtype=float)) / f)
    n_fc = math.ceil(grid.nx * grid.cell_m / f - 1e-9)
    n_fr = math.ceil(grid.ny * grid.cell_m / f - 1e-9)
    ok = (fc >= 0) & (fc < n_fc) & (fr >= 0) & (fr < n_fr)
    key = fr[ok].astype(np.int64) * n_fc + fc[ok].astype(np.int64)
    occupied, count = np.unique(key, return_counts=True)
    out = np.zeros(grid.nx * grid.ny)
    if occupied.size == 0:
        return out.reshape(grid.ny, grid.nx)
    stencil = kernel_stencil(kernel, bandwidth_m, f)
    r = stencil.shape[0] // 2
    dr, dc = np.nonzero(stencil > 0)
    weights = stencil[dr, dc]
    rows = (occupied // n_fc)[:, None] + (dr - r)[None, :]
    cols = (occupied % n_fc)[:, None] + (dc - r)[None, :]
    # the grid cell holding each target fine cell's centre
    gc = np.floor((cols + 0.5) * f / grid.cell_m)
    gr = np.floor((rows + 0.5) * f / grid.cell_m)
    inside = (gc >= 0) & (gc < grid.nx) & (gr >= 0) & (gr < grid.ny)
    idx = gr[inside].astype(np.int64) * grid.nx + gc[inside].astype(np.int64)
    w = (count[:, None] * weights[None, :])[inside]
    out = np.bincount(idx, weights=w, minlength=grid.nx * grid.ny)
    return _quantise(out.reshape(grid.ny, grid.nx))


def _quantise(out: np.ndarray) -> np.ndarray:
    """Round to a share of the peak so that equal exact values tie (see ``_FFT_QUANTUM``)."""
    peak = float(out.max()) if out.size else 0.0
    if peak <= 0:
        return np.zeros_like(out)
    quantum = peak * _FFT_QUANTUM
    return np.maximum(np.round(out / quantum) * quantum, 0.0)


def _fft_pad(radius_cells: int) -> int:
    """Padding that keeps circular FFT wrap-around out of the grid, in cells."""
    # bucket the padding so that nearby bandwidths share one cached spectrum
    return int(2 ** math.ceil(math.log2(max(radius_cells, 1) + 1)))


def score(spec: MethodSpec, history: History) -> np.ndarray:
    """Scores of a method on the evaluation grid, in expected incidents per grid cell.

    Parameters
    ----------
    spec
        The method and its parameters.
    history
        Training incidents binned on the evaluation grid.

    Returns
    -------
    numpy.ndarray
        ``ny x nx`` scores (>= 0).
    """
    grid = history.grid
    if spec.method == "naive":
        size = float(spec.cell_m or grid.cell_m)
        if math.isclose(size, grid.cell_m):
            return history.counts().copy()
        coarse = bin_points(history.x, history.y, grid, cell_m=size)
        per_cell = coarse * (grid.cell_m / size) ** 2  # spread over the fine cells it covers
        # centre of each evaluation column / row, measured from the north-west corner
        dx = (np.arange(grid.nx) + 0.5) * grid.cell_m
        dy = (np.arange(grid.ny) + 0.5) * grid.cell_m
        col = np.minimum((dx // size).astype(np.int64), coarse.shape[1] - 1)
        row = np.minimum((dy // size).astype(np.int64), coarse.shape[0] - 1)
        return per_cell[np.ix_(row, col)]
    if spec.method == "sepp":
        cells, age = history._cells_ages()
        fit = history.sepp()
        out = fit.forecast(cells, age, horizon_days=spec.horizon_days)
        return _quantise(out.reshape(grid.ny, grid.nx))
    if spec.method == "street":
        return history.street_scores(float(spec.segment_m or 0.0))  # validated in spec
    kernel, bandwidth = str(spec.kernel), float(spec.bandwidth_m or 0.0)  # validated in spec
    if spec.method == "fine":
        fine_m = float(spec.cell_m or grid.cell_m)
        k0 = float(kernel_stencil(kernel, bandwidth, fine_m).max())
        w = float(spec.weight or 0.0) / k0
        return history.counts() + w * history.fine_smooth(kernel, bandwidth, fine_m)
    if spec.method == "kde":
        return history.smooth(kernel, bandwidth)
    if spec.method == "recency_kde":
        return history.smooth(kernel, bandwidth, spec.half_life_days)
    # hybrid: the density rescaled so that one incident peaks at about 1 (see the module doc)
    k0 = float(kernel_stencil(kernel, bandwidth, grid.cell_m).max())
    return history.counts() + float(spec.weight or 0.0) / k0 * history.smooth(kernel, bandwidth)


def density_per_km2(scores: np.ndarray, cell_m: float) -> np.ndarray:
    """Scores in incidents per grid cell as a density per km²."""
    return np.asarray(scores, dtype=float) / (cell_m * cell_m / 1e6)
