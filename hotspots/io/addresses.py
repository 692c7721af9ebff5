"""Locations from an address column: the hook between a reader and a geocoder.

A file whose rows carry an address (``adress``/``address``; optional ``postnummer`` and
``postort``) instead of coordinates is located by a geocoder over an address register
(:class:`hotspots.load.geocode.Geocoder`; this module only needs its ``geocode`` method and
``crs``, see :class:`AddressGeocoder`, so the readers stay below the ingest layer).

:func:`resolve_addresses` takes the raw frame of a chunk and returns, per row, metres in the
register's CRS, the precision (``address`` or ``street``) and the reason of each rejected row.
A reader feeds them to validation as an ``xy`` location with ``pre_reason`` (see
:class:`hotspots.io._validate.LocationInput`) and the precisions as the precision column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd
from pyproj import CRS

from hotspots.io._columns import normalise_name

__all__ = [
    "ADDRESS_ALIASES",
    "POSTCODE_ALIASES",
    "TOWN_ALIASES",
    "AddressColumns",
    "AddressGeocoder",
    "AddressResolution",
    "TextStreetGeocoder",
    "address_columns",
    "resolve_addresses",
]

#: Normalised column names of an address cell (street, number and letter), first wins.
ADDRESS_ALIASES: tuple[str, ...] = (
    "adress",
    "address",
    "gatuadress",
    "brottsplatsadress",
    "platsadress",
    "besoksadress",
    "street_address",
    "addr",
)
#: Normalised column names of a postcode.
POSTCODE_ALIASES: tuple[str, ...] = ("postnummer", "postnr", "postcode", "post_code", "zip")
#: Normalised column names of a post town.
TOWN_ALIASES: tuple[str, ...] = ("postort", "post_town", "ort", "town", "city")


class AddressGeocoder(Protocol):
    """What :func:`resolve_addresses` needs of a geocoder."""

    @property
    def crs(self) -> CRS:
        """CRS of the points ``geocode`` returns."""
        ...

    def geocode(
        self,
        address: pd.Series,
        *,
        postcode: pd.Series | None = None,
        town: pd.Series | None = None,
    ) -> pd.DataFrame:
        """``x``, ``y``, ``precision`` and ``reason`` per address (see the Geocoder)."""
        ...


@runtime_checkable
class TextStreetGeocoder(AddressGeocoder, Protocol):
    """A geocoder that also finds the one street a free text names (Polisen events)."""

    def streets_in_texts(
        self, texts: Sequence[pd.Series], *, municipality: pd.Series
    ) -> pd.DataFrame:
        """``x``, ``y`` (NaN where none), ``matched`` and ``reason`` per row.

        ``texts`` are aligned columns in order of trust (summary, then body); a row gets the
        point of the one street they name, only where it is unambiguous within the row's
        ``municipality``.
        """
        ...


@dataclass(frozen=True, slots=True)
class AddressColumns:
    """The address columns of a file, as written in its header.

    Attributes
    ----------
    address
        The address cell (street, number, letter).
    postcode
        The postcode column, or ``None``.
    town
        The post town column, or ``None``.
    """

    address: str
    postcode: str | None = None
    town: str | None = None


def _first(by_norm: dict[str, str], names: Iterable[str]) -> str | None:
    for name in names:
        if name in by_norm:
            return by_norm[name]
    return None


def address_columns(header: Iterable[str]) -> AddressColumns | None:
    """The address columns of ``header``, or ``None`` when it has no address column."""
    by_norm: dict[str, str] = {}
    for col in header:
        by_norm.setdefault(normalise_name(col), str(col))
    address = _first(by_norm, ADDRESS_ALIASES)
    if address is None:
        return None
    return AddressColumns(
        address=address,
        postcode=_first(by_norm, POSTCODE_ALIASES),
        town=_first(by_norm, TOWN_ALIASES),
    )


@dataclass(frozen=True, slots=True)
class AddressResolution:
    """Where the address of each row of a chunk lies.

    Attributes
    ----------
    x, y
        Metres in :attr:`crs`; NaN for a rejected row.
    precision
        Object array: ``"address"``, ``"street"``, or ``None`` for a rejected row.
    reason
        Object array: why a row was rejected (with the closest register streets), ``None``
        where located. A reader passes it as ``LocationInput.pre_reason``.
    crs
        CRS of ``x``/``y`` (the register's).
    columns
        The address columns used.
    """

    x: np.ndarray
    y: np.ndarray
    precision: np.ndarray
    reason: np.ndarray
    crs: CRS
    columns: AddressColumns

    @property
    def located(self) -> np.ndarray:
        """Boolean array: rows with a point."""
        return np.asarray(np.isfinite(self.x) & np.isfinite(self.y), dtype=bool)


def resolve_addresses(
    raw: pd.DataFrame,
    geocoder: AddressGeocoder,
    *,
    columns: AddressColumns | None = None,
) -> AddressResolution:
    """Geocode the address column of a chunk's raw frame.

    Parameters
    ----------
    raw
        The rows as read (text cells).
    geocoder
        A geocoder over an address register (:class:`hotspots.load.geocode.Geocoder`).
    columns
        The address columns; found in ``raw``'s header when ``None``.

    Returns
    -------
    AddressResolution
        Aligned with ``raw``'s rows.

    Raises
    ------
    ValueError
        When ``raw`` has no address column and none is given (a reader checks
        :func:`address_columns` first).
    """
    cols = columns or address_columns(raw.columns)
    if cols is None:
        msg = (
            "raw has no address column; name it adress or address (found columns: "
            f"{', '.join(map(str, raw.columns))})"
        )
        raise ValueError(msg)
    index = pd.RangeIndex(len(raw))
    address = pd.Series(raw[cols.address].to_numpy(), index=index).astype("string")
    postcode = (
        pd.Series(raw[cols.postcode].to_numpy(), index=index).astype("string")
        if cols.postcode
        else None
    )
    town = pd.Series(raw[cols.town].to_numpy(), index=index).astype("string") if cols.town else None
    out = geocoder.geocode(address, postcode=postcode, town=town)
    reason = out["reason"].astype(object).to_numpy()
    reason = np.where(pd.isna(reason), None, reason)
    precision = out["precision"].astype(object).to_numpy()
    precision = np.where(pd.isna(precision), None, precision)
    return AddressResolution(
        x=out["x"].to_numpy(dtype=float),
        y=out["y"].to_numpy(dtype=float),
        precision=precision,
        reason=reason,
        crs=geocoder.crs,
        columns=cols,
    )
