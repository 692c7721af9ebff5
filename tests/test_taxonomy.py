from __future__ import annotations

import pytest

from hotspots.core import taxonomy
from hotspots.core.errors import InputSchemaError


def test_fifteen_categories_with_unique_codes() -> None:
    assert len(taxonomy.CATEGORIES) == 15
    assert len(set(taxonomy.CODES)) == 15


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("dui", "dui"),
        ("RATTFYLLERI / DROGRATTFYLLERI", "dui"),
        ("drink / drug driving", "dui"),
        ("  Misshandel i offentlig miljö ", "assault_public"),
        ("SKADEGÖRELSE / KLOTTER", "vandalism"),
        ("Övrigt", "other"),
    ],
)
def test_lookup_matches_code_and_labels_case_insensitively(text: str, code: str) -> None:
    cat = taxonomy.lookup(text)
    assert cat is not None
    assert cat.code == code


def test_unknown_label_gives_none() -> None:
    assert taxonomy.lookup("Brand") is None


def test_restricted_categories_are_not_public() -> None:
    assert taxonomy.is_restricted("domestic_violence")
    assert taxonomy.is_restricted("sexual_offence")
    assert not taxonomy.is_restricted("assault_public")
    public = taxonomy.public_codes()
    assert "domestic_violence" not in public
    assert "sexual_offence" not in public
    assert len(public) == 13


def test_problem_areas_partition_the_public_codes() -> None:
    in_areas = [c for a in taxonomy.PROBLEM_AREAS for c in taxonomy.codes_in_area(a)]
    assert sorted([*in_areas, "other"]) == sorted(taxonomy.public_codes())
    assert taxonomy.codes_in_area("drugs_alcohol") == (
        "drug_use",
        "drug_dealing",
        "dui",
        "intoxication",
    )


def test_labels_in_both_languages() -> None:
    assert taxonomy.label("robbery", "sv") == "Rån"
    assert taxonomy.label("robbery", "en") == "Robbery"
    assert taxonomy.label("nonexistent") == "nonexistent"


def test_every_category_has_an_origin() -> None:
    assert {c.origin for c in taxonomy.CATEGORIES} == set(taxonomy.ORIGINS)
    assert all(c.origin in taxonomy.ORIGINS for c in taxonomy.CATEGORIES)


def test_proactive_codes_are_those_found_by_police_activity() -> None:
    # drug possession/use and dealing, drink-driving found in checks, weapons found in
    # searches, drunkenness/alcohol offences found on patrol
    assert taxonomy.codes_of_origin("proactive") == (
        "weapons",
        "drug_use",
        "drug_dealing",
        "dui",
        "intoxication",
    )
    assert taxonomy.is_proactive("dui")
    assert not taxonomy.is_proactive("assault_public")
    assert not taxonomy.is_proactive("nonexistent")


def test_origins_partition_the_public_codes() -> None:
    reactive = taxonomy.codes_of_origin("reactive")
    proactive = taxonomy.codes_of_origin("proactive")
    assert not set(reactive) & set(proactive)
    assert sorted([*reactive, *proactive]) == sorted(taxonomy.public_codes())
    assert "robbery" in reactive
    assert "unsafe_place" in reactive


def test_restricted_codes_have_an_origin_but_stay_out_of_public_lists() -> None:
    everything = taxonomy.codes_of_origin("reactive", public_only=False)
    assert "domestic_violence" in everything
    assert "sexual_offence" in everything
    assert "domestic_violence" not in taxonomy.codes_of_origin("reactive")


def test_unknown_origin_is_an_input_error() -> None:
    with pytest.raises(InputSchemaError, match="reactive, proactive"):
        taxonomy.codes_of_origin("found")


@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_restricted_mask_is_is_restricted_per_value(dtype: object) -> None:
    import pandas as pd

    values = [*taxonomy.CODES, "unknown", None, "Sexualbrott", "domestic_violence"]
    codes = pd.Series(values, dtype=dtype)  # type: ignore[call-overload]
    expected = [v is not None and taxonomy.is_restricted(v) for v in values]
    assert taxonomy.restricted_mask(codes).tolist() == expected
    assert sum(expected) == 3  # the two restricted codes (one twice); labels are not codes
