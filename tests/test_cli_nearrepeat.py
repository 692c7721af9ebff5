from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.cli import run

# Stockholm (EPSG:3006), outside the demo geography
X0, Y0 = 674_000.0, 6_580_000.0


def _csv(tmp_path: Path) -> Path:
    """Vandalism with planted near repeats (within 40 m and 5 days of 50 seeds), robbery
    without, and a restricted category with near repeats; one year from 2025-01-01."""
    rng = np.random.default_rng(7)
    rows = []

    def add(category: str, n: int, seeds: int) -> None:
        x = rng.uniform(0, 3000, n + seeds)
        y = rng.uniform(0, 3000, n + seeds)
        t = rng.uniform(0, 355, n + seeds)
        for i in range(n, n + seeds):
            for _ in range(2):
                a, r = rng.uniform(0, 2 * np.pi), 40 * np.sqrt(rng.uniform())
                x = np.append(x, x[i] + r * np.cos(a))
                y = np.append(y, y[i] + r * np.sin(a))
                t = np.append(t, t[i] + rng.uniform(0, 5))
        rows.extend(zip([category] * len(x), x, y, t, strict=True))

    add("vandalism", 200, 50)
    add("robbery", 150, 0)
    add("sexual_offence", 60, 30)
    start = pd.Timestamp("2025-01-01 00:00", tz="Europe/Stockholm")
    frame = pd.DataFrame(rows, columns=["category", "x", "y", "days"])
    table = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(len(frame))],
            "occurred_at": (start + pd.to_timedelta(frame["days"], unit="D")).dt.strftime(
                "%Y-%m-%dT%H:%M:%S%z"
            ),
            "category": frame["category"],
            "x": (frame["x"] + X0).round(1),
            "y": (frame["y"] + Y0).round(1),
        }
    )
    path = tmp_path / "incidents.csv"
    table.to_csv(path, index=False)
    return path


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_nearrepeat_json_from_a_file(tmp_path: Path, capsys) -> None:
    src = _csv(tmp_path)
    code = run(["nearrepeat", str(src), "--json", "--permutations", "99", "--db",
                str(tmp_path / "none.gpkg")])  # fmt: skip
    assert code == 0
    doc = _json(capsys)
    params = doc["parameters"]
    assert params["permutations"] == 99
    assert params["distance_bands_m"] == [100.0, 200.0, 300.0, 400.0]
    assert params["day_bands"] == [7.0, 14.0, 21.0, 28.0]
    cats = {c["code"]: c for c in doc["categories"]}
    assert sorted(cats) == ["robbery", "vandalism"]  # restricted never
    vand = cats["vandalism"]
    assert vand["n_events"] == 350  # 200 + 50 seeds + 2 x 50 repeats
    assert vand["near_repeat"] == {
        "distance_m": 100.0, "days": 7.0, "ratio": pytest.approx(vand["ratio"][0][0]),
        "p_value": 0.01,
    }  # fmt: skip
    assert vand["ratio"][0][0] > 3
    assert cats["robbery"]["near_repeat"] is None
    assert len(vand["observed"]) == 4
    assert len(vand["observed"][0]) == 4
    zones = doc["zones"]
    assert zones
    assert {z["category"] for z in zones} == {"vandalism"}
    assert all(z["active"] for z in zones)  # default: the zones in force at the end
    assert all(z["distance_m"] == 100.0 and z["days"] == 7.0 for z in zones)
    # the centres are in Stockholm, in WGS84
    assert all(17.5 < z["lon"] < 18.5 and 59.0 < z["lat"] < 59.6 for z in zones)
    text = json.dumps(doc)
    assert "sexual_offence" not in text
    assert "Sexualbrott" not in text


def test_nearrepeat_from_the_store_since_a_date(tmp_path: Path, capsys) -> None:
    db = tmp_path / "store.gpkg"
    assert run(["import", str(_csv(tmp_path)), "--db", str(db)]) == 0
    capsys.readouterr()
    assert run(["nearrepeat", "--db", str(db), "--json", "--permutations", "49", "--since",
                "2025-10-01", "--category", "vandalism"]) == 0  # fmt: skip
    doc = _json(capsys)
    assert [c["code"] for c in doc["categories"]] == ["vandalism"]
    zones = doc["zones"]
    assert doc["parameters"]["since"] == "2025-10-01"
    assert all(z["occurred_at"] >= "2025-10-01" for z in zones)
    assert any(not z["active"] for z in zones)  # zones from October are over by December
    # the readable summary
    assert run(["nearrepeat", "--db", str(db), "--permutations", "49", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Vandalism / graffiti (350 incidents)" in out
    assert "near repeats within 100 m and 7 days" in out
    assert "alert zone(s)" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--distance-bands-m", "200,100"], "--distance-bands-m"),
        (["--day-bands", "x"], "--day-bands"),
        (["--category", "sexual_offence"], "restricted"),
        (["--since", "1/10/2025"], "--since"),
        (["--lang", "de"], "--lang"),
        (["--alpha", "0"], "--alpha"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, capsys, args: list[str], needle: str) -> None:
    code = run(["nearrepeat", str(tmp_path / "absent.csv"), *args])
    assert code == 2
    assert needle in capsys.readouterr().err


def test_missing_input_exits_2(tmp_path: Path, capsys) -> None:
    assert run(["nearrepeat", str(tmp_path / "absent.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
