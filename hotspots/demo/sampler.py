"""Where demo points go: drawn on land around centres, inside districts and along roads."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InsufficientDataError
from hotspots.spatial.geography import Geography

__all__ = ["Sampler", "district_points", "main_square"]


class Sampler:
    """Draws points on land: around centres, inside districts, along roads."""

    def __init__(self, geography: Geography, rng: np.random.Generator) -> None:
        self.geo = geography
        self.rng = rng
        self.land = geography.land
        shapely.prepare(self.land)
        self.urban = geography.urban
        if self.urban.is_empty:
            msg = "the geography's districts do not overlap its land; cannot place demo data"
            raise InsufficientDataError(msg)

    def on_land(self, xy: np.ndarray) -> np.ndarray:
        """Whether each point (rows of ``xy``, metres) lies on land."""
        return np.asarray(shapely.contains_xy(self.land, xy[:, 0], xy[:, 1]))

    def near(self, centres: np.ndarray, weights: np.ndarray, sigma_m: float, n: int) -> tuple:
        """``n`` points Gaussian around ``centres`` (chosen by ``weights``), on land."""
        out_xy = np.empty((0, 2))
        out_idx = np.empty(0, dtype=int)
        p = weights / weights.sum()
        for _ in range(200):
            need = n - len(out_xy)
            if need <= 0:
                break
            m = int(need * 1.5) + 16
            idx = self.rng.choice(len(centres), size=m, p=p)
            xy = centres[idx] + self.rng.normal(0.0, sigma_m, size=(m, 2))
            ok = self.on_land(xy)
            out_xy = np.vstack([out_xy, xy[ok]])
            out_idx = np.concatenate([out_idx, idx[ok]])
        if len(out_xy) < n:
            msg = "could not place demo points on land near the given places"
            raise InsufficientDataError(msg)
        return out_xy[:n], out_idx[:n]

    def in_polygon(self, poly: BaseGeometry, n: int) -> np.ndarray:
        """``n`` points uniform in ``poly`` ∩ land."""
        area = poly.intersection(self.land)
        if area.is_empty or n == 0:
            return np.empty((0, 2))
        shapely.prepare(area)
        x0, y0, x1, y1 = area.bounds
        out = np.empty((0, 2))
        for _ in range(500):
            need = n - len(out)
            if need <= 0:
                break
            m = max(64, int(need * (x1 - x0) * (y1 - y0) / max(area.area, 1.0) * 1.3))
            xy = np.column_stack(
                [self.rng.uniform(x0, x1, size=m), self.rng.uniform(y0, y1, size=m)]
            )
            out = np.vstack([out, xy[shapely.contains_xy(area, xy[:, 0], xy[:, 1])]])
        return out[:n]

    def districts(self) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        """Districts on land and their population weights (area when population unknown)."""
        d = self.geo.districts
        if "population" in d.columns:
            pop = pd.to_numeric(d["population"], errors="coerce").to_numpy(dtype=float)
        else:
            pop = np.full(len(d), np.nan)
        if np.isnan(pop).all():
            pop = d.geometry.area.to_numpy() / 1e6
        pop = np.where(np.isnan(pop), np.nanmedian(pop), pop)
        return d, np.clip(pop, 0.0, None)

    def in_districts(self, n: int, *, concentrated: float = 0.5) -> tuple:
        """``n`` points over the districts by population; some around each district centre."""
        d, weights = self.districts()
        counts = self.rng.multinomial(n, weights / weights.sum())
        xy_parts = []
        names: list[str] = []
        for (_, row), k in zip(d.iterrows(), counts, strict=True):
            if k == 0:
                continue
            k_conc = int(self.rng.binomial(k, concentrated))
            pts = [self.in_polygon(row.geometry, k - k_conc)]
            if k_conc:
                core = row.geometry.intersection(self.land)
                c = np.array(core.representative_point().coords[0])[None, :]
                sigma = max(150.0, np.sqrt(core.area) / 4.0)
                near, _ = self.near(c, np.ones(1), sigma, k_conc * 3)
                inside = shapely.contains_xy(row.geometry, near[:, 0], near[:, 1])
                near = near[inside][:k_conc]
                if len(near) < k_conc:
                    near = np.vstack([near, self.in_polygon(row.geometry, k_conc - len(near))])
                pts.append(near)
            block = np.vstack(pts)
            xy_parts.append(block)
            names.extend([str(row["name"])] * len(block))
        return np.vstack(xy_parts), np.array(names, dtype=object)

    def along(self, lines: list[BaseGeometry], n: int, jitter_m: float) -> np.ndarray:
        """``n`` points uniformly along ``lines`` (by length), jittered, on land."""
        lengths = np.array([ln.length for ln in lines])
        out = np.empty((0, 2))
        for _ in range(200):
            need = n - len(out)
            if need <= 0:
                break
            m = int(need * 1.3) + 16
            which = self.rng.choice(len(lines), size=m, p=lengths / lengths.sum())
            frac = self.rng.uniform(0.0, 1.0, size=m)
            pts = shapely.line_interpolate_point(
                np.asarray(lines, dtype=object)[which], frac, normalized=True
            )
            xy = shapely.get_coordinates(pts) + self.rng.normal(0.0, jitter_m, size=(m, 2))
            out = np.vstack([out, xy[self.on_land(xy)]])
        if len(out) < n:
            msg = "could not place demo points on land along the roads"
            raise InsufficientDataError(msg)
        return out[:n]


def main_square(geo: Geography) -> tuple[float, float]:
    """The main square (the first ``square`` place, else the first place), metres."""
    squares = geo.places_of("square")
    pts = squares if len(squares) else geo.places
    if len(pts) == 0:
        c = geo.urban.representative_point()
        return (c.x, c.y)
    p = pts.geometry.iloc[0]
    return (p.x, p.y)


def district_points(geo: Geography) -> dict[str, tuple[float, float]]:
    """A point on the land of each district, by district name (metres)."""
    out: dict[str, tuple[float, float]] = {}
    for name, g in zip(geo.districts["name"], geo.districts.geometry, strict=True):
        core = g.intersection(geo.land)
        if not core.is_empty:
            p = core.representative_point()
            out[str(name)] = (p.x, p.y)
    return out
