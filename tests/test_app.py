"""AppTest of every page of app.py: no exceptions, filters change the hotspots, uploads."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from hotspots.config import HourWindow
from hotspots.store import open_store
from hotspots.synthetic import PlantedCluster, planted_incidents

APP = Path(__file__).resolve().parents[1] / "app.py"

pytestmark = pytest.mark.slow

#: Örebro, outside the demo municipality, so the analysis uses a small convex-hull study area.
X0, Y0 = 514_000.0, 6_570_000.0
VIOLENCE_AT = (X0 + 600.0, Y0 + 400.0)
DRUGS_AT = (X0 + 2600.0, Y0 + 2200.0)


def make_store(path: Path) -> Path:
    """A small store: a violence cluster at night, a drug cluster by day, background."""
    clusters = [
        PlantedCluster(*VIOLENCE_AT, radius_m=60.0, n=80, category="assault_public"),
        PlantedCluster(
            *DRUGS_AT,
            radius_m=60.0,
            n=80,
            hours=HourWindow(13, 18),
            weekdays=(0, 1, 2, 3, 4),
            category="drug_dealing",
        ),
        PlantedCluster(X0 + 1500.0, Y0 + 2800.0, radius_m=50.0, n=20, category="sexual_offence"),
    ]
    frame = planted_incidents(
        clusters,
        background_n=300,
        bounds=(X0, Y0, X0 + 3000.0, Y0 + 3000.0),
        days=364,
        seed=7,
        background_categories=["disorder", "vandalism", "assault_public", "drug_use"],
    )
    frame["description"] = pd.array(
        ['<script>alert("x")</script> ${1+1}'] * len(frame), dtype="string"
    )
    open_store(path).upsert_incidents(frame, provenance={"file_name": "synthetic.csv"})
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("app") / "store.gpkg")


@pytest.fixture
def app(store_path: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _first_hotspot_table(at) -> pd.DataFrame:
    assert at.dataframe, "no table on the page"
    return at.dataframe[0].value


def test_map_page_renders_without_exception(app) -> None:
    assert app.header[0].value == "Karta"
    table = _first_hotspot_table(app)
    assert len(table) >= 1
    metrics = {m.label: m.value for m in app.metric}
    assert "PAI" in metrics


def test_filter_change_changes_the_hotspots(app) -> None:
    before = _first_hotspot_table(app)
    app.sidebar.selectbox(key="area").set_value("drugs_alcohol").run()
    assert not app.exception, app.exception
    after = _first_hotspot_table(app)
    assert not before.equals(after)
    app.sidebar.selectbox(key="area").set_value("violence").run()
    violence = _first_hotspot_table(app)
    assert not violence.equals(after)


def test_english_switch(app) -> None:
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.header[0].value == "Map"


@pytest.mark.parametrize("page", ["plan", "evaluation", "data", "report"])
def test_every_page_renders(app, page: str) -> None:
    app.sidebar.radio(key="page").set_value(page).run()
    assert not app.exception, app.exception


def test_public_profile_hides_the_plan(app) -> None:
    app.sidebar.radio(key="profile").set_value("public").run()
    app.sidebar.radio(key="page").set_value("plan").run()
    assert not app.exception
    assert any("intern" in i.value for i in app.info)


def test_bad_upload_shows_error_and_leaves_store(tmp_path: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    db = make_store(tmp_path / "store.gpkg")
    version = open_store(db).data_version()
    n = len(open_store(db).incidents())
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.sidebar.radio(key="page").set_value("data").run()
    bad = b"occurred_at;category\n2026-01-01 22:00;assault_public\n"  # no location column
    at.file_uploader(key="upload").set_value(("bad.csv", bad, "text/csv")).run()
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    assert at.error, "the bad upload shows no error"
    assert "bad.csv" in at.error[0].value
    assert open_store(db).data_version() == version
    assert len(open_store(db).incidents()) == n


def test_good_upload_reports_counts_and_rejects(tmp_path: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    db = make_store(tmp_path / "store.gpkg")
    n = len(open_store(db).incidents())
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.sidebar.radio(key="page").set_value("data").run()
    rows = [
        "id,occurred_at,category,x,y",
        f"u1,2026-03-01 22:10,assault_public,{X0 + 10},{Y0 + 10}",
        f"u2,2026-03-01 23:10,not_a_category,{X0 + 20},{Y0 + 20}",
    ]
    at.file_uploader(key="upload").set_value(
        ("new.csv", "\n".join(rows).encode(), "text/csv")
    ).run()
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    assert at.success, [e.value for e in at.error]
    assert len(open_store(db).incidents()) == n + 1


def test_password_gate(store_path: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    monkeypatch.setenv("HOTSPOTS_PASSWORD", "hemligt")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.header, "content shown before the password"
    at.text_input(key="password").set_value("fel").run()
    assert at.error
    at.text_input(key="password").set_value("hemligt").run()
    assert not at.exception
    assert at.header[0].value == "Karta"


def test_plan_page_with_the_demo_geography(tmp_path: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    # Karlstad: near Stora torget (EPSG:3006), so the demo geography and the planner apply
    cx, cy = 413_600.0, 6_584_200.0
    frame = planted_incidents(
        [
            PlantedCluster(cx, cy, radius_m=80.0, n=120, category="assault_public"),
            PlantedCluster(cx + 900.0, cy - 300.0, radius_m=60.0, n=60, category="drug_dealing",
                           hours=HourWindow(14, 20), weekdays=(0, 1, 2, 3, 4)),
        ],
        background_n=150,
        bounds=(cx - 2000.0, cy - 1500.0, cx + 2000.0, cy + 1500.0),
        days=364,
        seed=11,
        background_categories=["disorder", "vandalism"],
    )  # fmt: skip
    db = tmp_path / "karlstad.gpkg"
    open_store(db).upsert_incidents(frame, provenance={"file_name": "karlstad.csv"})
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["bw_auto"] = False
    at.run()
    assert not at.exception, at.exception
    at.sidebar.radio(key="page").set_value("plan").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert "Fotpatrull" in set(table["Förslag"])


def test_exports_are_prepared_on_demand(app) -> None:
    app.button(key="prepare_exports").click().run()
    assert not app.exception, app.exception
    # HTML, PNG, PDF and the zip (or the reason it is missing)
    buttons = app.get("download_button")
    assert len(buttons) + len(app.caption) >= 4


def _fresh_app_run(store: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the app on ``store`` as a just-started server would: every process cache empty."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _no_tuning(*args: object, **kwargs: object) -> None:
    msg = "the bandwidth was tuned again"
    raise AssertionError(msg)


def test_a_restarted_app_reuses_the_tuned_bandwidth(tmp_path: Path, monkeypatch) -> None:
    """The automatic bandwidth is kept beside the store: after a restart it is not tuned again."""

    import hotspots.tuning
    from hotspots.tuning_cache import cache_path

    store = make_store(tmp_path / "store.gpkg")
    first = _fresh_app_run(store, monkeypatch)
    saved = json.loads(cache_path(store).read_text(encoding="utf-8"))
    assert len(saved) == 1
    assert 25 <= next(iter(saved.values())) <= 2000
    # a restart: the process caches are empty and tuning would fail loudly
    monkeypatch.setattr(hotspots.tuning, "auto_tune", _no_tuning)
    again = _fresh_app_run(store, monkeypatch)
    assert _first_hotspot_table(again).equals(_first_hotspot_table(first))


def _karlstad_store(path: Path) -> Path:
    """Incidents around Stora torget, where the demo geography (and its urban area) applies."""
    cx, cy = 413_600.0, 6_584_200.0
    frame = planted_incidents(
        [PlantedCluster(cx, cy, radius_m=80.0, n=120, category="assault_public")],
        background_n=200,
        bounds=(cx - 2000.0, cy - 1500.0, cx + 2000.0, cy + 1500.0),
        days=364,
        seed=12,
        background_categories=["disorder", "vandalism"],
    )
    open_store(path).upsert_incidents(frame, provenance={"file_name": "karlstad.csv"})
    return path


@pytest.mark.parametrize("where", ["karlstad", "elsewhere"])
def test_hotspots_app_tunes_the_opening_map_before_the_server_starts(
    tmp_path: Path, monkeypatch, where: str
) -> None:
    """`hotspots app` tunes the opening settings first: the first visit does not tune."""

    import hotspots.tuning
    from hotspots.cli.app_cmd import prepare_opening_bandwidth

    path = tmp_path / "store.gpkg"
    store = _karlstad_store(path) if where == "karlstad" else make_store(path)
    bandwidth = prepare_opening_bandwidth(store)
    assert bandwidth is not None
    assert prepare_opening_bandwidth(store) == bandwidth  # the second time from the file

    monkeypatch.setattr(hotspots.tuning, "auto_tune", _no_tuning)
    at = _fresh_app_run(store, monkeypatch)
    assert len(_first_hotspot_table(at)) >= 1


def test_official_layers_from_hotspots_geography_are_used(tmp_path: Path, monkeypatch) -> None:
    """HOTSPOTS_GEOGRAPHY (set by `hotspots app --geography`) replaces the demo layers."""
    import geopandas as gpd
    from shapely.geometry import box

    from hotspots.i18n import t

    store = _karlstad_store(tmp_path / "store.gpkg")
    cx, cy = 413_600.0, 6_584_200.0
    districts = gpd.GeoDataFrame(
        {"namn": ["Provdistrikt"]},
        geometry=[box(cx - 3000, cy - 3000, cx + 3000, cy + 3000)],
        crs=3006,
    )
    districts.to_file(tmp_path / "omr.geojson", driver="GeoJSON")
    config = tmp_path / "geo.toml"
    config.write_text(
        '[layers]\ndistricts = "omr.geojson"\ndistricts_name = "namn"\n', encoding="utf-8"
    )
    monkeypatch.setenv("HOTSPOTS_GEOGRAPHY", str(config))
    at = _fresh_app_run(store, monkeypatch)
    table = _first_hotspot_table(at)
    assert set(table[t("district", "sv")]) == {"Provdistrikt"}
