"""AppTest of the weight choice (issue 16): "Vikt: antal / skada (brottsskadeindex)".

With harm chosen the Karta page draws harm density and harm hotspots (legend in harm per
km²) and a harm panel below the map (overlap, concentration curve, harm hotspots); the choice
survives a language switch and a page switch; the Patrullplan page ranks by harm; the layer
of raised risk is in the map's layer control; restricted categories add no harm to the map
or its exports. The Örebro store comes from ``make_app_store`` (tests/conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from styled_tables import display_values

from hotspots.core.i18n import t
from hotspots.core.taxonomy import CATEGORIES
from hotspots.render.leaflet.escape import escape_html

pytestmark = pytest.mark.slow

X0, Y0 = 514_000.0, 6_570_000.0  # the make_app_store town
RESTRICTED_AT = (X0 + 1500.0, Y0 + 2800.0)  # its cluster of sexual offences
RESTRICTED = [w for c in CATEGORIES if c.restricted for w in (c.code, c.sv, c.en)]


@pytest.fixture(scope="module")
def store_path(
    tmp_path_factory: pytest.TempPathFactory, make_app_store: Callable[[Path], Path]
) -> Path:
    return make_app_store(tmp_path_factory.mktemp("app-harm") / "store.gpkg")


def _env(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)


@pytest.fixture
def app(store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from streamlit.testing.v1 import AppTest

    _env(monkeypatch, store_path)
    at = AppTest.from_file(str(app_script), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def _js(text: str) -> str:
    """``text`` as the map's scripts hold it (escaped, then as a JSON string by ``tojson``)."""
    text = json.dumps(escape_html(text))[1:-1]
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return text


def _overlay(at: Any) -> str:
    """The overlay script of the page's map component (density, hotspots, legend, layers)."""
    maps = at.get("component_instance")
    assert len(maps) == 1, maps
    return str(json.loads(maps[0].proto.json_args)["overlay"])


def _run(at: Any, key: str, value: Any) -> Any:
    widget = at.sidebar.radio(key=key)
    widget.set_value(value).run()
    assert not at.exception, at.exception
    return at


def test_count_is_the_default_and_draws_no_harm(app) -> None:
    assert app.sidebar.radio(key="weights").value == "count"
    assert app.sidebar.radio(key="weights").options == [
        t("app_weights_count", "sv"),
        t("app_weights_harm", "sv"),
    ]
    overlay = _overlay(app)
    assert _js(t("legend_density", "sv")) in overlay
    assert _js(t("legend_density_harm", "sv")) not in overlay
    assert t("app_harm_heading", "sv") not in [s.value for s in app.subheader]
    # the layer of raised risk is in the layer control, also with counts
    assert _js(t("layer_risk", "sv")) in overlay


def test_harm_map_and_panel_survive_a_language_and_a_page_switch(app) -> None:
    _run(app, "weights", "harm")
    overlay = _overlay(app)
    assert _js(t("legend_density_harm", "sv")) in overlay  # "Skadevärde per km²"
    assert _js(t("layer_density_harm", "sv")) in overlay
    assert _js(t("legend_density", "sv")) not in overlay
    heads = [s.value for s in app.subheader]
    assert heads[:3] == [
        t("app_harm_heading", "sv"),
        t("app_harm_spots", "sv"),
        t("layer_hotspots", "sv"),  # the count hotspots' table follows the panel
    ]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[t("app_harm_overlap", "sv")].endswith("\u00a0%")
    assert metrics[t("app_harm_half", "sv")].endswith("% av ytan")
    assert len(app.get("vega_lite_chart")) == 1  # the concentration curve
    spots = app.dataframe[0].value  # the harm hotspots, most harm first
    harm = spots[t("report_harm_value", "sv")].astype(float).to_numpy()
    assert len(spots) >= 1
    assert np.all(np.diff(harm) <= 1e-9)
    assert (spots[t("report_harm_incidents", "sv")].astype(int) >= 5).all()

    _run(app, "lang", "en")
    assert app.sidebar.radio(key="weights").value == "harm"
    assert [s.value for s in app.subheader][:2] == [
        t("app_harm_heading", "en"),
        t("app_harm_spots", "en"),
    ]
    overlay = _overlay(app)
    assert _js(t("legend_density_harm", "en")) in overlay  # "Harm per km²"
    assert _js(t("layer_risk", "en")) in overlay
    assert t("app_harm_overlap", "en") in [m.label for m in app.metric]

    _run(app, "page", "data")
    assert not app.subheader or t("app_harm_heading", "en") not in [s.value for s in app.subheader]
    _run(app, "page", "map")
    assert app.sidebar.radio(key="weights").value == "harm"
    assert t("app_harm_heading", "en") in [s.value for s in app.subheader]
    _run(app, "lang", "sv")
    assert app.sidebar.radio(key="weights").value == "harm"
    assert _js(t("legend_density_harm", "sv")) in _overlay(app)

    _run(app, "weights", "count")
    assert t("app_harm_heading", "sv") not in [s.value for s in app.subheader]
    assert _js(t("legend_density", "sv")) in _overlay(app)


