from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from pyproj import CRS

from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import InputSchemaError
from hotspots.core.taxonomy import CODES, is_restricted
from hotspots.engine.harm import (
    concentration_curve,
    harm_analysis,
    incident_weights,
    load_weights,
    read_weights,
    spot_overlap,
)
from hotspots.engine.harm_weights import WEIGHT_COLUMNS, default_weights_path
from hotspots.engine.kde import kde_surface
from hotspots.forecast.analysis import run_analysis
from hotspots.spatial.grid import Grid

CRS3006 = CRS.from_epsg(3006)


# --- the weights table --------------------------------------------------------------------
def test_shipped_table_has_every_code_with_its_published_example() -> None:
    w = load_weights("harm")
    assert [r.code for r in w.rows] == list(CODES)
    # the brottsskadeindex examples of issue 16 (months of average sentence)
    assert w.weight("drug_use") == 1  # narkotika innehav
    assert w.weight("sexual_offence") == 25  # våldtäkt
    assert w.weight("weapons") == 20  # grovt vapenbrott
    assert w.weight("drug_dealing") == 5  # bedrägeri
    assert w.weight("assault_public") == 4  # misshandel (ej grov) i parrelation
    assert w.weight("domestic_violence") == 4
    assert w.weight("other") == 2  # stöld
    for row in w.rows:
        assert row.date is not None
        assert row.weight >= 1
        if row.code == "drug_use":
            assert "exact match" in row.source
        else:
            assert "approximation" in row.source, row.code
    assert not w.is_count
    assert default_weights_path().is_file()


def test_restricted_codes_have_weights_but_stay_out_of_output() -> None:
    w = load_weights("harm")
    described = w.describe()
    assert described["name"] == "harm"
    assert described["date"] == "2026-12-04"
    assert "domestic_violence" not in described["weights"]
    assert "sexual_offence" not in described["weights"]
    assert w.weight("sexual_offence") > 0
    assert is_restricted("sexual_offence")


def test_count_weighs_every_code_one() -> None:
    w = load_weights(" COUNT ")
    assert w.is_count
    assert w.as_dict() == dict.fromkeys(CODES, 1.0)
    assert w.describe()["unit"] == "incident"
    assert w.date is None


def _table(rows: dict[str, str] | None = None) -> str:
    lines = ["# local weights", ";".join(WEIGHT_COLUMNS)]
    for code in CODES:
        lines.append((rows or {}).get(code, f"{code};2;local figure;2026-01-31"))
    return "\n".join(lines) + "\n"


def test_an_edited_file_is_read_with_comments_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        _table({"robbery": 'robbery;17,5;"local; court figures";2026-02-01'}), encoding="utf-8-sig"
    )
    w = load_weights(str(path))
    assert w.weight("robbery") == 17.5
    assert w.rows[CODES.index("robbery")].source == "local; court figures"
    assert w.weight("dui") == 2.0
    assert w.path == str(path)
    assert w.describe()["name"] == "file"
    assert w.date.isoformat() == "2026-02-01"


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ({"dui": "dui;two;x;2026-01-01"}, r"line 13, column weight: 'two' is not a number"),
        ({"dui": "dui;-1;x;2026-01-01"}, r"line 13, column weight: '-1'"),
        ({"dui": "dui;nan;x;2026-01-01"}, r"line 13, column weight"),
        ({"dui": "dui;1;;2026-01-01"}, r"line 13, column source: empty"),
        ({"dui": "dui;1;x;31/01/2026"}, r"line 13, column date: '31/01/2026' is not a date"),
        ({"dui": "rattfylleri;1;x;2026-01-01"}, r"line 13, column code: 'rattfylleri'"),
        ({"dui": "robbery;1;x;2026-01-01"}, r"line 13, column code: 'robbery' repeats line 4"),
        ({"dui": "dui;1;x"}, r"line 13: 3 column\(s\), expected 4"),
        ({"dui": ""}, r"no row for dui"),
    ],
)
def test_bad_rows_name_file_line_and_column(tmp_path: Path, rows, needle: str) -> None:
    path = tmp_path / "weights.csv"
    path.write_text(_table(rows), encoding="utf-8")
    with pytest.raises(InputSchemaError, match=needle) as info:
        read_weights(path)
    assert "weights.csv" in str(info.value)


