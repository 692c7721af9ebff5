"""The tuned-bandwidth file beside the store: keyed on data, settings and code; never in the way."""

from __future__ import annotations

import json
from pathlib import Path

from hotspots.forecast import tuning_cache
from hotspots.forecast.tuning_cache import cache_key, cache_path, load_tuned, save_tuned


def test_round_trip_and_every_part_of_the_key_matters(tmp_path: Path) -> None:
    store = tmp_path / "s.gpkg"
    key = cache_key(data_version="v1", settings={"kernel": "quartic", "cell_m": 25.0})
    assert load_tuned(store, key) is None
    save_tuned(store, key, 137.5)
    assert load_tuned(store, key) == 137.5
    assert cache_path(store) == tmp_path / "s.gpkg.tuning.json"
    other_data = cache_key(data_version="v2", settings={"kernel": "quartic", "cell_m": 25.0})
    other_kernel = cache_key(data_version="v1", settings={"kernel": "gaussian", "cell_m": 25.0})
    assert load_tuned(store, other_data) is None
    assert load_tuned(store, other_kernel) is None


def test_a_change_of_the_tuning_code_changes_every_key(monkeypatch) -> None:
    before = cache_key(data_version="v1", settings={"cell_m": 25.0})
    monkeypatch.setattr(tuning_cache, "CODE_REVISION", "another")
    assert cache_key(data_version="v1", settings={"cell_m": 25.0}) != before


def test_a_broken_file_is_a_miss_and_is_replaced(tmp_path: Path) -> None:
    store = tmp_path / "s.gpkg"
    cache_path(store).write_text("{not json", encoding="utf-8")
    key = cache_key(data_version="v1", settings={})
    assert load_tuned(store, key) is None
    save_tuned(store, key, 80.0)
    assert json.loads(cache_path(store).read_text(encoding="utf-8")) == {key: 80.0}


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    store = tmp_path / "s.gpkg"
    keys = [
        cache_key(data_version=f"v{i}", settings={}) for i in range(tuning_cache.MAX_ENTRIES + 5)
    ]
    for i, key in enumerate(keys):
        save_tuned(store, key, float(i))
    assert load_tuned(store, keys[0]) is None
    assert load_tuned(store, keys[-1]) == float(len(keys) - 1)
    assert (
        len(json.loads(cache_path(store).read_text(encoding="utf-8"))) == tuning_cache.MAX_ENTRIES
    )


def test_an_unwritable_folder_is_logged_not_raised(tmp_path: Path, caplog) -> None:
    store = tmp_path / "missing" / "s.gpkg"  # the folder does not exist
    save_tuned(store, cache_key(data_version="v1", settings={}), 1.0)
    assert "could not save" in caplog.text


def test_the_code_revision_hashes_files_that_exist() -> None:
    """A moved module must not silently drop out of the revision (a missing file is skipped)."""
    package = Path(tuning_cache.__file__).resolve().parents[1]
    missing = [name for name in tuning_cache._DEPENDS_ON if not (package / name).is_file()]
    assert missing == []
    assert "forecast/tuning.py" in tuning_cache._DEPENDS_ON


# --------------------------------------------------------------------------------------------
# The key records the code version and the inputs; entries of other versions are never used
# --------------------------------------------------------------------------------------------


def test_the_key_records_the_code_version_and_the_inputs() -> None:
    import hotspots
    from hotspots.forecast.tuning import ALGORITHM_HASH

    settings = tuning_cache.input_fingerprint(
        data_version="v7",
        categories=("assault_public",),
        kernel="quartic",
        cell_m=25.0,
        crs="EPSG:3006",
        geography=None,
    )
    payload = json.loads(cache_key(data_version="v7", settings=settings))
    assert payload["code"] == {
        "hotspots": hotspots.__version__,
        "tuning": ALGORITHM_HASH,
        "source": tuning_cache.CODE_REVISION,
    }
    assert payload["data"] == "v7"
    assert payload["settings"] == {
        "data": "v7",
        "filters": {"categories": ["assault_public"]},
        "kernel": "quartic",
        "cell_m": 25.0,
        "crs": "EPSG:3006",
        "geography": "data extent",
    }


