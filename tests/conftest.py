"""Shared fixtures: tiny EPSG:3006 frames, a seeded rng, the shared real data, a temp store,
and a throwaway PostgreSQL/PostGIS server so store tests run against both backends."""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
from psycopg import sql

from hotspots.schema import INCIDENT_COLUMNS, TIMEZONE

#: ../shared/data beside the project (read-only real data; absent on some machines).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def shared_data() -> Path:
    """The shared real data folder; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data is absent here)")
    return SHARED_DATA


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of a store that does not exist yet."""
    return tmp_path / "store.gpkg"


@pytest.fixture
def make_incidents() -> Callable[..., gpd.GeoDataFrame]:
    """Build an incident frame in EPSG:3006 from x, y (metres), times and categories."""

    def _make(
        x: np.ndarray,
        y: np.ndarray,
        *,
        times: pd.DatetimeIndex | list[str] | None = None,
        categories: list[str] | str = "assault_public",
        crs: str = "EPSG:3006",
    ) -> gpd.GeoDataFrame:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        n = len(x)
        if times is None:
            times = pd.date_range("2026-01-05 22:00", periods=n, freq="7D", tz=TIMEZONE)
        t = pd.DatetimeIndex(pd.to_datetime(times))
        if t.tz is None:
            t = t.tz_localize(TIMEZONE)
        cats = [categories] * n if isinstance(categories, str) else list(categories)
        frame = pd.DataFrame(
            {
                "id": [f"t{i}" for i in range(n)],
                "occurred_at": t.tz_convert(TIMEZONE),
                "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
                "time_precision": "exact",
                "category": cats,
                "source_category": cats,
                "precision": "exact",
                "source": "polis",
                "description": "",
                "import_id": "fixture",
            }
        )
        for col, dtype in INCIDENT_COLUMNS.items():
            frame[col] = frame[col].astype(dtype)
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=crs)

    return _make


@pytest.fixture
def lattice_points() -> np.ndarray:
    """An esda-style six-point fixture in EPSG:3006 metres around Stora torget, Karlstad
    (59.3806 N, 13.5025 E = E 414 921, N 6 583 390)."""
    return np.array(
        [
            (414_900.0, 6_583_400.0),
            (414_950.0, 6_583_400.0),
            (415_000.0, 6_583_450.0),
            (414_900.0, 6_583_500.0),
            (415_100.0, 6_583_500.0),
            (415_200.0, 6_583_600.0),
        ]
    )


# --- PostgreSQL + PostGIS: one throwaway cluster per pytest session ---------------------------
#
# ``pg_server`` starts a private cluster (initdb in a temporary directory, 127.0.0.1 on a free
# port, trust auth, durability off for speed) with a template database that has PostGIS;
# ``pg_url`` gives each test a fresh database copied from that template; ``store_db`` runs a
# store test once per backend. Where PostgreSQL or PostGIS is missing the tests skip, except
# under CI=true, where they fail: CI installs both (scripts/test.sh), so a skip there would
# hide a broken install.

