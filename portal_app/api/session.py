"""The session cookie is set and cleared here, HttpOnly, out of reach of page scripts.

Event handlers cannot set an HttpOnly cookie (they only reach page JavaScript), so a login
handler hands the browser a one-minute single-use ticket and sends it here with a full page
load; the new websocket then carries the cookie.

Login CSRF: a ticket URL opened from another site must not sign the victim's browser into the
ticket's account. The ticket only opens a session in the browser that asked for it (its
SameSite=Strict ticket cookie, which no other site can set), and both routes refuse a request
the browser marks as coming from another site.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import ABSOLUTE_TIMEOUT, COOKIE_NAME, TICKET_COOKIE, TICKET_COOKIE_PATH
from portal_app.domain.core.navigation import safe_next
from portal_app.routes import HOME, LOGIN
from portal_app.settings import get_settings


def _redirect(path: str) -> RedirectResponse:
    # Absolute, on the public address: in development the pages are served from another port.
    response = RedirectResponse(get_settings().base_url + path, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def franceconnect_logout(id_token: str) -> RedirectResponse | None:
    from portal_app.api.franceconnect import leave_for_logout  # it imports this module

    return leave_for_logout(id_token)


def from_another_site(request: Request) -> bool:
    """A navigation or request started by another site, as the browser reports it. Under
    `make run` the pages (:3000) and the backend (:8000) are the same site: "same-site"."""
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("origin")
    return origin is not None and origin != get_settings().base_origin


def set_session_cookie(response: RedirectResponse, token: str) -> RedirectResponse:
    """The one session cookie, whichever way the login went (password ticket, FranceConnect)."""
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


async def start_session(request: Request) -> RedirectResponse:
    if from_another_site(request):
        # Nothing is read or used up: the visitor signs in here, on the portal itself.
        return _redirect(f"{LOGIN}?motif=autre-site")
    ticket = request.query_params.get("ticket", "")
    browser_key = request.cookies.get(TICKET_COOKIE)
    opened = accounts.open_session_from_ticket(ticket, browser_key, request.headers.get("user-agent", ""))
    if opened is None:
        response = _redirect(f"{LOGIN}?motif=lien")
    else:
        token, home = opened
        response = set_session_cookie(_redirect(safe_next(request.query_params.get("suite"), default=home)), token)
    response.delete_cookie(
        TICKET_COOKIE, path=TICKET_COOKIE_PATH, samesite="strict", secure=get_settings().secure_cookies
    )
    return response


def end_session(request: Request) -> RedirectResponse:
    if from_another_site(request):
        # Another site may not log the visitor out either.
        return _redirect(HOME)
    id_token = accounts.logout(request.cookies.get(COOKIE_NAME))
    # A FranceConnect session ends at the provider too (its end_session), which sends the browser back.
    response = (franceconnect_logout(id_token) if id_token else None) or _redirect(
        safe_next(request.query_params.get("suite"), default="/connexion?motif=deconnexion")
    )
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=get_settings().secure_cookies)
    return response
