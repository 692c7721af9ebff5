"""What ``st.dataframe`` shows of a styled table in an AppTest (shared by the app tests)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def display_values(element: Any) -> pd.DataFrame:
    """What ``st.dataframe`` shows of a styled table in an AppTest (its display values)."""
    import pyarrow as pa

    data = element.proto.arrow_data.styler.display_values
    assert data, "the table is not styled: its numbers are shown as Python prints them"
    return pa.ipc.open_stream(data).read_all().to_pandas()
