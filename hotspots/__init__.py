"""hotspots: metre-true hotspots, patrol plans and the EST lägesbild."""

from __future__ import annotations

from hotspots.core import taxonomy as taxonomy
from hotspots.core.config import AnalysisConfig as AnalysisConfig
from hotspots.core.config import Filters as Filters
from hotspots.core.errors import (
    CRSError as CRSError,
)
from hotspots.core.errors import (
    HotspotsError as HotspotsError,
)
from hotspots.core.errors import (
    InputFileError as InputFileError,
)
from hotspots.core.errors import (
    InputSchemaError as InputSchemaError,
)
from hotspots.core.errors import (
    InsufficientDataError as InsufficientDataError,
)


def __getattr__(name: str) -> str:
    # the version is looked up on first use: importlib.metadata takes 50 ms to import, a
    # sixth of the command line's start-up
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - 50 ms, only when asked

        return version("hotspots")
    msg = f"module 'hotspots' has no attribute {name!r}"
    raise AttributeError(msg)
