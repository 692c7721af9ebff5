"""The app server admits people by role (issue 13), tested against real ``hotspots app`` servers.

* curl-like requests: nothing (page, websocket, upload, media file) without a session;
* a real browser per role: the pages and the profile the role allows, nothing wider after
  tampering with the URL or the map's widget value, no incident descriptions in the
  websocket frames of ``est`` and ``planerare``, no request leaving the machine;
* export files reach only the session they were made for, and their download is audited;
* sessions end after their idle time; failures are logged and lock the account;
* ``--auth proxy`` trusts its headers only from this machine; other hosts are refused
  without accounts; the server asks no outside host for anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from app_server import (
    AppServer,
    copy_store,
    free_port,
    start_app,
    stop_app,
    wait_ready,
)

from hotspots.access.accounts import add_user
from hotspots.app.frame_log import session_key
from hotspots.app.serving import COOKIE
from hotspots.core.i18n import t
from hotspots.store import open_store

PASSWORD = "lösenord-för-testet"
USERS = {
    "anna": "analytiker",
    "petra": "planerare",
    "erik": "est",
    "pia": "publik",
    "root": "admin",
    "lasse": "est",  # locked out by the lockout test
}

pytestmark = [pytest.mark.slow]

#: In a websocket frame: the incident points layer of the map (hotspots.render.leaflet.layers),
#: whose JSON travels as a string inside the component's JSON arguments.
POINTS = b'\\"lat0\\"'


class _Recorder:
    """A TCP listener standing in for the outside world (HTTP(S)_PROXY): it counts callers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.calls: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                con, _ = self.sock.accept()
            except OSError:
                return
            with con:
                con.settimeout(2)
                with contextlib.suppress(OSError):
                    self.calls.append(con.recv(200))

    def close(self) -> None:
        self.sock.close()


@contextlib.contextmanager
def _two_apps(db: str, folders: tuple[Path, Path]) -> Iterator[tuple[AppServer, AppServer]]:
    """Two ``hotspots app`` processes on one store, started at once."""
    servers = [start_app(db, folder=f) for f in folders]
    try:
        for server in servers:
            wait_ready(server)
        yield servers[0], servers[1]
    finally:
        for server in servers:
            stop_app(server)


@pytest.fixture(scope="module")
def accounts_store(
    tmp_path_factory: pytest.TempPathFactory, tuned_demo_store_template: Path
) -> Path:
    """A copy of the (tuned) demo store with one account per role."""
    db = copy_store(tuned_demo_store_template, tmp_path_factory.mktemp("auth"))
    for name, role_name in USERS.items():
        add_user(db, name, role_name, PASSWORD, by="test")
    return db


@dataclass
class Servers:
    """The servers of this module on the accounts store, started at once, so that each warms
    up while the tests before its own run; each test waits for its server (``wait_ready``).

    ``main``: as a person starts it; ``expiry``: on every interface, sessions idle after 3 s,
    its proxy variables pointing at ``outside``; ``proxy``: trusting a proxy's headers.
    """

    main: AppServer
    expiry: AppServer
    outside: _Recorder
    proxy: AppServer


@pytest.fixture(scope="module")
def servers(accounts_store: Path) -> Iterator[Servers]:
    outside = _Recorder()
    proxy_env = {"HTTP_PROXY": outside.url, "HTTPS_PROXY": outside.url, "NO_PROXY": ""}
    proxy_env |= {k.lower(): v for k, v in proxy_env.items()}
    started: list[AppServer] = []
    try:
        frame_log = accounts_store.parent / "frames.jsonl"
        started.append(start_app(accounts_store, "--frame-log", str(frame_log)))
        started.append(
            start_app(
                accounts_store,
                "--host",
                "0.0.0.0",
                "--session-minutes",
                "0.05",
                env_extra=proxy_env,
            )
        )
        started.append(
            start_app(
                accounts_store,
                "--auth",
                "proxy",
                "--proxy-role",
                "polis-analys=analytiker",
                "--proxy-role",
                "est-grupp=est",
            )
        )
        yield Servers(main=started[0], expiry=started[1], outside=outside, proxy=started[2])
    finally:
        for running in started:
            stop_app(running)
        outside.close()


