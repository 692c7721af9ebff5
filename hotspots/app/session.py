"""The session: its language, the password gate, and the store it works on."""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import streamlit.components.v1

from hotspots.access.roles import ROLES, Role
from hotspots.core.i18n import Lang, t
from hotspots.demo.store import ensure_demo_store
from hotspots.load.settings import resolve_store_ref
from hotspots.store import open_store


def session_lang() -> Lang:
    """The session's language (``sv`` or ``en``)."""
    return st.session_state.get("lang", "sv")  # type: ignore[no-any-return]


def tr(key: str, **values: object) -> str:
    """Translate ``key`` into the session language."""
    return t(key, session_lang(), **values)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person this session serves.

    Attributes
    ----------
    name
        Account name (``lokal`` for the single user of an app without accounts on 127.0.0.1).
    role
        What they may see and do; decided on the server, never by the client.
    """

    name: str
    role: Role


def viewer() -> Viewer:
    """The person this session serves (see :class:`Viewer`)."""
    return Viewer("lokal", ROLES["analytiker"])


def password_gate() -> None:
    """Ask for the app password (``HOTSPOTS_PASSWORD``) before showing anything."""
    expected = os.environ.get("HOTSPOTS_PASSWORD")
    if not expected or st.session_state.get("authenticated"):
        return
    st.title("hotspots")
    given = st.text_input(tr("app_password"), type="password", key="password")
    if given and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        st.session_state["authenticated"] = True
        st.rerun()
    if given:
        st.error(tr("app_password_wrong"))
    st.stop()


def store_ref() -> Path | str:
    """The store the app works on (``HOTSPOTS_DB`` or the default)."""
    return resolve_store_ref(None)


def ensure_store(db: Path | str) -> None:
    """Demo data only where nothing is yet (never over or beside a store that is busy)."""
    if open_store(db).occupied():
        return
    with st.spinner(tr("app_demo_loading")):
        ensure_demo_store(db)