#: Template every test database is copied from: an empty database with PostGIS installed.
PG_TEMPLATE = "hotspots_template"
#: Superuser of the throwaway cluster (initdb -U), whatever the OS user running the tests.
PG_USER = "postgres"
PG_HOST = "127.0.0.1"
#: Tests (and the processes they start) open many connections at once.
PG_MAX_CONNECTIONS = 200
_PG_SETTINGS = {
    "listen_addresses": f"'{PG_HOST}'",
    "max_connections": str(PG_MAX_CONNECTIONS),
    # a throwaway cluster: nothing needs to survive a crash
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
_PG_INSTALL_HINT = "run scripts/test.sh as root, or apt-get install postgresql {packages}"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _pg_unavailable(reason: str) -> NoReturn:
    """Skip (fail under CI=true) because PostgreSQL/PostGIS cannot be used here."""
    if _in_ci():
        pytest.fail(
            f"{reason}\nCI=true: PostgreSQL/PostGIS must work on the CI machine (scripts/test.sh "
            "installs them as root); failing instead of skipping so a broken install is not "
            "hidden.",
            pytrace=False,
        )
    pytest.skip(reason)


@dataclass(frozen=True)
class _PgInstall:
    bindir: Path
    sharedir: Path
    major: str


def _pg_installs() -> list[_PgInstall]:
    """Installed servers, highest major version first: Debian's layout, then pg_config."""
    found = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        major = initdb.parents[1].name
        if major.isdigit():
            found.append(_PgInstall(initdb.parent, Path("/usr/share/postgresql") / major, major))
    found.sort(key=lambda install: int(install.major), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir", "--sharedir", "--version"],
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout.splitlines()
            version = re.search(r"(\d+)", out[2])
        except (OSError, subprocess.SubprocessError, IndexError):
            out, version = [], None
        if version and Path(out[0], "initdb").is_file():
            found.append(_PgInstall(Path(out[0]), Path(out[1]), version.group(1)))
    return [i for i in found if all((i.bindir / b).is_file() for b in ("initdb", "pg_ctl"))]


def _find_pg() -> _PgInstall:
    """The server to run, with PostGIS; skips/fails with what is missing and how to get it."""
    installs = _pg_installs()
    if not installs:
        _pg_unavailable(
            "PostgreSQL not installed (no /usr/lib/postgresql/*/bin/initdb, and no server in "
            "pg_config --bindir): " + _PG_INSTALL_HINT.format(packages="postgresql-15-postgis-3")
        )
    for install in installs:
        if (install.sharedir / "extension" / "postgis.control").is_file():
            return install
    best = installs[0]
    _pg_unavailable(
        f"PostGIS not installed for PostgreSQL {best.major} (no "
        f"{best.sharedir / 'extension' / 'postgis.control'}): "
        + _PG_INSTALL_HINT.format(packages=f"postgresql-{best.major}-postgis-3")
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((PG_HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A running throwaway cluster (the ``pg_server`` fixture).

    Attributes
    ----------
    host, port, user
        Where to connect over TCP (trust auth, no password).
    template
        Name of the PostGIS template database; tests cannot connect to it.
    """

    install: _PgInstall
    base: Path
    port: int = 0
    host: str = PG_HOST
    user: str = PG_USER
    template: str = PG_TEMPLATE
    _owner_pid: int = field(default_factory=os.getpid)
    _stopped: bool = False
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def logfile(self) -> Path:
        return self.base / "server.log"

    def url(self, dbname: str = "postgres") -> str:
        """``postgresql://`` URL of a database of this cluster."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        """An autocommit connection to ``dbname`` (use as a context manager)."""
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=30)

    def create_database(self) -> str:
        """Create an empty database ``test_<n>`` from the PostGIS template; its name."""
        name = f"test_{next(self._names)}"
        with self.connect() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self.template)
                )
            )
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any connection a test left open to it."""
        with self.connect() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            force = sql.SQL(" WITH (FORCE)" if conn.info.server_version >= 130000 else "")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}{}").format(sql.Identifier(name), force)
            )

    # -- life cycle ------------------------------------------------------------------------

    def _command(self, program: str, *args: str) -> list[str]:
        """``program`` of the install, run as the postgres user when we are root."""
        command = [str(self.install.bindir / program), *args]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            return ["runuser", "-u", PG_USER, "--", *command]
        return command

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self._command(program, *args),
            cwd=self.base,  # the postgres user may not be allowed into the caller's directory
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
            check=False,
            timeout=300,
        )

    def _log_since(self, offset: int) -> str:
        try:
            with self.logfile.open(encoding="utf-8", errors="replace") as log:
                log.seek(offset)
                return log.read()
        except OSError:
            return ""

    def start(self) -> None:
        """initdb, configure and start the cluster, then create the PostGIS template."""
        done = self._run(
            "initdb", "-D", str(self.datadir), "-U", PG_USER, "-E", "UTF8", "--locale=C",
            "--auth=trust", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            msg = f"initdb failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            raise RuntimeError(msg)
        # TCP from 127.0.0.1 only; the unix socket lives in our private directory
        (self.datadir / "pg_hba.conf").write_text(f"host all all {PG_HOST}/32 trust\n")
        settings = {**_PG_SETTINGS, "unix_socket_directories": f"'{self.base}'"}
        with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# hotspots test cluster\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        for _attempt in range(5):  # another process may take the free port before we bind it
            self.port = _free_port()
            offset = self.logfile.stat().st_size if self.logfile.exists() else 0
            done = self._run(
                "pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", "120",
                "-o", f"-p {self.port}", "start",
            )  # fmt: skip
            if done.returncode == 0:
                break
            log = self._log_since(offset)
            if "could not bind" not in log and "already in use" not in log:
                msg = f"pg_ctl start failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}"
                raise RuntimeError(msg)
        else:
            msg = f"pg_ctl start: no free port after 5 attempts:\n{self._log_since(0)}"
            raise RuntimeError(msg)
        with self.connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        try:
            with self.connect(self.template) as conn:
                conn.execute("CREATE EXTENSION postgis")
        except psycopg.Error as exc:
            self.stop()
            _pg_unavailable(
                f"PostGIS does not load in PostgreSQL {self.install.major} ({exc}): "
                + _PG_INSTALL_HINT.format(packages=f"postgresql-{self.install.major}-postgis-3")
            )
        with self.connect() as conn:  # a template nobody can connect to cannot be modified
            conn.execute(
                sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").format(
                    sql.Identifier(self.template)
                )
            )

    def stop(self) -> None:
        """Stop the server at once and remove its directory (idempotent; owner process only)."""
        if self._stopped or os.getpid() != self._owner_pid:  # not in forked children
            return
        self._stopped = True
        pidfile = self.datadir / "postmaster.pid"
        if pidfile.exists():
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        if pidfile.exists():  # pg_ctl could not stop it: end our postmaster by its id
            try:
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGQUIT)
            except (OSError, ValueError, IndexError):
                pass
        shutil.rmtree(self.base, ignore_errors=True)


def _pg_base_dir() -> Path:
    """A new private directory for the cluster, usable by the user the server runs as."""
    base = Path(tempfile.mkdtemp(prefix="hotspots-pg-"))
    if os.geteuid() != 0:
        return base
    try:
        postgres = pwd.getpwnam(PG_USER)
    except KeyError:
        base.rmdir()
        _pg_unavailable(
            f"running as root, and there is no '{PG_USER}' system user to run initdb as "
            "(it refuses root): apt-get install postgresql creates it"
        )
    if shutil.which("runuser") is None:
        base.rmdir()
        _pg_unavailable(
            f"running as root, and runuser (util-linux) is missing to run initdb as '{PG_USER}'"
        )
    os.chown(base, postgres.pw_uid, postgres.pw_gid)
    reachable = (
        subprocess.run(
            ["runuser", "-u", PG_USER, "--", "test", "-w", str(base)], check=False, timeout=30
        ).returncode
        == 0
    )
    if not reachable and base.parent != Path("/tmp"):  # e.g. TMPDIR under /root
        base.rmdir()
        base = Path(tempfile.mkdtemp(prefix="hotspots-pg-", dir="/tmp"))
        os.chown(base, postgres.pw_uid, postgres.pw_gid)
    return base


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL + PostGIS cluster for the whole session.

    Skips when PostgreSQL or PostGIS is missing (fails under CI=true). The server is stopped
    at the end of the session, and from an atexit handler should pytest die first.
    """
    server = PgServer(install=_find_pg(), base=_pg_base_dir())
    atexit.register(server.stop)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        atexit.unregister(server.stop)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """URL of a fresh database with PostGIS and no tables of its own; dropped afterwards."""
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture(params=["gpkg", "postgis"], ids=["gpkg", "postgis"])
def store_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store that does not exist yet, once per backend: a GeoPackage path or a PostGIS URL."""
    if request.param == "gpkg":
        return str(tmp_path / "store.gpkg")
    return str(request.getfixturevalue("pg_url"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that need PostgreSQL ``postgres`` (so ``-m "not postgres"`` leaves them out)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        postgis_param = callspec is not None and callspec.params.get("store_db") == "postgis"
        if postgis_param or "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
