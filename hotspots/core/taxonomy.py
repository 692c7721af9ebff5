"""Category taxonomy: codes, Swedish and English labels, problem areas, restricted flags.

The table is the one in the README (Categories). Restricted categories (violence in close
relationships, sexual offences) are stored and counted in internal tables, and never drawn
or exported as places.

Each category also says how its incidents usually come to police knowledge (its *origin*):

``reactive``
    Reported by the public (a victim, a witness, a caller): where they are recorded follows
    where they happen.
``proactive``
    Found by police activity: drug possession and use, drug dealing found in surveillance,
    drink- and drug-driving found in traffic checks, weapons found in searches, drunkenness
    and alcohol offences found on patrol. Where they are recorded follows where the police
    already are, so ranking places on them feeds back on itself (more patrols, more finds,
    more patrols). Patrol priorities are therefore computed on reactive incidents by default
    (:func:`hotspots.engine.select.select_reactive`), with the proactive picture beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:  # the command line starts without numpy and pandas
    import numpy as np
    import pandas as pd

__all__ = [
    "CATEGORIES",
    "CODES",
    "ORIGINS",
    "PROBLEM_AREAS",
    "PROBLEM_AREA_LABELS",
    "Category",
    "Origin",
    "codes_in_area",
    "codes_of_origin",
    "is_proactive",
    "is_restricted",
    "label",
    "lookup",
    "public_codes",
    "restricted_mask",
]

Language = Literal["sv", "en"]
Origin = Literal["reactive", "proactive"]

#: How incidents come to police knowledge: reported by the public, or found by police activity.
ORIGINS: tuple[Origin, ...] = ("reactive", "proactive")


@dataclass(frozen=True, slots=True)
class Category:
    """One category of the taxonomy.

    Attributes
    ----------
    code
        Stable machine code, e.g. ``"assault_public"``.
    sv
        Swedish label.
    en
        English label.
    area
        Problem area: ``violence``, ``unsafe``, ``drugs_alcohol``, ``restricted`` or ``other``.
    origin
        ``reactive`` (mostly reported by the public) or ``proactive`` (mostly found by police
        activity; see the module docstring).
    """

    code: str
    sv: str
    en: str
    area: str
    origin: Origin = "reactive"

    @property
    def restricted(self) -> bool:
        """Whether the category must never be drawn or exported as places."""
        return self.area == "restricted"


CATEGORIES: tuple[Category, ...] = (
    Category(
        "assault_public", "Misshandel i offentlig miljö", "Assault in a public place", "violence"
    ),
    Category("robbery", "Rån", "Robbery", "violence"),
    Category("threat_harassment", "Olaga hot / ofredande", "Threats / harassment", "violence"),
    Category(
        "weapons", "Kniv- och vapenbrott", "Knife and weapons offences", "violence", "proactive"
    ),
    Category("disorder", "Ordningsstörning", "Public disorder", "unsafe"),
    Category("vandalism", "Skadegörelse / klotter", "Vandalism / graffiti", "unsafe"),
    Category("motor_disorder", "Motorburen störning", "Motor-related disorder", "unsafe"),
    Category("unsafe_place", "Otrygg plats (rapport)", "Unsafe place (report)", "unsafe"),
    Category(
        "drug_use",
        "Narkotika, eget bruk / innehav",
        "Drug use / possession",
        "drugs_alcohol",
        "proactive",
    ),
    Category(
        "drug_dealing", "Narkotika, överlåtelse", "Drug dealing", "drugs_alcohol", "proactive"
    ),
    Category(
        "dui", "Rattfylleri / drograttfylleri", "Drink / drug driving", "drugs_alcohol", "proactive"
    ),
    Category(
        "intoxication",
        "Fylleri / alkohollagen",
        "Public intoxication / alcohol offences",
        "drugs_alcohol",
        "proactive",
    ),
    Category(
        "domestic_violence", "Våld i nära relation", "Violence in close relationships", "restricted"
    ),
    Category("sexual_offence", "Sexualbrott", "Sexual offence", "restricted"),
    Category("other", "Övrigt", "Other", "other"),
)

CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)

#: The problem areas a user may select with ``--area`` (the three of the medborgarlöfte).
PROBLEM_AREAS: tuple[str, ...] = ("violence", "unsafe", "drugs_alcohol")

PROBLEM_AREA_LABELS: dict[str, dict[str, str]] = {
    "violence": {"sv": "Våld i offentlig miljö", "en": "Violence in public places"},
    "unsafe": {"sv": "Otrygga miljöer", "en": "Unsafe environments"},
    "drugs_alcohol": {
        "sv": "Narkotika- och alkoholrelaterad brottslighet",
        "en": "Narcotics- and alcohol-related crime",
    },
    "restricted": {"sv": "Skyddade kategorier", "en": "Restricted categories"},
    "other": {"sv": "Övrigt", "en": "Other"},
}

_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
_BY_LABEL: dict[str, Category] = {}
for _c in CATEGORIES:
    for _name in (_c.code, _c.sv, _c.en):
        _BY_LABEL[_name.casefold().strip()] = _c


def lookup(value: str) -> Category | None:
    """Find a category by code or by its Swedish or English label, case-insensitively.

    Parameters
    ----------
    value
        A code (``"dui"``) or a label in either language (``"RATTFYLLERI / DROGRATTFYLLERI"``).

    Returns
    -------
    Category or None
        The category, or ``None`` when nothing matches.
    """
    return _BY_LABEL.get(str(value).casefold().strip())


def label(code: str, lang: Language = "sv") -> str:
    """Return the label of ``code`` in ``lang`` (the code itself when unknown)."""
    cat = _BY_CODE.get(code)
    if cat is None:
        return code
    return cat.sv if lang == "sv" else cat.en


def is_restricted(code: str) -> bool:
    """Whether ``code`` is a restricted category."""
    cat = _BY_CODE.get(code)
    return cat is not None and cat.restricted


def restricted_mask(codes: pd.Series) -> np.ndarray:
    """Which of ``codes`` (category codes, one per incident) are restricted categories.

    The same answer as :func:`is_restricted` per value (a missing or unknown code is not
    restricted), for a whole column at once: a meeting's filter change runs it on every
    incident of the analysis for each privacy profile, and a Python call per incident cost
    15 ms there.
    """
    restricted = [c.code for c in CATEGORIES if c.restricted]
    return codes.isin(restricted).to_numpy(dtype=bool)


def codes_in_area(area: str) -> tuple[str, ...]:
    """Codes of one problem area (``violence``, ``unsafe``, ``drugs_alcohol``, ...)."""
    return tuple(c.code for c in CATEGORIES if c.area == area)


def public_codes() -> tuple[str, ...]:
    """Codes that may appear on a map or in an export (all but the restricted ones)."""
    return tuple(c.code for c in CATEGORIES if not c.restricted)


def is_proactive(code: str) -> bool:
    """Whether ``code`` is mostly found by police activity (unknown codes: ``False``)."""
    cat = _BY_CODE.get(code)
    return cat is not None and cat.origin == "proactive"


def codes_of_origin(origin: str, *, public_only: bool = True) -> tuple[str, ...]:
    """Codes of one origin, ``reactive`` or ``proactive``.

    Parameters
    ----------
    origin
        ``"reactive"`` (reported by the public) or ``"proactive"`` (found by police activity).
    public_only
        Leave out the restricted categories (the default, as for anything drawn on a map).

    Raises
    ------
    InputSchemaError
        For any other ``origin``.
    """
    if origin not in ORIGINS:
        msg = f"origin: {origin!r} is not an origin; use one of {', '.join(ORIGINS)}"
        raise InputSchemaError(msg)
    return tuple(
        c.code for c in CATEGORIES if c.origin == origin and not (public_only and c.restricted)
    )
