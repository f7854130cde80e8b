"""Downloads for agents: only files attached to a dossier (its discussion), never a
beneficiary's porte-documents. Each download is written to the audit trail."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from portal_app.api.documents import PRIVATE_HEADERS, content_disposition
from portal_app.domain import accounts, audit, discussion
from portal_app.domain.sessions import COOKIE_NAME
from portal_app.domain.uploads import CONTENT_TYPES
from portal_app.models import Message


async def download_attachment(request: Request) -> Response:
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return RedirectResponse("/connexion?motif=expiree&suite=%2Fagent", status_code=303)
    found = discussion.attachment_for(user.id, request.path_params["attachment_id"]) if user.role == "agent" else None
    if found is None:
        return PlainTextResponse("Document introuvable.", status_code=404, headers=PRIVATE_HEADERS)
    attachment, data = found
    from portal_app.domain.db import session_scope

    with session_scope() as db:
        message = db.get(Message, attachment.message_id)
        audit.record(db, user.id, "download_document", dossier_id=message.dossier_id if message else None,
                     attachment_id=attachment.id, name=attachment.name)
    return Response(
        data,
        media_type=CONTENT_TYPES[attachment.kind],
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("attachment", attachment.name)},
    )
