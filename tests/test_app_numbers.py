"""Numbers in the app's tables as the interface language writes them (issue 14).

In the Swedish interface the tables showed ``1.5`` where Swedish writes ``1,5`` (and
``1 459`` with a space between thousands). :mod:`hotspots.render.number_format` is the one
place that writes a number for a reader; every table of the app shows its numbers through
:func:`~hotspots.render.number_format.table_styler`, which keeps the values (a column sorts
as numbers) and shows them in the session's language. The plan page's tables are the plan's
own (:mod:`hotspots.planning.tables`), as its CSV and HTML.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from styled_tables import display_values

from hotspots.core.i18n import t
from hotspots.planning.tables import schedule_table
from hotspots.render.number_format import (
    GROUP_SEPARATOR,
    number_text,
    percent_text,
    table_styler,
)

NB = GROUP_SEPARATOR  # the no-break space between thousands


# ------------------------------------------------------------------------------ the helper


@pytest.mark.parametrize(
    ("value", "digits", "sv", "en"),
    [
        (1.5, 1, "1,5", "1.5"),
        (1459, 0, f"1{NB}459", "1,459"),
        (1234567.891, 2, f"1{NB}234{NB}567,89", "1,234,567.89"),
        (0.25, 2, "0,25", "0.25"),
        (-3.75, 1, "\u22123,8", "-3.8"),  # a real minus in Swedish; rounded half to even
        (-0.04, 1, "0,0", "0.0"),  # never "-0,0"
        (12, 0, "12", "12"),
        (np.int64(2000), 0, f"2{NB}000", "2,000"),
        (np.float32(0.5), 1, "0,5", "0.5"),
    ],
)
def test_number_text_golden(value: Any, digits: int, sv: str, en: str) -> None:
    assert number_text(value, "sv", digits=digits) == sv
    assert number_text(value, "en", digits=digits) == en


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, math.inf, "text", True])
def test_number_text_of_what_is_not_a_number_is_empty(missing: Any) -> None:
    assert number_text(missing, "sv") == ""
    assert percent_text(missing, "en") == ""


def test_percent_text_golden() -> None:
    assert percent_text(0.125, "sv") == "12,5\u00a0%"
    assert percent_text(0.125, "en") == "12.5\u00a0%"
    assert percent_text(0.05, "sv", digits=0) == "5\u00a0%"
    assert percent_text(1, "sv", digits=0) == "100\u00a0%"


def _shown(styler: Any) -> list[list[str]]:
    """The cells a reader sees (the Styler's display values), header row first."""
    text = styler.to_string(delimiter="|")
    return [line.split("|")[1:] for line in text.splitlines()]  # the index column dropped


def test_table_styler_shows_numbers_in_the_language_and_keeps_the_values() -> None:
    frame = pd.DataFrame(
        {
            "Stadsdel": ["Haga", "Rud", "Skåre"],
            "Händelser": [1459, 12, 3],
            "Yta": [2.243, 0.5, 0.125],  # three decimals needed: all shown with three
            "PAI": [18.3, 7.0, 9.25],
            "Andel": [0.125, 0.5, 1.0],
            "Antal": [5, "färre än 5", None],  # a suppressed count is text among numbers
            "Id": [2024, 2025, 2026],
        }
    )
    sv = table_styler(frame, "sv", digits={"PAI": 1}, percent={"Andel": 1}, plain=["Id"])
    assert _shown(sv) == [
        ["Stadsdel", "Händelser", "Yta", "PAI", "Andel", "Antal", "Id"],
        ["Haga", f"1{NB}459", "2,243", "18,3", "12,5\u00a0%", "5", "2024"],
        ["Rud", "12", "0,500", "7,0", "50,0\u00a0%", "färre än 5", "2025"],
        ["Skåre", "3", "0,125", "9,2", "100,0\u00a0%", "", "2026"],
    ]
    en = table_styler(frame, "en", digits={"PAI": 1}, percent={"Andel": 1}, plain=["Id"])
    assert _shown(en)[1] == ["Haga", "1,459", "2.243", "18.3", "12.5\u00a0%", "5", "2024"]
    # the numbers themselves are kept: a column of the table sorts as numbers
    pd.testing.assert_frame_equal(sv.data, frame)


def test_a_hidden_count_is_words_in_a_column_that_stays_numeric() -> None:
    frame = pd.DataFrame({"Händelser": [1459.0, float("nan"), 7.0], "Yta": [1.5, None, 2.0]})
    sv = table_styler(frame, "sv", missing={"Händelser": "färre än 5"})
    assert _shown(sv)[1:] == [[f"1{NB}459", "1,5"], ["färre än 5", ""], ["7", "2,0"]]
    en = table_styler(frame, "en", missing={"Händelser": "fewer than 5"})
    assert [row[0] for row in _shown(en)[1:]] == ["1,459", "fewer than 5", "7"]
    assert sv.data["Händelser"].dtype == float  # sorts as numbers, sent to the browser as such


def test_a_schedule_table_in_words_and_swedish_numbers() -> None:
    schedule = pd.DataFrame(
        {
            "date": ["2026-12-11"],
            "day": ["fri"],
            "start": ["22:00"],
            "end": ["23:20"],
            "minutes": [80],
            "kind": ["foot_patrol"],
            "place": ["Mitt i City"],
            "district": ["Tingvallastaden (centrum)"],
            "suggestion": ["FP1"],
            "route": ["A → B → A"],
            "hours": ["22-02"],
            "team": [1],
        }
    )
    shown = _shown(table_styler(schedule_table(schedule, "sv"), "sv"))
    assert shown[1] == [
        "2026-12-11",
        "fre",
        "22:00",
        "23:20",
        "80",
        "Fotpatrull",
        "Mitt i City",
        "Tingvallastaden (centrum)",
        "FP1",
        "A → B → A",
        "22-02",
        "1",
    ]


# ------------------------------------------------------------------------------- the app


@pytest.fixture(scope="module")
def store_path(
    tmp_path_factory: pytest.TempPathFactory, make_app_store: Callable[[Path], Path]
) -> Path:
    return make_app_store(tmp_path_factory.mktemp("app-numbers") / "store.gpkg")


@pytest.fixture
def app(store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    at = AppTest.from_file(str(app_script), default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    return at


def _decimal_points(frame: pd.DataFrame) -> list[str]:
    """Cells holding a number written with a decimal point (``1.5``), as English does."""
    cells = [str(v) for v in frame.to_numpy().ravel().tolist()]
    return [c for c in cells if re.search(r"\d\.\d", c)]


@pytest.mark.slow
def test_the_evaluation_table_in_swedish_and_english(app) -> None:
    app.sidebar.radio(key="page").set_value("evaluation").run()
    assert not app.exception, app.exception
    shown = display_values(app.dataframe[0])
    hit = t("app_hit_rate_axis", "sv")
    assert set(shown[t("coverage", "sv")]) == {
        "1\u00a0%",
        "2\u00a0%",
        "5\u00a0%",
        "10\u00a0%",
        "20\u00a0%",
    }
    assert shown[hit].str.fullmatch(r"\d{1,3},\d\u00a0%").all(), shown[hit].tolist()
    assert shown["PAI"].str.fullmatch(r"\d+,\d").all(), shown["PAI"].tolist()
    assert shown["PEI*"].str.fullmatch(r"\d+,\d\d").all(), shown["PEI*"].tolist()
    values = app.dataframe[0].value
    first = values.iloc[0]
    assert shown[hit].iloc[0] == percent_text(first[hit], "sv", digits=1)
    app.sidebar.radio(key="lang").set_value("en").run()
    english = display_values(app.dataframe[0])
    assert english["PAI"].str.fullmatch(r"\d+\.\d").all(), english["PAI"].tolist()


def test_the_map_counts_and_badge_are_written_in_the_language(app) -> None:
    def metrics() -> dict[str, str]:
        return {m.label: m.value for m in app.metric}

    sv = metrics()
    assert re.fullmatch(r"\d{1,3}(\u00a0\d{3})*", sv[t("n_incidents", "sv")]), sv
    assert re.fullmatch(r"\d+,\d", sv["PAI"]), sv
    hit = t("app_hit_rate", "sv", pct="5")
    assert re.fullmatch(r"\d{1,3}\u00a0%", sv[hit]), sv
    app.sidebar.radio(key="lang").set_value("en").run()
    en = metrics()
    n = int(sv[t("n_incidents", "sv")].replace("\u00a0", ""))
    assert en[t("n_incidents", "en")] == f"{n:,}"
    assert en["PAI"] == sv["PAI"].replace(",", ".")
    assert en[t("app_hit_rate", "en", pct="5")] == sv[hit]
    app.sidebar.radio(key="lang").set_value("sv").run()


def test_the_public_tables_hide_counts_in_words_and_keep_numbers(
    tmp_path: Path,
    tuned_demo_store_template: Path,
    app_script: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo's public map lists unsafe places with fewer than five survey marks."""
    import pyarrow as pa
    from app_server import copy_store
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(copy_store(tuned_demo_store_template, tmp_path)))
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    app = AppTest.from_file(str(app_script), default_timeout=240)
    app.run()
    app.sidebar.radio(key="profile").set_value("public").run()
    assert not app.exception, app.exception
    hidden = 0
    for element in app.dataframe:  # the crime hotspots and the unsafe places
        values = element.value
        pa.Table.from_pandas(values)  # as Streamlit sends it: no column mixes words and numbers
        shown = display_values(element)
        counts = [t(k, "sv") for k in ("incidents", "app_survey_marks") if t(k, "sv") in values]
        for column in counts:
            assert pd.api.types.is_numeric_dtype(values[column]), column
            for value, text in zip(values[column], shown[column], strict=True):
                if pd.isna(value):
                    hidden += 1
                    assert text == t("suppressed", "sv")
                else:
                    assert text == number_text(value, "sv")
                    assert value >= 5
    assert hidden, "no count was hidden: the public tables were not tested"


@pytest.mark.slow
def test_the_map_and_data_tables_write_swedish_numbers(app) -> None:
    shown = display_values(app.dataframe[0])  # the crime hotspots under the map
    area = t("area_km2", "sv") + " (km²)"
    assert shown[area].str.fullmatch(r"\d+,\d+").all(), shown[area].tolist()
    assert shown["PAI"].str.fullmatch(r"\d+(,\d)?").all(), shown["PAI"].tolist()
    assert not _decimal_points(shown)
    app.sidebar.radio(key="page").set_value("data").run()
    assert not app.exception, app.exception
    categories = display_values(app.dataframe[0])
    counts = app.dataframe[0].value[t("incidents", "sv")]
    assert categories[t("incidents", "sv")].tolist() == [number_text(n, "sv") for n in counts]
    assert not _decimal_points(categories)
    assert not _decimal_points(display_values(app.dataframe[1]))  # the imports


@pytest.mark.slow
def test_the_plan_page_tables_are_the_plans_own(tmp_path: Path, monkeypatch, app_script) -> None:
    """The suggestions and the schedule on the page are the tables of the CSV (same headers,
    same words), the expected share in Swedish per cent."""
    from streamlit.testing.v1 import AppTest

    from hotspots.demo.store import ensure_demo_store
    from hotspots.io.csv_safety import read_excel_csv
    from hotspots.planning.schedule import render_csv

    db = tmp_path / "demo.gpkg"
    ensure_demo_store(db)
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    at = AppTest.from_file(str(app_script), default_timeout=600)
    at.run()
    at.sidebar.radio(key="page").set_value("plan").run()
    assert not at.exception, at.exception
    # the plan's count of incidents (thousands in the demo) with a space between thousands
    caption = next(c.value for c in at.caption if c.value.startswith("Plan för vecka"))
    assert re.search(r"byggd på \d{1,3}(\u00a0\d{3})+ händelser", caption), caption
    suggestions, schedule = at.dataframe[0], at.dataframe[1]
    shown = display_values(suggestions)
    share = t("col_expected_share", "sv")
    assert shown[share].str.fullmatch(r"\d+,\d\u00a0%").all(), shown[share].tolist()
    assert list(shown.columns) == [
        t(f"col_{c}", "sv")
        for c in ("id", "kind", "place", "weekdays", "hours", "why", "expected_share", "district")
    ]
    # the schedule: the same table as the CSV the page offers (headers and words)
    page = schedule.value
    csv = read_excel_csv(render_csv(_codes(page), lang="sv"))
    assert list(page.columns) == list(csv.columns)
    words = display_values(schedule)
    for column in (t("col_day", "sv"), t("col_kind", "sv"), t("col_place", "sv")):
        assert words[column].tolist() == csv[column].astype(str).tolist()
    days = {"mån", "tis", "ons", "tor", "fre", "lör", "sön"}
    pairs = ("sön mån", "mån tis", "tis ons", "ons tor", "tor fre", "fre lör", "lör sön")
    nights = {f"natten {p.replace(' ', '/')}" for p in pairs}  # visits after midnight
    assert set(words[t("col_day", "sv")]) <= days | nights
    assert dt.date.fromisoformat(words[t("col_date", "sv")].min()) > dt.date.today()  # next week


def _codes(table: pd.DataFrame) -> pd.DataFrame:
    """The schedule of the page back in codes (its headers and words read back)."""
    from hotspots.core.config import WEEKDAYS
    from hotspots.core.days import nights_words
    from hotspots.core.i18n import weekday_names
    from hotspots.render import labels

    out = table.rename(columns={c: labels.column_code(str(c)) for c in table.columns})
    days = dict(zip(weekday_names(list(range(7)), "sv"), WEEKDAYS, strict=True))
    days |= {nights_words([d], "sv"): code for d, code in enumerate(WEEKDAYS)}  # after midnight
    kinds = {t(f"kind_{k}", "sv"): k for k in labels.SUGGESTION_KINDS}
    return out.assign(day=out["day"].map(days), kind=out["kind"].map(kinds))


def test_hours_that_do_not_fit_are_said_in_the_pages_words() -> None:
    from hotspots.app.views.plan import does_not_fit_text
    from hotspots.core.errors import HoursDoNotFitError, InputSchemaError

    teams = HoursDoNotFitError(
        "--patrol-hours-per-week: ...", hours=10, fits_hours=9.25, by_teams=True
    )
    assert does_not_fit_text(teams, 1, "sv") == (
        "10 patrulltimmar ryms inte med 1 patrull(er) samtidigt: förslagens tidsfönster rymmer "
        "9,2 timmar besök utan att en patrull är på två platser samtidigt. Sänk timmarna eller "
        "öka antalet patruller."
    )
    windows = HoursDoNotFitError("...", hours=40.5, fits_hours=31.0, by_teams=False)
    assert does_not_fit_text(windows, 2, "en").startswith(
        "40.5 patrol hours do not fit: the suggestions' time windows (the days and hours "
        "chosen) hold 31.0 hours of visits."
    )
    assert does_not_fit_text(InputSchemaError("--week 2026-W49 is over"), 1, "sv") == (
        "--week 2026-W49 is over"
    )
