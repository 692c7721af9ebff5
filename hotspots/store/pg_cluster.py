"""A throwaway local PostgreSQL/PostGIS cluster for tests, benchmarks and a first local trial.

:class:`PgServer` runs a private cluster of an installed PostgreSQL server: ``initdb`` in a new
directory, listening on 127.0.0.1 only on a free port, trust authentication (no password),
with a template database that has PostGIS. :meth:`PgServer.create_database` copies that
template into a fresh database, whose :meth:`PgServer.url` is what ``--db`` takes. Stopping
the server removes its directory: nothing of it survives.

By default the cluster trades durability for speed (``fsync``, ``synchronous_commit`` and
``full_page_writes`` off), as suits tests; ``durable=True`` keeps PostgreSQL's own defaults,
for timings comparable with a production server.

When we run as root, ``initdb`` and ``postgres`` run as the ``postgres`` system user (they
refuse root) through ``runuser``. What is missing (the server, PostGIS, that user) is raised
as :class:`PgUnavailableError` with how to install it; the test fixtures turn it into a skip.

Example
-------
>>> with throwaway_cluster() as server:  # doctest: +SKIP
...     url = server.url(server.create_database())
...     # hotspots import incidents.csv --db <url>
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from hotspots.core.errors import StoreError

__all__ = [
    "FAST_SETTINGS",
    "PG_HOST",
    "PG_MAX_CONNECTIONS",
    "PG_TEMPLATE",
    "PG_USER",
    "PgInstall",
    "PgServer",
    "PgUnavailableError",
    "find_pg",
    "pg_base_dir",
    "pg_installs",
    "throwaway_cluster",
]

#: Template every new database is copied from: an empty database with PostGIS installed.
PG_TEMPLATE = "hotspots_template"
#: Superuser of the throwaway cluster (initdb -U), whatever the OS user running it.
PG_USER = "postgres"
PG_HOST = "127.0.0.1"
#: Tests (and the processes they start) open many connections at once.
PG_MAX_CONNECTIONS = 200
#: Settings of a cluster where nothing needs to survive a crash (``durable=False``).
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
_INSTALL_HINT = "run scripts/test.sh as root, or apt-get install postgresql {packages}"
#: Seconds any one initdb/pg_ctl call may take.
_COMMAND_TIMEOUT_S = 300


class PgUnavailableError(StoreError):
    """PostgreSQL or PostGIS is not installed or cannot run here; the message says what to do."""


@dataclass(frozen=True)
class PgInstall:
    """An installed PostgreSQL server.

    Attributes
    ----------
    bindir
        Folder of ``initdb``, ``pg_ctl`` and ``postgres``.
    sharedir
        Folder of the shared files (``extension/postgis.control`` when PostGIS is installed).
    major
        Major version, e.g. ``"15"``.
    """

    bindir: Path
    sharedir: Path
    major: str


def pg_installs() -> list[PgInstall]:
    """Installed servers, highest major version first: Debian's layout, then ``pg_config``."""
    found = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        major = initdb.parents[1].name
        if major.isdigit():
            found.append(PgInstall(initdb.parent, Path("/usr/share/postgresql") / major, major))
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
            found.append(PgInstall(Path(out[0]), Path(out[1]), version.group(1)))
    return [i for i in found if all((i.bindir / b).is_file() for b in ("initdb", "pg_ctl"))]


