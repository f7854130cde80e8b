"""FranceConnect's routes: leave for the provider, come back (callback), open the session of an
account just created or linked, and come back from the provider's logout.

Plain (sync) Starlette endpoints: Starlette runs them in its thread pool, so the discovery, token
and userinfo requests never hold the event loop.

The trip is bound to the browser that left by an HttpOnly cookie (`portal_fc`): a state
replayed from another browser finds no trip. The session opened here is the password login's
(sessions.open_session, the same HttpOnly cookie): an HTTP route sets it directly, where a page
needs the login ticket.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse

from portal_app import routes
from portal_app.api.session import _redirect, from_another_site, set_session_cookie
from portal_app.domain.accounts import current_user
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core.navigation import safe_next
from portal_app.domain.core.tokens import new_token
from portal_app.domain.franceconnect import client, trips
from portal_app.domain.franceconnect.client import Level, Refused
from portal_app.domain.franceconnect.trips import PENDING_LIFETIME, Outcome
from portal_app.settings import get_settings

TRIP_COOKIE = "portal_fc"


def own_origin() -> str:
    """Where the provider sends the browser back: this backend's public address from the settings
    (its own port under `make run`), never the request's Host header, which a client or a
    proxy in front of us chooses."""
    settings = get_settings()
    return settings.backend_url or settings.base_url


def callback_uri() -> str:
    return own_origin() + routes.FC_CALLBACK


def _login_with(reason: str) -> RedirectResponse:
    return _redirect(f"{routes.LOGIN}?motif={reason}")


def leave(request: Request) -> RedirectResponse:
    if from_another_site(request):
        return _login_with("autre-site")
    level = Level.FCPLUS if request.query_params.get("niveau") == Level.FCPLUS.value else Level.FC
    return_to = safe_next(request.query_params.get("suite"), default="")
    user_id = None
    if level is Level.FCPLUS and return_to:
        # FranceConnect+ before filing: the signed-in person proves the identity again.
        user = current_user(request.cookies.get(COOKIE_NAME))
        user_id = user.id if user is not None else None
    browser_key = new_token()
    try:
        url = trips.begin(level, browser_key, redirect_uri=callback_uri(), user_id=user_id, return_to=return_to)
    except Refused:
        return _login_with("fc-indisponible")
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.set_cookie(
        TRIP_COOKIE,
        browser_key,
        max_age=int(PENDING_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",  # sent on the provider's redirect back (a top-level GET)
        secure=get_settings().secure_cookies,
    )
    return response


def callback(request: Request) -> RedirectResponse:
    result = trips.finish(
        dict(request.query_params),
        request.cookies.get(TRIP_COOKIE),
        redirect_uri=callback_uri(),
        user_agent=request.headers.get("user-agent", ""),
        session_token=request.cookies.get(COOKIE_NAME),
    )
    if result.outcome is Outcome.SIGNED_IN:
        return set_session_cookie(_redirect(result.target), result.session_token)
    if result.outcome is Outcome.CONFIRM:
        return _redirect(routes.FC_CONFIRM)
    if result.outcome is Outcome.STEPPED_UP:
        return _redirect(safe_next(result.target, default=routes.MY_DOSSIERS))
    if result.target:
        separator = "&" if "?" in result.target else "?"
        return _redirect(f"{safe_next(result.target)}{separator}franceconnect={quote(result.reason)}")
    return _login_with(result.reason)


def finish_signup(request: Request) -> RedirectResponse:
    if from_another_site(request):
        return _login_with("autre-site")
    result = trips.complete(request.cookies.get(TRIP_COOKIE), request.headers.get("user-agent", ""))
    if result.outcome is not Outcome.SIGNED_IN:
        return _login_with(result.reason)
    return set_session_cookie(_redirect(result.target), result.session_token)


LOGOUT_COOKIE = "portal_fc_logout"


def leave_for_logout(id_token: str) -> RedirectResponse | None:
    """After our session ended: the provider's end_session, so that FranceConnect's session
    ends too (id_token_hint, state, the registered return address). None when unreachable."""
    registration = client.registration(client.issued_by(id_token))
    if registration is None:
        return None
    state = client.new_secret()
    try:
        url = client.logout_url(
            registration,
            id_token=id_token,
            state=state,
            post_logout_redirect_uri=own_origin() + routes.FC_LOGOUT,
        )
    except Refused:
        return None
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        LOGOUT_COOKIE,
        state,
        max_age=600,
        path=routes.FC_LOGOUT,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return response


def logged_out(request: Request) -> RedirectResponse:
    """The provider sends the browser back here with our state; our session ended before."""
    expected = request.cookies.get(LOGOUT_COOKIE)
    same = bool(expected) and hmac.compare_digest(expected, request.query_params.get("state", ""))
    response = _login_with("deconnexion") if same else _redirect(routes.LOGIN)
    response.delete_cookie(LOGOUT_COOKIE, path=routes.FC_LOGOUT)
    return response
