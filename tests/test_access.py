"""Roles decide the profile; accounts with argon2 hashes, lockouts and delays; the audit log's
hash chain catches an edited or deleted entry; retention keeps it verifiable. Both backends."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import subprocess
import sys

import argon2
import psycopg
import pytest

from hotspots.access.accounts import (
    HASH_PARAMETERS,
    LOCKOUT_AFTER,
    ClientThrottle,
    add_user,
    authenticate,
    disable_user,
    failure_delay_s,
    set_password,
)
from hotspots.access.audit import apply_retention, log_event, verify
from hotspots.access.roles import ROLES, effective_profile, role
from hotspots.core.errors import AuthenticationError, InputSchemaError
from hotspots.store import open_store

PASSWORD = "ett långt lösenord"
T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def _sql(store_db: str, statement: str) -> None:
    """Change the store behind the program's back (what a tamperer would do)."""
    if store_db.startswith("postgresql"):
        with psycopg.connect(store_db, autocommit=True) as con:
            con.execute(statement)
    else:
        with contextlib.closing(sqlite3.connect(store_db, isolation_level=None)) as con:
            con.execute(statement)


def test_a_role_can_only_narrow_its_profile() -> None:
    assert effective_profile(role("analytiker"), None) == "internal"
    assert effective_profile(role("analytiker"), "public") == "public"
    for name in ("est", "publik", "admin"):
        assert effective_profile(role(name), "internal") == "public"
        assert effective_profile(role(name), "nonsense") == "public"
    assert not ROLES["est"].points
    assert not ROLES["planerare"].descriptions
    assert ROLES["est"].can_edit_actions
    with pytest.raises(InputSchemaError, match="use one of analytiker"):
        role("chef")


def test_accounts_and_logins(store_db: str) -> None:
    add_user(store_db, "anna", "Analytiker", PASSWORD, by="admin")
    users = open_store(store_db).users()
    assert users["name"].tolist() == ["anna"]
    assert users["password_hash"][0].startswith("$argon2id$")
    assert PASSWORD not in users["password_hash"][0]
    assert authenticate(store_db, "anna", PASSWORD, now=T0).name == "analytiker"
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        authenticate(store_db, "anna", "fel", now=T0)
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        authenticate(store_db, "nobody", PASSWORD, now=T0)
    with pytest.raises(InputSchemaError, match="exists already"):
        add_user(store_db, "anna", "est", PASSWORD)
    with pytest.raises(InputSchemaError, match="at least 12"):
        add_user(store_db, "bo", "est", "kort")
    set_password(store_db, "anna", "ett annat långt lösenord")
    with pytest.raises(AuthenticationError):
        authenticate(store_db, "anna", PASSWORD, now=T0)
    disable_user(store_db, "anna")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        authenticate(store_db, "anna", "ett annat långt lösenord", now=T0)
    events = open_store(store_db).audit_log()["event"].tolist()
    assert events == [
        "user_added",
        "login",
        "login_failed",
        "login_failed",
        "user_password_changed",
        "login_failed",
        "user_disabled",
        "login_failed",
    ]


def test_an_older_hash_still_logs_in_and_is_rehashed_at_the_owasp_setting(
    store_db: str,
) -> None:
    add_user(store_db, "anna", "analytiker", PASSWORD, by="admin")
    old = argon2.PasswordHasher()  # the library's default (RFC 9106 low memory) of earlier hashes
    open_store(store_db).save_user({"name": "anna", "password_hash": old.hash(PASSWORD)})
    assert "m=65536,t=3,p=4" in open_store(store_db).users()["password_hash"][0]
    assert authenticate(store_db, "anna", PASSWORD, now=T0).name == "analytiker"
    stored = open_store(store_db).users()["password_hash"][0]
    memory = HASH_PARAMETERS["memory_cost"]
    assert f"m={memory},t={HASH_PARAMETERS['time_cost']},p=1" in stored
    assert authenticate(store_db, "anna", PASSWORD, now=T0).name == "analytiker"
    with pytest.raises(AuthenticationError):
        authenticate(store_db, "anna", PASSWORD + "x", now=T0)


def test_failures_grow_delays_then_lock_the_account(store_db: str) -> None:
    add_user(store_db, "anna", "est", PASSWORD)
    delays = []
    for k in range(LOCKOUT_AFTER):
        with pytest.raises(AuthenticationError) as err:
            authenticate(store_db, "anna", "fel", now=T0 + dt.timedelta(seconds=k))
        delays.append(err.value.delay_s)
    assert delays == [failure_delay_s(n) for n in range(1, LOCKOUT_AFTER + 1)] == [1, 2, 4, 8, 16]
    # locked: even the right password is refused until the lockout ends
    with pytest.raises(AuthenticationError, match="locked"):
        authenticate(store_db, "anna", PASSWORD, now=T0 + dt.timedelta(minutes=5))
    assert authenticate(store_db, "anna", PASSWORD, now=T0 + dt.timedelta(minutes=16)).name == "est"
    assert int(open_store(store_db).users()["failed_logins"][0]) == 0


def test_a_client_is_locked_out_across_accounts(tmp_db: str) -> None:
    throttle = ClientThrottle()
    add_user(tmp_db, "anna", "est", PASSWORD)
    for k in range(LOCKOUT_AFTER):
        with pytest.raises(AuthenticationError):
            authenticate(tmp_db, f"guess{k}", "fel", client="10.0.0.9", throttle=throttle, now=T0)
    with pytest.raises(AuthenticationError, match="from this address"):
        authenticate(tmp_db, "anna", PASSWORD, client="10.0.0.9", throttle=throttle, now=T0)
    other = authenticate(tmp_db, "anna", PASSWORD, client="10.0.0.7", throttle=throttle)
    assert other.name == "est"


