"""Reader of an address register: Lantmäteriet's Belägenhetsadresser or any CSV/GPKG like it.

A register row is one address point: street (or address area), number with an optional
letter, postcode, post town, municipality and a point. Accepted files:

- delimited text (``,``, ``;``, tab or ``|``) with ``lat``/``lon`` degrees (WGS84) or ``x``/``y``
  metres in ``crs`` (default EPSG:3006);
- GeoPackage, GeoJSON or Shapefile with point geometry (any CRS); in a GeoPackage of several
  layers (a geography GeoPackage, see ``hotspots geography build``) the layer
  :data:`ADDRESS_LAYER`.

Column names are matched case-insensitively with Swedish letters folded; Lantmäteriet's own
names (``adressomrade_faststalltnamn``/``gata``, ``adressplatsnummer``, ``bokstavstillagg``,
``postnummer``, ``postort``, ``kommunnamn``) and the short English ones (``street``,
``number``, ``postcode``, ``post_town``, ``municipality``) both work. A ``number`` cell may
carry its letter (``12B``). A row of kind ``popular_name`` (a named place, whose ``number``
cell holds ``<street> <number>``) is read as the address it names.

Attribution: Lantmäteriet's register is CC BY 4.0; show "Lantmäteriet" wherever positions
geocoded with it are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS, Transformer

from hotspots.core.errors import InputFileError
from hotspots.io._columns import normalise_name
from hotspots.io._text import sniff_text
from hotspots.spatial.crs import DEFAULT_METRIC_CRS, check_metric, parse_crs

__all__ = ["ADDRESS_LAYER", "REGISTER_COLUMNS", "AddressRegister", "read_register", "split_number"]

#: The layer of a GeoPackage of several layers (a geography) that holds the address register.
ADDRESS_LAYER = "addresses"

#: Canonical register columns (besides ``x``/``y``, metres in the register's CRS).
REGISTER_COLUMNS: tuple[str, ...] = (
    "street",
    "number",
    "letter",
    "postcode",
    "post_town",
    "municipality",
    "kind",
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "street": (
        "street",
        "gata",
        "gatunamn",
        "gatuadress",
        "adressomrade",
        "adressomrade_faststalltnamn",
        "adressomradesnamn",
        "gardsadressomrade_faststalltnamn",
        "addr_street",
        "streetname",
        "street_name",
    ),
    "number": (
        "number",
        "nummer",
        "husnummer",
        "gatunummer",
        "adressplatsnummer",
        "addr_housenumber",
        "housenumber",
        "house_number",
    ),
    "letter": ("letter", "bokstav", "bokstavstillagg", "suffix"),
    "postcode": ("postcode", "postnummer", "postnr", "post_code", "zip", "addr_postcode"),
    "post_town": ("post_town", "postort", "ort", "town", "addr_city", "city"),
    "municipality": ("municipality", "kommun", "kommunnamn", "kommun_namn"),
    "kind": ("kind", "typ", "type"),
    "lat": ("lat", "latitude", "latitud", "breddgrad"),
    "lon": ("lon", "lng", "long", "longitude", "longitud", "langdgrad"),
    "x": ("x", "e", "easting", "ost", "x_koordinat", "e_koordinat", "sweref_e"),
    "y": ("y", "n", "northing", "nord", "y_koordinat", "n_koordinat", "sweref_n"),
}

_NUMBER = re.compile(r"^\s*(\d{1,5})\s*([A-Za-zÅÄÖåäö])?\s*$")
_POPULAR = re.compile(r"^(?P<street>.*\S)\s+(?P<number>\d{1,5}\s*[A-Za-zÅÄÖåäö]?)\s*$")
_VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb")


@dataclass(frozen=True, eq=False)
class AddressRegister:
    """The address points of a register, in one metric CRS.

    Equality and hashing are by identity.

    Attributes
    ----------
    frame
        One row per address point: ``street`` (as written in the register), ``number``
        (``Int64``, ``<NA>`` for an address without a number), ``letter`` (upper case, ``""``
        when none), ``postcode`` (five digits or ``""``), ``post_town``, ``municipality``,
        ``kind`` and ``x``/``y`` (metres in :attr:`crs`).
    crs
        The projected metric CRS of ``x``/``y``.
    source
        The file it was read from (``""`` when built in memory).
    attribution
        Who to credit wherever the geocoded positions are shown.
    """

    frame: pd.DataFrame
    crs: CRS
    source: str = ""
    attribution: str = field(default="Lantmäteriet (CC BY 4.0)")

    def __len__(self) -> int:
        return len(self.frame)


def split_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split number cells such as ``"12B"``, ``"12 b"`` or ``"7"`` into number and letter.

    Returns
    -------
    tuple of pandas.Series
        ``Int64`` numbers (``<NA>`` where the cell is not a number with an optional letter)
        and upper-case letters (``""`` where none).
    """
    parts = values.astype("string").fillna("").str.extract(_NUMBER)
    number = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
    letter = parts[1].fillna("").str.upper().astype("string")
    return number, letter


