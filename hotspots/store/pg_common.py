"""PostgreSQL plumbing shared by the store and the patrol tracks kept in the same database.

:class:`~hotspots.store.postgis.PostgisStore` and
:class:`~hotspots.dosage.storage_pg.PgTrackStore` connect, name the database, serialise their
writers on a transaction-level advisory lock, map a lock that is not granted in time to
:class:`~hotspots.core.errors.StoreBusyError` and move bulk rows with ``COPY`` through Arrow
in the same way; the ways live here, once.

Advisory locks are keyed ``(namespace, n)`` with the namespace "hots": the store's writers use
1, its audit log 2, the tracks 3.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from hotspots.core.errors import StoreBusyError, StoreError
from hotspots.core.schema import TIMEZONE

__all__ = [
    "AUDIT_LOCK",
    "TRACKS_LOCK",
    "WRITER_LOCK",
    "busy_message",
    "connect",
    "copy_in_arrow",
    "copy_out_arrow",
    "locked_transaction",
    "normalise_url",
    "reading",
    "take_lock",
    "url_location",
]

_NAMESPACE = 0x686F7473  # "hots"
#: The advisory lock every data writer of the store takes.
WRITER_LOCK = (_NAMESPACE, 1)
#: The audit log's own lock, so that logging never waits for an import.
AUDIT_LOCK = (_NAMESPACE, 2)
#: The patrol tracks' lock, apart from the store's: a tracks import never waits for an import.
TRACKS_LOCK = (_NAMESPACE, 3)
#: Seconds between two tries for an advisory lock.
POLL_S = 0.05


def normalise_url(url: str) -> str:
    """``url`` as libpq takes it (SQLAlchemy's ``postgresql+psycopg://`` spelled plainly)."""
    return url.strip().replace("postgresql+psycopg://", "postgresql://", 1)


def url_location(url: str) -> str:
    """``url`` without its password, e.g. ``postgresql://hotspots@db:5432/karlstad``."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(invalid URL)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def connect(url: str, *, application_name: str, busy_timeout_s: float) -> psycopg.Connection[Any]:
    """An autocommit connection to ``url`` named ``application_name`` (the busy message's).

    Parameters
    ----------
    url
        The database (password from ``PGPASSWORD`` or ``~/.pgpass`` rather than the URL).
    application_name
        Shown to other writers that wait for this one (cut to PostgreSQL's 63 characters).
    busy_timeout_s
        Seconds; the connect timeout is this, between 1 and 30 s (10 s when 0).

    Raises
    ------
    StoreError
        For an invalid URL, or a server that cannot be reached or refuses the role.
    """
    location = url_location(url)
    try:
        conninfo = make_conninfo(
            url,
            application_name=application_name[:63],
            connect_timeout=str(max(1, min(30, round(busy_timeout_s or 10)))),
        )
        return psycopg.connect(conninfo, autocommit=True)
    except psycopg.ProgrammingError as exc:
        msg = f"--db {location}: not a valid PostgreSQL URL ({exc})"
        raise StoreError(msg) from exc
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        msg = (
            f"cannot connect to the store {location}: {reason}. Check the URL, that "
            "the server runs, and that your role may connect (README: PostgreSQL store)"
        )
        raise StoreError(msg) from exc


def _failure(location: str, doing: str, exc: psycopg.Error) -> StoreError:
    """``location: cannot <doing> (<exc>)``, or ``location: <exc>`` without ``doing``."""
    return StoreError(f"{location}: cannot {doing} ({exc})" if doing else f"{location}: {exc}")


@contextlib.contextmanager
def reading(
    con: psycopg.Connection[Any], *, location: str, doing: str = ""
) -> Iterator[psycopg.Connection[Any]]:
    """Use ``con`` and close it.

    Raises
    ------
    StoreError
        For a database error: ``<location>: cannot <doing> (<error>)`` (without ``doing``:
        ``<location>: <error>``).
    """
    try:
        yield con
    except psycopg.Error as exc:
        raise _failure(location, doing, exc) from exc
    finally:
        con.close()


def busy_message(
    con: psycopg.Connection[Any],
    key: tuple[int, int],
    *,
    location: str,
    busy_timeout_s: float,
    describe: Callable[[str], str],
    nobody: str,
) -> str:
    """The message of a writer that waited too long for the advisory lock ``key``.

    Parameters
    ----------
    con
        An open connection to the database.
    key
        The advisory lock waited for.
    location
        The database, as :func:`url_location` gives it.
    busy_timeout_s
        Seconds waited.
    describe
        The holder's ``application_name`` → what it does, e.g. ``"an import is running"``.
    nobody
        What is said when the holder is not known (it finished meanwhile).

    Returns
    -------
    str
        E.g. ``store is busy: an import is running (since 21:15); waited 60 s; try again …``.
    """
    row = con.execute(
        "SELECT a.application_name, a.xact_start FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
        "AND l.granted AND l.classid = %s AND l.objid = %s "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        key,
    ).fetchone()
    who = nobody
    if row is not None and row[0]:
        who = describe(str(row[0]))
        if row[1] is not None:
            who += f" (since {pd.Timestamp(row[1]).tz_convert(TIMEZONE):%H:%M})"
    return (
        f"store is busy: {who}; waited {busy_timeout_s:g} s; try again "
        f"(or give a longer --busy-timeout) [{location}]"
    )


def take_lock(
    con: psycopg.Connection[Any],
    key: tuple[int, int],
    busy_timeout_s: float,
    busy: Callable[[psycopg.Connection[Any]], str],
) -> None:
    """Take the transaction-level advisory lock ``key``, waiting up to ``busy_timeout_s``.

    Raises
    ------
    StoreBusyError
        With ``busy(con)`` as its message, when the lock is still held after the wait.
    """
    deadline = time.monotonic() + busy_timeout_s
    while True:
        got = con.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", key).fetchone()
        if got and got[0]:
            return
        if time.monotonic() >= deadline:
            raise StoreBusyError(busy(con))
        time.sleep(POLL_S)


@contextlib.contextmanager
def locked_transaction(
    con: psycopg.Connection[Any],
    key: tuple[int, int],
    *,
    busy_timeout_s: float,
    busy: Callable[[psycopg.Connection[Any]], str],
    location: str,
    doing: str = "",
    after_commit: Callable[[], None] | None = None,
) -> Iterator[psycopg.Connection[Any]]:
    """One transaction on ``con`` under the advisory lock ``key``; closes ``con`` at the end.

    Commits when the block ends, else rolls back. Row locks wait no longer than the
    advisory lock (``lock_timeout``).

    Parameters
    ----------
    con
        A fresh autocommit connection (:func:`connect`).
    key
        The writers' advisory lock.
    busy_timeout_s
        Seconds to wait for the lock.
    busy
        The busy message for a connection (:func:`busy_message`).
    location, doing
        Name the database and what failed in the message of a database error (as
        :func:`reading`).
    after_commit
        Called right after ``COMMIT`` (a crash-test fault point).

    Raises
    ------
    StoreBusyError
        When the lock (or a row lock) is not granted in time.
    StoreError
        On any other database error.
    """
    try:
        con.execute("BEGIN")
        con.execute(
            "SELECT set_config('lock_timeout', %s, true)", (f"{int(busy_timeout_s * 1000)}ms",)
        )
        take_lock(con, key, busy_timeout_s, busy)
        yield con
        con.execute("COMMIT")
        if after_commit is not None:
            after_commit()
    except psycopg.errors.LockNotAvailable as exc:
        con.execute("ROLLBACK")
        raise StoreBusyError(busy(con)) from exc
    except psycopg.Error as exc:
        if not con.closed:
            con.execute("ROLLBACK")
        raise _failure(location, doing, exc) from exc
    except BaseException:
        if not con.closed:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def copy_out_arrow(
    con: psycopg.Connection[Any],
    query: str | sql.Composable,
    args: Sequence[Any],
    types: dict[str, pa.DataType],
) -> pa.Table:
    """Rows of ``query`` (its columns in the order of ``types``) read with ``COPY`` into Arrow.

    Empty text is null; booleans come as ``t``/``f``.
    """
    statement: str | sql.Composable = (
        f"COPY ({query}) TO STDOUT (FORMAT csv)"
        if isinstance(query, str)
        else sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)
    )
    buf = io.BytesIO()
    with con.cursor() as cur, cur.copy(statement, list(args) or None) as copy:
        for block in copy:
            buf.write(block)
    if buf.tell() == 0:
        return pa.table({c: pa.array([], type=t) for c, t in types.items()})
    buf.seek(0)
    return pacsv.read_csv(
        buf,
        read_options=pacsv.ReadOptions(column_names=list(types), block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            null_values=[""],
            true_values=["t"],
            false_values=["f"],
        ),
    )


def copy_in_arrow(
    con: psycopg.Connection[Any], statement: str | sql.Composable, table: pa.Table
) -> None:
    """``table``'s rows into ``COPY … FROM STDIN (FORMAT csv)``: nulls unquoted, text quoted."""
    out = io.BytesIO()
    pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
    with con.cursor() as cur, cur.copy(statement) as copy:
        copy.write(out.getbuffer())
