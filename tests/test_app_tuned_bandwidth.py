"""The app's tuned bandwidth survives a restart on both backends (the store named as the app
names it: the ``--db`` text, a GeoPackage path or a ``postgresql://`` URL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st

from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.forecast.tuning_cache import cache_path
from hotspots.store import open_store


def _fill(db: str) -> str:
    """A year of incidents with two planted clusters (outside any geography: data extent)."""
    frame = planted_incidents(
        [
            PlantedCluster(1000.0, 1000.0, radius_m=120.0, n=80),
            PlantedCluster(2500.0, 1800.0, radius_m=120.0, n=80),
        ],
        background_n=120,
        bounds=(0.0, 0.0, 3500.0, 3000.0),
        days=364,
        seed=3,
        background_categories=["disorder", "vandalism"],
    )
    store = open_store(db)
    store.upsert_incidents(frame, provenance={"file_name": "t.csv"})
    return f"{store.layer_version('incidents')}.{store.layer_version('survey')}|municipality"


def _no_tuning(*args: object, **kwargs: object) -> None:
    msg = "the bandwidth was tuned again"
    raise AssertionError(msg)


def test_the_app_keeps_the_tuned_bandwidth_across_a_restart(
    store_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import hotspots.forecast.tuning
    from hotspots.app import cache

    cache_home = tmp_path / "cache"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("HOTSPOTS_GEOGRAPHY", raising=False)
    monkeypatch.chdir(work)
    version = _fill(store_db)
    st.cache_data.clear()
    st.cache_resource.clear()

    first = cache._tuned_bandwidth(store_db, version, "quartic", 50.0, None)
    assert 25 <= first <= 2000
    assert "could not save" not in caplog.text
    path = cache_path(store_db)
    if store_db.startswith("postgresql://"):
        assert path.parent == cache_home / "hotspots"
    else:
        assert path == Path(store_db).with_name("store.gpkg.tuning.json")
        assert not cache_home.exists()
    assert list(json.loads(path.read_text(encoding="utf-8")).values()) == [first]

    # a restart: the process caches are empty and tuning would fail loudly
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setattr(hotspots.forecast.tuning, "auto_tune", _no_tuning)
    assert cache._tuned_bandwidth(store_db, version, "quartic", 50.0, None) == first
    # nothing written where a URL read as a file name would put it
    assert [p.name for p in work.iterdir()] == []
    assert not list(tmp_path.glob("postgres*"))