def _match(columns: list[str]) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(normalise_name(col), col)
    out: dict[str, str] = {}
    for canon, names in _ALIASES.items():
        for name in names:
            if name in by_norm and by_norm[name] not in out.values():
                out[canon] = by_norm[name]
                break
    return out


def _text(frame: pd.DataFrame, col: str | None) -> pd.Series:
    if col is None:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[col].astype("string").fillna("").str.strip()


def read_register(
    path: Path,
    *,
    crs: str | None = None,
    metric_crs: str = DEFAULT_METRIC_CRS,
    layer: str | None = None,
) -> AddressRegister:
    """Read an address register file.

    Parameters
    ----------
    path
        A CSV (or other delimited text) file, or a GeoPackage/GeoJSON/Shapefile of points.
    crs
        CRS of ``x``/``y`` columns in a text file, or of a vector file that has none
        (default EPSG:3006).
    metric_crs
        Projected metric CRS the points are returned in.
    layer
        Layer of a GeoPackage with several layers (default :data:`ADDRESS_LAYER`).

    Returns
    -------
    AddressRegister
        The address points; rows without a street or a valid point are left out (a register
        has no rows to reject: they are not incidents).

    Raises
    ------
    InputFileError
        The file is missing or unreadable, or has no street or no point columns.
    CRSError
        ``metric_crs`` is not a projected metric CRS.
    """
    path = Path(path)
    target = check_metric(metric_crs, argument="metric_crs")
    if not path.is_file():
        raise InputFileError(path, "address register not found; give the path of a CSV or GPKG")
    if path.suffix.lower() in _VECTOR_SUFFIXES:
        raw, xs, ys, src = _read_vector(path, crs=crs, layer=layer)
    else:
        raw, xs, ys, src = _read_text(path, crs=crs)
    cols = _match([str(c) for c in raw.columns])
    if "street" not in cols:
        raise InputFileError(
            path,
            "has no street column; name it street, gata or adressomrade "
            f"(found columns: {', '.join(map(str, raw.columns))})",
        )
    street = _text(raw, cols["street"])
    number_text = _text(raw, cols.get("number"))
    kind = _text(raw, cols.get("kind"))
    popular = kind.str.casefold().eq("popular_name")
    if popular.any():  # "<name>", "<street> <number>": read as the address it names
        parts = number_text[popular].str.extract(_POPULAR)
        ok = parts["street"].notna()
        street = street.mask(popular & ok.reindex(street.index, fill_value=False), parts["street"])
        number_text = number_text.mask(
            popular & ok.reindex(street.index, fill_value=False), parts["number"]
        )
    number, letter = split_number(number_text)
    if "letter" in cols:
        given = _text(raw, cols["letter"]).str.upper()
        letter = letter.where(given.eq(""), given)
    postcode = _text(raw, cols.get("postcode")).str.replace(r"\s+", "", regex=True)
    postcode = postcode.where(postcode.str.fullmatch(r"\d{5}").fillna(False), "")
    if src.equals(target):
        x, y = xs, ys
    else:
        x, y = Transformer.from_crs(src, target, always_xy=True).transform(xs, ys)
    frame = pd.DataFrame(
        {
            "street": street,
            "number": number,
            "letter": letter,
            "postcode": postcode.astype("string"),
            "post_town": _text(raw, cols.get("post_town")),
            "municipality": _text(raw, cols.get("municipality")),
            "kind": kind.where(~popular, "address").replace("", "address"),
            "x": np.asarray(x, dtype=float),
            "y": np.asarray(y, dtype=float),
        }
    )
    keep = frame["street"].ne("") & np.isfinite(frame["x"]) & np.isfinite(frame["y"])
    frame = frame[keep.to_numpy()]
    frame = frame.drop_duplicates(
        ["street", "number", "letter", "post_town"], keep="first"
    ).reset_index(drop=True)
    if frame.empty:
        raise InputFileError(path, "has no address rows with a street and a valid point")
    return AddressRegister(frame=frame, crs=target, source=str(path))