def test_public_harm_panel_and_map(app) -> None:
    _run(app, "profile", "public")
    _run(app, "weights", "harm")
    spots = app.dataframe[0].value
    pa.Table.from_pandas(spots)  # numbers only: Streamlit sends the columns as they are
    shown = display_values(app.dataframe[0])
    few = t("suppressed", "sv")
    for i, row in spots.iterrows():  # a spot's harm is shown only with five incidents or more
        n = row[t("report_harm_incidents", "sv")]
        if pd.isna(n):
            assert pd.isna(row[t("report_harm_value", "sv")])
            assert shown[t("report_harm_incidents", "sv")][i] == few
            assert shown[t("report_harm_value", "sv")][i] == few
        else:
            assert int(n) >= 5
    overlay = _overlay(app)
    assert _js(t("legend_density_harm", "sv")) in overlay
    for word in RESTRICTED:
        assert _js(word) not in overlay, word


def test_restricted_categories_add_no_harm_to_the_map_or_its_exports(app) -> None:
    """The store holds a cluster of sexual offences: with harm chosen nothing of it shows,
    on the map, in the parameters, or in the exported HTML, PNG and PDF."""
    _run(app, "weights", "harm")
    app.button(key="prepare_exports").click().run()
    assert not app.exception, app.exception
    files = {label: data for label, data, _, _ in app.session_state["exports"]["files"]}
    html = files["HTML"].decode("utf-8")
    assert _js(t("legend_density_harm", "sv")) in html  # the export is the harm map
    assert _js(t("layer_risk", "sv")) in html  # with its layer of raised risk
    for word in RESTRICTED:
        assert word not in html, word
        assert _js(word) not in html, word
    assert files["PNG"].startswith(b"\x89PNG")
    assert files["PDF"].startswith(b"%PDF")
    overlay = _overlay(app)
    for word in RESTRICTED:
        assert _js(word) not in overlay, word


def test_harm_content_over_the_restricted_cluster_is_the_backgrounds(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's own path (hotspots.app.cache_harm.map_content) for every profile: the harm
    density over the restricted cluster is no more than the background's, no harm hotspot
    lies there, and the weights shown name no restricted category."""
    from shapely.geometry import Point

    from hotspots.app.cache import resolve_bandwidth
    from hotspots.app.cache_harm import map_content
    from hotspots.core.config import AnalysisConfig
    from hotspots.store import open_store

    db = str(store_path)
    version = open_store(db).data_version()
    config = resolve_bandwidth(db, version, AnalysisConfig(bandwidth_m=150.0))
    place = Point(*RESTRICTED_AT).buffer(150.0)
    for profile in ("internal", "planning", "public"):
        content = map_content(db, version, config, profile, None, False, "harm")
        assert content.parameters["density_unit"] == "harm"
        weights = content.parameters["harm"]["weights"]["weights"]
        assert not set(weights) & set(RESTRICTED)
        assert not content.hotspots.intersects(place).any()
        g = content.grid
        row, col, _ = g.index(np.array([RESTRICTED_AT[0]]), np.array([RESTRICTED_AT[1]]))
        here = float(np.nan_to_num(content.density[row[0], col[0]]))
        assert here < 0.1 * float(np.nanmax(content.density)), profile
        text = repr(content.parameters) + content.hotspots.drop(columns="geometry").to_json()
        for word in RESTRICTED:
            assert word not in text, (profile, word)


def test_plan_page_ranks_by_harm(tmp_path: Path, monkeypatch, app_script) -> None:
    """On the demo store (Karlstad, with a geography) the plan page says it ranks by harm, and
    its suggestions are those of plan --weights harm (the planner's harm columns)."""
    from streamlit.testing.v1 import AppTest

    from hotspots.demo.store import ensure_demo_store

    db = tmp_path / "demo.gpkg"
    ensure_demo_store(db)
    _env(monkeypatch, db)
    at = AppTest.from_file(str(app_script), default_timeout=600)
    at.session_state["bw_auto"] = False  # a fixed bandwidth: no tuning in the test
    at.session_state["bw"] = 200
    at.run()
    assert not at.exception, at.exception
    _run(at, "page", "plan")
    by_harm = t("app_plan_by_harm", "sv")
    assert by_harm not in [c.value for c in at.caption]
    counted = at.dataframe[0].value
    _run(at, "weights", "harm")
    assert by_harm in [c.value for c in at.caption]
    harmed = at.dataframe[0].value
    assert list(harmed.columns) == list(counted.columns)
    assert len(harmed) >= 1
    overlay = _overlay(at)
    assert _js(t("legend_density_harm", "sv")) in overlay
    assert _js(t("layer_risk", "sv")) in overlay
    _run(at, "lang", "en")
    assert t("app_plan_by_harm", "en") in [c.value for c in at.caption]