def test_bad_header_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "comma.csv"
    path.write_text("code,weight,source,date\ndui,1,x,2026-01-01\n", encoding="utf-8")
    with pytest.raises(InputSchemaError, match=r"comma.csv, line 1: the header .*';'"):
        load_weights(path)
    with pytest.raises(InputSchemaError, match="neither count, harm nor an existing file"):
        load_weights(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(InputSchemaError, match="no header"):
        read_weights(empty)


def test_incident_weights_by_category() -> None:
    w = load_weights("harm")
    assert_allclose(incident_weights(["robbery", "drug_use", "other"], w), [20.0, 1.0, 2.0])
    with pytest.raises(InputSchemaError, match="no weight for category brand"):
        incident_weights(["robbery", "brand"], w)


# --- weighted KDE -------------------------------------------------------------------------
@pytest.mark.parametrize("edge", [False, True])
def test_integer_weights_equal_repeated_points(rng, edge: bool) -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_m=10.0, nx=40, ny=30, crs=CRS3006)
    x = rng.uniform(100, 300, 25)  # every kernel (60 m) wholly on the grid
    y = rng.uniform(70, 230, 25)
    w = rng.integers(0, 5, 25)
    mask = np.ones(grid.shape, dtype=bool)
    mask[:, :8] = False  # a shore on the west side
    kw = {"grid": grid, "kernel": "quartic", "bandwidth_m": 60.0, "study_mask": mask,
          "edge_correction": edge}  # fmt: skip
    weighted = kde_surface(x, y, weights=w.astype(float), **kw)
    repeated = kde_surface(np.repeat(x, w), np.repeat(y, w), **kw)
    assert_allclose(weighted, repeated, rtol=1e-9, atol=1e-9)
    if not edge:
        # integrates to the weighted count of points whose kernel lies in the study area
        plain = kde_surface(x, y, weights=w.astype(float), grid=grid, kernel="quartic",
                            bandwidth_m=60.0)  # fmt: skip
        assert np.nansum(plain) * grid.cell_area_km2 == pytest.approx(w.sum())


# --- overlap and concentration ------------------------------------------------------------
def test_spot_overlap_golden() -> None:
    count = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=bool)
    harm = np.array([[0, 1, 1], [1, 0, 0], [0, 0, 1]], dtype=bool)
    o = spot_overlap(count, harm)
    # both = 2 cells; union = 3 + 4 - 2 = 5; jaccard = 2/5; harm cells in count = 2/4
    assert (o.count_cells, o.harm_cells, o.both_cells) == (3, 4, 2)
    assert o.jaccard == pytest.approx(0.4)
    assert o.harm_in_count == pytest.approx(0.5)
    assert spot_overlap(count, count).jaccard == 1.0
    none = spot_overlap(np.zeros((2, 2), bool), np.zeros((2, 2), bool))
    assert math.isnan(none.jaccard)
    assert none.as_dict()["jaccard"] is None
    with pytest.raises(InputSchemaError, match="shape"):
        spot_overlap(count, harm[:2])


