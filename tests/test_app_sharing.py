"""Sessions share the app's work (issue 13 part 5): one analysis per data version and
settings, one privacy content and one map per profile, whoever asks first.

Each AppTest is one browser session of the same process (Streamlit's process caches are
shared, the session state is not). The real functions run; they are only wrapped to count
their calls. The server's warm-up run fills every profile's opening map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import hotspots.app.cache
import hotspots.app.cache_harm
import hotspots.app.serving
import hotspots.app.views.actions
import hotspots.render.leaflet
from hotspots.access.roles import PROFILES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store_path(
    tmp_path_factory: pytest.TempPathFactory, make_app_store: Callable[[Path], Path]
) -> Path:
    return make_app_store(tmp_path_factory.mktemp("sharing") / "store.gpkg")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Calls of the analysis, the privacy gate, the map builder and the actions' places
    (hotspots offered to an action), every cache empty."""
    import streamlit as st

    counted: Counter[str] = Counter()

    def counting(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return func(*args, **kwargs)

        return wrapper

    for module, attr, name in (
        (hotspots.app.cache, "run_analysis", "analysis"),
        (hotspots.app.cache, "apply_privacy", "privacy"),
        (hotspots.app.cache_harm, "apply_privacy", "privacy"),
        (hotspots.render.leaflet, "map_parts", "map"),
        (hotspots.app.views.actions, "_hotspot_targets", "places"),
    ):
        monkeypatch.setattr(module, attr, counting(name, getattr(module, attr)))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield counted
    st.cache_data.clear()  # no counting wrapper stays behind in a cached value's making
    st.cache_resource.clear()


def _session(store: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A new session on ``store``, after its first run (the page as it opens)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    at = AppTest.from_file(str(app_script), default_timeout=300)
    at.query_params["bw"] = "200"  # a fixed bandwidth: no tuning in this test
    at.run()
    assert not at.exception, at.exception
    return at


def _run(at: Any) -> None:
    at.run()
    assert not at.exception, at.exception


def test_sessions_with_the_same_settings_share_one_computation(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch, calls: Counter[str]
) -> None:
    monkeypatch.delenv("HOTSPOTS_AUTH", raising=False)
    first = _session(store_path, app_script, monkeypatch)
    assert calls == {"analysis": 1, "privacy": 1, "map": 1, "places": 1}
    # a second person opens the same page: everything comes from the shared caches
    second = _session(store_path, app_script, monkeypatch)
    assert calls == {"analysis": 1, "privacy": 1, "map": 1, "places": 1}
    assert first.dataframe[0].value.equals(second.dataframe[0].value)

    # a narrower profile (an EST member's): its own privacy content and map, no new analysis
    first.sidebar.radio(key="profile").set_value("public")
    _run(first)
    assert calls == {"analysis": 1, "privacy": 2, "map": 2, "places": 2}
    second.sidebar.radio(key="profile").set_value("public")
    _run(second)
    assert calls == {"analysis": 1, "privacy": 2, "map": 2, "places": 2}

    # the chair asks everyone for the night: one analysis for the room
    first.sidebar.checkbox(key="night").check()
    _run(first)
    assert calls == {"analysis": 2, "privacy": 3, "map": 3, "places": 3}
    second.sidebar.checkbox(key="night").check()
    _run(second)
    assert calls == {"analysis": 2, "privacy": 3, "map": 3, "places": 3}
    assert first.dataframe[0].value.equals(second.dataframe[0].value)


def test_the_warm_up_run_fills_every_profiles_opening_map(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch, calls: Counter[str]
) -> None:
    """With accounts, the run without a browser is the server's warm-up (``hotspots app``)."""
    monkeypatch.setenv("HOTSPOTS_AUTH", "accounts")
    monkeypatch.setattr(hotspots.app.serving, "_SERVING", None)  # read the settings anew
    _session(store_path, app_script, monkeypatch)
    n = len(PROFILES)
    # the planner's map without points is the analyst's: one map less than profiles
    assert calls == {"analysis": 1, "privacy": n, "map": n - 1, "places": n}
    # a person who then opens the page in any profile computes nothing
    monkeypatch.delenv("HOTSPOTS_AUTH")
    monkeypatch.setattr(hotspots.app.serving, "_SERVING", None)
    at = _session(store_path, app_script, monkeypatch)
    for profile in ("planning", "public"):
        at.sidebar.radio(key="profile").set_value(profile)
        _run(at)
    assert calls == {"analysis": 1, "privacy": n, "map": n - 1, "places": n}
