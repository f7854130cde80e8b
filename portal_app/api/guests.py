"""The guest session cookie is set here, HttpOnly, like the account one (api/session.py): from
the one-minute ticket of a code just typed, or from the resume link mailed with a draft."""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse

from portal_app import routes
from portal_app.domain.core.tokens import TTL, Purpose
from portal_app.domain.guests import access
from portal_app.settings import get_settings


def _redirect(path: str) -> RedirectResponse:
    response = RedirectResponse(get_settings().base_url + path, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def open_guest(request: Request) -> RedirectResponse:
    opened = access.open_link(request.query_params.get("jeton", ""))
    if opened is None:
        code = request.query_params.get("demarche", "")
        # Back to the code page of that démarche, which says the link no longer works.
        return _redirect(routes.guest_start(quote(code, safe="")) + "?motif=lien")
    response = _redirect(opened.path)
    response.set_cookie(
        access.COOKIE_NAME,
        opened.session,
        max_age=int(TTL[Purpose.GUEST_SESSION].total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return response
