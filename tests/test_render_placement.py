"""The list of incidents left out of an analysis (hotspots/render/placement.py): who may have
it, what it holds (never a description or a restricted category), and the Excel CSV file;
on the shore town (tests/shore_town.py), where the incidents left out are known by id."""

from __future__ import annotations

import pandas as pd
import pytest
from shore_town import COUNTS, geography, incidents

from hotspots.core.config import Filters
from hotspots.core.errors import InputSchemaError
from hotspots.engine.placement import place_selected
from hotspots.io.csv_safety import read_excel_csv
from hotspots.render.placement import DROPPED_COLUMNS, dropped_csv, dropped_table
from hotspots.spatial.placement import Placement, place_on_land


@pytest.fixture(scope="module")
def placement() -> Placement:
    placed = place_selected(incidents(), Filters(), geography())
    assert placed is not None
    return placed


def _left_out_ids() -> list[str]:
    frame = incidents()
    return sorted(frame.loc[frame["kind"].isin(["deep", "outside"]), "id"])


@pytest.mark.parametrize("profile", ["internal", "planning"])
def test_the_list_names_each_incident_left_out_and_why(placement: Placement, profile: str) -> None:
    table = dropped_table(placement, "sv", profile=profile)
    assert list(table.columns) == list(DROPPED_COLUMNS)
    assert "description" not in table.columns
    assert sorted(table["id"]) == _left_out_ids()
    reasons = dict(zip(table["id"], table["reason"], strict=True))
    assert {reasons[f"deep-{i}"] for i in range(COUNTS["deep"])} == {"i vatten"}
    assert {reasons[f"outside-{i}"] for i in range(COUNTS["outside"])} == {"utanför studieområdet"}
    assert set(table["category"]) == {"Misshandel i offentlig miljö"}
    assert set(table["precision"]) == {"exakt punkt"}  # words, not the stored code
    assert table["occurred_at"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d").all()
    # coordinates to the decimetre, the distance to land in metres (over 25 m in water)
    frame = incidents().set_index("id")
    for rec in table.to_dict("records"):
        point = frame.loc[rec["id"], "geometry"]
        assert rec["x"] == round(point.x, 1)
        assert rec["y"] == round(point.y, 1)
    deep = table[table["reason"] == "i vatten"]
    assert (deep["distance_to_land_m"] > 25).all()


def test_the_public_profile_gets_no_list(placement: Placement) -> None:
    with pytest.raises(InputSchemaError, match="public profile"):
        dropped_table(placement, "sv", profile="public")
    with pytest.raises(InputSchemaError, match="public profile"):
        dropped_csv(placement, "en", profile="public")
    with pytest.raises(InputSchemaError, match="not a profile"):
        dropped_table(placement, "sv", profile="everyone")


def test_restricted_categories_are_never_listed() -> None:
    """Placed without the analysis's selection, restricted incidents are still not listed."""
    every = place_on_land(incidents(), geography())
    assert (every.dropped["category"] == "sexual_offence").sum() == COUNTS["restricted"]
    table = dropped_table(every, "en")
    assert sorted(table["id"]) == _left_out_ids()
    assert set(table["category"]) == {"Assault in a public place"}


def test_the_csv_is_for_swedish_excel(placement: Placement) -> None:
    data = dropped_csv(placement, "sv")
    assert data.startswith(b"\xef\xbb\xbf")
    listed = read_excel_csv(data)
    assert list(listed.columns) == [
        "Id",
        "Tidpunkt",
        "Kategori",
        "Lägesnoggrannhet",
        "X (m)",
        "Y (m)",
        "Orsak",
        "Avstånd till land (m)",
    ]
    assert sorted(listed["Id"]) == _left_out_ids()
    assert listed["X (m)"].str.contains(",").any()  # a decimal comma
    english = read_excel_csv(dropped_csv(placement, "en"))
    assert list(english.columns)[:3] == ["Id", "Time", "Category"]
    assert set(english["Reason"]) == {"in water", "outside the study area"}
    assert pd.to_numeric(english["Distance to land (m)"]).gt(0).all()


def test_precisions_are_words_in_the_list() -> None:
    from hotspots.render import labels

    assert labels.precision("address", "sv") == "adress"
    assert labels.precision("exact", "en") == "exact point"
    assert labels.precision("something", "sv") == "something"
    frame = labels.localise_frame(pd.DataFrame({"precision": ["street", "exact"]}), "sv")
    assert frame.iloc[:, 0].tolist() == ["gata", "exakt punkt"]