def find_pg() -> PgInstall:
    """The server to run: the newest install that has PostGIS.

    Raises
    ------
    PgUnavailableError
        No server, or none with PostGIS; the message names the package to install.
    """
    installs = pg_installs()
    if not installs:
        msg = (
            "PostgreSQL not installed (no /usr/lib/postgresql/*/bin/initdb, and no server in "
            "pg_config --bindir): " + _INSTALL_HINT.format(packages="postgresql-15-postgis-3")
        )
        raise PgUnavailableError(msg)
    for install in installs:
        if (install.sharedir / "extension" / "postgis.control").is_file():
            return install
    best = installs[0]
    msg = (
        f"PostGIS not installed for PostgreSQL {best.major} (no "
        f"{best.sharedir / 'extension' / 'postgis.control'}): "
        + _INSTALL_HINT.format(packages=f"postgresql-{best.major}-postgis-3")
    )
    raise PgUnavailableError(msg)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((PG_HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A throwaway cluster: :meth:`start` it, use it, :meth:`stop` it.

    Attributes
    ----------
    install
        The PostgreSQL server it runs (:func:`find_pg`).
    base
        Its private directory (:func:`pg_base_dir`): data folder, log and unix socket;
        removed by :meth:`stop`.
    port
        TCP port on ``host``, chosen free by :meth:`start`.
    host, user
        Where and as whom to connect over TCP (trust auth, no password).
    template
        Name of the PostGIS template database; nobody can connect to it.
    durable
        Keep PostgreSQL's durability settings (``fsync`` etc. on); off by default (tests).
    """

    install: PgInstall
    base: Path
    port: int = 0
    host: str = PG_HOST
    user: str = PG_USER
    template: str = PG_TEMPLATE
    durable: bool = False
    _owner_pid: int = field(default_factory=os.getpid)
    _stopped: bool = False
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def datadir(self) -> Path:
        """The cluster's data directory (``initdb -D``)."""
        return self.base / "data"

    @property
    def logfile(self) -> Path:
        """The server's log file."""
        return self.base / "server.log"

    @property
    def settings(self) -> dict[str, str]:
        """The ``postgresql.conf`` settings :meth:`start` appends."""
        return {
            "listen_addresses": f"'{PG_HOST}'",
            "max_connections": str(PG_MAX_CONNECTIONS),
            "unix_socket_directories": f"'{self.base}'",
            **({} if self.durable else FAST_SETTINGS),
        }

    def url(self, dbname: str = "postgres") -> str:
        """``postgresql://`` URL of a database of this cluster."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        """An autocommit connection to ``dbname`` (use as a context manager)."""
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=30)

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database from the PostGIS template; its name.

        Parameters
        ----------
        name
            Name of the new database; default ``test_<n>`` (n counts up from 1).
        """
        name = name or f"test_{next(self._names)}"
        with self.connect() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self.template)
                )
            )
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any connection left open to it."""
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

    def postmaster_pid(self) -> int | None:
        """Process id of the running server (``postmaster.pid``), or ``None``."""
        try:
            return int((self.datadir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

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
            timeout=_COMMAND_TIMEOUT_S,
        )

    def _log_since(self, offset: int) -> str:
        try:
            with self.logfile.open(encoding="utf-8", errors="replace") as log:
                log.seek(offset)
                return log.read()
        except OSError:
            return ""

    def start(self) -> None:
        """initdb, configure and start the cluster, then create the PostGIS template.

        Raises
        ------
        StoreError
            initdb or pg_ctl failed (the message holds their output and the server log).
        PgUnavailableError
            PostGIS does not load in this server (the server is stopped again).
        """
        done = self._run(
            "initdb", "-D", str(self.datadir), "-U", PG_USER, "-E", "UTF8", "--locale=C",
            "--auth=trust", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            msg = f"initdb failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            raise StoreError(msg)
        # TCP from 127.0.0.1 only; the unix socket lives in our private directory
        (self.datadir / "pg_hba.conf").write_text(f"host all all {PG_HOST}/32 trust\n")
        with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# hotspots throwaway cluster\n")
            conf.writelines(f"{key} = {value}\n" for key, value in self.settings.items())
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
                raise StoreError(msg)
        else:
            msg = f"pg_ctl start: no free port after 5 attempts:\n{self._log_since(0)}"
            raise StoreError(msg)
        with self.connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        try:
            with self.connect(self.template) as conn:
                conn.execute("CREATE EXTENSION postgis")
        except psycopg.Error as exc:
            self.stop()
            msg = (
                f"PostGIS does not load in PostgreSQL {self.install.major} ({exc}): "
                + _INSTALL_HINT.format(packages=f"postgresql-{self.install.major}-postgis-3")
            )
            raise PgUnavailableError(msg) from exc
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
            pid = self.postmaster_pid()
            if pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGQUIT)
        shutil.rmtree(self.base, ignore_errors=True)


def pg_base_dir() -> Path:
    """A new private directory for a cluster, usable by the user the server runs as.

    Raises
    ------
    PgUnavailableError
        We are root and there is no ``postgres`` user or no ``runuser`` to run the server as.
    """
    base = Path(tempfile.mkdtemp(prefix="hotspots-pg-"))
    if os.geteuid() != 0:
        return base
    try:
        postgres = pwd.getpwnam(PG_USER)
    except KeyError:
        base.rmdir()
        msg = (
            f"running as root, and there is no '{PG_USER}' system user to run initdb as "
            "(it refuses root): apt-get install postgresql creates it"
        )
        raise PgUnavailableError(msg) from None
    if shutil.which("runuser") is None:
        base.rmdir()
        msg = f"running as root, and runuser (util-linux) is missing to run initdb as '{PG_USER}'"
        raise PgUnavailableError(msg)
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


@contextlib.contextmanager
def throwaway_cluster(*, durable: bool = False) -> Iterator[PgServer]:
    """Start a cluster for the ``with`` block; stopped and removed afterwards.

    It is also stopped from an ``atexit`` handler should the block never end (e.g. the
    interpreter exits on an unhandled signal that Python turns into an exception).

    Parameters
    ----------
    durable
        Keep PostgreSQL's durability settings (see :class:`PgServer`).

    Raises
    ------
    PgUnavailableError
        PostgreSQL or PostGIS is missing here.
    """
    server = PgServer(install=find_pg(), base=pg_base_dir(), durable=durable)
    atexit.register(server.stop)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        atexit.unregister(server.stop)
