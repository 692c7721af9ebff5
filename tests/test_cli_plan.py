"""``hotspots plan`` end to end on a small synthetic Karlstad file, and its argument errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.cli import run
from hotspots.core.schema import TIMEZONE
from hotspots.io.csv_safety import read_excel_csv
from hotspots.planning import default_week
from hotspots.spatial.geography import default_geography

#: The week a plan is made for by default: the next one (a past week has no time left).
NEXT = default_week()


def _write_incidents(path: Path, seed: int = 11) -> dict[str, tuple[float, float]]:
    """Night violence at a nightlife street, drink driving beside a primary road, noise."""
    geo = default_geography()
    rng = np.random.default_rng(seed)
    night = geo.places[geo.places["kind"] == "nightlife_street"].geometry.iloc[0]
    road = geo.roads[geo.roads["kind"] == "primary"].geometry.iloc[0]
    dui = road.interpolate(0.4, normalized=True)
    monday = pd.Timestamp("2026-01-05", tz=TIMEZONE)
    rows = []

    def add(x: float, y: float, n: int, cat: str, *, start_h: int, days: tuple[int, ...]) -> None:
        for _ in range(n):
            t = monday + pd.Timedelta(
                days=7 * int(rng.integers(0, 40)) + int(rng.choice(days)),
                hours=start_h,
                minutes=int(rng.integers(0, 240)),
            )
            rows.append(
                {
                    "occurred_at": t.tz_localize(None).isoformat(),
                    "category": cat,
                    "x": round(float(rng.normal(x, 40)), 1),
                    "y": round(float(rng.normal(y, 40)), 1),
                }
            )

    add(night.x, night.y, 60, "assault_public", start_h=23, days=(4, 5))
    add(dui.x, dui.y, 30, "dui", start_h=1, days=(5, 6))
    add(night.x + 30, night.y, 20, "domestic_violence", start_h=23, days=(4, 5))
    land = geo.urban
    minx, miny, maxx, maxy = land.bounds
    for cat in ("vandalism", "disorder", "assault_public"):
        add((minx + maxx) / 2, (miny + maxy) / 2, 30, cat, start_h=12, days=tuple(range(7)))
    frame = pd.DataFrame(rows)
    frame.insert(0, "id", [f"c{i}" for i in range(len(frame))])
    frame.to_csv(path, index=False)
    return {"night": (night.x, night.y), "dui": (dui.x, dui.y)}


@pytest.mark.slow
def test_plan_writes_geojson_csv_and_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "incidents.csv"
    _write_incidents(src)
    out = tmp_path / "plan.geojson"
    code = run(
        [
            "plan",
            str(src),
            "--db",
            str(tmp_path / "none.gpkg"),
            "--out",
            str(out),
            "--csv",
            str(tmp_path / "plan.csv"),
            "--schedule",
            str(tmp_path / "week.html"),
            "--patrol-hours-per-week",
            "6",
            "--cell-m",
            "50",
            "--include-proactive",  # the drink-driving cluster is found by police checks
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"suggestions for week {NEXT}" in captured.out  # the default: next week
    assert "settings: kernel quartic, bandwidth" in captured.err
    assert "the app opens with: cell 25 m" in captured.err  # --cell-m 50 differs
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["week"] == NEXT
    kinds = {f["properties"]["kind"] for f in doc["features"]}
    assert {"foot_patrol", "traffic_check"} <= kinds
    for f in doc["features"]:
        coords = np.array(
            f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "LineString"
            else [f["geometry"]["coordinates"]]
        )
        assert (coords[:, 0] > 12.5).all()  # WGS84 longitude of Karlstad, not metres
        assert (coords[:, 0] < 14.5).all()
        assert (coords[:, 1] > 59.0).all()
        assert (coords[:, 1] < 60.0).all()
        p = f["properties"]
        assert isinstance(p["weekdays"], list)
        assert "domestic_violence" not in p["evidence"]
        assert "Våld i nära relation" not in p["reason_sv"]
        assert "priority" not in p  # internal columns stay internal
    raw = (tmp_path / "plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfId;Rang;Typ;")  # BOM, ";", Swedish headers
    table = read_excel_csv(raw)
    assert {"Id", "Typ", "Tider", "Veckodagar", "Longitud", "Latitud", "Varför"} <= set(
        table.columns
    )
    assert "Fotpatrull" in set(table["Typ"])
    assert not {"foot_patrol", "traffic_check"} & set(table["Typ"])
    assert all("," in v for v in table["Longitud"])  # decimal comma: 13,5...
    assert len(table) == len(doc["features"])
    page = (tmp_path / "week.html").read_text(encoding="utf-8")
    assert f"Patrullschema vecka {NEXT}" in page
    assert "Fotpatrull" in page

    sched = tmp_path / "week.csv"
    code = run(
        [
            "plan",
            str(src),
            "--db",
            str(tmp_path / "none.gpkg"),
            "--out",
            str(out),
            "--schedule",
            str(sched),
            "--patrol-hours-per-week",
            "4.5",
            "--week",
            NEXT,
            "--teams",
            "2",
            "--lang",
            "en",
            "--randomise",
            "--seed",
            "2",
            "--cell-m",
            "50",
            "--kinds",
            "foot_patrol,traffic_check",
            "--include-proactive",
        ]
    )
    assert code == 0, capsys.readouterr().err
    visits = read_excel_csv(sched)
    assert list(visits.columns)[:3] == ["Date", "Day", "Start"]
    assert visits["Minutes"].astype(int).sum() == 270
    assert set(visits["Kind"]) <= {"Foot patrol", "Traffic check"}
    assert set(visits["Team"]) <= {"1", "2"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "plan.txt"], "--out"),
        (["--out", "p.geojson", "--schedule", "s.html"], "--patrol-hours-per-week"),
        (["--out", "p.geojson", "--schedule", "s.pdf", "--patrol-hours-per-week", "3"], ".html"),
        (["--out", "p.geojson", "--lang", "fr"], "--lang"),
        (["--out", "p.geojson", "--stop-minutes", "30"], "Koper"),
        (["--out", "p.geojson", "--week", "48"], "YYYY-Www"),
        (["--out", "p.geojson", "--kinds", "helicopter"], "kinds"),
        (["--out", "p.geojson", "--patrol-hours-per-week", "-2"], "patrol-hours-per-week"),
        (["--out", "p.geojson", "--teams", "0"], "--teams"),
    ],
)
def test_plan_argument_errors_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["plan", "--db", str(tmp_path / "none.gpkg"), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_plan_on_data_no_geography_covers_asks_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Incidents in London: the Karlstad roads and places must not be used for them."""
    rng = np.random.default_rng(3)
    lat = 51.515 + rng.normal(0, 0.002, 300)
    lon = -0.09 + rng.normal(0, 0.003, 300)
    times = pd.date_range("2026-01-02 22:00", periods=300, freq="5h")
    src = tmp_path / "london.csv"
    pd.DataFrame(
        {
            "id": [f"l{i}" for i in range(300)],
            "occurred_at": times.strftime("%Y-%m-%d %H:%M"),
            "category": "assault_public",
            "lat": lat.round(6),
            "lon": lon.round(6),
        }
    ).to_csv(src, index=False)
    out = tmp_path / "plan.geojson"
    code = run(["plan", str(src), "--out", str(out), "--db", str(tmp_path / "none.gpkg")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no geography covers these incidents" in err
    assert "--geography" in err
    assert not out.exists()
