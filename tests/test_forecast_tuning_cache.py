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
