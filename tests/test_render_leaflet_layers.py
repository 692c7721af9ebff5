"""The vector layers of :mod:`hotspots.render.leaflet.layers`: compact incident points."""

from __future__ import annotations

import numpy as np
import pandas as pd
from privacy_town import SCRIPT, analysed

from hotspots.render.leaflet.escape import escape_html
from hotspots.render.leaflet.layers import incident_layer
from hotspots.render.leaflet.options import MapOptions
from hotspots.render.privacy import apply_privacy
from hotspots.spatial.crs import to_wgs84


def test_incident_points_decode_to_the_incidents() -> None:
    content = apply_privacy(analysed(), profile="internal")
    layer = incident_layer(content, MapOptions(), [])
    assert layer is not None
    d = layer.points
    inc = content.incidents
    assert len(inc) < 5000  # all of them, in their order (no cap)
    wgs = to_wgs84(inc)
    n = len(inc)
    assert len(d["lat"]) == len(d["lon"]) == len(d["c"]) == len(d["t"]) == len(d["d"]) == n
    lat = (d["lat0"] + np.asarray(d["lat"])) / 1e6
    lon = (d["lon0"] + np.asarray(d["lon"])) / 1e6
    assert np.abs(lat - wgs.geometry.y.to_numpy()).max() <= 0.6e-6
    assert np.abs(lon - wgs.geometry.x.to_numpy()).max() <= 0.6e-6
    # the browser formats t with UTC getters: the same as the local wall clock here
    for minutes, when in zip(d["t"][:50], inc["occurred_at"][:50], strict=True):
        shown = pd.Timestamp(minutes * 60, unit="s").strftime("%Y-%m-%d %H:%M")
        assert shown == when.strftime("%Y-%m-%d %H:%M")
    # distinct values listed once, escaped; every index points into its list
    assert len(set(d["dd"])) == len(d["dd"])
    assert max(d["d"]) < len(d["dd"])
    assert all("<script>" not in v for v in d["dd"])
    assert escape_html(SCRIPT) in d["dd"]
    categories = [layer.categories[c] for c in d["c"]]
    assert "Sexualbrott" not in categories
    assert d["i"] == [escape_html(v) for v in inc["id"]]
