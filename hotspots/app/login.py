"""The login and logout pages of the app server (Starlette routes beside Streamlit's).

The login page is plain HTML served before any of the app's code reaches the browser. A
right name and password start a session (:class:`hotspots.access.sessions.SessionRegistry`)
whose random token goes into an HttpOnly, SameSite=Strict cookie. A wrong one is answered
only after a delay that grows with each failure in a row; repeated failures lock the account
(in the store, for every app process) and the client address (in this process). Every
attempt is in the audit log (:func:`hotspots.access.accounts.authenticate`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from hotspots.access.accounts import authenticate
from hotspots.app.gate import LOGIN_PATH, LOGOUT_PATH, is_loopback
from hotspots.app.serving import COOKIE, Serving, serving
from hotspots.core.errors import AuthenticationError, HotspotsError
from hotspots.core.i18n import t

__all__ = ["login_page", "routes"]

_TZ = ZoneInfo("Europe/Stockholm")
_MAX_FORM_BYTES = 8192


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang")
    if chosen in ("sv", "en"):
        return chosen
    return "sv"


def _safe_next(target: str | None) -> str:
    """Where to go after login: a path on this server only (never another host)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def login_page(
    lang: str, *, message: str = "", next_path: str = "/", user: str = "", status: int = 200
) -> HTMLResponse:
    """The login form in ``lang``; ``message`` (escaped) above it."""
    esc = html.escape
    other = "en" if lang == "sv" else "sv"
    notice = f'<p class="msg" role="alert">{esc(message)}</p>' if message else ""
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hotspots – {esc(t("login_title", lang))}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }}
main {{ max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
h1 {{ font-size: 1.4rem; margin-top: 0; }}
label {{ display: block; margin-top: 1rem; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; margin-top: .3rem; }}
button {{ margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1f4e79;
  color: #fff; border: 0; border-radius: 4px; cursor: pointer; }}
.msg {{ background: #fdecea; color: #611a15; padding: .6rem; border-radius: 4px; }}
.lang {{ float: right; font-size: .9rem; }}
.note {{ color: #555; font-size: .85rem; margin-top: 1.5rem; }}
</style></head>
<body><main>
<a class="lang" href="{LOGIN_PATH}?lang={other}&amp;next={esc(next_path)}">{
        "English" if lang == "sv" else "Svenska"
    }</a>
<h1>hotspots</h1>
<p>{esc(t("login_intro", lang))}</p>
{notice}
<form method="post" action="{LOGIN_PATH}?lang={lang}">
<input type="hidden" name="next" value="{esc(next_path)}">
<label for="user">{esc(t("login_user", lang))}</label>
<input id="user" name="user" autocomplete="username" required value="{esc(user)}">
<label for="password">{esc(t("app_password", lang))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{esc(t("login_button", lang))}</button>
</form>
<p class="note">{esc(t("login_note", lang))}</p>
</main></body></html>"""
    return HTMLResponse(body, status_code=status, headers={"cache-control": "no-store"})


def _failure_text(exc: AuthenticationError, lang: str) -> str:
    if exc.locked_until:
        until = dt.datetime.fromisoformat(str(exc.locked_until).replace("Z", "+00:00"))
        return t("login_locked", lang, until=until.astimezone(_TZ).strftime("%H:%M"))
    return t("login_wrong", lang)


async def _login(request: Request) -> Response:
    state = serving()
    lang = _lang(request)
    if state.settings.mode != "accounts":
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        message = t("login_expired", lang) if request.query_params.get("expired") else ""
        return login_page(
            lang, message=message, next_path=_safe_next(request.query_params.get("next"))
        )
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        return Response("cross-site login refused", status_code=403)
    raw = await request.body()
    if len(raw) > _MAX_FORM_BYTES:
        return Response("form too large", status_code=413)
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items() if v}
    user = form.get("user", "").strip()
    password = form.get("password", "")
    next_path = _safe_next(form.get("next"))
    client = request.client.host if request.client else ""
    try:
        granted = await run_in_threadpool(
            authenticate,
            state.settings.store,
            user,
            password,
            client=client,
            throttle=state.throttle,
        )
    except AuthenticationError as exc:
        await asyncio.sleep(exc.delay_s)  # growing delays: 1, 2, 4 ... 30 s
        return login_page(
            lang, message=_failure_text(exc, lang), next_path=next_path, user=user, status=401
        )
    except HotspotsError as exc:  # the store is busy or unreachable
        return login_page(lang, message=f"{t('app_store_unavailable', lang)}: {exc}", status=503)
    token = state.sessions.create(user, granted)
    separator = "&" if "?" in next_path else "?"
    target = next_path if "lang=" in next_path else f"{next_path}{separator}lang={lang}"
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, request, token, state)
    return response


def _set_cookie(response: Response, request: Request, token: str, state: Serving) -> None:
    secure = request.url.scheme == "https" or (
        is_loopback(request.client.host if request.client else "")
        and request.headers.get("x-forwarded-proto") == "https"
    )
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


async def _logout(request: Request) -> Response:
    state = serving()
    lang = _lang(request)
    session = state.sessions.end(request.cookies.get(COOKIE))
    if session is not None:
        state.audit.log(session.user, "logout", {"role": session.role.name})
    response = RedirectResponse(f"{LOGIN_PATH}?lang={lang}", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def routes() -> list[Route]:
    """The login and logout routes."""
    return [
        Route(LOGIN_PATH, _login, methods=["GET", "POST"]),
        Route(LOGOUT_PATH, _logout, methods=["GET", "POST"]),
    ]
