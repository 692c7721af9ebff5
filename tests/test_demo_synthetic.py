from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from hotspots.core.config import HourWindow
from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import INCIDENT_COLUMNS
from hotspots.demo.synthetic import PlantedCluster, planted_incidents, random_clusters
from hotspots.engine.select import night_weekday


def test_planted_clusters_follow_their_recipe() -> None:
    c = PlantedCluster(1000.0, 2000.0, radius_m=50.0, n=200, hours=HourWindow(22, 2),
                       weekdays=(4, 5), category="robbery")  # fmt: skip
    f = planted_incidents([c], background_n=100, bounds=(0, 0, 3000, 3000), seed=5)
    assert set(INCIDENT_COLUMNS) <= set(f.columns)
    assert str(f.crs) == "EPSG:3006"
    mine = f[f["cluster"] == 0]
    assert len(mine) == 200
    d = np.hypot(mine.geometry.x - 1000.0, mine.geometry.y - 2000.0)
    assert d.max() <= 50.0
    assert set(mine["occurred_at"].dt.hour) <= {22, 23, 0, 1}
    # a night counts to its evening: Friday and Saturday nights, into Saturday and Sunday
    assert set(night_weekday(mine["occurred_at"], c.hours)) <= {4, 5}
    assert set(mine["occurred_at"].dt.weekday) == {4, 5, 6}
    assert (mine["category"] == "robbery").all()
    bg = f[f["cluster"] == -1]
    assert len(bg) == 100
    assert bg.geometry.x.between(0, 3000).all()
    # same seed, same data
    g = planted_incidents([c], background_n=100, bounds=(0, 0, 3000, 3000), seed=5)
    assert g.geometry.equals(f.geometry)


def test_background_within_a_geometry_and_random_clusters() -> None:
    land = box(0, 0, 1000, 3000)
    f = planted_incidents([], background_n=300, bounds=(0, 0, 3000, 3000), within=land, seed=1)
    assert f.geometry.x.max() <= 1000
    cl = random_clusters(5, bounds=(0, 0, 5000, 5000), seed=2, min_separation_m=800)
    assert len(cl) == 5
    xy = np.array([(c.x, c.y) for c in cl])
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert dist[np.triu_indices(5, 1)].min() >= 800
    for c in cl:
        assert len(c.hours.hours()) == 4
    with pytest.raises(InputSchemaError, match="cannot place"):
        random_clusters(50, bounds=(0, 0, 1000, 1000), min_separation_m=800)
