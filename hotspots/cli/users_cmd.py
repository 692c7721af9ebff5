"""``hotspots users add|list|disable|passwd`` and ``hotspots audit list|verify|prune``."""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import Annotated

import typer

from hotspots.cli._options import BusyTimeoutOpt, DbOpt, open_db
from hotspots.core.errors import InputSchemaError
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

__all__ = ["register"]

users_app = typer.Typer(
    name="users",
    help="Accounts of the app: add, list, disable, new password.",
    no_args_is_help=True,
)
audit_app = typer.Typer(
    name="audit",
    help="The audit log: list, verify the hash chain, apply retention.",
    no_args_is_help=True,
)

PasswordEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--password-env",
        help="Name of an environment variable holding the password (else it is read from "
        "standard input; never give a password as an argument).",
    ),
]
ByOpt = Annotated[str, typer.Option("--by", help="Who makes the change (for the audit log).")]


def _password(env_name: str | None) -> str:
    if env_name is not None:
        value = os.environ.get(env_name)
        if not value:
            msg = f"--password-env: environment variable {env_name} is not set or empty"
            raise InputSchemaError(msg)
        return value
    if sys.stdin.isatty():
        first = getpass.getpass("Lösenord / password: ")
        if getpass.getpass("Igen / again: ") != first:
            msg = "the two passwords differ; nothing was changed"
            raise InputSchemaError(msg)
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        msg = "no password on standard input (pipe it in, or use --password-env VAR)"
        raise InputSchemaError(msg)
    return line


def _by(by: str) -> str:
    return by or getpass.getuser() or "cli"


@users_app.command("add")
def add(  # noqa: PLR0917 - Typer passes options positionally
    name: Annotated[str, typer.Argument(help="User name, e.g. anna.analytiker")],
    role: Annotated[
        str, typer.Option("--role", help="analytiker, planerare, est, publik or admin.")
    ],
    password_env: PasswordEnvOpt = None,
    by: ByOpt = "",
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Create an account with a role; the password is read from stdin or --password-env."""
    from hotspots.access.accounts import add_user  # noqa: PLC0415 - argon2 only when used

    store = open_db(db, busy_timeout_s=busy_timeout)
    add_user(store, name, role, _password(password_env), by=_by(by))
    typer.echo(f"user {name} ({role.casefold()}) added to {store}")


@users_app.command("list")
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    db: DbOpt = None,
) -> None:
    """Accounts with their role and state (never the password hashes)."""
    users = open_db(db).users()
    for row in users.to_dict("records"):
        state = "avstängd" if int(row["disabled"] or 0) else "aktiv"
        if row["locked_until"] and not int(row["disabled"] or 0):
            state = f"låst till {row['locked_until']}"
        if as_json:
            out = {k: row[k] for k in ("name", "role", "created", "updated", "locked_until")}
            typer.echo(
                json.dumps(
                    {**out, "disabled": bool(int(row["disabled"] or 0))},
                    default=str,
                    ensure_ascii=False,
                )
            )
        else:
            typer.echo(f"{row['name']}\t{row['role']}\t{state}")


@users_app.command("disable")
def disable(
    name: Annotated[str, typer.Argument(help="User name.")],
    by: ByOpt = "",
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Stop an account from logging in (it is kept, for the audit log)."""
    from hotspots.access.accounts import disable_user  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    disable_user(open_db(db, busy_timeout_s=busy_timeout), name, by=_by(by))
    typer.echo(f"user {name} disabled")


@users_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_env: PasswordEnvOpt = None,
    by: ByOpt = "",
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Set a new password (read from stdin or --password-env); lifts a lockout."""
    from hotspots.access.accounts import set_password  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    set_password(
        open_db(db, busy_timeout_s=busy_timeout), name, _password(password_env), by=_by(by)
    )
    typer.echo(f"new password set for {name}")


@audit_app.command("list")
def audit_list(
    since: Annotated[
        str | None, typer.Option("--since", help="From this date, YYYY-MM-DD.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only this user.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    db: DbOpt = None,
) -> None:
    """Entries of the audit log, oldest first."""
    frame = open_db(db).audit_log(since=since, user=user)
    for row in frame.to_dict("records"):
        if as_json:
            typer.echo(
                json.dumps(
                    {**row, "seq": int(row["seq"]), "detail": json.loads(row["detail"] or "{}")},
                    ensure_ascii=False,
                    default=str,
                )
            )
        else:
            typer.echo(
                f"{int(row['seq'])}\t{row['at']}\t{row['user']}\t{row['event']}\t{row['detail']}"
            )


@audit_app.command("verify")
def audit_verify(db: DbOpt = None) -> None:
    """Check the hash chain; exit 1 and name the first broken entry when it is broken."""
    from hotspots.access.audit import verify  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    store = open_db(db)
    broken = verify(store)
    count = len(store.audit_log())
    if broken is None:
        typer.echo(f"audit log intact: {count} entries")
        return
    seq, reason = broken
    typer.echo(f"audit log BROKEN at entry {seq}: {reason}")
    raise typer.Exit(1)


@audit_app.command("prune")
def audit_prune(
    older_than_months: Annotated[
        int, typer.Option("--older-than-months", min=1, help="Delete entries older than this.")
    ],
    by: ByOpt = "",
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Retention: delete entries older than N months (the deletion itself is logged)."""
    from hotspots.access.audit import apply_retention  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    deleted = apply_retention(
        open_db(db, busy_timeout_s=busy_timeout), months=older_than_months, user=_by(by)
    )
    typer.echo(f"{deleted} audit entries older than {older_than_months} months deleted")


def register(app: typer.Typer) -> None:
    """Add the ``users`` and ``audit`` command groups to ``app``."""
    app.add_typer(users_app)
    app.add_typer(audit_app)
