"""How the app server admits people: its settings and the state its requests share.

``hotspots app`` passes the settings to the server process in environment variables (the
server is a separate process started by ``streamlit run``); :func:`serving` reads them once
and holds the process's session registry, login throttle and audit writer, shared by the
gate (:mod:`hotspots.app.gate`), the login routes (:mod:`hotspots.app.login`) and the pages.

Modes (``HOTSPOTS_AUTH``):

``none``
    No login; only this machine (127.0.0.1) is served and the one person using it is the
    analyst ``lokal``. The default when the store has no accounts.
``accounts``
    Accounts in the store (``hotspots users add``); a login page, sessions that end after
    ``HOTSPOTS_SESSION_MINUTES`` (30) minutes without activity.
``proxy``
    An authenticating reverse proxy on this machine vouches for each request in trusted
    headers (user, groups); groups map to roles (``HOTSPOTS_PROXY_ROLES``). Requests from
    anywhere but 127.0.0.1 are refused.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from hotspots.access import auth_env
from hotspots.access.accounts import ClientThrottle
from hotspots.access.audit import AuditWriter
from hotspots.access.roles import parse_proxy_roles
from hotspots.access.sessions import AUTH_MODES, DEFAULT_IDLE_MINUTES, SessionRegistry
from hotspots.app.frame_log import FrameLog
from hotspots.core.errors import InputSchemaError
from hotspots.load.settings import resolve_store_ref
from hotspots.store import StoreRef

__all__ = [
    "COOKIE",
    "LOCAL_USER",
    "SESSION_HEADER",
    "Serving",
    "ServingSettings",
    "serving",
]

#: The session cookie (an HttpOnly random token).
COOKIE = "hotspots_session"
#: The header the gate gives the pages: the session's token. Any a client sends is removed.
SESSION_HEADER = "x-hotspots-session"
#: The name of the one person served without accounts.
LOCAL_USER = "lokal"


@dataclass(frozen=True)
class ServingSettings:
    """How the server admits people.

    Attributes
    ----------
    mode
        ``none``, ``accounts`` or ``proxy``.
    store
        The store (accounts, audit log, data).
    idle_minutes
        Minutes without activity after which a session ends.
    proxy_user_header, proxy_groups_header
        The trusted headers of an authenticating proxy (lower case).
    proxy_roles
        Proxy group → role.
    frame_log
        The file of :mod:`hotspots.app.frame_log` (load measurements), or ``None``.
    """

    mode: str
    store: StoreRef
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    proxy_user_header: str = "x-forwarded-user"
    proxy_groups_header: str = "x-forwarded-groups"
    proxy_roles: dict[str, str] = field(default_factory=dict)
    frame_log: str | None = None

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> ServingSettings:
        """Read the settings ``hotspots app`` left in the environment."""
        env = dict(os.environ if environ is None else environ)
        mode = env.get(auth_env.AUTH_ENV, "none").strip().lower() or "none"
        if mode not in AUTH_MODES:
            msg = f"{auth_env.AUTH_ENV}={mode!r}: use one of {', '.join(AUTH_MODES)}"
            raise InputSchemaError(msg)
        return cls(
            mode=mode,
            store=resolve_store_ref(None),
            idle_minutes=float(env.get(auth_env.SESSION_MINUTES_ENV) or DEFAULT_IDLE_MINUTES),
            proxy_user_header=env.get(auth_env.PROXY_USER_HEADER_ENV, "x-forwarded-user").lower(),
            proxy_groups_header=env.get(
                auth_env.PROXY_GROUPS_HEADER_ENV, "x-forwarded-groups"
            ).lower(),
            proxy_roles=parse_proxy_roles(env.get(auth_env.PROXY_ROLES_ENV, "")),
            frame_log=env.get(auth_env.FRAME_LOG_ENV) or None,
        )


@dataclass
class Serving:
    """What every request of one server process shares."""

    settings: ServingSettings
    sessions: SessionRegistry
    throttle: ClientThrottle
    audit: AuditWriter
    frames: FrameLog | None = None


_SERVING: Serving | None = None
_LOCK = threading.Lock()


def serving() -> Serving:
    """The :class:`Serving` of this process, made from the environment on first use."""
    global _SERVING  # noqa: PLW0603 - one per process, shared by gate, routes and pages
    with _LOCK:
        if _SERVING is None:
            settings = ServingSettings.from_environ()
            store = settings.store
            _SERVING = Serving(
                settings=settings,
                sessions=SessionRegistry(idle_minutes=settings.idle_minutes),
                throttle=ClientThrottle(),
                audit=AuditWriter(Path(store) if isinstance(store, Path) else store),
                frames=FrameLog(Path(settings.frame_log)) if settings.frame_log else None,
            )
        return _SERVING
