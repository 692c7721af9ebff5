"""The gate in front of every request the app server answers (ASGI middleware).

No page, websocket, upload or file is served without a live session (modes ``accounts`` and
``proxy``; see :mod:`hotspots.app.serving`):

* a browser without one is sent to the login page; anything else gets 401, a websocket is
  closed before it opens;
* a file Streamlit serves (``/media/<id>.<ext>``: exports, downloads, images) is served only
  to the session it was sent to: the gate reads the media ids in what it sends down each
  session's websocket and answers a request for any other id with 404;
* every download of a file (``Content-Disposition: attachment``) is written to the audit log
  with the user, the file name and the privacy profile in force;
* the pages learn who is asking from one header the gate sets (``x-hotspots-session``); any
  ``x-hotspots-*`` header a client sends is removed first, as are a proxy's user and groups
  headers unless the request comes from this machine.

In mode ``none`` only requests from this machine are served.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

from hotspots.access.roles import ROLES, role_for_groups
from hotspots.app.frame_log import FrameLog
from hotspots.app.serving import COOKIE, SESSION_HEADER, Serving

__all__ = ["LOGIN_PATH", "LOGOUT_PATH", "Gate", "is_loopback", "proxy_session"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOGIN_PATH = "/hotspots/login"
LOGOUT_PATH = "/hotspots/logout"
#: Paths served without a session.
_OPEN_PATHS = frozenset({LOGIN_PATH, LOGOUT_PATH, "/_stcore/health", "/healthz"})
#: Served only to this machine (the warm-up run of ``hotspots app``; it sees no data).
_LOCAL_PATHS = frozenset({"/_stcore/script-health-check"})
_MEDIA = re.compile(rb"/media/([0-9a-f]{16,128})\.[A-Za-z0-9]{1,8}")
_MEDIA_PATH = re.compile(r"^/media/([0-9a-f]{16,128})\.[A-Za-z0-9]{1,8}$")
_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a client address) is this machine (IPv4, IPv6 or IPv4-mapped)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


class Gate:
    """ASGI middleware admitting only live sessions (see the module docstring).

    Parameters
    ----------
    app
        The Streamlit ASGI app behind the gate.
    serving
        The process's settings, sessions, throttle and audit writer; ``None`` takes
        :func:`hotspots.app.serving.serving` on the first request.
    """

    def __init__(self, app: ASGIApp, serving: Serving | None = None) -> None:
        self.app = app
        self._serving = serving

    @property
    def serving(self) -> Serving:
        """The process's serving state."""
        if self._serving is None:
            from hotspots.app.serving import serving  # noqa: PLC0415 - made on first request

            self._serving = serving()
        return self._serving

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Admit, redirect or refuse one request (see the module docstring)."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        settings = self.serving.settings
        client = (scope.get("client") or ("", 0))[0]
        local = is_loopback(client)
        path = str(scope.get("path", ""))
        trusted = settings.mode == "proxy" and local
        proxy_headers = {settings.proxy_user_header.encode(), settings.proxy_groups_header.encode()}
        scope = dict(scope)
        scope["headers"] = [
            (k, v)
            for k, v in scope.get("headers", [])
            if not k.lower().startswith(b"x-hotspots-")
            and (trusted or k.lower() not in proxy_headers)
        ]
        if path in _OPEN_PATHS:
            frames = self.serving.frames
            if frames is not None and path == LOGIN_PATH and scope.get("method") == "POST":
                send = _logged_login(frames, send)
            await self.app(scope, receive, send)
            return
        if path in _LOCAL_PATHS:
            if not local:
                await _refuse(scope, receive, send, 403, "forbidden")
                return
            await self.app(scope, receive, send)
            return
        if settings.mode == "none":
            if not local:
                await _refuse(scope, receive, send, 403, "this app serves only this machine")
                return
            await self.app(scope, receive, send)
            return
        if settings.mode == "proxy" and not local:
            await _refuse(scope, receive, send, 403, "only the authenticating proxy may connect")
            return
        token = self._session_token(scope)
        if token is None:
            await self._to_login(scope, receive, send)
            return
        scope["headers"].append((SESSION_HEADER.encode(), token.encode()))
        media = _MEDIA_PATH.match(path)
        if media is not None:
            if not self.serving.sessions.may_fetch(token, media.group(1)):
                await _refuse(scope, receive, send, 404, "not found")
                return
            await self.app(scope, receive, self._audited_download(token, path, send))
            return
        if scope["type"] == "websocket":
            frames = self.serving.frames
            if frames is not None:
                receive = _logged_receive(frames, token, receive)
            await self.app(scope, receive, self._media_watch(token, send))
            return
        await self.app(scope, receive, send)

    def _session_token(self, scope: Scope) -> str | None:
        """The token of the request's live session, or ``None``."""
        sessions = self.serving.sessions
        settings = self.serving.settings
        if settings.mode == "proxy":
            user = (_header(scope, settings.proxy_user_header.encode()) or "").strip()
            groups_text = _header(scope, settings.proxy_groups_header.encode()) or ""
            groups = [g.strip() for g in re.split(r"[,;]", groups_text) if g.strip()]
            granted = role_for_groups(groups, settings.proxy_roles)
            if not user or granted is None:
                return None
            return proxy_session(self.serving, user, granted.name)
        token = _cookie(scope, COOKIE)
        session = sessions.get(token)
        return token if session is not None else None

    async def _to_login(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.serving.settings.mode == "proxy":  # the proxy logs people in, not we
            await _refuse(scope, receive, send, 401, "the proxy did not vouch for this request")
            return
        token = _cookie(scope, COOKIE)
        expired = self.serving.sessions.expired(token)
        if scope["type"] == "websocket":
            await _refuse(scope, receive, send, 401, "log in first")
            return
        method = scope.get("method", "GET")
        accept = _header(scope, b"accept") or ""
        if method == "GET" and ("text/html" in accept or scope["path"] == "/"):
            target = scope["path"] + (
                "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
            )
            location = f"{LOGIN_PATH}?next={quote(target, safe='')}"
            if expired:
                location += "&expired=1"
            await _respond(send, 303, b"", [(b"location", location.encode("latin-1"))])
            return
        await _refuse(scope, receive, send, 401, "log in first")

    def _media_watch(self, token: str, send: Send) -> Send:
        sessions = self.serving.sessions
        frames = self.serving.frames

        async def watched(message: Message) -> None:
            data = None
            if message.get("type") == "websocket.send":
                data = message.get("bytes") or (message.get("text") or "").encode("utf-8")
                ids = [m.decode("ascii") for m in _MEDIA.findall(data)]
                if ids:
                    sessions.allow_media(token, ids)
            await send(message)
            if frames is not None and data is not None:
                frames.frame(token, "out", data)  # once handed to the socket

        return watched

    def _audited_download(self, token: str, path: str, send: Send) -> Send:
        serving = self.serving

        async def audited(message: Message) -> None:
            if message.get("type") == "http.response.start" and message.get("status") == 200:
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                disposition = headers.get(b"content-disposition", b"").decode("latin-1")
                if "attachment" in disposition.lower():
                    session = serving.sessions.get(token)
                    if session is not None:
                        found = _FILENAME.search(disposition)
                        serving.audit.log(
                            session.user,
                            "export",
                            {
                                "file": found.group(1) if found else path,
                                "profile": session.profile,
                                "role": session.role.name,
                                "media": path,
                            },
                        )
            await send(message)

        return audited


def _logged_receive(frames: FrameLog, token: str, receive: Receive) -> Receive:
    async def logged() -> Message:
        message = await receive()
        if message.get("type") == "websocket.receive":
            data = message.get("bytes") or (message.get("text") or "").encode("utf-8")
            frames.frame(token, "in", data)
        return message

    return logged


def _logged_login(frames: FrameLog, send: Send) -> Send:
    started = time.time()

    async def logged(message: Message) -> None:
        if message.get("type") == "http.response.start":
            for key, value in message.get("headers", []):
                cookie = value.decode("latin-1")
                if key.lower() == b"set-cookie" and cookie.startswith(f"{COOKIE}="):
                    token = cookie.split(";", 1)[0].split("=", 1)[1]
                    if token:
                        frames.login(token, started)
        await send(message)

    return logged


def proxy_session(serving: Serving, user: str, role_name: str) -> str:
    """The session token of a user the proxy vouched for (one per user and role).

    The proxy owns the login; the token is derived from the user and role so each request
    finds the same session (its media and its audit), and a new one starts after the idle
    time.
    """
    key = f"proxy:{role_name}:{user}"
    sessions = serving.sessions
    if sessions.touch(key) is None:
        sessions.adopt(key, user, ROLES[role_name], source="proxy")
        serving.audit.log(user, "login", {"source": "proxy", "role": role_name})
    return key


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, text: str) -> None:
    if scope["type"] == "websocket":
        message = await receive()
        if message.get("type") == "websocket.connect":
            await send({"type": "websocket.close", "code": 1008, "reason": text[:120]})
        return
    await _respond(
        send, status, text.encode("utf-8"), [(b"content-type", b"text/plain; charset=utf-8")]
    )
