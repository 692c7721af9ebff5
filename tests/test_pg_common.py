"""The PostgreSQL plumbing the store and the tracks share (hotspots.store.pg_common)."""

from __future__ import annotations

import psycopg
import pyarrow as pa
import pytest

from hotspots.core.errors import StoreBusyError, StoreError
from hotspots.dosage.storage_pg import PgTrackStore
from hotspots.store import pg_common
from hotspots.store.postgis import PostgisStore


def test_location_hides_the_password_and_urls_are_normalised() -> None:
    url = pg_common.normalise_url(" postgresql+psycopg://anna:secret@db.example:5433/karlstad ")
    assert url == "postgresql://anna:secret@db.example:5433/karlstad"
    assert pg_common.url_location(url) == "postgresql://anna@db.example:5433/karlstad"
    assert pg_common.url_location("postgresql://[bad") == "postgresql://(invalid URL)"
    # both stores name the database the same way
    assert PostgisStore(url).location == PgTrackStore(url).location


def test_an_unreachable_server_is_a_store_error_naming_it_without_password() -> None:
    with pytest.raises(StoreError, match=r"cannot connect to the store postgresql://anna@") as exc:
        pg_common.connect(
            "postgresql://anna:secret@127.0.0.1:1/none",
            application_name="test",
            busy_timeout_s=1,
        )
    assert "secret" not in str(exc.value)


@pytest.mark.postgres
def test_copy_in_and_out_keep_nulls_quotes_and_booleans(pg_url: str) -> None:
    types = {"a": pa.string(), "n": pa.int64(), "x": pa.float64(), "b": pa.bool_()}
    table = pa.table(
        {
            "a": pa.array(['Kvarn, "gatan"', None, "", "å\nä"], type=pa.string()),
            "n": pa.array([1, None, 3, 2**40], type=pa.int64()),
            "x": pa.array([0.5, 1.25, None, -3.0], type=pa.float64()),
            "b": pa.array([True, False, None, True], type=pa.bool_()),
        }
    )
    con = pg_common.connect(pg_url, application_name="test", busy_timeout_s=5)
    with pg_common.reading(con, location="test") as con:
        con.execute("CREATE TEMP TABLE t (a text, n bigint, x double precision, b boolean)")
        pg_common.copy_in_arrow(con, "COPY t (a, n, x, b) FROM STDIN (FORMAT csv)", table)
        back = pg_common.copy_out_arrow(
            con, "SELECT a, n, x, b FROM t WHERE n IS DISTINCT FROM %s", [-1], types
        )
        empty = pg_common.copy_out_arrow(con, "SELECT a, n, x, b FROM t WHERE false", [], types)
    assert back.to_pylist() == table.to_pylist()
    assert empty.num_rows == 0
    assert empty.schema == back.schema


@pytest.mark.postgres
def test_a_busy_audit_log_names_the_audit_writer(pg_url: str) -> None:
    """The audit log waits on its own lock; the busy message names who holds that lock."""
    store = PostgisStore(pg_url, crs="EPSG:3006", busy_timeout_s=0.3)
    store.init(crs="EPSG:3006")
    with psycopg.connect(pg_url, application_name="hotspots app (audit)") as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", pg_common.AUDIT_LOCK)
        with pytest.raises(StoreBusyError, match=r"hotspots app \(audit\) is writing \(since"):
            store.append_audit([{"user": "anna", "event": "login"}])
    assert store.append_audit([{"user": "anna", "event": "login"}]) == [1]


@pytest.mark.postgres
def test_a_failed_tracks_write_is_a_store_error_and_rolls_back(pg_url: str) -> None:
    store = PgTrackStore(pg_url)

    def write_then_fail() -> None:
        with store._write("t") as con:
            con.execute("INSERT INTO tracks_places (place_id, wkt) VALUES ('p', 'POINT (0 0)')")
            con.execute("SELECT no_such_column FROM tracks_places")

    with pytest.raises(StoreError, match=r"cannot write the tracks \("):
        write_then_fail()
    assert store.places().empty
