"""AppTest of the Lägesbild page: the report is built and offered as HTML and PDF downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app_store, app_script: Path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(make_app_store(tmp_path / "store.gpkg")))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    at = AppTest.from_file(str(app_script), default_timeout=300)
    at.run()
    at.sidebar.radio(key="page").set_value("report").run()
    assert not at.exception, at.exception
    return at


def test_report_page_builds_and_offers_downloads(app) -> None:
    # the store's synthetic data run past today: the default is the last week that has ended
    assert app.text_input(key="report_week").value
    app.button(key="report_build").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value
    downloads = {d.proto.label: d.proto.url for d in app.get("download_button")}
    assert set(downloads) == {"HTML", "PDF"}
    assert downloads["HTML"].endswith(".html")
    assert downloads["PDF"].endswith(".pdf")


def test_a_week_that_has_not_ended_is_an_error_on_the_page(app) -> None:
    app.text_input(key="report_week").set_value("2099-W01").run()
    app.button(key="report_build").click().run()
    assert not app.exception, app.exception
    assert app.error
    assert "has not ended yet" in app.error[0].value
    assert not app.get("download_button")
