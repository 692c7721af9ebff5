"""Street segments of the geography's road layer, for street-segment hotspots.

A street segment is a piece of a road line at most ``segment_m`` metres long (roads are cut
into equal pieces; the criminological unit is the block face between two crossings, which
a road layer without topology cannot give, so a fixed length stands in for it). Each
training incident within ``snap_m`` of a road counts on its nearest segment; the segment's
rate is its count per metre of road, and a grid cell scores the rate of every segment that
crosses it times the length of the segment inside the cell. The hotspot cells are then the
cells along the busiest stretches of street (Weisburd et al. 2004), on the same evaluation
grid as every other method.

Pure computation on a GeoDataFrame in a metric CRS; no file is read here.

References
----------
Weisburd, D., Bushway, S., Lum, C. & Yang, S.-M. (2004). Trajectories of crime at places: a
longitudinal study of street segments in the city of Seattle. Criminology 42(2), 283-322.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
import shapely.ops

from hotspots.core.errors import InputSchemaError
from hotspots.spatial.crs import check_metric

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.spatial.grid import Grid

__all__ = ["SNAP_M", "StreetNetwork", "Streets", "street_lines"]

#: Incidents farther than this from every road count on no segment, metres.
SNAP_M = 30.0
#: Spacing of the points that spread a segment over the grid cells it crosses, metres.
_SAMPLE_M = 5.0


@dataclass(eq=False)
class StreetNetwork:
    """Road lines cut into segments, with points along them to rasterise scores.

    Equality and hashing are by identity (the network keys caches).

    Attributes
    ----------
    segments
        Segment lines (shapely array), in the metric CRS.
    length_m
        Length of each segment, metres.
    segment_m
        Longest segment, metres.
    crs
        The metric CRS (text).
    sample_x, sample_y
        Points along the segments, metres, about every 5 m.
    sample_segment
        Segment of each point.
    sample_share
        Share of its segment's length each point stands for (they sum to 1 per segment).
    """

    segments: np.ndarray
    length_m: np.ndarray
    segment_m: float
    crs: str
    sample_x: np.ndarray
    sample_y: np.ndarray
    sample_segment: np.ndarray
    sample_share: np.ndarray
    _tree: shapely.STRtree | None = field(default=None, repr=False)

    @property
    def n_segments(self) -> int:
        """Number of segments."""
        return int(self.segments.size)

    def nearest(self, x: np.ndarray, y: np.ndarray, *, snap_m: float = SNAP_M) -> np.ndarray:
        """Segment of each point: the nearest within ``snap_m`` metres, else -1."""
        out = np.full(np.asarray(x).size, -1, dtype=np.int64)
        if out.size == 0 or self.n_segments == 0:
            return out
        if self._tree is None:
            self._tree = shapely.STRtree(self.segments)
        points = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        idx = self._tree.query_nearest(points, max_distance=snap_m, all_matches=False)
        out[idx[0]] = idx[1]
        return out

    def segment_counts(self, x: np.ndarray, y: np.ndarray, *, snap_m: float = SNAP_M) -> np.ndarray:
        """Incidents per segment (those within ``snap_m`` of a road)."""
        seg = self.nearest(x, y, snap_m=snap_m)
        seg = seg[seg >= 0]
        return np.bincount(seg, minlength=self.n_segments).astype(float)

    def cell_scores(self, per_segment: np.ndarray, grid: Grid) -> np.ndarray:
        """Spread a value per segment over the grid cells the segment crosses.

        Each cell receives the segment's value times the share of the segment's length inside
        it, so the grid sums to the total over the segments on the grid.

        Returns
        -------
        numpy.ndarray
            ``ny x nx`` scores, north-up.
        """
        w = np.asarray(per_segment, dtype=float)[self.sample_segment] * self.sample_share
        col = np.floor((self.sample_x - grid.x0) / grid.cell_m)
        row = np.floor((grid.y0 + grid.ny * grid.cell_m - self.sample_y) / grid.cell_m)
        ok = (col >= 0) & (col < grid.nx) & (row >= 0) & (row < grid.ny) & (w > 0)
        idx = row[ok].astype(np.int64) * grid.nx + col[ok].astype(np.int64)
        flat = np.bincount(idx, weights=w[ok], minlength=grid.nx * grid.ny)
        return flat.reshape(grid.ny, grid.nx)


def _cut(line: shapely.LineString, segment_m: float) -> list[shapely.LineString]:
    n = max(math.ceil(line.length / segment_m - 1e-9), 1)
    if n == 1:
        return [line]
    step = line.length / n
    return [shapely.ops.substring(line, i * step, (i + 1) * step) for i in range(n)]


@dataclass(eq=False)
class Streets:
    """The road lines of a geography, cut into segments on demand (cached per length).

    Equality and hashing are by identity.

    Attributes
    ----------
    lines
        Road lines (shapely ``LineString`` array), metric CRS.
    crs
        The metric CRS (text).
    """

    lines: np.ndarray
    crs: str
    _networks: dict[float, StreetNetwork] = field(default_factory=dict, repr=False)

    @property
    def length_km(self) -> float:
        """Total road length, km."""
        return float(shapely.length(self.lines).sum()) / 1000.0

    def network(self, segment_m: float) -> StreetNetwork:
        """The lines cut into segments of at most ``segment_m`` metres.

        Raises
        ------
        InputSchemaError
            For a non-positive ``segment_m``.
        """
        if not segment_m > 0:
            msg = f"segment_m must be a positive number of metres (got {segment_m})"
            raise InputSchemaError(msg)
        key = float(segment_m)
        if key not in self._networks:
            self._networks[key] = _network(self.lines, key, self.crs)
        return self._networks[key]


def _network(lines: np.ndarray, segment_m: float, crs: str) -> StreetNetwork:
    seg = np.array([s for line in lines for s in _cut(line, segment_m)], dtype=object)
    length = shapely.length(seg)
    n_samples = np.maximum(np.ceil(length / _SAMPLE_M).astype(np.int64), 1)
    sample_segment = np.repeat(np.arange(seg.size), n_samples)
    start = np.repeat(np.cumsum(n_samples) - n_samples, n_samples)
    k = np.arange(sample_segment.size) - start
    frac = (k + 0.5) / n_samples[sample_segment]
    pts = shapely.line_interpolate_point(seg[sample_segment], frac, normalized=True)
    return StreetNetwork(
        segments=seg,
        length_m=length,
        segment_m=segment_m,
        crs=crs,
        sample_x=shapely.get_x(pts),
        sample_y=shapely.get_y(pts),
        sample_segment=sample_segment,
        sample_share=1.0 / n_samples[sample_segment],
    )


def street_lines(roads: gpd.GeoDataFrame | None) -> Streets | None:
    """The road lines of a geography's road layer, ready to cut into street segments.

    Parameters
    ----------
    roads
        Road lines (``LineString`` / ``MultiLineString``) in a projected metric CRS, e.g.
        :attr:`hotspots.spatial.geography.Geography.roads`.

    Returns
    -------
    Streets or None
        ``None`` when there is no layer or it holds no line of positive length (the geography
        has no street network; street segments are then not a candidate method).

    Raises
    ------
    CRSError
        When the layer is not in a projected metric CRS.
    """
    if roads is None or len(roads) == 0:
        return None
    crs = check_metric(roads.crs, argument="roads")
    parts = shapely.get_parts(roads.geometry.dropna().to_numpy())
    lines = np.array(
        [g for g in parts if g.geom_type == "LineString" and g.length > 0], dtype=object
    )
    if lines.size == 0:
        return None
    return Streets(lines=lines, crs=crs.to_string())
