"""Benchmark: our grid KDE against KDEpy FFTKDE and scipy gaussian_kde, in the same run.

1,000,000 clustered points on a 2400 x 1600 grid of 25 m cells (60 x 40 km), Gaussian kernel
with a standard deviation of 200 m, density in incidents per km².

* ours: :func:`hotspots.engine.kde.kde_surface` (linear binning + FFT convolution), whole grid, with
  its default single-threaded ``scipy.fft`` (``ours_s``) and with FFT threads on all cores
  (``ours_all_cores_s``; on a 2-core machine shared with other work this is often slower).
* KDEpy: ``FFTKDE(kernel="gaussian", bw=200).fit(points).evaluate(grid)`` on the same cell
  centres (KDEpy also bins linearly and convolves).
* scipy: ``gaussian_kde`` with an isotropic covariance of 200² m² (bandwidth factor 1 on a
  covariance we set), evaluated on a random subset of cells and **extrapolated per cell** to
  the whole grid (evaluating all 3.84 M cells would take hours).
* accuracy: on about 3,000 cells (half spread uniformly, half where the density is above 1 %
  of its peak) the exact kernel sum over every point within 8 standard deviations (the
  neglected mass is below 1e-13) is the reference; errors are a share of the peak density.

The last line printed is one JSON object. Run: ``uv run python benchmarks/kde_bench.py --json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import time

import numpy as np
from pyproj import CRS
from scipy.spatial import cKDTree
from scipy.stats import gaussian_kde

from hotspots.engine.kde import kde_surface, kernel_value
from hotspots.spatial.grid import Grid

logger = logging.getLogger("kde_bench")

NX, NY, CELL_M = 2400, 1600, 25.0
SD_M = 200.0


def clustered_points(n: int, seed: int) -> np.ndarray:
    """``n`` points: 70 % in 400 Gaussian clusters of 50-400 m, 30 % uniform background."""
    rng = np.random.default_rng(seed)
    w, h = NX * CELL_M, NY * CELL_M
    margin = 3000.0
    n_clustered = int(0.7 * n)
    centres = rng.uniform([margin, margin], [w - margin, h - margin], size=(400, 2))
    sizes = rng.uniform(50.0, 400.0, 400)
    weights = rng.pareto(1.2, 400) + 1.0
    which = rng.choice(400, n_clustered, p=weights / weights.sum())
    pts = centres[which] + rng.normal(size=(n_clustered, 2)) * sizes[which, None]
    background = rng.uniform([margin, margin], [w - margin, h - margin], size=(n - n_clustered, 2))
    return np.vstack((pts, background))


def exact_gaussian(pts: np.ndarray, qx: np.ndarray, qy: np.ndarray) -> np.ndarray:
    """Exact Gaussian kernel sum (per km²) over all points within 8 sd of each query."""
    tree = cKDTree(pts)
    out = np.empty(len(qx))
    for i, (x, y) in enumerate(zip(qx, qy, strict=True)):
        idx = tree.query_ball_point((x, y), r=8 * SD_M)
        if not idx:
            out[i] = 0.0
            continue
        near = pts[idx]
        d = np.hypot(near[:, 0] - x, near[:, 1] - y)
        out[i] = kernel_value("gaussian", d, SD_M).sum() * 1e6
    return out


def timed(fn, repeats: int) -> tuple[float, object]:
    """Median wall time of ``repeats`` calls after one untimed warm-up call."""
    fn()
    times = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the JSON summary line")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scipy-cells", type=int, default=100)
    parser.add_argument("--check-cells", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    grid = Grid(0.0, 0.0, CELL_M, NX, NY, CRS.from_epsg(3006))
    pts = clustered_points(args.n, args.seed)
    x, y = pts[:, 0], pts[:, 1]
    n_cells = NX * NY

    ours_s, ours = timed(
        lambda: kde_surface(x, y, grid=grid, kernel="gaussian", bandwidth_m=SD_M), args.repeats
    )
    ours = np.asarray(ours)
    logger.info("ours: %.3f s (median of %d after a warm-up)", ours_s, args.repeats)
    ours_mt_s, _ = timed(
        lambda: kde_surface(x, y, grid=grid, kernel="gaussian", bandwidth_m=SD_M, workers=-1),
        args.repeats,
    )
    logger.info("ours with FFT threads on all cores: %.3f s", ours_mt_s)

    from KDEpy import FFTKDE

    xs, ys = grid.centre_axes()
    ys_up = ys[::-1]  # KDEpy wants the grid sorted by x, then y ascending
    gx, gy = np.meshgrid(xs, ys_up, indexing="ij")
    kgrid = np.column_stack((gx.ravel(), gy.ravel()))
    del gx, gy

    def run_kdepy() -> np.ndarray:
        return FFTKDE(kernel="gaussian", bw=SD_M).fit(pts).evaluate(kgrid)

    kdepy_s, kd = timed(run_kdepy, args.repeats)
    # back to our north-up (ny, nx) layout, per km²
    kd_grid = np.asarray(kd).reshape(NX, NY).T[::-1, :] * args.n * 1e6
    logger.info("KDEpy FFTKDE: %.3f s (median of %d)", kdepy_s, args.repeats)

    rng = np.random.default_rng(args.seed + 1)
    cx, cy = grid.centres()
    sub = rng.choice(n_cells, args.scipy_cells, replace=False)
    ref = gaussian_kde(pts.T, bw_method=1.0)
    ref._data_covariance = np.eye(2) * SD_M * SD_M  # isotropic sd = 200 m
    ref._data_cho_cov = np.eye(2) * SD_M
    ref.set_bandwidth(1.0)
    t = time.perf_counter()
    sc = ref(np.vstack((cx.ravel()[sub], cy.ravel()[sub]))) * args.n * 1e6
    scipy_subset_s = time.perf_counter() - t
    scipy_s = scipy_subset_s / args.scipy_cells * n_cells
    logger.info(
        "scipy gaussian_kde: %.3f s for %d cells -> %.0f s extrapolated to %d cells",
        scipy_subset_s, args.scipy_cells, scipy_s, n_cells,
    )  # fmt: skip

    flat = ours.ravel()
    peak_cells = np.flatnonzero(flat > 0.01 * flat.max())
    half = args.check_cells // 2
    check = np.unique(
        np.r_[
            rng.choice(n_cells, half, replace=False),
            rng.choice(peak_cells, min(half, len(peak_cells)), replace=False),
            int(np.argmax(flat)),
        ]
    )
    t = time.perf_counter()
    exact = exact_gaussian(pts, cx.ravel()[check], cy.ravel()[check])
    exact_s = time.perf_counter() - t
    peak = float(exact.max())
    max_rel_err = float(np.abs(flat[check] - exact).max() / peak)
    kdepy_rel_err = float(np.abs(kd_grid.ravel()[check] - exact).max() / peak)
    scipy_vs_ours = float(np.abs(sc - flat[sub]).max() / flat.max())
    logger.info(
        "max error vs the exact sum on %d cells (%.1f s): ours %.4f %%, KDEpy %.4f %% of peak",
        len(check), exact_s, 100 * max_rel_err, 100 * kdepy_rel_err,
    )  # fmt: skip

    summary = {
        "benchmark": "kde",
        "n_points": args.n,
        "grid": [NX, NY],
        "cell_m": CELL_M,
        "kernel": "gaussian",
        "bandwidth_m": SD_M,
        "repeats": args.repeats,
        "ours_s": round(ours_s, 4),
        "ours_all_cores_s": round(ours_mt_s, 4),
        "kdepy_s": round(kdepy_s, 4),
        "scipy_s": round(scipy_s, 1),
        "scipy_note": f"extrapolated per cell from {args.scipy_cells} cells "
        f"({scipy_subset_s:.2f} s)",
        "kdepy_over_ours": round(kdepy_s / ours_s, 2),
        "kdepy_over_ours_all_cores": round(kdepy_s / ours_mt_s, 2),
        "scipy_over_ours": round(scipy_s / ours_s, 0),
        "max_rel_err": max_rel_err,
        "kdepy_max_rel_err": kdepy_rel_err,
        "scipy_vs_ours_max_rel_diff": scipy_vs_ours,
        "check_cells": len(check),
        "targets": {"kdepy_over_ours": 4, "scipy_over_ours": 1000, "max_rel_err": 0.005},
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        logger.info("%s", summary)


if __name__ == "__main__":
    main()
