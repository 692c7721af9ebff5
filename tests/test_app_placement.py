"""The map page says how many incidents its analysis leaves out, and why, and offers their
list to the roles that may have it (hotspots/app/views/map.py), driven through AppTest.

A GeoPackage store holds the shore town (tests/shore_town.py): Karlstad, on the demo
geography, with 7 incidents east of the districts, 9 far out in the river and 40 just off its
shore (moved onto land), and restricted incidents among those left out (never counted or
listed). The app opens on the districts' land (the urban study area) and every date.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shore_town import COUNTS, incidents

import hotspots.app.main as app_main
from hotspots.access.roles import ROLES
from hotspots.app import session
from hotspots.app.session import Viewer
from hotspots.core.i18n import column_label, t
from hotspots.io.csv_safety import read_excel_csv
from hotspots.store import open_store

pytestmark = pytest.mark.slow

BANNER_SV = (
    "16 händelser ligger utanför studieområdet eller i vatten och ingår inte i analysen: "
    "7 utanför studieområdet (stadsdelarnas land) och 9 i vatten. Händelser i vatten högst "
    "25 m från land har flyttats in på närmaste land och ingår: 40."
)
BANNER_EN = (
    "16 incidents lie outside the study area or in water and are not part of the analysis: "
    "7 outside the study area (the districts' land) and 9 in water. Incidents in water "
    "within 25 m of land were moved onto the nearest land and are included: 40."
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shore") / "store.gpkg"
    frame = incidents().drop(columns="kind")
    open_store(path).upsert_incidents(frame, provenance={"file_name": "shore.csv"})
    return path


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The media storage of each AppTest run, kept to read a download's bytes back.

    AppTest makes a real in-memory storage per run and drops it after; this keeps a
    reference to it (the storage itself is Streamlit's own).
    """
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    kept: list[object] = []

    class Kept(MemoryMediaFileStorage):
        def __init__(self, endpoint: str) -> None:
            super().__init__(endpoint)
            kept.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Kept)
    return kept


def _open(store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch, role: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store_path))
    for name in ("HOTSPOTS_PASSWORD", "HOTSPOTS_TILES", "HOTSPOTS_GEOGRAPHY", "HOTSPOTS_AUTH"):
        monkeypatch.delenv(name, raising=False)
    person = Viewer(f"test-{role}", ROLES[role])  # the identity the server decided
    monkeypatch.setattr(session, "viewer", lambda: person)
    monkeypatch.setattr(app_main, "viewer", lambda: person)
    at = AppTest.from_file(str(app_script), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def _list_button(at, lang: str = "sv"):
    label = t("placement_download", lang)
    return [b for b in at.get("download_button") if b.proto.label == label]


def _downloaded(button, media: list[object]) -> bytes:
    name = button.proto.url.rsplit("/", 1)[-1]
    return media[-1].get_file(name).content  # type: ignore[attr-defined]


def _left_out_ids() -> list[str]:
    frame = incidents()
    return sorted(frame.loc[frame["kind"].isin(["deep", "outside"]), "id"])


def test_the_analyst_sees_the_counts_and_downloads_the_list(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch, media: list[object]
) -> None:
    at = _open(store_path, app_script, monkeypatch, "analytiker")
    assert [i.value for i in at.info][:1] == [BANNER_SV]
    metrics = {m.label: m.value for m in at.metric}
    kept = COUNTS["background"] + COUNTS["cluster"]
    assert metrics[t("n_incidents", "sv")] == str(kept)  # the analysis is of those on land
    (button,) = _list_button(at)
    assert button.proto.url.endswith(".csv")
    listed = read_excel_csv(_downloaded(button, media))
    assert sorted(listed["Id"]) == _left_out_ids()
    assert set(listed["Orsak"]) == {"i vatten", "utanför studieområdet"}
    assert (listed["Orsak"] == "i vatten").sum() == COUNTS["deep"]
    assert set(listed["Kategori"]) == {"Misshandel i offentlig miljö"}  # never restricted
    assert not any("<script>" in str(v) for v in listed.to_numpy().ravel())  # no description
    assert column_label("description", "sv") not in listed.columns

    # in English, the banner and the list
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info][:1] == [BANNER_EN]
    (button,) = _list_button(at, "en")
    english = read_excel_csv(_downloaded(button, media))
    assert set(english["Reason"]) == {"in water", "outside the study area"}

    # the whole municipality: the incidents east of the districts are on its land
    at.sidebar.radio(key="lang").set_value("sv").run()
    at.sidebar.radio(key="study").set_value("municipality").run()
    assert not at.exception, at.exception
    assert at.info[0].value.startswith(
        "9 händelser ligger utanför studieområdet eller i vatten och ingår inte i analysen: "
        "0 utanför studieområdet (kommunens land) och 9 i vatten."
    )
    (button,) = _list_button(at)
    listed = read_excel_csv(_downloaded(button, media))
    assert sorted(listed["Id"]) == sorted(f"deep-{i}" for i in range(COUNTS["deep"]))


def test_the_planner_gets_the_list_without_descriptions(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch, media: list[object]
) -> None:
    at = _open(store_path, app_script, monkeypatch, "planerare")
    assert [i.value for i in at.info][:1] == [BANNER_SV]
    (button,) = _list_button(at)
    listed = read_excel_csv(_downloaded(button, media))
    assert sorted(listed["Id"]) == _left_out_ids()
    assert column_label("description", "sv") not in listed.columns
    assert not any("<script>" in str(v) for v in listed.to_numpy().ravel())


def test_an_est_member_sees_the_counts_only(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(store_path, app_script, monkeypatch, "est")
    assert [i.value for i in at.info][:1] == [BANNER_SV]
    assert not _list_button(at)
    assert not at.get("download_button")
    assert t("placement_counts_only", "sv") in [c.value for c in at.caption]


def test_an_analyst_previewing_the_public_view_gets_no_list(
    store_path: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(store_path, app_script, monkeypatch, "analytiker")
    assert _list_button(at)
    at.sidebar.radio(key="profile").set_value("public").run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info][:1] == [BANNER_SV]
    assert not _list_button(at)
