"""The follow-up page (hotspots/app/views/followup.py) driven through AppTest on a real store.

A GeoPackage store with a year of demo incidents in Karlstad ending 2026-11-22 and the demo
tracks of tests/followup_demo.py beside it; a small script calls ``page_followup``. The page
shows W47's plan against delivery, offers it as a Swedish Excel CSV file, draws the dosage
map, and logs an activity from its form into the tracks store (once, with an audit event).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from followup_demo import demo_store

from hotspots.access.roles import ROLES
from hotspots.app import session
from hotspots.app.session import Viewer
from hotspots.app.views.followup import csv_bytes, delivery_frame, last_week_label
from hotspots.dosage.storage import open_track_store
from hotspots.io.csv_safety import read_excel_csv
from hotspots.store import open_store

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow

WEEK = "2026-W47"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store and its tracks, made once; each test copies them."""
    folder = tmp_path_factory.mktemp("followup-app")
    demo_store(folder)
    return folder


@pytest.fixture
def db(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("store.gpkg", "store.tracks.gpkg"):
        (tmp_path / name).write_bytes((template / name).read_bytes())
    monkeypatch.delenv("HOTSPOTS_TRACKS_DB", raising=False)
    monkeypatch.delenv("HOTSPOTS_AUTH", raising=False)
    return str(tmp_path / "store.gpkg")


def _script(db: str, version: str, lang: str) -> None:
    from hotspots.app.views.followup import page_followup

    page_followup(db, version, lang)


def _app(db: str, lang: str = "sv") -> AppTest:
    from streamlit.testing.v1 import AppTest

    version = f"{open_store(db).data_version()}|municipality"
    at = AppTest.from_function(_script, args=(db, version, lang), default_timeout=300)
    at.run()
    at.text_input(key="fu_week").set_value(WEEK).run()
    assert not at.exception
    return at


def _serve(monkeypatch: pytest.MonkeyPatch, role: str) -> None:
    person = Viewer(f"test-{role}", ROLES[role])
    monkeypatch.setattr(session, "viewer", lambda: person)


def test_week_plan_against_delivery_with_csv_and_map(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve(monkeypatch, "analytiker")
    at = _app(db)
    assert at.header[0].value == "Uppföljning av medborgarlöftet"
    assert [m.label for m in at.metric] == ["Planerat", "Levererat", "Andel"]
    assert at.metric[0].value == "600 min"  # 10 patrol hours allocated
    delivered = float(at.metric[1].value.split()[0])
    assert delivered > 0
    by_kind, table = at.dataframe[0].value, at.dataframe[1].value
    assert by_kind["Aktivitet"].tolist()[:5] == [
        "Fotpatrull på otrygga platser",
        "Trafikkontroller",
        "Krogkontroller",
        "Skolbesök",
        "Fritidsgårdar, uppsökande",
    ]
    # the total counts a minute in overlapping areas of several kinds once, each kind's row
    # counts it: the kinds add up to at least the total
    assert by_kind["Levererat, min"].sum() >= delivered - 1
    assert table["Planerat, min"].sum() == 600
    assert table["Förslag"].str.match(r"^[A-Z]{2}\d+$").all()
    assert (table["Levererat, min"] > 0).any()
    # the map of delivered minutes
    assert len(at.get("image")) == 1
    # the week's log: the logged pub check and the unplanned school visit
    log = at.dataframe[2].value
    assert sorted(log["Minuter"].tolist()) == [30.0, 45.0]
    (button,) = at.get("download_button")
    assert "CSV" in button.proto.label


def test_csv_is_for_swedish_excel(db: str, tmp_path: Path) -> None:
    import pandas as pd

    table = pd.DataFrame(
        {
            "id": ["FP1", "PC1"],
            "kind": ["foot_patrol", "pub_check"],
            "place": ["=HYPERLINK(x)", "Krogen"],
            "planned_minutes": [120.0, 30.0],
            "delivered_minutes": [90.5, 0.0],
            "tracked_minutes": [90.5, 0.0],
            "logged_minutes": [0.0, 0.0],
            "share_delivered": [0.754, 0.0],
            "visits": [6, 0],
            "koper_visits": [6, 0],
            "long_visits": [0, 0],
            "drive_throughs": [1, 0],
            "logged_activities": [0, 0],
        }
    )
    data = csv_bytes(delivery_frame(table, "sv"), "sv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    head = text.splitlines()[0].split(";")
    assert head[:5] == ["Förslag", "Aktivitet", "Plats", "Planerat, min", "Levererat, min"]
    assert "90,5" in text  # decimal comma
    assert "75,4" in text  # share in percent
    assert "'=HYPERLINK(x)" in text  # a formula is neutralised
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    back = read_excel_csv(path)
    assert back.iloc[0]["Aktivitet"] == "Fotpatrull på otrygga platser"


def test_form_logs_an_activity_once_with_an_audit_event(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve(monkeypatch, "planerare")
    at = _app(db)
    before = len(open_track_store(db).activities())
    at.date_input(key="fu_day").set_value(dt.date(2026, 11, 19))
    at.text_input(key="fu_time").set_value("20:30")
    at.selectbox(key="fu_kind").set_value("traffic_check")
    at.text_input(key="fu_place").set_value("Hamngatan")
    at.number_input(key="fu_minutes").set_value(45.0)
    at.button[0].click().run()
    assert not at.exception
    assert not at.error
    assert at.success[0].value == "Sparat: Trafikkontroller, Hamngatan, 2026-11-19, 45 min."
    log = open_track_store(db).activities()
    assert len(log) == before + 1
    row = log[log["place"] == "Hamngatan"].iloc[0]
    assert (row["kind"], row["day"], row["time"], row["minutes"]) == (
        "traffic_check",
        "2026-11-19",
        "20:30",
        45.0,
    )
    events = open_store(db).audit_log()
    assert events["event"].tolist()[-1] == "activity_logged"
    assert events["user"].tolist()[-1] == "test-planerare"
    # the page shows it in the week's log, and the same line again changes nothing
    assert "Hamngatan" in at.dataframe[2].value["Plats"].tolist()
    at.date_input(key="fu_day").set_value(dt.date(2026, 11, 19))
    at.text_input(key="fu_time").set_value("20:30")
    at.selectbox(key="fu_kind").set_value("traffic_check")
    at.text_input(key="fu_place").set_value("Hamngatan")
    at.number_input(key="fu_minutes").set_value(45.0)
    at.button[0].click().run()
    assert at.info[-1].value == "Den raden finns redan i loggen; inget ändrades."
    assert len(open_track_store(db).activities()) == before + 1


def test_form_refuses_bad_input_beside_the_form(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "analytiker")
    at = _app(db)
    before = len(open_track_store(db).activities())
    at.text_input(key="fu_time").set_value("25:99")
    at.text_input(key="fu_place").set_value("Torget")
    at.button[0].click().run()
    assert at.error[0].value == "25:99 är ingen tid; skriv t.ex. 21:15 eller lämna tomt."
    at.text_input(key="fu_time").set_value("")
    at.text_input(key="fu_place").set_value("   ")
    at.button[0].click().run()
    assert at.error[0].value == "Skriv platsen: förslagets id eller platsens namn."
    assert len(open_track_store(db).activities()) == before


def test_a_public_role_sees_totals_only(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "est")
    at = _app(db)
    assert len(at.dataframe) == 1  # the totals per kind
    assert not at.get("image")
    assert not at.get("download_button")
    assert len(at.button) == 0  # no form
    assert "inte platser och tider" in at.caption[-1].value


def test_english_and_a_store_without_tracks(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "analytiker")
    Path(db).with_name("store.tracks.gpkg").unlink()
    at = _app(db, "en")
    assert at.header[0].value == "Follow-up of the citizen promise"
    assert at.info[0].value.startswith("No GPS tracks or logged activities yet")
    assert at.metric[1].value == "0 min"
    assert at.text_input(key="fu_place").label == "Place"


def test_last_week_label() -> None:
    assert last_week_label(dt.date(2026, 12, 4)) == "2026-W48"
    assert last_week_label(dt.date(2027, 1, 4)) == "2026-W53"