def test_an_entry_of_another_version_is_not_used_and_is_dropped(
    tmp_path: Path, monkeypatch
) -> None:
    store = tmp_path / "s.gpkg"
    monkeypatch.setattr(tuning_cache, "_package_version", lambda: "0.0.1-old")
    old_key = cache_key(data_version="v1", settings={"kernel": "quartic"})
    save_tuned(store, old_key, 111.0)
    assert load_tuned(store, old_key) == 111.0  # the old code reads its own entry
    monkeypatch.undo()
    # the running code: the old entry, looked up by its own key, is not used
    assert load_tuned(store, old_key) is None
    new_key = cache_key(data_version="v1", settings={"kernel": "quartic"})
    assert new_key != old_key
    assert load_tuned(store, new_key) is None
    save_tuned(store, new_key, 222.0)
    assert json.loads(cache_path(store).read_text(encoding="utf-8")) == {new_key: 222.0}


def test_another_algorithm_parameter_hash_changes_every_key(monkeypatch) -> None:
    from hotspots.forecast import tuning

    before = cache_key(data_version="v1", settings={})
    monkeypatch.setattr(tuning, "ALGORITHM_HASH", "0" * 16)
    assert cache_key(data_version="v1", settings={}) != before


def test_the_algorithm_hash_covers_its_parameters() -> None:
    from hotspots.forecast import tuning

    params = tuning.algorithm_parameters()
    assert params["default_budget"] == tuning.DEFAULT_BUDGET
    assert {"bandwidth_factors", "hybrid_weights", "fine_weights", "segment_lengths_m"} <= set(
        params
    )
    assert len(tuning.ALGORITHM_HASH) == 16


def _store_with_incidents(path: Path | str, *, seed: int = 3) -> Path | str:
    from hotspots.demo.synthetic import PlantedCluster, planted_incidents
    from hotspots.store import open_store

    frame = planted_incidents(
        [
            PlantedCluster(1000.0, 1000.0, radius_m=120.0, n=80),
            PlantedCluster(2500.0, 1800.0, radius_m=120.0, n=80),
        ],
        background_n=120,
        bounds=(0.0, 0.0, 3500.0, 3000.0),
        days=364,
        seed=seed,
        background_categories=["disorder", "vandalism"],
    )
    open_store(path).upsert_incidents(frame, provenance={"file_name": "t.csv"})
    return path


def test_tuned_bandwidth_is_reused_only_for_the_same_inputs_and_version(
    tmp_path: Path, monkeypatch
) -> None:
    """Real tuning on a real store; the counting wrapper only observes the calls."""
    from hotspots.forecast import tuning
    from hotspots.store import open_store

    store = _store_with_incidents(tmp_path / "s.gpkg")
    incidents = open_store(store).incidents()
    calls: list[str] = []
    real = tuning.auto_tune

    def counted(*args, **kwargs):
        calls.append(kwargs["config"].kernel)
        return real(*args, **kwargs)

    monkeypatch.setattr(tuning, "auto_tune", counted)

    def tuned(kernel: str = "quartic", categories: tuple[str, ...] | None = None) -> float:
        return tuning_cache.tuned_bandwidth(
            store,
            incidents=incidents,
            geography=None,
            kernel=kernel,
            cell_m=50.0,
            categories=categories,
        )

    first = tuned()
    assert len(calls) == 1
    assert tuned() == first  # the same inputs and code: from the file
    assert len(calls) == 1
    tuned(kernel="gaussian")  # another kernel: tuned again
    assert len(calls) == 2
    tuned(categories=("disorder",))  # another filter: tuned again
    assert len(calls) == 3
    # another package version: the saved entries are not used
    monkeypatch.setattr(tuning_cache, "_package_version", lambda: "99.0")
    assert tuned() == first  # deterministic: the same choice, tuned again
    assert len(calls) == 4
    # new incidents (another data version): tuned again
    _store_with_incidents(store, seed=4)
    incidents = open_store(store).incidents()
    tuned()
    assert len(calls) == 5


