"""GeoPackage binary point geometries and the SQL functions GeoPackage R-tree triggers call.

Points are written as GeoPackage binary blobs (little endian, no envelope) of 29 bytes; see
the GeoPackage 1.3 specification, clause 2.1.3.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import shapely

__all__ = ["decode_points", "encode_points", "register_spatial_functions"]

_POINT_DTYPE = np.dtype(
    [
        ("magic", "S2"),
        ("version", "u1"),
        ("flags", "u1"),
        ("srs_id", "<i4"),
        ("byte_order", "u1"),
        ("wkb_type", "<u4"),
        ("x", "<f8"),
        ("y", "<f8"),
    ]
)
_POINT_SIZE = _POINT_DTYPE.itemsize  # 29 bytes
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def encode_points(x: np.ndarray, y: np.ndarray, srs_id: int) -> list[bytes]:
    """GeoPackage binary blobs (little endian, no envelope) of 2-D points."""
    n = len(x)
    arr = np.zeros(n, dtype=_POINT_DTYPE)
    arr["magic"] = b"GP"
    arr["flags"] = 0x01  # little endian, no envelope, not empty
    arr["srs_id"] = srs_id
    arr["byte_order"] = 1
    arr["wkb_type"] = 1
    arr["x"] = x
    arr["y"] = y
    buf = arr.tobytes()
    return [buf[i : i + _POINT_SIZE] for i in range(0, n * _POINT_SIZE, _POINT_SIZE)]


def decode_points(blobs: list[bytes | None]) -> np.ndarray:
    """Decode GeoPackage blobs to a shapely geometry array (fast path for plain points)."""
    n = len(blobs)
    if n and all(b is not None and len(b) == _POINT_SIZE and b[3] == 0x01 for b in blobs):
        arr = np.frombuffer(b"".join(blobs), dtype=_POINT_DTYPE)  # type: ignore[arg-type]
        if (arr["wkb_type"] == 1).all():
            return shapely.points(arr["x"], arr["y"])
    wkbs: list[bytes | None] = []
    for blob in blobs:
        if blob is None:
            wkbs.append(None)
            continue
        flags = blob[3]
        env = _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)
        wkbs.append(bytes(blob[8 + env :]) if not (flags & 0x10) else None)
    return shapely.from_wkb(np.asarray(wkbs, dtype=object))


def register_spatial_functions(con: sqlite3.Connection) -> None:
    """The SQL functions that GeoPackage R-tree triggers call (ST_IsEmpty, ST_MinX, ...).

    GDAL and QGIS add such triggers when they build a spatial index; without these functions
    our own inserts would then fail.
    """

    def _bound(blob: bytes | None, which: int) -> float | None:
        if blob is None or len(blob) < 8 or blob[3] & 0x10:
            return None
        geom = decode_points([blob])[0]
        return None if geom is None or geom.is_empty else float(geom.bounds[which])

    def _is_empty(blob: bytes | None) -> int | None:
        if blob is None:
            return None
        return int(bool(blob[3] & 0x10) or bool(decode_points([blob])[0].is_empty))

    con.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    con.create_function("ST_MinX", 1, lambda b: _bound(b, 0), deterministic=True)
    con.create_function("ST_MinY", 1, lambda b: _bound(b, 1), deterministic=True)
    con.create_function("ST_MaxX", 1, lambda b: _bound(b, 2), deterministic=True)
    con.create_function("ST_MaxY", 1, lambda b: _bound(b, 3), deterministic=True)
