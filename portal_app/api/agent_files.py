"""Downloads for agents: only files filed with a dossier (its supporting pieces, each version
filed) or attached to its discussion, never a beneficiary's porte-documents nor a draft's
pieces. Each download is written to the audit trail, in the same transaction as the lookup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from portal_app.api.documents import PRIVATE_HEADERS, content_disposition
from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core import audit, filestore
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import discussion, filed_pieces
from portal_app.domain.uploads.checks import CONTENT_TYPES
from portal_app.models import Message, Role


@dataclass(frozen=True)
class _Found:
    name: str
    kind: str
    data: bytes
    dossier_id: int | None
    details: dict


def _attachment(db: Session, agent_id: int, request: Request) -> _Found | None:
    found = discussion.attachment_for(agent_id, request.path_params["attachment_id"])
    if found is None:
        return None
    attachment, data = found
    message = db.get(Message, attachment.message_id)
    return _Found(
        attachment.name,
        attachment.kind,
        data,
        message.dossier_id if message else None,
        {"attachment_id": attachment.id},
    )


def _filed_piece(db: Session, _agent_id: int, request: Request) -> _Found | None:
    dossier_id = request.path_params["dossier_id"]
    row = filed_pieces.filed_piece_for_agent(db, dossier_id, request.path_params["filed_piece_id"])
    if row is None:
        return None
    return _Found(
        row.name,
        row.kind,
        filestore.read(row.stored_name),
        dossier_id,
        {"filed_piece_id": row.id, "piece": row.piece_code},
    )


def _serve(request: Request, find: Callable[[Session, int, Request], _Found | None]) -> Response:
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return RedirectResponse("/connexion?motif=expiree&suite=%2Fagent", status_code=303)
    not_found = PlainTextResponse("Document introuvable.", status_code=404, headers=PRIVATE_HEADERS)
    if user.role != Role.AGENT:
        return not_found
    with session_scope() as db:
        try:
            found = find(db, user.id, request)
        except FileNotFoundError:
            found = None
        if found is None:
            return not_found
        audit.record(db, user.id, "download_document", dossier_id=found.dossier_id, name=found.name, **found.details)
    return Response(
        found.data,
        media_type=CONTENT_TYPES[found.kind],
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("attachment", found.name)},
    )


# Plain functions: Starlette runs them in its thread pool, so the database lookup, the audit
# write and reading a file of up to 5 MiB never hold the event loop.
def download_attachment(request: Request) -> Response:
    """A file of a dossier's discussion."""
    return _serve(request, _attachment)


def download_filed_piece(request: Request) -> Response:
    """One version of a supporting piece, as filed at one submission."""
    return _serve(request, _filed_piece)
