"""The "Télécharger mes données" zip: its owner only, by the session cookie, for 24 hours;
anyone else, an expired or unknown export answers the same 404."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from portal_app.api.documents import PRIVATE_HEADERS, content_disposition
from portal_app.domain import accounts
from portal_app.domain.accounts import data_export
from portal_app.domain.accounts.sessions import COOKIE_NAME


# A plain function: Starlette runs it in its thread pool (database and file reads).
def download_export(request: Request) -> Response:
    export_id = request.path_params["export_id"]
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        # Mon compte lists the file once signed in.
        return RedirectResponse("/connexion?motif=expiree&suite=%2Fmon-compte", status_code=303)
    try:
        data = data_export.export_for(user.id, export_id)
    except FileNotFoundError:
        data = None
    if data is None:
        return PlainTextResponse(
            "Ce fichier n'existe plus : il n'est gardé que 24 heures. Demandez-en un nouveau dans Mon compte.",
            status_code=404,
            headers=PRIVATE_HEADERS,
        )
    return Response(
        data,
        media_type="application/zip",
        headers={
            **PRIVATE_HEADERS,
            "Content-Disposition": content_disposition("attachment", "mes-donnees-portail.zip"),
        },
    )
