"""Downloads of the porte-documents: the owner's session cookie, or nothing.

A document of another account answers exactly like one that does not exist (404), so ids
cannot be probed. Files go out as attachments with nosniff and a sandboxing CSP, never
cached: a browser never renders a user's file as a page of this site.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core import filestore
from portal_app.domain.documents import wallet
from portal_app.domain.dossiers import filed_pieces
from portal_app.domain.uploads.checks import CONTENT_TYPES

PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def content_disposition(kind: str, name: str) -> str:
    """RFC 6266 / 5987: an ASCII fallback, then the exact UTF-8 name."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name) or "document"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _not_found() -> Response:
    return PlainTextResponse("Document introuvable.", status_code=404, headers=PRIVATE_HEADERS)


def private_file(name: str, media_type: str, data: bytes | Path, disposition: str = "attachment") -> Response:
    """A user's file as it always goes out: with PRIVATE_HEADERS, under its own name."""
    headers = {**PRIVATE_HEADERS, "Content-Disposition": content_disposition(disposition, name)}
    if isinstance(data, Path):
        return FileResponse(data, media_type=media_type, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


def for_owner(request: Request, find: Callable[[int], Response | None], back_to: str = "/demarches") -> Response:
    """The one shape of a download kept for its owner: signed in (else the login page, to come
    back to `back_to`), then `find(user_id)`; anything it does not find for that user, or whose
    file is gone, answers the same 404, so ids cannot be probed."""
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return RedirectResponse(f"/connexion?motif=expiree&suite={quote(back_to, safe='')}", status_code=303)
    try:
        found = find(user.id)
    except FileNotFoundError:
        found = None
    return found if found is not None else _not_found()


def _stored(stored_name: str | None) -> Path | None:
    path = filestore.path_of(stored_name) if stored_name else None
    return path if path is not None and path.exists() else None


# Plain functions, like every download route: Starlette runs them in its thread pool, so the
# session and document lookups and the file checks never hold the event loop.
def download_document(request: Request) -> Response:
    def find(user_id: int) -> Response | None:
        document = wallet.get_document(user_id, request.path_params["document_id"])
        path = _stored(document.stored_name) if document is not None else None
        return private_file(document.name, CONTENT_TYPES[document.kind], path) if path else None

    return for_owner(request, find, back_to="/porte-documents")


def document_thumbnail(request: Request) -> Response:
    def find(user_id: int) -> Response | None:
        document = wallet.get_document(user_id, request.path_params["document_id"])
        path = _stored(document.thumbnail_name) if document is not None else None
        return private_file("apercu.jpg", "image/jpeg", path, disposition="inline") if path else None

    return for_owner(request, find, back_to="/porte-documents")


def download_piece(request: Request) -> Response:
    """The frozen copy a filed dossier keeps: its owner only, the same 404 for anyone else."""

    def find(user_id: int) -> Response | None:
        params = request.path_params
        row = filed_pieces.frozen_piece(user_id, params["dossier_id"], params["piece_code"])
        path = _stored(row.stored_name) if row is not None else None
        return private_file(row.name, CONTENT_TYPES[row.kind], path) if path else None

    return for_owner(request, find)
