"""Reading a rejects file back in tests (the Excel CSV of hotspots.io.csv_safety)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hotspots.core.i18n import Lang
from hotspots.core.strings_rejects import localise_reasons
from hotspots.io.csv_safety import read_excel_csv

#: The headers of a rejects file written in Swedish (row, column, value, reason).
SWEDISH_HEADERS = ["Rad", "Kolumn", "Värde", "Orsak"]


def read_rejects(path: Path, *, reasons: Lang | None = None) -> pd.DataFrame:
    """The rejects file at ``path``, every cell as text, columns named row, column, value, reason.

    Asserts the file's own layout on the way: ``;``-separated with the Swedish headers. With
    ``reasons`` the reasons (Swedish in the file) are read back in that language.
    """
    frame = read_excel_csv(path)
    assert list(frame.columns) == SWEDISH_HEADERS, list(frame.columns)
    frame = frame.set_axis(["row", "column", "value", "reason"], axis=1)
    if reasons is not None:
        frame["reason"] = localise_reasons(frame["reason"], reasons).astype(str)
    return frame
