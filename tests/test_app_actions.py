"""The actions panel of the app (hotspots/app/views/actions.py), driven through AppTest on a
real GeoPackage store: add, edit and close an action from the map page; what the store and the
audit log then hold; bad input and a busy store as messages beside the form; the roles that
may not change the log; the log as words and as an Excel CSV file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import Point

import hotspots.app.main as app_main
from hotspots.access.audit import verify
from hotspots.access.roles import ROLES
from hotspots.app import session
from hotspots.app.session import Viewer
from hotspots.app.views import actions as panel
from hotspots.core.i18n import STRINGS, t
from hotspots.est.actions import (
    ACTIONS,
    ACTORS,
    add_action,
    change_actions,
    load_actions,
    problem_label,
)
from hotspots.io.csv_safety import read_excel_csv
from hotspots.store import open_store

pytestmark = pytest.mark.slow

#: The make_app_store town (Örebro; see tests/conftest.py).
X0, Y0 = 514_000.0, 6_570_000.0
START, FOLLOW, CLOSED = dt.date(2026, 11, 20), dt.date(2026, 12, 18), dt.date(2026, 12, 1)


@pytest.fixture
def store_path(tmp_path: Path, make_app_store: Callable[[Path], Path]) -> Path:
    return make_app_store(tmp_path / "store.gpkg")


@pytest.fixture
def as_role(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Serve the app to ``name`` with ``role``: the server-side identity the pages ask for.

    ``pages=False`` leaves the page choice to the local analyst, so only the panel's own
    check of the role is left.
    """

    local = app_main.viewer

    def serve(name: str, role: str, *, pages: bool = True) -> None:
        person = Viewer(name, ROLES[role])
        monkeypatch.setattr(session, "viewer", lambda: person)
        # the page choice by role (main.py asks too), or the local analyst's
        monkeypatch.setattr(app_main, "viewer", (lambda: person) if pages else local)

    return serve


@pytest.fixture
def open_app(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], object]:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)

    def start() -> AppTest:
        at = AppTest.from_file(str(app_script), default_timeout=300)
        at.run()
        assert not at.exception, at.exception
        return at

    return start


def _events(store_path: Path) -> list[dict[str, object]]:
    log = open_store(store_path).audit_log()
    rows = log[log["event"].astype(str).str.startswith("action_")]
    return [
        {"user": r["user"], "event": r["event"], **json.loads(r["detail"])}
        for r in rows.to_dict("records")
    ]


def _log_table(at) -> pd.DataFrame:
    """The actions log as shown (the last table of the map page)."""
    table = at.dataframe[-1].value
    assert t("col_place_ref", "sv") in table.columns
    return table


def _fill_add(at, *, follow: dt.date = FOLLOW, note: str = "Två nya lampor") -> None:
    at.selectbox(key="actions_add_place").set_value("hotspot:1")
    at.selectbox(key="actions_add_problem").set_value("unsafe")
    at.selectbox(key="actions_add_what").set_value("belysning")
    at.selectbox(key="actions_add_actor").set_value("kommun")
    at.date_input(key="actions_add_date").set_value(START)
    at.date_input(key="actions_add_follow_up").set_value(follow)
    at.text_area(key="actions_add_note").set_value(note)


