"""Reading a rejects file back in tests (the Excel CSV of hotspots.io.csv_safety)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hotspots.io.csv_safety import read_excel_csv

#: The headers of a rejects file written in Swedish (row, column, value, reason).
SWEDISH_HEADERS = ["Rad", "Kolumn", "Värde", "Orsak"]


def read_rejects(path: Path) -> pd.DataFrame:
    """The rejects file at ``path``, every cell as text, columns named row, column, value, reason.

    Asserts the file's own layout on the way: ``;``-separated with the Swedish headers.
    """
    frame = read_excel_csv(path)
    assert list(frame.columns) == SWEDISH_HEADERS, list(frame.columns)
    return frame.set_axis(["row", "column", "value", "reason"], axis=1)
