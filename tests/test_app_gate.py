"""The gate in front of the app server, called as the ASGI server calls it (issue 13).

A real :class:`hotspots.app.gate.Gate` around a small ASGI app that answers 200 and echoes
the headers it was given; requests come from this machine or from another address.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from hotspots.access.accounts import ClientThrottle
from hotspots.access.audit import AuditWriter
from hotspots.access.roles import ROLES
from hotspots.access.sessions import SessionRegistry
from hotspots.app.gate import Gate
from hotspots.app.serving import Serving, ServingSettings


async def _echo(scope: Any, receive: Any, send: Any) -> None:
    """Answers 200 with the request's headers as JSON; sends one media URL on a websocket."""
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "bytes": b"\x12 /media/" + b"ab" * 28 + b".pdf"})
        await send({"type": "websocket.close", "code": 1000})
        return
    body = json.dumps({k.decode(): v.decode() for k, v in scope["headers"]}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _call(
    gate: Gate, path: str, *, client: str, headers: dict[str, str] | None = None, kind: str = "http"
) -> list[dict[str, Any]]:
    scope = {
        "type": kind,
        "path": path,
        "method": "GET",
        "query_string": b"",
        "client": (client, 40000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    inbox = [{"type": "websocket.connect"}] if kind == "websocket" else [{"type": "http.request"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return inbox.pop(0) if inbox else {"type": "websocket.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))

    asyncio.run(gate(scope, receive, send))
    return sent


def _gate(tmp_path: Path, mode: str, **settings: Any) -> Gate:
    db = tmp_path / "store.gpkg"
    serving = Serving(
        settings=ServingSettings(mode=mode, store=db, **settings),
        sessions=SessionRegistry(idle_minutes=30),
        throttle=ClientThrottle(),
        audit=AuditWriter(db),
    )
    return Gate(_echo, serving)


def _status(sent: list[dict[str, Any]]) -> int | None:
    for message in sent:
        if message["type"] == "http.response.start":
            return int(message["status"])
        if message["type"] == "websocket.close":
            return -int(message["code"])
    return None


def test_without_accounts_only_this_machine_is_served(tmp_path: Path) -> None:
    gate = _gate(tmp_path, "none")
    assert _status(_call(gate, "/", client="127.0.0.1")) == 200
    assert _status(_call(gate, "/", client="10.20.30.40")) == 403
    assert _status(_call(gate, "/_stcore/stream", client="10.20.30.40", kind="websocket")) == -1008


def test_proxy_headers_count_only_from_this_machine(tmp_path: Path) -> None:
    gate = _gate(tmp_path, "proxy", proxy_roles={"polis": "analytiker", "kommun": "est"})
    vouched = {"X-Forwarded-User": "kim", "X-Forwarded-Groups": "kommun"}
    sent = _call(gate, "/", client="127.0.0.1", headers=vouched)
    assert _status(sent) == 200
    seen = json.loads(sent[-1]["body"])
    assert seen["x-hotspots-session"] == "proxy:est:kim"
    assert _status(_call(gate, "/", client="192.168.1.9", headers=vouched)) == 403
    assert _status(_call(gate, "/", client="127.0.0.1")) == 401
    assert (
        _status(
            _call(gate, "/", client="127.0.0.1", headers={**vouched, "X-Forwarded-Groups": "x"})
        )
        == 401
    )
    # the analyst group wins over the EST group
    both = {"X-Forwarded-User": "kim", "X-Forwarded-Groups": "kommun, polis"}
    assert (
        json.loads(_call(gate, "/", client="127.0.0.1", headers=both)[-1]["body"])[
            "x-hotspots-session"
        ]
        == "proxy:analytiker:kim"
    )


def test_a_client_cannot_send_the_session_header(tmp_path: Path) -> None:
    gate = _gate(tmp_path, "accounts")
    forged = {"X-Hotspots-Session": "anything", "Accept": "text/html"}
    assert _status(_call(gate, "/", client="127.0.0.1", headers=forged)) == 303
    token = gate.serving.sessions.create("anna", ROLES["analytiker"])
    sent = _call(
        gate,
        "/",
        client="127.0.0.1",
        headers={"Cookie": f"hotspots_session={token}", "X-Hotspots-Session": "forged"},
    )
    seen = json.loads(sent[-1]["body"])
    assert seen["x-hotspots-session"] == token  # the gate's, never the client's


def test_media_only_for_the_session_it_was_sent_to(tmp_path: Path) -> None:
    gate = _gate(tmp_path, "accounts")
    anna = gate.serving.sessions.create("anna", ROLES["analytiker"])
    erik = gate.serving.sessions.create("erik", ROLES["est"])
    path = "/media/" + "ab" * 28 + ".pdf"
    assert (
        _status(
            _call(gate, path, client="127.0.0.1", headers={"Cookie": f"hotspots_session={anna}"})
        )
        == 404
    )
    # the websocket of anna's session carries the media URL: from then on she may fetch it
    _call(
        gate,
        "/_stcore/stream",
        client="127.0.0.1",
        kind="websocket",
        headers={"Cookie": f"hotspots_session={anna}"},
    )
    assert (
        _status(
            _call(gate, path, client="127.0.0.1", headers={"Cookie": f"hotspots_session={anna}"})
        )
        == 200
    )
    assert (
        _status(
            _call(gate, path, client="127.0.0.1", headers={"Cookie": f"hotspots_session={erik}"})
        )
        == 404
    )
    assert _status(_call(gate, path, client="127.0.0.1")) == 401


@pytest.mark.parametrize("minutes", [0.0, -1.0])
def test_a_session_registry_needs_a_positive_timeout(minutes: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionRegistry(idle_minutes=minutes)


def test_a_session_ends_after_its_idle_time_and_says_so() -> None:
    import datetime as dt

    registry = SessionRegistry(idle_minutes=30)
    t0 = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
    token = registry.create("anna", ROLES["analytiker"], now=t0)
    assert registry.touch(token, now=t0 + dt.timedelta(minutes=29)) is not None
    assert registry.touch(token, now=t0 + dt.timedelta(minutes=58)) is not None  # 29 idle
    assert registry.get(token, now=t0 + dt.timedelta(minutes=89)) is None  # 31 idle
    assert registry.expired(token)
    assert registry.count() == 0
    other = registry.create("erik", ROLES["est"], now=t0)
    registry.end(other)
    assert not registry.expired(other)  # a logout is not an expiry


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),  # a dual-stack server's IPv4 client
        ("localhost", True),
        ("::ffff:10.0.0.1", False),
        ("10.0.0.1", False),
        ("fe80::1%eth0", False),
        ("testclient", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_addresses(host: str | None, local: bool) -> None:
    from hotspots.app.gate import is_loopback

    assert is_loopback(host) is local