def _read_text(path: Path, *, crs: str | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, CRS]:
    layout = sniff_text(path)
    try:
        raw = pd.read_csv(
            path,
            sep=layout.delimiter,
            encoding=layout.encoding,
            skiprows=layout.skip_lines,
            dtype=str,
            keep_default_na=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(path, f"cannot be read as CSV ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    cols = _match(list(raw.columns))
    if "lat" in cols and "lon" in cols:
        lat = _numbers(raw[cols["lat"]])
        lon = _numbers(raw[cols["lon"]])
        return raw, lon, lat, CRS.from_epsg(4326)
    if "x" in cols and "y" in cols:
        src = parse_crs(crs if crs is not None else "EPSG:3006")
        return raw, _numbers(raw[cols["x"]]), _numbers(raw[cols["y"]]), src
    raise InputFileError(
        path,
        "has no point columns; give lat and lon (WGS84) or x and y with --crs "
        f"(found columns: {', '.join(raw.columns)})",
    )


def _numbers(values: pd.Series) -> np.ndarray:
    text = values.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)


def _register_layer(path: Path) -> str | None:
    """The layer of ``path`` that holds the register: the only one, or :data:`ADDRESS_LAYER`."""
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:
        raise InputFileError(path, f"cannot be read ({exc})") from exc
    if len(names) <= 1:
        return None
    if ADDRESS_LAYER in names:
        return ADDRESS_LAYER
    raise InputFileError(
        path,
        f"has several layers ({', '.join(names)}) and none named {ADDRESS_LAYER!r}; give the "
        "register's layer as FILE.gpkg#LAYER",
    )


def _read_vector(
    path: Path, *, crs: str | None, layer: str | None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, CRS]:
    if layer is None:
        layer = _register_layer(path)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputFileError(path, f"cannot be read ({exc})") from exc
    if gdf.geometry.name not in gdf.columns or gdf.geometry.isna().all():
        raw = pd.DataFrame(gdf)
        return _xy_from_columns(path, raw, crs)
    file_crs = gdf.crs
    if file_crs is None:
        file_crs = parse_crs(crs if crs is not None else "EPSG:3006")
    pts = gdf.geometry
    if not pts.geom_type.isin(["Point"]).all():
        pts = pts.representative_point()
    raw = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    return raw, pts.x.to_numpy(), pts.y.to_numpy(), CRS.from_user_input(file_crs)


def _xy_from_columns(
    path: Path, raw: pd.DataFrame, crs: str | None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, CRS]:
    cols = _match([str(c) for c in raw.columns])
    if "lat" in cols and "lon" in cols:
        return raw, _numbers(raw[cols["lon"]]), _numbers(raw[cols["lat"]]), CRS.from_epsg(4326)
    if "x" in cols and "y" in cols:
        src = parse_crs(crs if crs is not None else "EPSG:3006")
        return raw, _numbers(raw[cols["x"]]), _numbers(raw[cols["y"]]), src
    raise InputFileError(path, "has neither point geometry nor lat/lon or x/y columns")
