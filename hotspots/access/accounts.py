"""Accounts: names, roles and argon2id password hashes in the store.

Logins get growing delays and lockouts, per account (in the store, shared by every app
process) and per client (in the process that serves it). Every change and every login attempt
goes to the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hotspots.access.audit import log_event
from hotspots.access.roles import Role, role
from hotspots.core.errors import AuthenticationError, InputSchemaError
from hotspots.store import StoreRef, open_store

__all__ = [
    "LOCKOUT_AFTER",
    "MIN_PASSWORD_LENGTH",
    "ClientThrottle",
    "add_user",
    "authenticate",
    "disable_user",
    "failure_delay_s",
    "set_password",
]

#: Failed logins in a row after which an account or a client is locked out.
LOCKOUT_AFTER = 5
#: How long the first lockout lasts; each further one doubles it (minutes).
LOCKOUT_MIN = 15
#: Shortest password accepted (characters).
MIN_PASSWORD_LENGTH = 12

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
#: argon2id at OWASP's first recommended setting (19 MiB, 2 passes, one lane; Password Storage
#: Cheat Sheet), not argon2-cffi's default (RFC 9106 "low memory": 64 MiB, 3 passes, 4 lanes).
#: The default costs 0.2 s of CPU per login here, and a meeting logs ten people in at once on
#: two CPUs: 2 s of CPU before anyone sees a map. This setting costs 0.03 s and is what OWASP
#: gives as equivalent protection; the lockouts and delays limit guessing on top of it.
#: Hashes made with other parameters still verify, and are re-hashed at the next login.
HASH_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_HASHER = PasswordHasher(**HASH_PARAMETERS)


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def failure_delay_s(failures: int) -> float:
    """Seconds to wait before answering the ``failures``-th failure in a row: 1, 2, 4, … 30."""
    return float(min(30, 2 ** max(0, failures - 1)))


def _lock_minutes(failures: int) -> int:
    return LOCKOUT_MIN * 2 ** max(0, (failures - LOCKOUT_AFTER) // LOCKOUT_AFTER)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
        raise InputSchemaError(msg)


def add_user(store: StoreRef, name: str, role_name: str, password: str, *, by: str = "") -> None:
    """Create an account; the password is stored only as an argon2id hash.

    Raises
    ------
    InputSchemaError
        For a bad name, an unknown role, a short password or a name already taken.
    """
    if not _NAME.match(name or ""):
        msg = (
            f"user name {name!r}: use 2-64 letters, digits or . _ @ - (starting with a letter "
            "or digit)"
        )
        raise InputSchemaError(msg)
    granted = role(role_name)
    _check_password(password)
    st = open_store(store)
    users = st.users()
    if (users["name"] == name).any():
        msg = f"user {name!r} exists already; use `hotspots users passwd` or another name"
        raise InputSchemaError(msg)
    st.save_user(
        {
            "name": name,
            "role": granted.name,
            "password_hash": _HASHER.hash(password),
            "disabled": 0,
            "failed_logins": 0,
            "locked_until": None,
        }
    )
    log_event(st, by, "user_added", {"name": name, "role": granted.name})


def _existing(store: StoreRef, name: str) -> dict[str, object]:
    users = open_store(store).users()
    hit = users[users["name"] == name]
    if hit.empty:
        known = ", ".join(users["name"].astype(str)) or "none yet"
        msg = f"user {name!r} does not exist (users: {known})"
        raise InputSchemaError(msg)
    return hit.iloc[0].to_dict()


def set_password(store: StoreRef, name: str, password: str, *, by: str = "") -> None:
    """Give ``name`` a new password (and lift a lockout)."""
    _existing(store, name)
    _check_password(password)
    st = open_store(store)
    st.save_user(
        {
            "name": name,
            "password_hash": _HASHER.hash(password),
            "failed_logins": 0,
            "locked_until": None,
        }
    )
    log_event(st, by, "user_password_changed", {"name": name})


def disable_user(store: StoreRef, name: str, *, by: str = "") -> None:
    """Stop ``name`` from logging in (accounts are disabled, never deleted)."""
    _existing(store, name)
    st = open_store(store)
    st.save_user({"name": name, "disabled": 1})
    log_event(st, by, "user_disabled", {"name": name})


@dataclass
class ClientThrottle:
    """Failed logins per client address, in the serving process (shared by its sessions)."""

    _failures: dict[str, tuple[int, dt.datetime | None]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, client: str, now: dt.datetime | None = None) -> None:
        """Raise :class:`AuthenticationError` while ``client`` is locked out."""
        with self._lock:
            count, until = self._failures.get(client, (0, None))
        if until is not None and _now(now) < until:
            msg = f"too many failed logins from this address; try again after {until:%H:%M} UTC"
            raise AuthenticationError(msg, delay_s=failure_delay_s(count), locked_until=_iso(until))

    def failed(self, client: str, now: dt.datetime | None = None) -> int:
        """Count a failure of ``client``; returns its failures in a row."""
        with self._lock:
            count = self._failures.get(client, (0, None))[0] + 1
            until = None
            if count >= LOCKOUT_AFTER:
                until = _now(now) + dt.timedelta(minutes=_lock_minutes(count))
            self._failures[client] = (count, until)
        return count

    def succeeded(self, client: str) -> None:
        """Forget the failures of ``client``."""
        with self._lock:
            self._failures.pop(client, None)


def authenticate(
    store: StoreRef,
    name: str,
    password: str,
    *,
    client: str = "",
    throttle: ClientThrottle | None = None,
    now: dt.datetime | None = None,
) -> Role:
    """The role of ``name`` when ``password`` is right; every attempt is logged.

    Raises
    ------
    AuthenticationError
        For a wrong name or password, a disabled account, or a locked account or client
        (the same words for a wrong name and a wrong password). Its ``delay_s`` says how long
        to wait before answering.
    """
    moment = _now(now)
    st = open_store(store)
    detail: dict[str, object] = {"client": client}
    if throttle is not None:
        try:
            throttle.check(client, moment)
        except AuthenticationError:
            log_event(st, name, "login_refused", {**detail, "reason": "client locked out"})
            raise
    users = st.users()
    hit = users[users["name"] == name]
    record = hit.iloc[0].to_dict() if not hit.empty else None
    locked = record.get("locked_until") if record else None
    if record is not None and locked and _iso(moment) < str(locked):
        log_event(st, name, "login_refused", {**detail, "reason": "account locked out"})
        msg = f"this account is locked after repeated failures until {str(locked)[11:16]} UTC"
        raise AuthenticationError(msg, delay_s=1.0, locked_until=str(locked))
    ok = False
    if record is not None and not int(record.get("disabled") or 0):
        try:
            ok = _HASHER.verify(str(record["password_hash"]), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    if ok:
        assert record is not None
        if throttle is not None:
            throttle.succeeded(client)
        changes: dict[str, object] = {"name": name, "failed_logins": 0, "locked_until": None}
        if _HASHER.check_needs_rehash(str(record["password_hash"])):
            changes["password_hash"] = _HASHER.hash(password)
        st.save_user(changes)
        log_event(st, name, "login", detail)
        return role(str(record["role"]))
    failures = throttle.failed(client, moment) if throttle is not None else 0
    if record is not None:
        count = st.count_login_failure(name)
        if count >= LOCKOUT_AFTER:
            until = _iso(moment + dt.timedelta(minutes=_lock_minutes(count)))
            st.save_user({"name": name, "locked_until": until})
        failures = max(failures, count)
    log_event(st, name, "login_failed", detail)
    msg = "wrong user name or password"
    raise AuthenticationError(msg, delay_s=failure_delay_s(failures))
