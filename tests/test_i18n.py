"""Every user-facing string exists in Swedish and English with the same placeholders."""

from __future__ import annotations

import string

import pytest

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import STRINGS, t, weekday_names


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_same_placeholders(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == {"sv", "en"}
    assert entry["sv"].strip()
    assert entry["en"].strip()
    assert _fields(entry["sv"]) == _fields(entry["en"])


def test_translate_and_format() -> None:
    assert t("layer_incidents", "sv", zoom=16) == "Händelser (syns från gatunivå, zoom 16)"
    assert t("app_page_map", "en") == "Map"
    assert weekday_names([0, 6], "sv") == ["mån", "sön"]
    with pytest.raises(InputSchemaError, match="sv or en"):
        t("app_page_map", "de")  # type: ignore[arg-type]
