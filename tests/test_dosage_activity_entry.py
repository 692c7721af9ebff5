"""One activity entered in the app's form is the same line as in an imported activity log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from hotspots.core.errors import InputSchemaError
from hotspots.dosage.activities import read_activities
from hotspots.dosage.activity_entry import activity_line, form_record
from hotspots.dosage.storage import ACTIVITY_COLUMNS, GpkgTrackStore

NOW = pd.Timestamp("2026-12-04 12:00", tz="Europe/Stockholm")


def test_a_form_line_equals_the_same_line_read_from_a_file(tmp_path: Path) -> None:
    csv = tmp_path / "log.csv"
    csv.write_text(
        "datum;tid;typ;plats;minuter\n"
        "2026-11-19;20:30;trafikkontroll;Hamngatan;45\n"
        "2026-11-18;;skolbesök;Skolan;30,5\n",
        encoding="utf-8",
    )
    read = read_activities(csv, now=NOW).activities
    timed = activity_line(
        day=dt.date(2026, 11, 19), time="20:30", kind="traffic_check", place=" Hamngatan ",
        minutes=45, now=NOW.to_pydatetime(),
    )  # fmt: skip
    untimed = activity_line(
        day=dt.date(2026, 11, 18), time="", kind="skolbesök", place="Skolan", minutes=30.5,
        now=NOW.to_pydatetime(),
    )  # fmt: skip
    got = pd.concat([timed, untimed], ignore_index=True)
    assert list(got.columns) == list(ACTIVITY_COLUMNS)
    want = read[list(ACTIVITY_COLUMNS)]
    pd.testing.assert_frame_equal(
        got.astype(object).where(got.notna(), None),
        want.astype(object).where(want.notna(), None),
    )
    # 2026-11-19 20:30 CET is 19:30 UTC
    assert got["start_ms"].iloc[0] == pd.Timestamp("2026-11-19 19:30", tz="UTC").value // 10**6
    # stored once, whether from the form or the file
    store = GpkgTrackStore(tmp_path / "t.gpkg")
    assert store.add_activities(timed, form_record(timed)).inserted == 1
    assert store.add_activities(timed, form_record(timed)).inserted == 0
    from hotspots.dosage.storage import ImportRecord

    record = ImportRecord("f", "log.csv", "activities", 2, 2, 0)
    counts = store.add_activities(read, record)
    assert (counts.inserted, counts.unchanged) == (1, 1)
    assert store.imports()["file"].tolist()[0] == "app-form"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kind": "picknick"}, "not a kind"),
        ({"place": "  "}, "place"),
        ({"minutes": 0}, "more than 0"),
        ({"minutes": 24 * 60 + 1}, "at most 1440"),
        ({"time": "25:99"}, "not a clock time"),
        ({"day": dt.date(2026, 12, 5)}, "future"),
    ],
    ids=["kind", "place", "zero", "too-long", "time", "future"],
)
def test_bad_entries_are_refused(kwargs: dict, match: str) -> None:
    args = {
        "day": dt.date(2026, 12, 1),
        "time": "21:00",
        "kind": "pub_check",
        "place": "Krogen",
        "minutes": 30,
        "now": NOW.to_pydatetime(),
        **kwargs,
    }
    with pytest.raises(InputSchemaError, match=match):
        activity_line(**args)