def test_the_geography_fingerprint_follows_land_and_roads() -> None:
    from dataclasses import replace

    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    fp = tuning_cache.geography_fingerprint(geo)
    assert fp == tuning_cache.geography_fingerprint(geo)
    assert tuning_cache.geography_fingerprint(geo.with_study_area("urban")) != fp
    fewer_roads = replace(geo, roads=geo.roads.iloc[:-1])
    assert tuning_cache.geography_fingerprint(fewer_roads) != fp
    assert tuning_cache.geography_fingerprint(None) == "data extent"


# --------------------------------------------------------------------------------------------
# A PostgreSQL store: the file is in the user's cache folder, never a "postgresql:" path
# --------------------------------------------------------------------------------------------

_READ_BACK = """
import sys
from hotspots.forecast import tuning, tuning_cache
from hotspots.store import open_store

def refuse(*args, **kwargs):
    raise SystemExit("tuned again: the saved bandwidth was not found")

tuning.auto_tune = refuse
url, kernel = sys.argv[1], sys.argv[2]
incidents = open_store(url).incidents()
bandwidth = tuning_cache.tuned_bandwidth(
    url, incidents=incidents, geography=None, kernel=kernel, cell_m=50.0, categories=None
)
print(repr(bandwidth))
"""


def test_a_postgresql_store_keeps_its_tuned_bandwidth_in_the_user_cache_folder(
    pg_url: str, tmp_path: Path, monkeypatch, caplog
) -> None:
    """Real tuning on a real PostgreSQL store; a new process reads the value back untuned."""
    import os
    import subprocess
    import sys

    from hotspots.forecast import tuning
    from hotspots.store import open_store

    cache_home = tmp_path / "cache"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.chdir(work)
    _store_with_incidents(pg_url)
    incidents = open_store(pg_url).incidents()
    calls: list[str] = []
    real = tuning.auto_tune

    def counted(*args, **kwargs):
        calls.append(kwargs["config"].kernel)
        return real(*args, **kwargs)

    monkeypatch.setattr(tuning, "auto_tune", counted)

    first = tuning_cache.tuned_bandwidth(
        pg_url, incidents=incidents, geography=None, kernel="quartic", cell_m=50.0, categories=None
    )
    assert len(calls) == 1
    assert "could not save" not in caplog.text

    path = cache_path(pg_url)
    assert path.parent == cache_home / "hotspots"
    assert list(json.loads(path.read_text(encoding="utf-8")).values()) == [first]
    # the store object and the URL with a password name the same file; no password in it
    assert "@" in pg_url  # postgresql://user@host:port/name
    with_password = pg_url.replace("@", ":s3cret@", 1)
    assert cache_path(open_store(pg_url)) == path
    assert cache_path(with_password) == path
    assert "s3cret" not in str(path)
    assert "s3cret" not in path.read_text(encoding="utf-8")

    # a fresh process (nothing in memory) reads it back without tuning
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-c", _READ_BACK, pg_url, "quartic"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.strip()) == first
    assert len(calls) == 1
    # another kernel misses and is saved beside the first entry in the same file
    tuning_cache.tuned_bandwidth(
        pg_url, incidents=incidents, geography=None, kernel="gaussian", cell_m=50.0, categories=None
    )
    assert len(calls) == 2
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 2
    # nothing was written where the URL would be a relative file name
    assert [p.name for p in work.iterdir()] == []
    assert not list(tmp_path.glob("postgres*"))


def test_the_user_cache_folder_follows_xdg_cache_home(tmp_path: Path, monkeypatch) -> None:
    url = "postgresql://hotspots@db.example:5432/karlstad"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_path(url).parent == tmp_path / "xdg" / "hotspots"
    assert not (tmp_path / "xdg").exists()  # a look-up creates nothing
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_path(url).parent == tmp_path / "home" / ".cache" / "hotspots"
    # another database is another file
    assert cache_path(url) != cache_path(url.replace("karlstad", "arvika"))
