"""Login sessions of one serving process: who, which role, since when, and what they may fetch.

A session is created when a person logs in (or when an authenticating proxy vouches for
them) and ends at logout or after :data:`DEFAULT_IDLE_MINUTES` minutes without activity.
The browser holds only a random token (an HttpOnly cookie); the registry keys sessions by the
token's SHA-256, so a dump of the process memory does not hand out live cookies.

Files the app made for a session (exports, downloads, images) are served only to that
session: :meth:`SessionRegistry.allow_media` records each media id the session was sent,
:meth:`SessionRegistry.may_fetch` answers the request for it.

Sessions live in the process that serves them. Several app processes behind one reverse
proxy therefore need sticky routing (Streamlit needs it anyway: its media files and
websockets live in one process); the README shows an nginx configuration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from dataclasses import dataclass, field

from hotspots.access.roles import Role

__all__ = ["AUTH_MODES", "DEFAULT_IDLE_MINUTES", "Session", "SessionRegistry"]

#: Ways the app admits people: no login (this machine only), the store's accounts, or an
#: authenticating reverse proxy (see :mod:`hotspots.app.serving`).
AUTH_MODES: tuple[str, ...] = ("none", "accounts", "proxy")

#: Minutes without activity after which a session ends.
DEFAULT_IDLE_MINUTES = 30
#: Sessions remembered as ended for idleness (so the login page can say why).
_ENDED_REMEMBERED = 10_000
#: Media ids remembered per session (the newest are kept).
_MEDIA_PER_SESSION = 2000


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


@dataclass
class Session:
    """One logged-in person in one browser.

    Attributes
    ----------
    user
        Account name (or the name the proxy gave).
    role
        Their role, decided at login on the server.
    source
        ``accounts`` (logged in with a password) or ``proxy`` (vouched for by a proxy).
    started, last_seen
        UTC times of the login and of the last activity.
    profile
        The privacy profile the session last viewed (for the audit of its exports).
    media
        Media ids (Streamlit ``/media/<id>.<ext>``) this session was sent.
    """

    user: str
    role: Role
    source: str
    started: dt.datetime
    last_seen: dt.datetime
    profile: str = ""
    media: dict[str, None] = field(default_factory=dict)


class SessionRegistry:
    """The sessions of one process, safe to use from the server's threads.

    Parameters
    ----------
    idle_minutes
        Minutes without activity after which a session ends (default 30).
    """

    def __init__(self, *, idle_minutes: float = DEFAULT_IDLE_MINUTES) -> None:
        if idle_minutes <= 0:
            msg = f"session timeout must be positive minutes (got {idle_minutes})"
            raise ValueError(msg)
        self.idle = dt.timedelta(minutes=idle_minutes)
        self._sessions: dict[str, Session] = {}
        self._ended: dict[str, None] = {}  # digests of sessions that ran out of time
        self._lock = threading.Lock()

    def create(
        self, user: str, role: Role, *, source: str = "accounts", now: dt.datetime | None = None
    ) -> str:
        """Start a session for ``user``; returns the token for the browser's cookie."""
        token = secrets.token_urlsafe(32)
        moment = _now(now)
        with self._lock:
            self._sessions[_digest(token)] = Session(user, role, source, moment, moment)
        return token

    def adopt(
        self, token: str, user: str, role: Role, *, source: str, now: dt.datetime | None = None
    ) -> None:
        """Start a session under a token the caller chose (a proxy's vouched-for user)."""
        moment = _now(now)
        with self._lock:
            self._sessions[_digest(token)] = Session(user, role, source, moment, moment)

    def get(self, token: str | None, *, now: dt.datetime | None = None) -> Session | None:
        """The live session of ``token`` (its activity is not recorded), or ``None``."""
        return self._lookup(token, now=now, touch=False)

    def touch(self, token: str | None, *, now: dt.datetime | None = None) -> Session | None:
        """The live session of ``token``, recording activity now; ``None`` when it ended."""
        return self._lookup(token, now=now, touch=True)

    def _lookup(self, token: str | None, *, now: dt.datetime | None, touch: bool) -> Session | None:
        if not token:
            return None
        key = _digest(token)
        moment = _now(now)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if moment - session.last_seen > self.idle:
                self._drop_idle(key)
                return None
            if touch:
                session.last_seen = max(session.last_seen, moment)
            return session

    def _drop_idle(self, key: str) -> None:
        """End the session ``key`` for idleness, remembering that it ran out (lock held)."""
        del self._sessions[key]
        self._ended[key] = None
        while len(self._ended) > _ENDED_REMEMBERED:
            self._ended.pop(next(iter(self._ended)))

    def expired(self, token: str | None, *, now: dt.datetime | None = None) -> bool:
        """Whether ``token`` names a session that ended for idleness (not a logout)."""
        if not token:
            return False
        key = _digest(token)
        with self._lock:
            session = self._sessions.get(key)
            if session is not None and _now(now) - session.last_seen > self.idle:
                self._drop_idle(key)
            return key in self._ended

    def end(self, token: str | None) -> Session | None:
        """End the session of ``token`` (logout); returns it, or ``None`` when there was none."""
        if not token:
            return None
        with self._lock:
            return self._sessions.pop(_digest(token), None)

    def allow_media(self, token: str, media_ids: list[str]) -> None:
        """Record that the session of ``token`` was sent the media files ``media_ids``."""
        if not media_ids:
            return
        with self._lock:
            session = self._sessions.get(_digest(token))
            if session is None:
                return
            for media_id in media_ids:
                session.media.pop(media_id, None)
                session.media[media_id] = None
            while len(session.media) > _MEDIA_PER_SESSION:
                session.media.pop(next(iter(session.media)))

    def may_fetch(
        self, token: str | None, media_id: str, *, now: dt.datetime | None = None
    ) -> bool:
        """Whether the live session of ``token`` was sent media file ``media_id``."""
        session = self.touch(token, now=now)
        if session is None:
            return False
        with self._lock:
            return media_id in session.media

    def note_profile(self, token: str, profile: str) -> None:
        """Record the privacy profile the session views now (for the audit of exports)."""
        with self._lock:
            session = self._sessions.get(_digest(token))
            if session is not None:
                session.profile = profile

    def count(self, *, now: dt.datetime | None = None) -> int:
        """Live sessions (ended ones are dropped on the way)."""
        moment = _now(now)
        with self._lock:
            for key in [k for k, s in self._sessions.items() if moment - s.last_seen > self.idle]:
                self._drop_idle(key)
            return len(self._sessions)