def test_the_audit_chain_finds_an_edited_or_deleted_entry(store_db: str) -> None:
    for k in range(5):
        log_event(store_db, "anna", "page_view", {"page": "map", "k": k})
    assert verify(store_db) is None
    _sql(store_db, 'UPDATE audit SET detail = \'{"page": "report", "k": 2}\' WHERE seq = 3')
    assert verify(store_db) == (
        3,
        "the entry was changed after it was written (its hash does not match)",
    )
    _sql(store_db, 'UPDATE audit SET detail = \'{"k": 2, "page": "map"}\' WHERE seq = 3')
    assert verify(store_db) is None
    _sql(store_db, "DELETE FROM audit WHERE seq = 4")
    seq, reason = verify(store_db)
    assert seq == 5
    assert "entry 3" in reason


def test_retention_deletes_old_entries_and_still_verifies(store_db: str) -> None:
    store = open_store(store_db)
    old = "2026-01-01T00:00:00.000Z"
    store.append_audit([{"user": "anna", "event": "login", "at": old} for _ in range(3)])
    log_event(store_db, "anna", "page_view", {"page": "map"})
    deleted = apply_retention(store_db, months=6, user="admin", now=T0)
    assert deleted == 3
    log = store.audit_log()
    assert log["event"].tolist() == ["page_view", "audit_retention"]
    assert json.loads(log["detail"].iloc[-1])["deleted"] == 3
    assert verify(store_db) is None
    _sql(store_db, "DELETE FROM audit WHERE event = 'page_view'")
    assert verify(store_db) is not None


def test_cli_users_and_audit(tmp_db: str) -> None:
    def hotspots(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hotspots", *args, "--db", str(tmp_db)],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )

    added = hotspots("users", "add", "eva", "--role", "est", "--by", "admin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    assert hotspots("users", "add", "eva", "--role", "est", stdin=PASSWORD + "\n").returncode == 2
    bad = hotspots("users", "add", "olle", "--role", "chef", stdin=PASSWORD + "\n")
    assert bad.returncode == 2
    assert "use one of analytiker" in bad.stderr
    listed = hotspots("users", "list", "--json")
    assert [json.loads(line)["name"] for line in listed.stdout.splitlines()] == ["eva"]
    assert "argon2" not in listed.stdout
    assert hotspots("users", "disable", "eva").returncode == 0
    assert "avstängd" in hotspots("users", "list").stdout
    rows = [json.loads(line) for line in hotspots("audit", "list", "--json").stdout.splitlines()]
    assert [r["event"] for r in rows] == ["user_added", "user_disabled"]
    assert rows[0]["user"] == "admin"
    assert hotspots("audit", "verify").returncode == 0
    _sql(str(tmp_db), "UPDATE audit SET \"user\" = 'someone else' WHERE seq = 1")
    broken = hotspots("audit", "verify")
    assert broken.returncode == 1
    assert "BROKEN at entry 1" in broken.stdout


def test_concurrent_failures_all_count(store_db: str) -> None:
    """Eight failures at once are eight failures (a read-then-write would count one)."""
    import threading

    from hotspots.store import open_store

    add_user(store_db, "samtidig", "est", "ett-langt-losenord", by="test")
    threads = [
        threading.Thread(target=open_store(store_db).count_login_failure, args=("samtidig",))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    users = open_store(store_db).users().set_index("name")
    assert int(users.loc["samtidig", "failed_logins"]) == 8
    assert open_store(store_db).count_login_failure("ingen-sadan") == 0


def test_an_import_is_in_the_audit_log(tmp_path) -> None:
    """``hotspots import`` writes who imported which file and its counts to the audit log."""
    import getpass

    from hotspots.store import open_store

    src = tmp_path / "in.csv"
    src.write_text(
        "tidpunkt;kategori;lat;lon\n2026-11-02 22:15;assault_public;59,3800;13,5000\n"
        "inte en tid;assault_public;59,38;13,50\n",
        encoding="utf-8",
    )
    db = tmp_path / "store.gpkg"
    done = subprocess.run(
        [sys.executable, "-m", "hotspots", "import", str(src), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    log = open_store(db).audit_log()
    entry = log[log["event"] == "import"].iloc[-1]
    detail = json.loads(entry["detail"])
    assert entry["user"] == f"{getpass.getuser()}@cli"
    assert (detail["file"], detail["accepted"], detail["rejected"]) == ("in.csv", 1, 1)


def test_the_audit_writer_waits_for_a_busy_store_and_loses_nothing(tmp_path) -> None:
    """A page view while an import holds the GeoPackage's write lock is written afterwards."""
    from hotspots.access.audit import AuditWriter
    from hotspots.store import open_store

    db = tmp_path / "store.gpkg"
    add_user(db, "anna", "analytiker", "ett-langt-losenord", by="test")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"con = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "con.execute('BEGIN IMMEDIATE')\n"
            "print('holding', flush=True)\n"
            "sys.stdin.readline()\n"
            "con.execute('COMMIT')\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        writer = AuditWriter(db, retry_s=0.2)
        writer.log("anna", "page_view", {"page": "map"})
        assert not writer.flush(timeout_s=2.0), "written through a held write lock?"
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
        assert writer.flush(timeout_s=90.0)
    finally:
        if holder.poll() is None:
            holder.kill()
    log = open_store(db).audit_log()
    views = log[log["event"] == "page_view"]
    assert views["user"].tolist() == ["anna"]
    assert verify(db) is None
