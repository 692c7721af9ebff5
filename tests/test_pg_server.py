"""The PostgreSQL/PostGIS test fixtures (pg_server, pg_url, store_db) against a real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

# tables of the database itself, not those an extension (PostGIS: spatial_ref_sys) brings
OWN_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
"""


def own_tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [name for (name,) in conn.execute(OWN_TABLES)]


def database_exists(pg_server, name: str) -> bool:
    with pg_server.connect() as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def test_pg_url_has_postgis(pg_url: str) -> None:
    assert re.fullmatch(r"postgresql://postgres@127\.0\.0\.1:\d+/test_\d+", pg_url)
    with psycopg.connect(pg_url) as conn:
        (version,) = conn.execute("SELECT postgis_version()").fetchone()
        assert version.startswith("3")
        # a real geometry round trip in the store's CRS (SWEREF 99 TM)
        (wkt, srid) = conn.execute(
            "SELECT ST_AsText(g), ST_SRID(g)"
            " FROM (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 3006) AS g) AS p",
            [414_921.0, 6_583_390.0],
        ).fetchone()
        assert (wkt, srid) == ("POINT(414921 6583390)", 3006)
        (distance,) = conn.execute(
            "SELECT ST_Distance(ST_MakePoint(0, 0), ST_MakePoint(3, 4))"
        ).fetchone()
        assert distance == 5.0


def test_server_settings(pg_server, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("fsync", "synchronous_commit", "full_page_writes", "listen_addresses")
        }
        (max_connections,) = conn.execute("SHOW max_connections").fetchone()
        (address,) = conn.execute("SELECT inet_server_addr()::text").fetchone()
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "listen_addresses": "127.0.0.1",
    }
    assert int(max_connections) >= 100
    assert address == "127.0.0.1/32"
    assert pg_url.startswith(pg_server.url(""))


def test_pg_url_databases_are_distinct_and_empty(pg_server, pg_url: str) -> None:
    other = pg_server.create_database()
    try:
        other_url = pg_server.url(other)
        assert other_url != pg_url
        assert own_tables(pg_url) == []
        assert own_tables(other_url) == []
        with psycopg.connect(pg_url) as conn:
            conn.execute("CREATE TABLE incidents (id text PRIMARY KEY, geom geometry(Point, 3006))")
            conn.execute("INSERT INTO incidents VALUES ('a', ST_SetSRID(ST_MakePoint(1, 2), 3006))")
        assert own_tables(pg_url) == ["incidents"]
        assert own_tables(other_url) == []
        with psycopg.connect(pg_url) as a, psycopg.connect(other_url) as b:
            assert (
                a.execute("SELECT current_database()").fetchone()
                != b.execute("SELECT current_database()").fetchone()
            )
    finally:
        pg_server.drop_database(other)
    assert not database_exists(pg_server, other)


def test_template_is_not_modified_by_tests(pg_server, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE scratch (n int)")
        conn.execute("DELETE FROM spatial_ref_sys WHERE srid = 3006")
    fresh = pg_server.create_database()
    try:
        fresh_url = pg_server.url(fresh)
        assert own_tables(fresh_url) == []
        with psycopg.connect(fresh_url) as conn:
            (n,) = conn.execute("SELECT count(*) FROM spatial_ref_sys WHERE srid = 3006").fetchone()
        assert n == 1
    finally:
        pg_server.drop_database(fresh)
    # nobody can connect to the template, so no test can change it
    with pytest.raises(psycopg.OperationalError, match="not currently accepting connections"):
        psycopg.connect(pg_server.url(pg_server.template)).close()
    with pg_server.connect() as conn:
        row = conn.execute(
            "SELECT datistemplate, datallowconn FROM pg_database WHERE datname = %s",
            [pg_server.template],
        ).fetchone()
    assert row == (True, False)


def test_thirty_concurrent_connections(pg_url: str) -> None:
    n = 30
    all_connected = threading.Barrier(n, timeout=120)

    def work(i: int) -> tuple[int, int]:
        with psycopg.connect(pg_url, connect_timeout=60) as conn:
            (pid,) = conn.execute("SELECT pg_backend_pid()").fetchone()
            all_connected.wait()  # all n connections are open at this point
            (open_here,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            ).fetchone()
            (square,) = conn.execute("SELECT %s::int * %s::int", [i, i]).fetchone()
            all_connected.wait()  # nobody leaves before everyone has counted
            assert square == i * i
            return pid, open_here

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(work, range(n)))
    assert len({pid for pid, _ in results}) == n
    assert all(open_here >= n for _, open_here in results)


def test_leftover_connection_does_not_block_the_drop(pg_server) -> None:
    name = pg_server.create_database()
    forgotten = psycopg.connect(pg_server.url(name))
    try:
        forgotten.execute("SELECT 1")
        pg_server.drop_database(name)
        assert not database_exists(pg_server, name)
        with pytest.raises(psycopg.OperationalError):
            forgotten.execute("SELECT 1")
    finally:
        forgotten.close()


def test_store_db_gives_each_backend(request: pytest.FixtureRequest, store_db: str) -> None:
    backend = request.node.callspec.params["store_db"]
    assert isinstance(store_db, str)
    marked = request.node.get_closest_marker("postgres") is not None
    if backend == "gpkg":
        path = Path(store_db)
        assert path.name == "store.gpkg"
        assert path.parent.is_dir()
        assert not path.exists()
        assert not marked
    else:
        assert backend == "postgis"
        assert store_db.startswith("postgresql://postgres@127.0.0.1:")
        assert own_tables(store_db) == []
        assert marked


INNER_TEST = """
import os
from pathlib import Path


def test_records_the_server(pg_server, pg_url):
    pid = (pg_server.datadir / "postmaster.pid").read_text().split()[0]
    Path(os.environ["PG_SERVER_RECORD"]).write_text(f"{pid} {pg_server.base}")
    assert os.kill(int(pid), 0) is None
"""


def process_state(pid: int) -> str | None:
    """State letter of a process (Z for a zombie nobody reaped), None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_pytest_run_leaves_no_server_behind(pg_server, tmp_path: Path) -> None:
    # a whole pytest session of its own, with these fixtures loaded as a plugin
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    record = tmp_path / "record.txt"
    tests_dir = Path(__file__).resolve().parent
    env = {
        **os.environ,
        "PG_SERVER_RECORD": str(record),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tests_dir), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
         "test_inner.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    pid, base = record.read_text().split(maxsplit=1)
    assert process_state(int(pid)) in (None, "Z")
    assert not Path(base).exists()
    assert Path(base) != pg_server.base
