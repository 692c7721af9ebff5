"""The GeoPackage store's layout: the GeoPackage tables, the layers, and the schema helpers.

Schema versions: 1 is the layout of :func:`create_layout`; 2 adds ``hotspots_meta`` (schema
version and change counters) and the WAL journal; 3 adds the ``users`` and ``audit`` tables
(internal tables, not registered as GeoPackage layers).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from pyproj import CRS

from hotspots.store._values import sql_type
from hotspots.store.base import IMPORT_COLUMNS, SPATIAL_LAYERS, epsg_of

__all__ = [
    "APPLICATION_ID",
    "USER_VERSION",
    "add_missing_columns",
    "create_layout",
    "id_index_name",
    "id_index_sql",
    "is_busy",
    "meta_sql",
    "table_columns",
]

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3.0


def table_columns(con: sqlite3.Connection, name: str) -> set[str]:
    """The columns a table of the store has."""
    return {str(row[1]) for row in con.execute(f'PRAGMA table_info("{name}")')}


def add_missing_columns(con: sqlite3.Connection, name: str, columns: Mapping[str, str]) -> None:
    """Add the (nullable) columns a store written by an earlier version lacks."""
    present = table_columns(con, name)
    for col, dtype in columns.items():
        if col not in present:
            con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {sql_type(dtype)}')


def id_index_name(layer: str) -> str:
    return f"{layer}_id_unique"


def id_index_sql(layer: str) -> str:
    """The unique index on ``id`` (a named index, so a bulk load can build it once)."""
    return f'CREATE UNIQUE INDEX "{id_index_name(layer)}" ON "{layer}" (id)'


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def meta_sql() -> list[str]:
    """Schema version 2: the ``hotspots_meta`` table (schema version and change counters)."""
    return [
        "CREATE TABLE IF NOT EXISTS hotspots_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT)",
        "INSERT OR IGNORE INTO hotspots_meta VALUES ('revision', '0')",
        *(
            f"INSERT OR IGNORE INTO hotspots_meta VALUES ('revision:{layer}', '0')"
            for layer in ("incidents", "survey", "actions", "imports")
        ),
        "INSERT OR REPLACE INTO hotspots_meta VALUES ('schema_version', '2')",
    ]


def create_layout(con: sqlite3.Connection, crs: CRS) -> None:
    """The GeoPackage tables and the four layers (schema version 1), in ``crs``."""
    srs_id = epsg_of(crs)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {USER_VERSION}")
    ddl = """
        CREATE TABLE gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
          organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
          definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
          identifier TEXT UNIQUE, description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
            REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL,
          geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
          z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        """
    # executescript() would commit: run the statements one by one inside the transaction
    for statement in ddl.split(";"):
        if statement.strip():
            con.execute(statement)
    srs_rows = [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
        (
            "WGS 84 geodetic",
            4326,
            "EPSG",
            4326,
            CRS.from_epsg(4326).to_wkt("WKT1_GDAL"),
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
        ),
    ]
    if srs_id != 4326:
        srs_rows.append((crs.name, srs_id, "EPSG", srs_id, crs.to_wkt("WKT1_GDAL"), crs.name))
    con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", srs_rows)
    for name, columns in SPATIAL_LAYERS.items():
        defs = ", ".join(
            f'"{c}" {sql_type(t)}' + (" NOT NULL" if c == "id" else "") for c, t in columns.items()
        )
        con.execute(
            f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            f"geom POINT, {defs})"
        )
        con.execute(id_index_sql(name))
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES (?, 'features', ?, ?)",
            (name, name, srs_id),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)",
            (name, srs_id),
        )
    defs = ", ".join(f'"{c}" {sql_type(t)}' for c, t in IMPORT_COLUMNS.items())
    con.execute(f'CREATE TABLE "imports" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {defs})')
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
        "VALUES ('imports', 'attributes', 'imports')"
    )
