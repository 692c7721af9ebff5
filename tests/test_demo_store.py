"""``hotspots demo`` and :mod:`hotspots.demo.store`: the CSV files, the store, the first run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.cli import run
from hotspots.demo import generate_demo
from hotspots.demo.store import INCIDENT_CSV_COLUMNS, SURVEY_CSV_COLUMNS, ensure_demo_store
from hotspots.spatial.geography import default_geography
from hotspots.store import open_store

END = dt.date(2026, 11, 27)  # a Friday in ISO week 48; the data end with week 47


# ------------------------------------------------------------------------------------------
# CLI and store
# ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_demo_writes_csv_and_loads_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.gpkg"
    out = tmp_path / "demo"
    args = ["demo", "--seed", "5", "--years", "1", "--out", str(out), "--db", str(db)]
    code = run([*args, "--end", "2026-11-27"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    inc_csv = pd.read_csv(out / "incidents.csv")
    sv_csv = pd.read_csv(out / "survey.csv")
    assert tuple(inc_csv.columns) == INCIDENT_CSV_COLUMNS
    assert tuple(sv_csv.columns) == SURVEY_CSV_COLUMNS
    assert f"{len(inc_csv)} accepted, {len(inc_csv)} inserted" in captured.out
    assert "0 rejected" in captured.out
    store = open_store(db)
    assert len(store.incidents()) == len(inc_csv)
    assert len(store.survey()) == len(sv_csv)
    # same as the generator's frame
    data = generate_demo(default_geography(), seed=5, end=END, years=1)
    stored = store.incidents().set_index("id").loc[data.incidents["id"]]
    assert (stored["category"].to_numpy() == data.incidents["category"].to_numpy()).all()
    assert np.allclose(stored.geometry.x.to_numpy(), data.incidents.geometry.x.to_numpy(), atol=0.1)
    # the demo never goes into a store that exists (synthetic data beside real data), and the
    # app's first-run hook leaves an existing store alone
    before = db.read_bytes()
    assert run([*args, "--end", "2026-11-27"]) == 2
    err = capsys.readouterr().err
    assert "a store is already there" in err
    assert err.count("\n") == 1
    assert ensure_demo_store(db) is False
    assert db.read_bytes() == before
    assert len(open_store(db).incidents()) == len(inc_csv)
    # nor into a file that is not a store
    other = tmp_path / "notes.gpkg"
    other.write_text("my notes")
    assert run(["demo", "--years", "1", "--out", str(out), "--db", str(other)]) == 2
    assert other.read_text() == "my notes"


def test_cli_demo_bad_end_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["demo", "--out", str(tmp_path), "--db", str(tmp_path / "s.gpkg"), "--end", "x"])
    assert code == 2
    assert "--end" in capsys.readouterr().err
    assert not (tmp_path / "s.gpkg").exists()
