"""The administrator's page: accounts and the audit log (role ``admin`` only)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from hotspots.access.accounts import add_user, disable_user, set_password
from hotspots.access.audit import verify
from hotspots.access.roles import ROLES
from hotspots.app.session import Viewer, tr
from hotspots.core.errors import HotspotsError
from hotspots.io.csv_safety import excel_csv_bytes
from hotspots.store import open_store

__all__ = ["page_admin"]

_SHOWN_USER_COLUMNS = (
    "name",
    "role",
    "disabled",
    "created",
    "updated",
    "failed_logins",
    "locked_until",
)


def _users_table(db: str) -> pd.DataFrame:
    users = open_store(db).users()
    table = users[[c for c in _SHOWN_USER_COLUMNS if c in users]].copy()  # never the hashes
    table = table.fillna("")
    table["role"] = table["role"].map(lambda r: tr(f"role_{r}") if r in ROLES else r)
    table["disabled"] = table["disabled"].map(
        lambda v: tr("admin_yes") if int(v or 0) else tr("admin_no")
    )
    return table.rename(columns={c: tr(f"admin_col_{c}") for c in table.columns})


def _audit_table(db: str, *, user: str, since: dt.date | None) -> pd.DataFrame:
    log = open_store(db).audit_log()
    if user:
        log = log[log["user"].astype(str) == user]
    if since is not None:
        log = log[log["at"].astype(str) >= since.isoformat()]
    table = log[["seq", "at", "user", "event", "detail"]].sort_values("seq", ascending=False)
    table["detail"] = table["detail"].map(_detail_text)
    return table.rename(columns={c: tr(f"admin_col_{c}") for c in table.columns})


def _detail_text(raw: object) -> str:
    try:
        detail = json.loads(str(raw))
    except ValueError:
        return str(raw)
    if not isinstance(detail, dict):
        return str(detail)
    return ", ".join(f"{k}: {v}" for k, v in detail.items())


def page_admin(db: str, person: Viewer) -> None:
    """Accounts (add, disable, new password) and the audit log (list, verify, download)."""
    st.header(tr("admin_title"))
    try:
        users = _users_table(db)
    except HotspotsError as exc:
        st.error(f"{tr('app_store_unavailable')}: {exc}")
        return
    st.subheader(tr("admin_users"))
    st.dataframe(users, hide_index=True, width="stretch")
    with st.form("admin_add_user", clear_on_submit=True):
        st.markdown(f"**{tr('admin_add_user')}**")
        name = st.text_input(tr("login_user"), key="admin_new_name")
        role_name = st.selectbox(
            tr("admin_col_role"),
            list(ROLES),
            format_func=lambda r: tr(f"role_{r}"),
            key="admin_new_role",
        )
        first = st.text_input(tr("app_password"), type="password", key="admin_new_pw")
        again = st.text_input(tr("admin_password_again"), type="password", key="admin_new_pw2")
        if st.form_submit_button(tr("admin_add_button")):
            _add(db, person, name, str(role_name), first=first, again=again)
    names = open_store(db).users()["name"].astype(str).tolist()
    if names:
        cols = st.columns(2)
        with cols[0].form("admin_disable"):
            chosen = st.selectbox(tr("login_user"), names, key="admin_disable_name")
            if st.form_submit_button(tr("admin_disable_button")):
                _run(lambda: disable_user(db, str(chosen), by=person.name), tr("admin_done"))
        with cols[1].form("admin_passwd", clear_on_submit=True):
            chosen = st.selectbox(tr("login_user"), names, key="admin_pw_name")
            first = st.text_input(tr("app_password"), type="password", key="admin_pw1")
            again = st.text_input(tr("admin_password_again"), type="password", key="admin_pw2")
            if st.form_submit_button(tr("admin_passwd_button")):
                if first != again:
                    st.error(tr("admin_passwords_differ"))
                else:
                    _run(
                        lambda: set_password(db, str(chosen), first, by=person.name),
                        tr("admin_done"),
                    )
    st.subheader(tr("admin_audit"))
    cols = st.columns(3)
    who = cols[0].selectbox(tr("login_user"), ["", *names], key="admin_audit_user")
    since = cols[1].date_input(tr("admin_since"), value=None, key="admin_audit_since")
    if cols[2].button(tr("admin_verify"), key="admin_verify"):
        broken = verify(db)
        if broken is None:
            st.success(tr("admin_verify_ok"))
        else:
            st.error(tr("admin_verify_broken", seq=broken[0], reason=broken[1]))
    table = _audit_table(db, user=str(who or ""), since=since)
    st.dataframe(table, hide_index=True, width="stretch", height=420)
    st.download_button(
        tr("admin_audit_csv"),
        excel_csv_bytes(table, lang=_lang(), translate_headers=False),
        file_name="granskningslogg.csv" if _lang() == "sv" else "audit-log.csv",
        mime="text/csv",
        on_click="ignore",
        key="admin_audit_csv",
    )


def _lang() -> str:
    return str(st.session_state.get("lang", "sv"))


def _add(db: str, person: Viewer, name: str, role_name: str, *, first: str, again: str) -> None:
    if first != again:
        st.error(tr("admin_passwords_differ"))
        return
    _run(lambda: add_user(db, name.strip(), role_name, first, by=person.name), tr("admin_done"))


def _run(action: object, done: str) -> None:
    try:
        action()  # type: ignore[operator]
    except HotspotsError as exc:
        st.error(str(exc))
        return
    st.success(done)
