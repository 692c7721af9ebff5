"""Density classes, number formatting and the settings lines shared by both maps."""

from __future__ import annotations

import datetime as dt

import numpy as np

from hotspots.core.config import Filters, HourWindow
from hotspots.render.symbology import DensityClasses, density_classes, format_number, settings_lines


def test_density_classes_from_threshold_golden() -> None:
    # threshold 27.6 per km2: breaks 0.25x .. 4x rounded down to 2 significant digits
    values = np.linspace(0.0, 200.0, 1001)
    classes = density_classes(values, threshold=27.64)
    assert classes is not None
    assert classes.breaks == (6.0, 13.0, 27.0, 55.0, 110.0)
    assert len(classes.colours) == 5


def test_density_classes_from_coverage_quantile() -> None:
    values = np.arange(100, dtype=float)  # the top 5 % start at the 0.95 quantile, 94.05
    classes = density_classes(values, coverage=0.05)
    assert classes is not None
    assert classes.breaks[2] == 94.0
    assert classes.breaks[:2] == (23.0, 47.0)
    assert len(classes.breaks) == 3  # 2x and 4x exceed the maximum, 99
    assert density_classes(np.zeros(4)) is None
    assert density_classes(np.full(3, np.nan)) is None


def test_classify_and_labels() -> None:
    classes = DensityClasses((1.0, 10.0), ("#a", "#b"))
    got = classes.classify(np.array([0.5, 1.0, 9.9, 10.0, np.nan]))
    assert got.tolist() == [-1, 0, 0, 1, -1]
    assert classes.labels() == ["1–10", "≥ 10"]


def test_format_number() -> None:
    # as number_text writes it: a no-break space and a decimal comma in Swedish
    assert format_number(1382.0) == "1\u00a0382"
    assert format_number(12.5) == "12,5"
    assert format_number(0.25) == "0,25"
    assert format_number(-12.5) == "\u221212,5"
    assert format_number(float("nan")) == "–"
    assert format_number(None) == "–"
    # commas between thousands and a decimal point in English
    assert format_number(1382.0, lang="en") == "1,382"
    assert format_number(12.5, lang="en") == "12.5"
    assert format_number(0.25, lang="en") == "0.25"
    assert format_number(-12.5, lang="en") == "-12.5"
    # 10.04 to 1 decimal is 10.0: the zero after the decimal sign goes, the one before stays
    assert format_number(10.04) == format_number(10.04, lang="en") == "10"
    # below 1: two significant digits, written out rather than as 3.1e-05
    assert format_number(3.14159e-05, lang="en") == "0.000031"
    assert format_number(0.1) == "0,1"


def test_legend_labels_follow_the_language() -> None:
    classes = DensityClasses((2.5, 1200.0), ("#a", "#b"))
    assert classes.labels("/km²") == ["2,5–1\u00a0200 /km²", "≥ 1\u00a0200 /km²"]
    assert classes.labels("/km²", lang="en") == ["2.5–1,200 /km²", "≥ 1,200 /km²"]


def test_settings_lines_name_units_and_filters() -> None:
    filters = Filters(
        categories=("dui",),
        since=dt.date(2026, 1, 1),
        until=dt.date(2026, 2, 1),
        hours=HourWindow(22, 4),
        weekdays=(4, 5),
    )
    params = {
        "kernel": "quartic",
        "bandwidth_m": 150.0,
        "cell_m": 25.0,
        "coverage": 0.05,
        "metric_crs": "EPSG:3006",
        "study_area_km2": 89.78,
        "bandwidth_auto": True,
    }
    lines = dict(settings_lines(parameters=params, filters=filters, period=None, n_incidents=1234,
                                lang="en", profile="public"))  # fmt: skip
    assert lines["Period"] == "2026-01-01 – 2026-01-31"
    assert lines["Hours"] == "22-04"
    assert lines["Weekdays"] == "Fri, Sat"
    assert lines["Bandwidth"] == "150 m (auto)"
    assert lines["Cell"] == "25 × 25 m"
    assert lines["Study area"] == "89.8 km²"  # one decimal from 1 to 100
    assert lines["Incidents in the analysis"] == "1,234"  # English groups thousands with a comma
    compact = dict(settings_lines(parameters=params, filters=filters, period=None,
                                  n_incidents=1, lang="en", compact=True))  # fmt: skip
    assert compact["Method"] == "quartic, bandwidth 150 m (auto), cell 25 × 25 m"
    assert compact["Hours, weekdays"] == "22-04; Fri, Sat"
