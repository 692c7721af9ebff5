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


def _downloads(app) -> dict[str, str]:
    return {d.proto.label: d.proto.url for d in app.get("download_button")}


def test_four_weeks_a_month_and_a_chosen_period_as_the_cli(app) -> None:
    """Item 8: the page offered a single week; the CLI has --weeks4, --month, --since/--until."""
    week = app.text_input(key="report_week").value
    app.radio(key="report_kind").set_value("weeks4").run()
    assert app.text_input(key="report_weeks4").value == week  # four weeks ending with it
    app.button(key="report_build").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value
    assert _downloads(app)["HTML"].endswith(".html")
    assert any(c.value.startswith("Lägesbild för veckorna") for c in app.caption)
    app.radio(key="report_kind").set_value("month").run()
    month = app.text_input(key="report_month").value
    assert len(month) == 7  # YYYY-MM, the last month that has ended
    assert month[4] == "-"
    app.button(key="report_build").click().run()
    assert not app.exception, app.exception
    assert _downloads(app)["PDF"].endswith(".pdf")
    names = "januari februari mars april maj juni juli augusti september oktober november"
    assert any(c.value.split()[2] in names + " december" for c in app.caption)
    app.radio(key="report_kind").set_value("custom").run()
    assert len(app.date_input(key="report_dates").value) == 2
    app.button(key="report_build").click().run()
    assert not app.exception, app.exception
    assert set(_downloads(app)) == {"HTML", "PDF"}


def test_both_downloads_stay_after_one_and_until_the_period_changes(app) -> None:
    """Item 6: the HTML download was gone after the PDF one (a download reran the page)."""
    app.button(key="report_build").click().run()
    first = _downloads(app)
    app.run()  # what a download did
    assert _downloads(app) == first
    assert not [b for b in app.button if b.key == "report_build"]  # nothing to build again
    app.radio(key="report_kind").set_value("weeks4").run()
    assert not _downloads(app)
    assert [b for b in app.button if b.key == "report_build"]