def test_concentration_curve_golden_on_a_tiny_grid() -> None:
    values = np.array([[4.0, 0.0, 9.0], [1.0, 3.0, 2.0]])
    mask = np.array([[True, True, False], [True, True, True]])  # the 9 lies outside
    c = concentration_curve(values, mask)
    # cells most first: 4, 3, 2, 1, 0 of total 10
    assert_allclose(c.area_share, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert_allclose(c.value_share, [0.0, 0.4, 0.7, 0.9, 1.0, 1.0])
    assert c.total == 10.0
    assert c.n_cells == 5
    # half of the total needs two of five cells (4 + 3 = 7 >= 5; 4 < 5)
    assert c.area_for(0.5) == pytest.approx(0.4)
    assert c.area_for(0.4) == pytest.approx(0.2)
    assert c.area_for(1.0) == pytest.approx(0.8)
    # linear between cells: 0.3 of the area = midway between 0.4 and 0.7
    assert c.share_in(0.3) == pytest.approx(0.55)
    # area under the curve 0.2 * (0.2 + 0.55 + 0.8 + 0.95 + 1.0) = 0.7, Gini = 2 * 0.7 - 1;
    # the mean-difference Gini of 0, 1, 2, 3, 4 is 40 / (2 * 25 * 2) = 0.4 as well
    assert c.gini == pytest.approx(0.4)
    summary = c.summary((0.2, 0.5))
    assert summary["area_share_for_half"] == pytest.approx(0.4)
    assert summary["share_in_top"] == {"0.2": 0.4, "0.5": pytest.approx(0.8)}


def test_concentration_curve_invariants(rng) -> None:
    values = rng.poisson(0.3, size=(30, 40)) * rng.integers(1, 20, size=(30, 40))
    c = concentration_curve(values.astype(float))
    assert c.value_share[0] == 0.0
    assert c.value_share[-1] == 1.0
    assert (np.diff(c.value_share) >= -1e-15).all()
    assert (np.diff(c.value_share, 2) <= 1e-12).all()  # concave: densest cells first
    assert 0.0 <= c.gini <= 1.0
    even = concentration_curve(np.ones((4, 5)))
    assert even.gini == pytest.approx(0.0)
    assert even.area_for(0.5) == pytest.approx(0.5)
    one = concentration_curve(np.array([0.0, 0.0, 0.0, 7.0]))
    assert one.gini == pytest.approx(0.75)  # 1 - 1/N
    assert one.area_for(0.5) == pytest.approx(0.25)
    zero = concentration_curve(np.zeros(3))
    assert math.isnan(zero.gini)
    assert math.isnan(zero.area_for(0.5))
    with pytest.raises(InputSchemaError, match=">= 0"):
        concentration_curve(np.array([1.0, -1.0]))


# --- harm analysis ------------------------------------------------------------------------
X0, Y0 = 674_000.0, 6_580_000.0


def _two_clusters(make_incidents, rng):
    """80 drug-use incidents (weight 1) at A, 12 robberies (weight 20) at B 1.5 km east,
    40 restricted incidents (weight 25) at C and 60 'other' incidents spread around."""
    parts = [
        (rng.normal(X0, 25, 80), rng.normal(Y0, 25, 80), "drug_use"),
        (rng.normal(X0 + 1500, 25, 12), rng.normal(Y0, 25, 12), "robbery"),
        (rng.normal(X0 + 700, 25, 40), rng.normal(Y0 + 900, 25, 40), "sexual_offence"),
        (rng.uniform(X0 - 800, X0 + 2300, 60), rng.uniform(Y0 - 800, Y0 + 1200, 60), "other"),
    ]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    cats = [p[2] for p in parts for _ in range(len(p[0]))]
    return make_incidents(x, y, categories=cats)


def _analysis(incidents):
    config = AnalysisConfig(
        bandwidth_m=150.0, cell_m=25.0, coverage=0.02, min_incidents=5, edge_correction=False
    )
    return run_analysis(incidents, config=config, geography=None)


def test_harm_spots_rank_grave_incidents_first(make_incidents, rng) -> None:
    result = _analysis(_two_clusters(make_incidents, rng))
    top_count = result.hotspots.iloc[0]
    assert top_count.geometry.distance(_point(X0, Y0)) < 50  # most incidents: the drugs
    harm = harm_analysis(result, load_weights("harm"))
    top = harm.hotspots.iloc[0]
    assert top.geometry.distance(_point(X0 + 1500, Y0)) < 50  # most harm: the robberies
    assert top["top_categories"][0]["code"] == "robbery"
    assert top["n_incidents"] >= 10
    n_other = _n_other(top)
    assert top["incidents"] == pytest.approx(20 * (top["n_incidents"] - n_other) + 2 * n_other)
    # restricted incidents never enter: total harm = 80 * 1 + 12 * 20 + 60 * 2
    assert harm.total_harm == pytest.approx(80 + 240 + 120)
    assert len(harm.incident_weights) == len(result.incidents)
    text = harm.hotspots.drop(columns="geometry").to_json()
    assert "sexual_offence" not in text
    # densities: harm integrates to harm (no shore here: the study area is the data's extent)
    assert np.nansum(harm.harm_density) * result.grid.cell_area_km2 == pytest.approx(
        harm.total_harm, rel=1e-3
    )
    assert (np.nan_to_num(harm.harm_density) >= 0).all()
    assert set(np.unique(harm.labels)) == set(range(len(harm.hotspots) + 1))
    # both spot sets hold the same share of the study area, and they differ
    assert harm.overlap.jaccard < 1.0
    params = harm.parameters()
    assert params["concentration"]["harm"]["total"] == pytest.approx(440.0)
    assert params["concentration"]["count"]["total"] == pytest.approx(152.0)
    assert params["harm_captured"]["harm_spots"] >= params["harm_captured"]["count_spots"]
    assert params["n_harm_hotspots"] == len(harm.hotspots)


def _n_other(row) -> float:
    """'other' incidents in a harm hotspot (top_categories sums weights: 2 each)."""
    return sum(c["count"] for c in row["top_categories"] if c["code"] == "other") / 2


def _point(x: float, y: float):
    import shapely

    return shapely.Point(x, y)


def test_count_weights_reproduce_the_count_spots(make_incidents, rng) -> None:
    result = _analysis(_two_clusters(make_incidents, rng))
    harm = harm_analysis(result, load_weights("count"))
    assert harm.overlap.jaccard == 1.0
    assert harm.overlap.harm_in_count == 1.0
    assert_allclose(harm.harm_density, result.density, equal_nan=True)
    crime = result.hotspots[result.hotspots["kind"] == "crime"]
    assert list(harm.hotspots["incidents"]) == list(crime["incidents"])
    assert list(harm.hotspots["n_incidents"]) == list(crime["incidents"])
    assert_allclose(harm.hotspots["pai"], crime["pai"])
    assert harm.harm_curve.gini == pytest.approx(harm.count_curve.gini)
