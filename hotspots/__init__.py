"""hotspots: metre-true hotspots, patrol plans and the EST lägesbild."""

from __future__ import annotations

from importlib.metadata import version as _metadata_version

from hotspots import taxonomy as taxonomy
from hotspots._errors import (
    CRSError as CRSError,
)
from hotspots._errors import (
    HotspotsError as HotspotsError,
)
from hotspots._errors import (
    InputFileError as InputFileError,
)
from hotspots._errors import (
    InputSchemaError as InputSchemaError,
)
from hotspots._errors import (
    InsufficientDataError as InsufficientDataError,
)
from hotspots.config import AnalysisConfig as AnalysisConfig
from hotspots.config import Filters as Filters

__version__ = _metadata_version("hotspots")
