"""Swedish address text read into parts: street key, number, letter, postcode, town.

``Drottningg. 12 B, 1 tr``, ``DROTTNINGGATAN 12b`` and ``drottninggatan 12 b 652 24
Karlstad`` all give the street key ``drottninggatan``, number 12 and letter ``b``
(:func:`normalise_address`); the geocoder (:mod:`hotspots.load.geocode`) looks those up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ParsedAddress",
    "fold_text",
    "normalise_address",
    "normalise_postcode",
    "street_key",
    "town_key",
]


_FOLD = str.maketrans(
    {"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"}
)

#: Noise in an address cell: floor ("1 tr", "tr 2", "3 trappor"), flat number ("lgh 1102"),
#: "bv"/"nb" (ground floor), "c/o ..." and "box ...".
_NOISE = [
    re.compile(r"\b\d+\s*(?:tr|trappa|trappor|trp)\b\.?", re.IGNORECASE),
    re.compile(r"\b(?:tr|trappa|trp)\.?\s*\d+\b", re.IGNORECASE),
    re.compile(r"\b(?:lgh|lägenhet|lagenhet|lgh\.)\s*(?:nr\.?)?\s*\d+\b", re.IGNORECASE),
    re.compile(r"\b(?:bv|nb|ög|bottenvåning|bottenvaning)\b\.?", re.IGNORECASE),
    re.compile(r"\bc/o\b[^,]*,?", re.IGNORECASE),
]

#: Abbreviations (on case-folded text): ``Drottningg.``/``Drottning g.`` -> ``drottninggatan``,
#: ``Karlbergsv.`` -> ``karlbergsvägen``, ``-gata``/``-väg`` without the article.
_ABBREVIATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=[a-zåäöé])\s+gat\.?(?=\s|\d|,|$)"), "gatan"),
    (re.compile(r"(?<=[a-zåäöé])gat\.?(?=\s|\d|,|$)"), "gatan"),
    (re.compile(r"(?<=[a-zåäöé])\s+g\.(?=\s|\d|,|$)"), "gatan"),
    (re.compile(r"(?<=[a-zåäöé])g\.(?=\s|\d|,|$)"), "gatan"),
    (re.compile(r"(?<=[a-zåäöé])\s+v\.(?=\s|\d|,|$)"), "vägen"),
    (re.compile(r"(?<=[a-zåäöé])v\.(?=\s|\d|,|$)"), "vägen"),
    (re.compile(r"(?<=[a-zåäöé])vg\.?(?=\s|\d|,|$)"), "vägen"),
    (re.compile(r"(?<=[a-zåäöé])gata(?=\s|\d|,|$)"), "gatan"),
    (re.compile(r"(?<=[a-zåäöé])(väg|vag)(?=\s|\d|,|$)"), "vägen"),
    (
        re.compile(r"(?<=[a-zåäöé])\s+(gatan|vägen|vagen|gränd|stigen|leden|allén)(?=\s|\d|,|$)"),
        r"\1",
    ),
    (re.compile(r"^(?:s:t|st\.)\s*"), "sankt "),
]

_POSTCODE = re.compile(r"(?<!\d)(\d{3})\s?(\d{2})(?!\d)")
_TRAILING_POSTAL = re.compile(
    r"[\s,]+(?:se-?\s*)?(\d{3}\s?\d{2})(?:\s+(?P<town>[^\d,]+?))?\s*$", re.IGNORECASE
)
_NUMBER = re.compile(
    r"^(?P<street>.*?[^\d\s])\s*(?P<num>\d{1,5})\s*(?P<letter>[a-zåäö])?"
    r"(?:\s*[-–/]\s*\d{1,5}\s*[a-zåäö]?)?$"
)


def street_key(name: str) -> str:
    """The matching key of a street name: abbreviations expanded, case and å/ä/ö folded.

    Only letters and digits are kept, so spacing and hyphens do not matter:
    ``"Östra Torgg."`` -> ``"ostratorggatan"``, ``"1:a Villagatan"`` -> ``"1avillagatan"``.
    """
    text = _expand(str(name).casefold())
    return re.sub(r"[^0-9a-z]+", "", fold_text(text))


def fold_text(text: str) -> str:
    """``text`` folded for matching: å and ä to a, ö to o, other accents removed."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _expand(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    for pattern, repl in _ABBREVIATIONS:
        text = pattern.sub(repl, text)
    return text


def normalise_postcode(text: object) -> str:
    """A Swedish postcode as five digits (``"652 24"`` -> ``"65224"``), or ``""``."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    digits = re.sub(r"\D", "", str(text))
    return digits if len(digits) == 5 else ""


def town_key(town: object) -> str:
    """A post town or municipality as a comparable key (folded, letters and digits only)."""
    if town is None or (isinstance(town, float) and np.isnan(town)):
        return ""
    return re.sub(r"[^0-9a-z]+", "", fold_text(str(town).casefold()))


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address cell read into its parts.

    Attributes
    ----------
    street
        The street as written, case-folded, with noise removed and abbreviations expanded
        (``"drottninggatan"``).
    key
        :func:`street_key` of the street.
    number
        The street number, or ``None``.
    letter
        The letter after the number, upper case (``"B"``), or ``""``.
    postcode
        Five digits, or ``""`` when the cell holds none.
    town
        The post town after the postcode, as written, or ``""``.
    """

    street: str
    key: str
    number: int | None
    letter: str
    postcode: str
    town: str


def normalise_address(text: str) -> ParsedAddress:
    """Read a Swedish address cell into street, number, letter, postcode and town.

    Handles case, ``g.``/``gata``/``gatan``, ``v.``/``väg``/``vägen``, å/ä/ö, letters after the
    number (``12B``, ``12 b``), number ranges (``12-14`` -> 12), floor and flat notes (``1 tr``,
    ``lgh 1102``), ``c/o`` lines and a trailing postcode and town (``652 24 Karlstad``,
    ``65224``).

    Parameters
    ----------
    text
        The cell, e.g. ``"Drottningg. 12 b, 1 tr, 652 24 Karlstad"``.

    Returns
    -------
    ParsedAddress
        ``ParsedAddress("drottninggatan", "drottninggatan", 12, "B", "65224", "Karlstad")``.
    """
    raw = unicodedata.normalize("NFC", str(text or "")).strip()
    for pattern in _NOISE:
        raw = pattern.sub(" ", raw)
    raw = re.sub(r"\s+", " ", raw).strip(" ,")
    postcode, town = "", ""
    m = _TRAILING_POSTAL.search(raw)
    if m and m.start() > 0:
        postcode = normalise_postcode(m.group(1))
        town = (m.group("town") or "").strip()
        raw = raw[: m.start()]
    else:
        head, sep, tail = raw.partition(",")
        if sep and town_key(tail) and not re.search(r"\d", tail):
            town = tail.strip()
            raw = head
    street_part = raw.split(",")[0].strip()
    lowered = _expand(street_part.casefold())
    number: int | None = None
    letter = ""
    m2 = _NUMBER.match(lowered)
    if m2:
        lowered = m2.group("street").strip()
        number = int(m2.group("num"))
        letter = (m2.group("letter") or "").upper()
        lowered = _expand(lowered)
    street = re.sub(r"\s+", " ", lowered).strip(" ,.")
    return ParsedAddress(
        street=street,
        key=re.sub(r"[^0-9a-z]+", "", fold_text(street)),
        number=number,
        letter=letter,
        postcode=postcode,
        town=town,
    )
