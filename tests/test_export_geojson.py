from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box, shape

from hotspots.core.errors import InputSchemaError
from hotspots.export.geojson import json_safe, to_geojson_dict, write_geojson


def _frame() -> gpd.GeoDataFrame:
    # clockwise exterior in EPSG:3006 near Stora torget, Karlstad
    cw = Polygon([(413_600, 6_584_200), (413_600, 6_584_300), (413_700, 6_584_300),
                  (413_700, 6_584_200)])  # fmt: skip
    return gpd.GeoDataFrame(
        {
            "rank": np.array([1, 2], dtype=np.int64),
            "incidents": np.array([12, 3]),
            "gi_z": [np.float64(3.2), np.nan],
            "top_categories": [
                [
                    {"code": "robbery", "label_sv": "Rån", "label_en": "Robbery", "count": 5},
                    {"code": "sexual_offence", "label_sv": "x", "label_en": "x", "count": 9},
                ],
                [],
            ],
            "peak_hours": [[22, 23, 0], []],
            "district": ["Centrum", None],
            "_label": [7, 8],
        },
        geometry=[cw, box(414_000, 6_584_000, 414_100, 6_584_100)],
        crs="EPSG:3006",
    )


def test_feature_collection_is_rfc7946() -> None:
    fc = to_geojson_dict(_frame(), properties={"kernel": "quartic", "bandwidth_m": 200.0})
    assert fc["type"] == "FeatureCollection"
    assert fc["kernel"] == "quartic"
    assert fc["bandwidth_m"] == 200.0
    assert "crs" not in fc  # RFC 7946 drops crs members: WGS84 lon/lat only
    f0 = fc["features"][0]
    lon, lat = f0["geometry"]["coordinates"][0][0]
    assert 13.4 < lon < 13.6
    assert 59.3 < lat < 59.45  # Karlstad
    for f in fc["features"]:
        poly = shape(f["geometry"])
        # exterior rings counter-clockwise (right-hand rule, RFC 7946 section 3.1.6)
        assert poly.exterior.is_ccw
        coords = np.asarray(poly.exterior.coords)
        assert np.allclose(coords, np.round(coords, 7))


def test_properties_are_json_safe_and_private_columns_dropped() -> None:
    fc = to_geojson_dict(_frame())
    p0, p1 = fc["features"][0]["properties"], fc["features"][1]["properties"]
    assert p0["rank"] == 1
    assert isinstance(p0["rank"], int)
    assert p1["gi_z"] is None  # NaN -> null
    assert p0["peak_hours"] == [22, 23, 0]
    assert "_label" not in p0
    # restricted categories are scrubbed from category lists
    assert [c["code"] for c in p0["top_categories"]] == ["robbery"]
    json.dumps(fc, allow_nan=False)


def test_write_round_trip(tmp_path) -> None:
    path = write_geojson(_frame(), tmp_path / "sub" / "h.geojson", properties={"n_incidents": 15})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["n_incidents"] == 15
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326
    assert len(back) == 2
    area = back.to_crs(3006).geometry.area
    assert area.iloc[0] == pytest.approx(10_000.0, rel=1e-3)


def test_reserved_members_refused_and_no_crs() -> None:
    with pytest.raises(InputSchemaError, match="reserved"):
        to_geojson_dict(_frame(), properties={"features": 1})
    bad = _frame().set_crs(None, allow_override=True)
    with pytest.raises(InputSchemaError, match="no CRS"):
        to_geojson_dict(bad)


def test_json_safe() -> None:
    assert json_safe({"a": np.int32(3), "b": [np.float32(1.5), math.inf]}) == {
        "a": 3,
        "b": [1.5, None],
    }
    assert json_safe(shapely.Point(1, 2)) == "POINT (1 2)"
