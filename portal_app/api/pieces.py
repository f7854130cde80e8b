"""Downloads of the files of a dossier's discussion: the dossier's owner or an agent, by the
session cookie. Anything else answers like a missing file (404), with the same private
headers as the porte-documents downloads (attachment, nosniff, sandbox CSP, no-store)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from portal_app.api.documents import PRIVATE_HEADERS, content_disposition
from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.dossiers import discussion
from portal_app.domain.uploads.checks import CONTENT_TYPES


# A plain function: Starlette runs it in its thread pool, so the lookups and reading a file of
# up to 5 MiB never hold the event loop.
def download_piece(request: Request) -> Response:
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return RedirectResponse("/connexion?motif=expiree&suite=%2Fdemarches", status_code=303)
    try:
        found = discussion.attachment_for(user.id, request.path_params["attachment_id"])
    except FileNotFoundError:
        found = None
    if found is None:
        return PlainTextResponse("Document introuvable.", status_code=404, headers=PRIVATE_HEADERS)
    attachment, data = found
    return Response(
        data,
        media_type=CONTENT_TYPES[attachment.kind],
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("attachment", attachment.name)},
    )
