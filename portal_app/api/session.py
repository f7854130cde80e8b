"""The session cookie is set and cleared here, HttpOnly, out of reach of page scripts.

Event handlers cannot set an HttpOnly cookie (they only reach page JavaScript), so a login
handler hands the browser a one-minute single-use ticket and sends it here with a full page
load; the new websocket then carries the cookie.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import ABSOLUTE_TIMEOUT, COOKIE_NAME
from portal_app.domain.core.navigation import safe_next
from portal_app.settings import get_settings


def _redirect(path: str) -> RedirectResponse:
    # Absolute, on the public address: in development the pages are served from another port.
    response = RedirectResponse(get_settings().base_url + path, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


async def start_session(request: Request) -> RedirectResponse:
    ticket = request.query_params.get("ticket", "")
    opened = accounts.open_session_from_ticket(ticket, request.headers.get("user-agent", ""))
    if opened is None:
        return _redirect("/connexion?motif=lien")
    token, home = opened
    response = _redirect(safe_next(request.query_params.get("suite"), default=home))
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return response


async def end_session(request: Request) -> RedirectResponse:
    # A cross-site GET here can do no more than log the visitor out: acceptable for a GET.
    accounts.logout(request.cookies.get(COOKIE_NAME))
    response = _redirect(safe_next(request.query_params.get("suite"), default="/connexion?motif=deconnexion"))
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=get_settings().secure_cookies)
    return response
