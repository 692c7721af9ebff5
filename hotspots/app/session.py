"""The session: its language, the person it serves, and the store it works on."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import streamlit.components.v1

from hotspots.access.roles import ROLES, Role
from hotspots.app.gate import LOGIN_PATH, LOGOUT_PATH
from hotspots.app.serving import LOCAL_USER, SESSION_HEADER, serving
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


#: The name of the server's own warm-up run (``hotspots app``): no browser, no person.
WARM_UP_USER = "(uppvärmning)"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person this session serves.

    Attributes
    ----------
    name
        Account name (``lokal`` for the one user of an app without accounts on 127.0.0.1).
    role
        What they may see and do; decided on the server at login, never by the client.
    token
        Their session's token (``None`` without accounts).
    """

    name: str
    role: Role
    token: str | None = None


def viewer() -> Viewer:
    """The person this session serves; without a live session, a login link and the end.

    The gate (:mod:`hotspots.app.gate`) sets one header on the connection, the session's
    token; a client cannot set it. Every run counts as activity of the session.
    """
    state = serving()
    if state.settings.mode == "none":
        return Viewer(LOCAL_USER, ROLES["analytiker"])
    headers = st.context.headers
    if not len(headers):  # the server's own warm-up run (no browser, nobody sees it)
        return Viewer(WARM_UP_USER, ROLES["analytiker"])
    token = headers.get(SESSION_HEADER)
    session = state.sessions.touch(token)
    if session is None or token is None:
        st.title("hotspots")
        st.warning(tr("app_session_ended"))
        link = f"{LOGIN_PATH}?lang={session_lang()}"
        st.markdown(
            f'<a href="{link}" target="_self">{tr("app_login_link")}</a>', unsafe_allow_html=True
        )
        st.stop()
    return Viewer(session.user, session.role, token)


def logout_link(person: Viewer) -> None:
    """Who is logged in, and a logout link, at the top of the sidebar."""
    if person.token is None:
        return
    role_word = tr(f"role_{person.role.name}")
    st.sidebar.caption(tr("app_logged_in_as", user=html.escape(person.name), role=role_word))
    st.sidebar.markdown(
        f'<a href="{LOGOUT_PATH}?lang={session_lang()}" target="_self">{tr("app_logout")}</a>',
        unsafe_allow_html=True,
    )


def audit_view(person: Viewer, page: str, detail: dict[str, object]) -> None:
    """Log a page view with the filters in force, once per change of page or filters."""
    if person.name == WARM_UP_USER:
        return
    record = {"page": page, **detail}
    if st.session_state.get("_audit_last") == record:
        return
    st.session_state["_audit_last"] = record
    state = serving()
    if person.token is not None:
        state.sessions.note_profile(person.token, str(detail.get("profile", "")))
    state.audit.log(person.name, "page_view", {**record, "role": person.role.name})


def store_ref() -> Path | str:
    """The store the app works on (``HOTSPOTS_DB`` or the default)."""
    return resolve_store_ref(None)


def ensure_store(db: Path | str) -> None:
    """Demo data only where nothing is yet (never over or beside a store that is busy)."""
    if open_store(db).occupied():
        return
    with st.spinner(tr("app_demo_loading")):
        ensure_demo_store(db)
