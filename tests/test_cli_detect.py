from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio

from hotspots.cli import run
from hotspots.core.config import HourWindow
from hotspots.core.taxonomy import CATEGORIES
from hotspots.demo.synthetic import PlantedCluster, planted_incidents

RESTRICTED_WORDS = [c.code for c in CATEGORIES if c.restricted] + [
    c.sv for c in CATEGORIES if c.restricted
] + [c.en for c in CATEGORIES if c.restricted]  # fmt: skip

# Stockholm (EPSG:3006), outside the demo geography: the study area is the data's extent
X0, Y0 = 674_000.0, 6_580_000.0


def _csv(tmp_path: Path, *, restricted: bool = True) -> Path:
    clusters = [
        PlantedCluster(X0, Y0, n=60, hours=HourWindow(22, 2), weekdays=(4, 5)),
        PlantedCluster(X0 + 1500, Y0 + 800, n=40, hours=HourWindow(8, 12), weekdays=(0, 1),
                       category="vandalism"),
    ]  # fmt: skip
    if restricted:
        clusters += [
            PlantedCluster(X0 + 800, Y0 - 900, n=80, category="domestic_violence"),
            PlantedCluster(X0 + 820, Y0 - 880, n=80, category="sexual_offence"),
        ]
    frame = planted_incidents(
        clusters, background_n=150, bounds=(X0 - 1000, Y0 - 1500, X0 + 2500, Y0 + 1500), seed=4
    )
    frame = frame[~frame["category"].isin(["domestic_violence", "sexual_offence"]) | restricted]
    table = pd.DataFrame(
        {
            "id": frame["id"],
            "occurred_at": frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "category": frame["category"],
            "x": frame.geometry.x.round(1),
            "y": frame.geometry.y.round(1),
            "description": np.where(
                frame["category"] == "domestic_violence", "Våld i nära relation, lägenhet", "x"
            ),
        }
    )
    path = tmp_path / "incidents.csv"
    table.to_csv(path, index=False)
    return path


