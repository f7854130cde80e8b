"""The programme a provider joined to a quote version: the person who asked for the quote reads
it before answering, by the session cookie. Anyone else, or a version that does not exist,
answers the same 404, with the porte-documents' private headers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from portal_app.api.documents import PRIVATE_HEADERS, content_disposition
from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.quotes import views


# A plain function: Starlette runs it in its thread pool (database and file reads).
def download_programme(request: Request) -> Response:
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return RedirectResponse("/connexion?motif=expiree&suite=%2Fdemarches", status_code=303)
    try:
        found = views.programme_for(user.id, request.path_params["version_id"])
    except FileNotFoundError:
        found = None
    if found is None:
        return PlainTextResponse("Document introuvable.", status_code=404, headers=PRIVATE_HEADERS)
    name, data = found
    return Response(
        data,
        media_type="application/pdf",
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("attachment", name)},
    )
