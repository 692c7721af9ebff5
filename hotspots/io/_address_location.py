"""Rows located by their address: the points a geocoder found, checked like any other.

A file may give a row's place as an address (``adress``/``address``, optional ``postnummer``
and ``postort``) instead of coordinates. A reader that was given a geocoder (an
:class:`~hotspots.io.addresses.AddressGeocoder`, built above this layer) calls
:func:`address_location` on each chunk: the rows with an address and no coordinates are
geocoded (each distinct address once). Validation (:mod:`hotspots.io._validate`) then takes
their points through the same checks and projection as coordinates
(:func:`combine_locations`), rejects the rows whose address was not found with the
geocoder's reason (the closest register streets) under the address column, and gives the
found rows the geocoder's precision (``address`` or ``street``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import CRS

from hotspots.io._arrow import blank
from hotspots.io._location import LocationResult, TargetCRS, locate
from hotspots.io.addresses import AddressColumns, AddressGeocoder, resolve_addresses

__all__ = ["MISSING_ADDRESS", "AddressLocation", "address_location", "combine_locations"]

#: Reason of a row that has neither coordinates nor an address.
MISSING_ADDRESS = "missing address"


@dataclass(frozen=True, slots=True)
class AddressLocation:
    """Where the rows of a chunk lie by their address.

    Attributes
    ----------
    use
        Rows whose place is their address: every row of a file without coordinate columns,
        else the rows with an address and an empty coordinate cell.
    x, y
        Metres in :attr:`crs` for the rows found; NaN elsewhere.
    precision
        Object array: ``"address"`` or ``"street"`` for the rows found, else ``None``.
    reason
        Object array: why a row of ``use`` was not found (with the closest register
        streets), else ``None``.
    crs
        CRS of ``x``/``y`` (the register's).
    column
        The address column as written in the file.
    values
        The address cells (for the rejects), index reset.
    """

    use: np.ndarray
    x: np.ndarray
    y: np.ndarray
    precision: np.ndarray
    reason: np.ndarray
    crs: CRS
    column: str
    values: pd.Series

    @property
    def found(self) -> np.ndarray:
        """Boolean array: rows of ``use`` the geocoder found."""
        return np.asarray(self.use & np.isfinite(self.x) & np.isfinite(self.y), dtype=bool)


def address_location(
    raw: pd.DataFrame,
    geocoder: AddressGeocoder,
    *,
    columns: AddressColumns,
    coordinates: tuple[pd.Series, pd.Series] | None,
) -> AddressLocation:
    """Geocode the rows of a chunk that have an address and no coordinates.

    Parameters
    ----------
    raw
        The chunk as read (its rows in file order).
    geocoder
        A geocoder over an address register.
    columns
        The file's address columns.
    coordinates
        The file's two coordinate columns (lat/lon or x/y) for these rows, or ``None`` when
        the file has none: then every row is located by its address.

    Returns
    -------
    AddressLocation
        Aligned with ``raw``'s rows.
    """
    n = len(raw)
    values = raw[columns.address].reset_index(drop=True).astype("string")
    if coordinates is None:
        use = np.ones(n, dtype=bool)
    else:
        a, b = (c.reset_index(drop=True) for c in coordinates)
        use = ~blank(values) & (blank(a) | blank(b))
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    precision = np.full(n, None, dtype=object)
    reason = np.full(n, None, dtype=object)
    if use.any():
        part = raw.reset_index(drop=True)[use]
        res = resolve_addresses(part, geocoder, columns=columns)
        x[use], y[use] = res.x, res.y
        precision[use] = res.precision
        reason[use] = res.reason
    lost = use & ~(np.isfinite(x) & np.isfinite(y)) & np.equal(reason, None)
    reason[lost] = MISSING_ADDRESS
    return AddressLocation(
        use=use,
        x=x,
        y=y,
        precision=precision,
        reason=reason,
        crs=geocoder.crs,
        column=columns.address,
        values=values,
    )


@dataclass(frozen=True, slots=True)
class Combined:
    """The points of a chunk by coordinates and by address, and the rows of each that failed.

    Attributes
    ----------
    x, y
        Metres in the target CRS; NaN for a rejected row.
    by_address
        Rows located by their address (found, and inside the target CRS's area).
    failed
        Rows of ``use`` that have no point: not found, or outside the target CRS's area.
    reason
        Object array: the reason of each row of ``failed``.
    """

    x: np.ndarray
    y: np.ndarray
    by_address: np.ndarray
    failed: np.ndarray
    reason: np.ndarray


def combine_locations(
    coords: LocationResult | None, address: AddressLocation, *, target: TargetCRS
) -> Combined:
    """Merge the coordinate rows' points (``coords``) with the address rows' points.

    The geocoded points go through :func:`hotspots.io._location.locate` like coordinates
    given as x/y in the register's CRS: projected to the target CRS (chosen from them when
    the file's coordinate rows have not chosen it) and checked against its area of use.

    Parameters
    ----------
    coords
        The located coordinate cells of the chunk (all rows; only the rows outside
        ``address.use`` are taken), or ``None`` when the file has no coordinate columns.
    address
        The rows located by their address.
    target
        The target metric CRS.
    """
    n = len(address.use)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if coords is not None:
        keep = ~address.use
        x[keep], y[keep] = coords.x[keep], coords.y[keep]
    found = address.found
    failed = address.use & ~found
    reason = np.where(failed, address.reason, None)
    if found.any():
        geo = locate(
            pd.Series(address.x),
            pd.Series(address.y),
            mode="xy",
            src_crs=address.crs,
            target=target,
            names=(address.column, address.column),
        )
        ok = found & ~geo.failed
        x[ok], y[ok] = geo.x[ok], geo.y[ok]
        outside = found & geo.failed
        reason = np.where(outside, geo.reason, reason)
        failed = failed | outside
        found = ok
    return Combined(x=x, y=y, by_address=found, failed=failed, reason=reason)