@pytest.fixture(scope="module")
def server(servers: Servers) -> AppServer:
    return wait_ready(servers.main)


def _audit(db: Path | str) -> list[dict[str, Any]]:
    log = open_store(db).audit_log()
    out = []
    for record in log.to_dict("records"):
        record["detail"] = json.loads(record["detail"] or "{}")
        out.append(record)
    return out


def _wait_for_audit(
    db: Path | str, predicate: Any, *, at_least: int = 1, timeout_s: float = 30.0
) -> list[dict[str, Any]]:
    """The audit entries matching ``predicate``, once there are ``at_least`` (or time is up)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = [e for e in _audit(db) if predicate(e)]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _failed_login(user: str) -> Any:
    """Whether an audit entry is a failed login of ``user``."""
    return lambda e: e["user"] == user and e["event"] == "login_failed"


# ----------------------------------------------------------------------- without a session


def test_nothing_is_served_without_a_session(server: AppServer) -> None:
    status, headers, _ = server.request("GET", "/")
    assert status == 303
    assert headers["location"].startswith("/hotspots/login")
    for method, path in [
        ("GET", "/media/" + "ab" * 28 + ".html"),
        ("GET", "/media/" + "ab" * 28 + ".pdf"),
        ("PUT", "/_stcore/upload_file/x/y"),
        ("GET", "/_stcore/host-config"),
        ("GET", "/component/hotspots_map/index.html"),
    ]:
        status, _, body = server.request(method, path)
        assert status == 401, (method, path, status, body[:200])
    # a websocket to the app is refused before it opens
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            (
                "GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        answer = sock.recv(200).decode("latin-1")
    assert not answer.startswith("HTTP/1.1 101"), answer
    # the login page answers and escapes what it echoes
    status, _, body = server.request("GET", "/hotspots/login?next=%22%3E%3Cscript%3Ex")
    assert status == 200
    assert b"<script>x" not in body
    assert t("login_button", "sv").encode() in body


def test_a_forged_session_header_or_cookie_admits_nobody(server: AppServer) -> None:
    for headers in (
        {"X-Hotspots-Session": "proxy:analytiker:anna"},
        {"Cookie": "hotspots_session=made-up-token"},
        {"X-Forwarded-User": "anna", "X-Forwarded-Groups": "analytiker"},
    ):
        status, _, _ = server.request("GET", "/_stcore/host-config", headers=headers)
        assert status == 401, headers


def test_a_login_starts_a_session_and_a_logout_ends_it(server: AppServer) -> None:
    status, cookie, _ = server.login("anna", PASSWORD)
    assert status == 303
    assert cookie
    status, _, _ = server.request(
        "GET", "/_stcore/host-config", headers={"Cookie": f"hotspots_session={cookie}"}
    )
    assert status == 200
    status, _headers, _ = server.request(
        "GET", "/hotspots/logout", headers={"Cookie": f"hotspots_session={cookie}"}
    )
    assert status == 303
    status, _, _ = server.request(
        "GET", "/_stcore/host-config", headers={"Cookie": f"hotspots_session={cookie}"}
    )
    assert status == 401
    events = _wait_for_audit(server.db, lambda e: e["user"] == "anna" and e["event"] == "logout")
    assert events, "the logout is not in the audit log"
    assert [e for e in _audit(server.db) if e["user"] == "anna" and e["event"] == "login"]


def test_a_wrong_password_is_refused_and_logged(server: AppServer) -> None:
    status, cookie, body = server.login("erik", "inte-rätt-lösenord")
    assert status == 401
    assert cookie is None
    assert t("login_wrong", "sv").encode() in body
    failed = [e for e in _audit(server.db) if e["user"] == "erik" and e["event"] == "login_failed"]
    assert failed
    assert failed[-1]["detail"]["client"] == "127.0.0.1"


# ------------------------------------------------------------------------------ the browser


@dataclass
class Visit:
    """One person's browser context on the server, with what it received and asked for."""

    context: Any
    page: Any
    frames: list[bytes]
    requests: list[str]

    def received(self) -> bytes:
        return b"".join(self.frames)

    def wait_idle(self) -> None:
        self.page.wait_for_function(
            """() => { const a = document.querySelector('[data-testid=stApp]');
                 return a && a.getAttribute('data-test-script-state') === 'notRunning'; }""",
            timeout=180_000,
        )
        self.page.wait_for_timeout(500)


