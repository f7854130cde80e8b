"""`POST /_upload` only for the session of the tab it names.

Reflex runs the upload handler in the state of the tab named by the `Reflex-Client-Token`
header, whoever sends it: a stolen or guessed token would store files for that tab's user. Here,
before a byte of the body is read, the request's own session cookie must be the one the tab's
state was made under (states/tab_session.py); otherwise 403 and nothing is stored.

The check is here and not in the upload handler because the handler never sees this request:
Reflex queues the upload event and runs it in its own task, with the router data (cookie
included) that the tab's websocket brought, so neither the request's headers nor a contextvar
set here reach it.

A training provider answering a quote request has a private link, not an account: its tab is
made under no session. Uploads to the handlers named in `sessionless_handlers` (the provider's
programme) are let through for a tab made under no session, sent without a session cookie; the
handler then finds its caller by the tab's own link (states/quote_provider.py), never a user.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse

from portal_app.api.upload_limit import UPLOAD_PATH
from portal_app.domain.accounts.sessions import fingerprint, token_from_cookie_header

REFUSED = (
    "Envoi refusé : cette page n'est plus liée à votre session. Rechargez la page, "
    "connectez-vous si besoin, puis envoyez à nouveau vos fichiers."
)


def same_session_uploads(
    app, session_of_tab: Callable[[str], Awaitable[str | None]], sessionless_handlers: frozenset[str] = frozenset()
):
    """`session_of_tab(client_token)`: the fingerprint of the session the tab was made under."""

    async def middleware(scope, receive, send):
        if scope["type"] != "http" or scope.get("path") != UPLOAD_PATH or scope.get("method") != "POST":
            return await app(scope, receive, send)
        # Read as Reflex reads them (first value of each header), so both see the same request.
        headers = Headers(scope=scope)
        client_token = headers.get("reflex-client-token", "")
        session = token_from_cookie_header(headers.get("cookie"))
        sessionless = not session and headers.get("reflex-event-handler", "") in sessionless_handlers
        if (
            not client_token
            or not (session or sessionless)
            or await session_of_tab(client_token) != fingerprint(session)
        ):
            refusal = PlainTextResponse(REFUSED, status_code=403, headers={"Connection": "close"})
            return await refusal(scope, receive, send)
        return await app(scope, receive, send)

    return middleware