def test_add_edit_and_close_an_action_from_the_map_page(open_app, store_path: Path) -> None:
    at = open_app()
    assert at.header[0].value == "Karta"
    assert t("app_actions_heading", "sv") in [s.value for s in at.subheader]
    assert [i.value for i in at.info if i.value == t("app_actions_none", "sv")]
    # the places offered are the crime hotspots of the analysis, by rank
    place = at.selectbox(key="actions_add_place")
    assert place.options[0] == "Brottskoncentration 1"
    hotspots = at.dataframe[0].value
    assert len(place.options) == len(hotspots)

    # add
    _fill_add(at)
    at.button(key="actions_add_submit").click().run()
    assert not at.exception, at.exception
    assert not at.error, at.error[0].value
    assert [s.value for s in at.success] == ["A-0001 sparad: Belysning – Brottskoncentration 1."]
    [row] = load_actions(store_path).to_dict("records")
    assert row["id"] == "A-0001"
    assert row["place_kind"] == "hotspot"
    assert row["place_ref"].startswith("Hotspot 1, ")
    assert (row["problem"], row["action"], row["actor"]) == ("unsafe", "belysning", "kommun")
    assert (row["date"], row["follow_up"]) == ("2026-11-20", "2026-12-18")
    assert (row["status"], row["closed"]) == ("planerad", None)
    assert row["note"] == "Två nya lampor"
    assert row["changed_by"] == "lokal"
    # its point: in the hotspot ranked first, one of the two planted clusters of 80
    point = load_actions(store_path).geometry.iloc[0]
    clusters = [Point(X0 + 600.0, Y0 + 400.0), Point(X0 + 2600.0, Y0 + 2200.0)]
    assert min(point.distance(c) for c in clusters) < 250.0
    # the log on the page, in words; the form starts anew
    shown = _log_table(at).iloc[0]
    assert shown[t("col_status", "sv")] == "planerad"
    assert shown[t("col_action", "sv")] == "Belysning"
    assert shown[t("col_actor", "sv")] == "Kommun"
    assert shown[t("col_problem", "sv")] == problem_label("unsafe", "sv")
    assert shown[t("col_follow_up", "sv")] == "2026-12-18"
    assert shown[t("col_changed_by", "sv")] == "lokal"
    # the place in Swedish: the stored "Hotspot 1, …" reads as the form named it
    assert shown[t("col_place_ref", "sv")] == row["place_ref"].replace(
        "Hotspot", "Brottskoncentration"
    )
    assert at.text_area(key="actions_add_note").value == ""
    assert at.selectbox(key="actions_add_what").value == "fotpatrull"
    assert at.get("download_button")[0].proto.url.endswith(".csv")

    # edit: the new action is chosen, its fields filled in
    assert at.selectbox(key="actions_choose").value == "A-0001"
    assert at.text_area(key="actions_edit_note").value == "Två nya lampor"
    assert at.text_input(key="actions_edit_place").value.startswith("Brottskoncentration 1, ")
    assert at.selectbox(key="actions_edit_status").options == ["planerad", "pågår"]
    at.selectbox(key="actions_edit_status").set_value("pågår")
    at.date_input(key="actions_edit_follow_up").set_value(dt.date(2026, 12, 11))
    at.button(key="actions_edit_submit").click().run()
    assert not at.exception, at.exception
    assert not at.error, at.error[0].value
    assert at.success[0].value == "A-0001 ändrad: uppföljning, status."
    [row] = load_actions(store_path).to_dict("records")
    assert (row["status"], row["follow_up"]) == ("pågår", "2026-12-11")
    assert row["note"] == "Två nya lampor"

    # close, with an outcome
    at.radio(key="actions_close_status").set_value("klar")
    at.date_input(key="actions_close_date").set_value(CLOSED)
    at.text_area(key="actions_close_note").set_value("Lamporna sitter uppe.")
    at.button(key="actions_close_submit").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "A-0001 stängd: klar."
    [row] = load_actions(store_path).to_dict("records")
    assert (row["status"], row["closed"]) == ("klar", "2026-12-01")
    assert row["note"] == "Två nya lampor Lamporna sitter uppe."
    assert _log_table(at).iloc[0][t("col_closed", "sv")] == "2026-12-01"
    assert [i.value for i in at.info] == [
        t("app_actions_is_closed", "sv", id="A-0001", date="2026-12-01")
    ]
    assert not [b for b in at.button if b.key == "actions_close_submit"]

    # one audit event for each change, by the account, with the id and what changed
    events = _events(store_path)
    assert [(e["event"], e["id"], e["user"]) for e in events] == [
        ("action_added", "A-0001", "lokal"),
        ("action_edited", "A-0001", "lokal"),
        ("action_closed", "A-0001", "lokal"),
    ]
    assert events[0]["action"] == "belysning"
    assert events[0]["page"] == "map"
    assert events[1]["changed"] == ["follow_up", "status"]
    assert events[1]["status"] == {"from": "planerad", "to": "pågår"}
    assert events[2]["status"] == "klar"
    assert events[2]["closed"] == "2026-12-01"
    assert verify(store_path) is None  # the hash chain is intact