def _visit(browser: Any, server: AppServer, user: str, *, path: str = "/") -> Visit:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    frames: list[bytes] = []
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda f: frames.append(f if isinstance(f, bytes) else f.encode())
        ),
    )
    page.goto(server.url + path)
    page.wait_for_selector("#user")
    page.fill("#user", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_text(f"{user} (", exact=False).first.wait_for(timeout=180_000)  # logged in as
    visit = Visit(context, page, frames, requests)
    visit.wait_idle()
    return visit


def _sidebar_pages(visit: Visit) -> list[str]:
    group = visit.page.locator("[data-testid=stSidebar] [role=radiogroup]").nth(1)
    group.locator("label").first.wait_for(timeout=60_000)
    return [s.strip() for s in group.locator("label").all_inner_texts()]


def _ask_for_points(visit: Visit) -> None:
    """Tamper: tell the server, from inside the map's frame, that street zoom was reached."""
    visit.page.frame_locator("iframe[title$='hotspots_map']").locator("#hs-root").wait_for(
        timeout=60_000
    )
    frame = next(f for f in visit.page.frames if "hotspots_map" in f.url)
    frame.wait_for_function("() => typeof window.hsRequest === 'function'", timeout=60_000)
    frame.evaluate("() => window.hsRequest('incidents')")
    visit.page.wait_for_timeout(1500)
    visit.wait_idle()


def _descriptions(db: Path, n: int = 300) -> list[bytes]:
    """Distinct incident descriptions of the store, as they may travel in a frame.

    Each text as it is, HTML-escaped, and JSON-encoded once and twice (the map's points are
    a JSON string inside the component's JSON arguments).
    """
    frame = open_store(db).incidents()
    texts = frame["description"].dropna().astype(str)
    texts = texts[texts.str.len() >= 12].drop_duplicates().head(n)
    out: set[bytes] = set()
    for text in texts:
        for form in (text, html.escape(text)):
            once = json.dumps(form)[1:-1]
            out |= {form.encode("utf-8"), once.encode(), json.dumps(once)[1:-1].encode()}
    return sorted(out)


def _local(url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:")) or bool(
        re.match(r"^(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])[:/]", url)
    )


def test_each_role_sees_only_what_it_may(browser: Any, server: AppServer) -> None:
    descriptions = _descriptions(server.db)
    assert descriptions, "the demo store has no descriptions to look for"

    def any_description(data: bytes) -> bool:
        return any(d in data for d in descriptions)

    # the analyst: every page, and points with descriptions at street zoom (the control)
    anna = _visit(browser, server, "anna")
    assert _sidebar_pages(anna) == [
        t(f"app_page_{p}", "sv")
        for p in ("map", "plan", "evaluation", "data", "report", "followup")
    ]
    _ask_for_points(anna)
    assert POINTS in anna.received(), "the analyst got no incident points (control)"
    assert any_description(anna.received()), "the analyst got no descriptions (control)"
    anna.context.close()

    # the planner: points, never descriptions
    petra = _visit(browser, server, "petra")
    assert _sidebar_pages(petra) == [
        t(f"app_page_{p}", "sv") for p in ("map", "plan", "report", "followup")
    ]
    _ask_for_points(petra)
    received = petra.received()
    assert POINTS in received, "the planner got no incident points"
    assert not any_description(received)
    petra.context.close()

    # EST, arriving by a link that asks for the internal profile and the data page
    erik = _visit(browser, server, "erik", path="/?profile=internal&page=data")
    assert _sidebar_pages(erik) == [t(f"app_page_{p}", "sv") for p in ("map", "report", "followup")]
    profile_labels = erik.page.locator("[data-testid=stSidebar] [role=radiogroup]").nth(2)
    assert profile_labels.locator("label").all_inner_texts() == [t("profile_public", "sv")]
    _ask_for_points(erik)
    assert POINTS not in erik.received()
    assert not any_description(erik.received())
    assert erik.page.locator("[data-testid=stException]").count() == 0
    outside = [u for u in anna.requests + petra.requests + erik.requests if not _local(u)]
    assert outside == [], f"requests left the machine: {outside[:5]}"
    erik.context.close()

    # the public role and the administrator
    pia = _visit(browser, server, "pia")
    assert t("app_no_pages", "sv", role=t("role_publik", "sv")) in pia.page.inner_text("body")
    assert not any_description(pia.received())
    pia.context.close()
    root = _visit(browser, server, "root")
    body = root.page.inner_text("body")
    assert t("admin_users", "sv") in body
    assert b"petra" in root.received()  # the accounts table (drawn on a canvas)
    assert b"argon2" not in root.received()  # never a password hash
    assert not any_description(root.received())
    root.context.close()

    views = [e for e in _audit(server.db) if e["event"] == "page_view"]
    by_user = {e["user"]: e["detail"] for e in views}
    assert by_user["erik"]["profile"] == "public"
    assert by_user["petra"]["profile"] == "planning"
    assert by_user["anna"]["profile"] == "internal"
    assert "filters" in by_user["anna"]


def test_the_frame_log_has_every_frame_sent_by_time_size_and_digest_only(
    browser: Any, server: AppServer
) -> None:
    started = time.time()
    visit = _visit(browser, server, "erik")
    try:
        token = next(c["value"] for c in visit.context.cookies() if c["name"] == COOKIE)
        received = list(visit.frames)
    finally:
        visit.context.close()
    text = (Path(server.db).parent / "frames.jsonl").read_text(encoding="utf-8")
    assert token not in text  # a token is a credential: only its hash is written
    assert "erik" not in text  # no content: no user, no map
    assert "overlay" not in text
    records = [json.loads(line) for line in text.splitlines()]
    mine = [r for r in records if r["session"] == session_key(token)]
    logins = [r for r in mine if r["dir"] == "login"]
    assert len(logins) == 1
    assert started <= logins[0]["from"] <= logins[0]["at"] <= time.time()
    sent = [r for r in mine if r["dir"] == "out"]
    # what the browser received is what the server says it sent, in order, byte for byte
    assert [(r["bytes"], r["sha1"]) for r in sent[: len(received)]] == [
        (len(f), hashlib.sha1(f).hexdigest()) for f in received
    ]
    asked = [r for r in mine if r["dir"] == "in"]
    assert asked
    assert asked[0]["at"] >= logins[0]["at"]
    assert asked[0]["at"] <= sent[0]["at"]  # the page asked for its run before any answer
    assert all(a["at"] <= b["at"] for a, b in itertools.pairwise(mine))


def test_export_files_reach_only_their_session(browser: Any, server: AppServer) -> None:
    anna = _visit(browser, server, "anna")
    anna.page.get_by_role("button", name=t("app_prepare_exports", "sv")).click()
    anna.page.get_by_role("button", name="HTML", exact=True).wait_for(timeout=180_000)
    anna.wait_idle()
    media = sorted(set(re.findall(rb"/media/[0-9a-f]{16,128}\.[a-z]+", anna.received())))
    assert media, "no export file was sent to the analyst"
    path = media[0].decode()
    cookie = next(c["value"] for c in anna.context.cookies() if c["name"] == "hotspots_session")
    status, headers, body = server.request(
        "GET", path, headers={"Cookie": f"hotspots_session={cookie}"}
    )
    assert status == 200
    assert body
    assert "attachment" in headers.get("content-disposition", "")
    exported = _wait_for_audit(server.db, lambda e: e["user"] == "anna" and e["event"] == "export")
    assert exported
    assert exported[-1]["detail"]["profile"] == "internal"
    # nobody else: no cookie, another person's session
    assert server.request("GET", path)[0] == 401
    _, other, _ = server.login("erik", PASSWORD)
    assert other
    assert server.request("GET", path, headers={"Cookie": f"hotspots_session={other}"})[0] == 404
    # and not after the analyst logged out
    server.request("GET", "/hotspots/logout", headers={"Cookie": f"hotspots_session={cookie}"})
    assert server.request("GET", path, headers={"Cookie": f"hotspots_session={cookie}"})[0] == 401
    anna.context.close()


def _unpacked(bodies: list[bytes]) -> list[bytes]:
    """The files, with each zip's members and each PDF's text added (both are compressed)."""
    import io
    import zipfile

    from pypdf import PdfReader

    out: list[bytes] = []
    for body in bodies:
        out.append(body)
        if body.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                out.extend(_unpacked([archive.read(n) for n in archive.namelist()]))
        elif body.startswith(b"%PDF"):
            text = "\n".join(
                page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages
            )
            out.append(text.encode("utf-8"))
    return out


def test_the_est_downloads_hold_no_incident(browser: Any, server: AppServer) -> None:
    """Every export file an EST member gets: no points, no descriptions, public profile."""
    descriptions = _descriptions(server.db)
    erik = _visit(browser, server, "erik")
    erik.page.get_by_role("button", name=t("app_prepare_exports", "sv")).click()
    erik.page.get_by_role("button", name="HTML", exact=True).wait_for(timeout=180_000)
    erik.wait_idle()
    media = sorted(set(re.findall(rb"/media/[0-9a-f]{16,128}\.[a-z]+", erik.received())))
    assert len(media) >= 3, media  # HTML, PNG, PDF, zip
    cookie = next(c["value"] for c in erik.context.cookies() if c["name"] == "hotspots_session")
    bodies = []
    for path in media:
        status, _, body = server.request(
            "GET", path.decode(), headers={"Cookie": f"hotspots_session={cookie}"}
        )
        assert status == 200
        bodies.append(body)
    html_files = [b for b in bodies if b.lstrip().lower().startswith(b"<!doctype html")]
    assert html_files, "no HTML export"
    for body in _unpacked(bodies):
        assert b'"lat0"' not in body
        assert POINTS not in body
        assert not any(d in body for d in descriptions)
    exported = _wait_for_audit(server.db, lambda e: e["user"] == "erik" and e["event"] == "export")
    assert {e["detail"]["profile"] for e in exported} == {"public"}
    erik.context.close()


# ------------------------------------------------- expiry and lockout (a server of their own)


def test_sessions_expire_failures_lock_and_nothing_leaves(
    accounts_store: Path, servers: Servers
) -> None:
    outside = servers.outside
    srv = wait_ready(servers.expiry)
    try:
        status, cookie, _ = srv.login("erik", PASSWORD)
        assert status == 303
        assert cookie
        assert (
            srv.request(
                "GET", "/_stcore/host-config", headers={"Cookie": f"hotspots_session={cookie}"}
            )[0]
            == 200
        )
        time.sleep(4)  # past the 3-second idle time of this server
        status, headers, _ = srv.request(
            "GET", "/", headers={"Cookie": f"hotspots_session={cookie}", "Accept": "text/html"}
        )
        assert status == 303
        assert "expired=1" in headers["location"]
        status, _, body = srv.request("GET", headers["location"])
        assert t("login_expired", "sv").encode() in body

        # five failures in a row lock the account (and this client), whatever comes next: the
        # right password, sent once the five are logged (their answers are still delayed)
        results: list[int] = []
        threads = [
            threading.Thread(
                target=lambda: results.append(srv.login("lasse", "fel-fel-fel-fel")[0])
            )
            for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        assert len(_wait_for_audit(accounts_store, _failed_login("lasse"), at_least=5)) == 5
        status, cookie, body = srv.login("lasse", PASSWORD)
        for thread in threads:
            thread.join()
        assert results == [401] * 5
        assert status == 401
        assert cookie is None
        locked_words = t("login_locked", "sv", until="").split(".")[0]
        assert locked_words.encode() in body
    finally:
        stop_app(srv)  # all it did, shutting down included, is in the audit and the recorder
    events = [e for e in _audit(accounts_store) if e["user"] == "lasse"]
    assert sum(e["event"] == "login_failed" for e in events) == 5
    assert any(e["event"] == "login_refused" for e in events)
    record = open_store(accounts_store).users().set_index("name").loc["lasse"]
    assert int(record["failed_logins"]) >= 5
    assert str(record["locked_until"])
    assert outside.calls == [], f"the server called out: {outside.calls}"


# ----------------------------------------------------------------------- starting refused


def _app_exit(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTSPOTS_")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "hotspots",
            "app",
            "--db",
            str(db),
            "--port",
            str(free_port()),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_other_hosts_are_refused_without_accounts(demo_store: Path) -> None:
    db = demo_store
    done = _app_exit(db, "--host", "0.0.0.0")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "--host 0.0.0.0" in lines[0]
    assert "users add" in lines[0]
    assert "Traceback" not in done.stderr
    done = _app_exit(db, "--auth", "accounts")
    assert done.returncode == 2
    assert "no active account" in done.stderr
    done = _app_exit(db, "--auth", "proxy")
    assert done.returncode == 2
    assert "--proxy-role" in done.stderr


def test_proxy_headers_are_trusted_from_this_machine_only(
    accounts_store: Path, servers: Servers
) -> None:
    srv = wait_ready(servers.proxy)  # --auth proxy, est-grupp=est, polis-analys=analytiker
    try:
        vouched = {"X-Forwarded-User": "kalle", "X-Forwarded-Groups": "est-grupp, annat"}
        assert srv.request("GET", "/_stcore/host-config", headers=vouched)[0] == 200
        assert srv.request("GET", "/_stcore/host-config")[0] == 401
        unknown = {"X-Forwarded-User": "kalle", "X-Forwarded-Groups": "okänd"}
        assert srv.request("GET", "/_stcore/host-config", headers=unknown)[0] == 401
        logins = _wait_for_audit(
            accounts_store, lambda e: e["user"] == "kalle" and e["event"] == "login"
        )
        assert logins
        assert logins[-1]["detail"] == {"source": "proxy", "role": "est"}
    finally:
        stop_app(srv)


# ------------------------------------- two app processes on one PostgreSQL store (a meeting)


def test_two_app_processes_share_one_postgresql_store(pg_url: str, tmp_path: Path) -> None:
    """Accounts, lockouts and the audit log are the store's: both processes see them.

    Sessions are each process's own (a reverse proxy routes a browser to one process,
    README); a failure counted by one process and one by the other add up to a lockout.
    """
    from hotspots.access.audit import verify
    from hotspots.demo.store import ensure_demo_store

    ensure_demo_store(pg_url)
    for name in ("anna", "erik", "lasse"):
        add_user(pg_url, name, USERS[name], PASSWORD, by="test")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with _two_apps(pg_url, (tmp_path / "a", tmp_path / "b")) as (one, two):
        status, cookie_one, _ = one.login("anna", PASSWORD)
        assert status == 303
        assert cookie_one
        status, cookie_two, _ = two.login("erik", PASSWORD)
        assert status == 303
        assert cookie_two
        good = {"Cookie": f"hotspots_session={cookie_one}"}
        assert one.request("GET", "/_stcore/host-config", headers=good)[0] == 200
        assert two.request("GET", "/_stcore/host-config", headers=good)[0] == 401  # sticky
        # five failures in a row, by turns: each is sent once the store has logged the one
        # before (whose answer is still being delayed: 1, 2, 4, 8, 16 s)
        answers: list[int] = []
        threads: list[threading.Thread] = []
        for n, server in enumerate((one, two, one, two, one), start=1):
            threads.append(
                threading.Thread(
                    target=lambda s=server: answers.append(s.login("lasse", "fel-fel-fel-fel")[0])
                )
            )
            threads[-1].start()
            assert len(_wait_for_audit(pg_url, _failed_login("lasse"), at_least=n)) == n
        for thread in threads:
            thread.join()
        assert answers == [401] * 5
        status, cookie, _ = two.login("lasse", PASSWORD)  # the right password, after five
        assert status == 401
        assert cookie is None
    events = open_store(pg_url).audit_log()
    lasse = events[events["user"] == "lasse"]
    assert (lasse["event"] == "login_failed").sum() == 5
    assert verify(pg_url) is None
