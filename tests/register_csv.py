"""A tiny address register and a look at what an import stored, for the address tests.

Shared by tests/test_import_addresses.py and tests/test_geography_addresses.py (imported as
``from register_csv import ...``): :data:`REGISTER` in the register's CSV form, written by
:func:`write_register` (any CSV text by :func:`write_csv`), and :func:`stored_points`, each
stored incident's id, precision and point.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hotspots.store import open_store

__all__ = ["REGISTER", "stored_points", "write_csv", "write_register"]

#: street;number;postcode;post_town;municipality;x;y (EPSG:3006, central Karlstad). The
#: second Storgatan 1 is in Molkom (postcode 66530), 18 km north-east of the others: the street
#: name alone is ambiguous, and the municipality of tests/osm_town.py (412-416 km E,
#: 6581-6585 km N) does not hold it.
REGISTER = """street;number;postcode;post_town;municipality;x;y
Drottninggatan;12;65224;Karlstad;Karlstad;413000;6583000
Drottninggatan;12B;65224;Karlstad;Karlstad;413005;6583000
Drottninggatan;14;65224;Karlstad;Karlstad;413020;6583000
Kungsgatan;7;65224;Karlstad;Karlstad;413500;6583200
Kungsgatan;9;65224;Karlstad;Karlstad;413510;6583200
Storgatan;1;65224;Karlstad;Karlstad;414000;6583000
Storgatan;1;66530;Molkom;Karlstad;420000;6600000
"""


def write_csv(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) and return ``path``."""
    path.write_text(text, encoding="utf-8")
    return path


def write_register(directory: Path) -> Path:
    """Write :data:`REGISTER` to ``directory / "register.csv"`` and return that path."""
    return write_csv(directory / "register.csv", REGISTER)


def stored_points(db: Path) -> pd.DataFrame:
    """The store's incidents by id: ``id``, ``precision``, ``x`` and ``y`` (metres, to 1 mm)."""
    frame = open_store(db).incidents().sort_values("id").reset_index(drop=True)
    return pd.DataFrame(
        {
            "id": frame["id"].tolist(),
            "precision": frame["precision"].tolist(),
            "x": frame.geometry.x.round(3).tolist(),
            "y": frame.geometry.y.round(3).tolist(),
        }
    )