def test_bad_input_is_a_message_beside_the_form_which_keeps_it(open_app, store_path: Path) -> None:
    at = open_app()
    _fill_add(at, follow=dt.date(2026, 11, 1), note="Kvar efter felet")
    at.button(key="actions_add_submit").click().run()
    assert not at.exception, at.exception
    [error] = at.error
    assert error.value == (
        "Inget sparades, kontrollera uppgifterna: Uppföljning: 2026-11-01 är före åtgärdens "
        "datum 2026-11-20; ange ett senare uppföljningsdatum"
    )
    # what was typed is still there, and nothing was written
    assert at.text_area(key="actions_add_note").value == "Kvar efter felet"
    assert at.selectbox(key="actions_add_what").value == "belysning"
    assert at.date_input(key="actions_add_follow_up").value == dt.date(2026, 11, 1)
    assert len(load_actions(store_path)) == 0
    assert _events(store_path) == []
    # corrected, it is saved
    at.date_input(key="actions_add_follow_up").set_value(FOLLOW)
    at.button(key="actions_add_submit").click().run()
    assert not at.error
    assert load_actions(store_path)["note"].tolist() == ["Kvar efter felet"]


def test_a_busy_store_is_a_clear_message_and_nothing_is_lost(
    open_app, store_path: Path, make_incidents, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app()
    monkeypatch.setattr(panel, "WRITE_BUSY_TIMEOUT_S", 0.5)
    _fill_add(at, note="Skrivs när importen är klar")
    holder = open_store(store_path)
    extra = make_incidents([514_100.0], [6_570_100.0])
    extra["id"] = pd.array(["held-1"], dtype="string")
    with holder.importing("incidents", provenance={"file_name": "held.csv"}) as imp:
        imp.add(extra)  # an import holds the write lock from its first chunk until it ends
        at.button(key="actions_add_submit").click().run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == [t("app_actions_busy", "sv")]
        assert at.text_area(key="actions_add_note").value == "Skrivs när importen är klar"
    assert len(load_actions(store_path)) == 0
    # the import is done: the same form is saved
    at.button(key="actions_add_submit").click().run()
    assert not at.error, at.error[0].value
    assert load_actions(store_path)["note"].tolist() == ["Skrivs när importen är klar"]
    assert [e["event"] for e in _events(store_path)] == ["action_added"]


def _seed_action(store_path: Path) -> None:
    def add(current):
        frame, _ = add_action(
            current,
            date=START,
            place_kind="point",
            place_ref="Vid stationen",
            problem="drugs_alcohol",
            actor="polis",
            action="fotpatrull",
            geometry=Point(514_600.0, 6_570_400.0),
        )
        return frame

    change_actions(store_path, add)


def test_a_role_that_may_not_edit_reads_the_log_and_sees_no_form(
    open_app, store_path: Path, as_role
) -> None:
    _seed_action(store_path)
    as_role("per.planerare", "planerare")
    at = open_app()
    table = _log_table(at)
    assert table[t("col_action", "sv")].tolist() == ["Fotpatrull"]
    assert table[t("col_place_kind", "sv")].tolist() == ["punkt"]
    assert t("app_actions_read_only", "sv") in [c.value for c in at.caption]
    keys = {w.key for w in [*at.button, *at.selectbox, *at.text_area, *at.date_input]}
    assert not {k for k in keys if k and k.startswith("actions_") and k != "actions_csv"}
    # the lägesbild page: the same
    at.sidebar.radio(key="page").set_value("report").run()
    assert not at.exception, at.exception
    assert t("app_actions_heading", "sv") in [s.value for s in at.subheader]
    assert not [b for b in at.button if b.key == "actions_add_submit"]


def test_a_role_without_the_page_sees_nothing_of_the_log(
    open_app, store_path: Path, as_role
) -> None:
    _seed_action(store_path)
    as_role("pia.publik", "publik")
    at = open_app()
    assert [i.value for i in at.info] == [t("app_no_pages", "sv", role=t("role_publik", "sv"))]
    assert not at.dataframe
    # even where a page is drawn for another reason, the panel asks the role itself
    as_role("pia.publik", "publik", pages=False)
    at = open_app()
    assert at.header[0].value == "Karta"
    assert t("app_actions_heading", "sv") not in [s.value for s in at.subheader]
    assert len(at.dataframe) == 1  # the hotspot table, not the log


def test_est_adds_from_the_lagesbild_page_in_english_with_its_name(
    open_app, store_path: Path, as_role
) -> None:
    as_role("anna.est", "est")
    at = open_app()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.sidebar.radio(key="page").set_value("report").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Situation report"
    place = at.selectbox(key="actions_add_place")
    assert place.options[0] == "Crime hotspot 1"
    # the places are named by rank only: no count, no description reaches the panel
    assert all(o.startswith("Crime hotspot ") and o.split()[-1].isdigit() for o in place.options)
    _fill_add(at)
    at.button(key="actions_add_submit").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "A-0001 saved: Lighting – Crime hotspot 1."
    table = at.dataframe[-1].value
    assert table["Status"].tolist() == ["planned"]
    assert table["Actor"].tolist() == ["Municipality"]
    assert table["Changed by"].tolist() == ["anna.est"]
    assert table["Place"].iloc[0].startswith("Hotspot 1, ")
    text = table.astype(str).to_numpy().ravel().tolist()
    assert not [v for v in text if "<script>" in v or v in ("None", "nan", "<NA>")]
    assert load_actions(store_path)["changed_by"].tolist() == ["anna.est"]
    [event] = _events(store_path)
    assert (event["user"], event["event"], event["page"]) == ("anna.est", "action_added", "report")


def test_the_log_in_words_and_as_an_excel_csv_file() -> None:
    from hotspots.est.actions import close_action, empty_actions

    log, _ = add_action(
        empty_actions(),
        date=START,
        place_kind="district",
        place_ref="=Centrum",  # a formula in a spreadsheet unless neutralised
        problem="violence",
        actor="socialtjänst",
        action="nattvandring",
        geometry=Point(414_900.0, 6_583_400.0),
        by="anna.est",
    )
    log, _ = add_action(
        log,
        date=dt.date(2026, 11, 25),
        place_kind="place",
        place_ref="Stora torget",
        problem="drugs_alcohol",
        actor="polis",
        action="fotpatrull",
        geometry=Point(414_950.0, 6_583_450.0),
    )
    log = close_action(log, "A-0001", closed=CLOSED, note="Klart", by="bo.est")
    table = panel.log_table(log, "sv")
    assert table["id"].tolist() == ["A-0002", "A-0001"]  # open first
    assert table["status"].tolist() == ["planerad", "klar"]
    assert table["place_kind"].tolist() == ["plats", "stadsdel"]
    assert table["action"].tolist() == ["Fotpatrull", "Nattvandring"]
    assert table["actor"].tolist() == ["Polis", "Socialtjänst"]
    assert table["changed_by"].tolist() == ["", "bo.est"]
    assert table["follow_up"].tolist() == ["", ""]
    english = panel.log_table(log, "en")
    assert english["status"].tolist() == ["planned", "done"]
    assert english["action"].tolist() == ["Foot patrol", "Night walkers"]
    data = panel._csv(table, "sv")
    assert data.startswith(b"\xef\xbb\xbf")
    back = read_excel_csv(data)
    assert list(back.columns)[:5] == ["Id", "Status", "Åtgärd", "Aktör", "Plats"]
    assert back["Plats"].tolist() == ["Stora torget", "'=Centrum"]
    assert back["Åtgärd"].tolist() == ["Fotpatrull", "Nattvandring"]


def test_every_actor_and_kind_of_action_has_words_in_both_languages() -> None:
    for code in ACTORS:
        assert set(STRINGS[f"actions_actor_{code}"]) == {"sv", "en"}
    for code in ACTIONS:
        assert set(STRINGS[f"actions_what_{code}"]) == {"sv", "en"}
    assert panel.what_word("fotpatrull", "en") == "Foot patrol"
    assert panel.actor_word("okänd", "sv") == "okänd"  # an unknown code as it is
