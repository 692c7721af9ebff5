from __future__ import annotations

import pytest

from hotspots.core.config import (
    AnalysisConfig,
    HourWindow,
    parse_categories,
    parse_hours,
    parse_weekdays,
)
from hotspots.core.errors import InputSchemaError


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("22-04", (22, 23, 0, 1, 2, 3)),
        ("08-17", tuple(range(8, 17))),
        ("23-01", (23, 0)),
        ("0-24", tuple(range(24))),
        ("18–22", (18, 19, 20, 21)),
    ],
)
def test_hours_windows_wrap_midnight(text: str, hours: tuple[int, ...]) -> None:
    assert parse_hours(text).hours() == hours


def test_hour_window_str() -> None:
    assert str(HourWindow(22, 4)) == "22-04"
    assert str(HourWindow(0, 24)) == "00-00"


@pytest.mark.parametrize("bad", ["22", "a-b", "25-03", "5-5"])
def test_bad_hours_name_the_option(bad: str) -> None:
    with pytest.raises(InputSchemaError, match="--hours"):
        parse_hours(bad)


def test_weekdays_in_english_and_swedish() -> None:
    assert parse_weekdays("fri,sat") == (4, 5)
    assert parse_weekdays("Fre, lör, sön") == (4, 5, 6)
    with pytest.raises(InputSchemaError, match="--weekdays: 'funday'"):
        parse_weekdays("funday")


def test_categories_from_area_and_labels() -> None:
    assert parse_categories(None, None) is None
    assert parse_categories(["Rån", "robbery"], None) == ("robbery",)
    assert parse_categories(["dui"], "violence")[-1] == "dui"


def test_restricted_category_refused() -> None:
    with pytest.raises(InputSchemaError, match="restricted"):
        parse_categories(["Våld i nära relation"], None)


def test_unknown_area_lists_valid_ones() -> None:
    with pytest.raises(InputSchemaError, match="violence, unsafe, drugs_alcohol"):
        parse_categories(None, "traffic")


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"kernel": "box"}, "--kernel"),
        ({"bandwidth_m": -5.0}, "--bandwidth-m"),
        ({"cell_m": 0.0}, "--cell-m"),
        ({"coverage": 1.5}, "--coverage"),
    ],
)
def test_config_validates(kwargs: dict[str, object], option: str) -> None:
    with pytest.raises(InputSchemaError, match=option):
        AnalysisConfig(**kwargs)  # type: ignore[arg-type]