def test_detect_writes_all_outputs_without_restricted(tmp_path: Path, capsys) -> None:
    src = _csv(tmp_path)
    out, tif, gpkg = tmp_path / "h.geojson", tmp_path / "d.tif", tmp_path / "h.gpkg"
    code = run(
        ["detect", str(src), "--out", str(out), "--density-out", str(tif), "--gpkg-out",
         str(gpkg), "--coverage", "0.03", "--db", str(tmp_path / "none.gpkg")]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "hotspots" in captured.out
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in ("kernel", "bandwidth_m", "cell_m", "coverage", "metric_crs", "study_area_km2",
                "n_incidents"):  # fmt: skip
        assert key in data
    assert data["kernel"] == "quartic"
    assert data["coverage"] == 0.03
    assert data["n_incidents"] == 250  # 60 + 40 + 150, restricted never counted
    features = data["features"]
    assert [f["properties"]["rank"] for f in features] == list(range(1, len(features) + 1))
    top = features[0]["properties"]
    detect_fields = (
        "incidents", "area_km2", "share_of_incidents", "pai", "peak_density_per_km2", "gi_z",
        "gi_p_fdr", "top_categories", "peak_hours", "peak_weekdays", "district",
    )  # fmt: skip
    for key in detect_fields:
        assert key in top
    assert top["incidents"] >= 55
    assert set(top["peak_hours"]) <= {22, 23, 0, 1}
    assert set(top["peak_weekdays"]) <= {"fri", "sat"}
    text = out.read_text(encoding="utf-8")
    gtext = json.dumps(
        [pyogrio.read_dataframe(gpkg, layer=lyr).drop(columns="geometry", errors="ignore")
         .to_dict("records") for lyr in ("hotspots", "hotspots_parameters")],
        default=str, ensure_ascii=False,
    )  # fmt: skip
    for word in RESTRICTED_WORDS:
        assert word not in text
        assert word not in gtext
    assert "lägenhet" not in text
    # the density has nothing at the restricted cluster
    with rasterio.open(tif) as r:
        row, col = r.index(X0 + 810, Y0 - 890)
        value = r.read(1)[row, col]
        peak = r.read(1).max()
    assert value < 0.05 * peak
    hot = pyogrio.read_dataframe(gpkg, layer="hotspots")
    assert len(hot) == len(features)
    assert json.loads(hot["peak_hours"].iloc[0]) == top["peak_hours"]


def test_detect_filters_and_flags(tmp_path: Path, capsys) -> None:
    src = _csv(tmp_path, restricted=False)
    out = tmp_path / "h.geojson"
    code = run(
        ["detect", str(src), "--out", str(out), "--hours", "22-04", "--weekdays", "fri,sat",
         "--kernel", "gaussian", "--bandwidth-m", "80", "--cell-m", "20",
         "--no-edge-correction", "--threshold", "mean:5", "--db", str(tmp_path / "n.gpkg")]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["kernel"] == "gaussian"
    assert data["bandwidth_m"] == 80
    assert data["cell_m"] == 20
    assert data["edge_correction"] is False
    assert data["threshold"] == "mean:5"
    assert data["filters"]["hours"] == "22-04"
    # only the night cluster and background at night on fri/sat remain
    assert data["n_incidents"] < 100
    assert data["features"][0]["properties"]["incidents"] >= 50


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--kernel", "box"], "--kernel"),
        (["--coverage", "1.5"], "--coverage"),
        (["--bandwidth-m", "wide"], "--bandwidth-m"),
        (["--bandwidth-m", "-5"], "--bandwidth-m"),
        (["--threshold", "top:5"], "--threshold"),
        (["--hours", "25-3"], "--hours"),
        (["--weekdays", "fri,funday"], "--weekdays"),
        (["--category", "domestic_violence"], "restricted"),
        (["--since", "2026-13-01"], "--since"),
        (["--metric-crs", "EPSG:4326"], "metric"),
        (["--density-out", "d.png"], "--density-out"),
        (["--method", "magic"], "--method"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, capsys, args: list[str], needle: str) -> None:
    src = _csv(tmp_path, restricted=False)
    code = run(["detect", str(src), "--out", str(tmp_path / "h.geojson"), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_out_and_input(tmp_path: Path, capsys) -> None:
    assert run(["detect", str(_csv(tmp_path))]) == 2
    assert "--out" in capsys.readouterr().err
    assert run(["detect", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "h.geojson")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    assert run(["detect", str(_csv(tmp_path)), "--out", str(tmp_path / "h.txt")]) == 2
    assert "--out" in capsys.readouterr().err


def test_detect_from_the_store_in_karlstad_with_survey(tmp_path: Path, capsys) -> None:
    # a night cluster at Stora torget and unsafe marks at a park 1.5 km away
    x0, y0 = 413_650.0, 6_584_250.0
    frame = planted_incidents(
        [PlantedCluster(x0, y0, n=80, hours=HourWindow(23, 3), weekdays=(5, 6))],
        background_n=60, bounds=(x0 - 3000, y0 - 3000, x0 + 3000, y0 + 3000), seed=9,
    )  # fmt: skip
    csv = tmp_path / "inc.csv"
    pd.DataFrame(
        {
            "occurred_at": frame["occurred_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "category": frame["category"],
            "x": frame.geometry.x.round(1),
            "y": frame.geometry.y.round(1),
        }
    ).to_csv(csv, index=False, sep=";")
    rng = np.random.default_rng(3)
    survey = tmp_path / "survey.csv"
    pd.DataFrame(
        {
            "x": np.r_[rng.normal(x0 + 1500, 25, 25)].round(1),
            "y": np.r_[rng.normal(y0 + 250, 25, 25)].round(1),
            "unsafe": 5,
        }
    ).to_csv(survey, index=False)
    db = tmp_path / "store.gpkg"
    assert run(["import", str(csv), "--db", str(db)]) == 0
    assert run(["import", str(survey), "--kind", "survey", "--db", str(db)]) == 0
    capsys.readouterr()
    out = tmp_path / "h.geojson"
    code = run(
        ["detect", "--db", str(db), "--out", str(out), "--coverage", "0.002", "--cell-m", "50"]
    )
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["study_area"] == "land of the districts"
    assert data["metric_crs"] == "EPSG:3006"
    feats = data["features"]
    top = feats[0]["properties"]
    assert top["kind"] == "crime"
    assert top["district"]  # the demo geography names the district
    assert set(top["peak_hours"]) <= {23, 0, 1, 2}
    kinds = [f["properties"]["kind"] for f in feats]
    assert "perceived" in kinds
    perceived = feats[kinds.index("perceived")]["properties"]
    assert perceived["crime_fear"] == "perceived_unsafe"
    assert perceived["survey_marks"] >= 15


@pytest.mark.shared_data
def test_detect_on_police_uk_uses_utm_and_reports_no_hour_peak(
    shared_data: Path, tmp_path: Path, capsys
) -> None:
    src = shared_data / "policeuk" / "city-of-london" / "2018-04-city-of-london-street.csv"
    if not src.exists():
        pytest.skip(f"{src} is absent")
    out = tmp_path / "london.geojson"
    code = run(["detect", str(src), "--out", str(out), "--cell-m", "50", "--bandwidth-m", "150",
                "--db", str(tmp_path / "none.gpkg")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["metric_crs"] == "EPSG:32630"  # UTM zone 30N, not SWEREF 99 TM
    assert data["study_area"] == "data extent + kernel"
    top = data["features"][0]
    lon, lat = top["geometry"]["coordinates"][0][0]
    assert -0.12 < lon < -0.07
    assert 51.50 < lat < 51.53
    # month-only times: no hour or weekday peak is claimed, the profile is flat
    assert top["properties"]["peak_hours"] == []
    assert top["properties"]["peak_window"] is None
    hw = np.asarray(top["properties"]["hour_weekday"])
    assert hw.std() / hw.mean() < 1e-3


def test_detect_method_auto_records_the_backtest_choice(tmp_path: Path, capsys) -> None:
    src = _csv(tmp_path, restricted=False)
    out = tmp_path / "h.geojson"
    code = run(["detect", str(src), "--out", str(out), "--method", "auto", "--cell-m", "50",
                "--db", str(tmp_path / "n.gpkg")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["tuning"]["auto"] is True
    assert data["method"] == data["tuning"]["method"]
    assert data["bandwidth_m"] > 0
    assert data["features"]


def test_detect_weights_harm_writes_harm_spots_with_overlap(tmp_path: Path, capsys) -> None:
    src = _csv(tmp_path)
    out, tif = tmp_path / "harm.geojson", tmp_path / "harm.tif"
    code = run(["detect", str(src), "--out", str(out), "--density-out", str(tif), "--coverage",
                "0.03", "--weights", "harm", "--db", str(tmp_path / "none.gpkg")])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(out.read_text(encoding="utf-8"))
    harm = data["harm"]
    assert harm["weights"]["name"] == "harm"
    assert harm["weights"]["unit"] == "months of average sentence"
    # 60 assaults (4) + 40 vandalism (2) + 150 background of public codes; restricted never
    assert harm["total_harm"] > 250
    assert 0.0 <= harm["overlap"]["jaccard"] <= 1.0
    assert harm["concentration"]["harm"]["area_share_for_half"] > 0
    assert data["n_hotspots"] == len(data["features"]) == harm["n_harm_hotspots"]
    top = data["features"][0]["properties"]
    assert top["n_incidents"] >= 55
    assert top["incidents"] >= 4 * 55  # ranked by harm: the assaults (4 months each)
    text = out.read_text(encoding="utf-8")
    for word in RESTRICTED_WORDS:
        assert word not in text
    with rasterio.open(tif) as r:
        assert r.read(1).max() > 0


def test_detect_weights_file_errors_name_the_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "w.csv"
    bad.write_text("code;weight;source;date\ndui;x;a;2026-01-01\n", encoding="utf-8")
    code = run(["detect", str(_csv(tmp_path)), "--out", str(tmp_path / "h.geojson"),
                "--weights", str(bad)])  # fmt: skip
    assert code == 2
    assert "w.csv, line 2, column weight" in capsys.readouterr().err
    assert run(["detect", str(_csv(tmp_path)), "--out", str(tmp_path / "h.geojson"),
                "--weights", "severity"]) == 2  # fmt: skip
    assert "neither count, harm" in capsys.readouterr().err
