"""Downloads of the porte-documents: the owner's session cookie, or nothing.

A document of another account answers exactly like one that does not exist (404), so ids
cannot be probed. Files go out as attachments with nosniff and a sandboxing CSP, never
cached: a browser never renders a user's file as a page of this site.
"""

from __future__ import annotations

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


def _owner_document(request: Request):
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return None, RedirectResponse("/connexion?motif=expiree&suite=%2Fporte-documents", status_code=303)
    document = wallet.get_document(user.id, request.path_params["document_id"])
    if document is None:
        return None, _not_found()
    return document, None


# Plain functions, like every download route: Starlette runs them in its thread pool, so the
# session and document lookups and the file checks never hold the event loop.
def download_document(request: Request) -> Response:
    document, refusal = _owner_document(request)
    if refusal is not None:
        return refusal
    path = filestore.path_of(document.stored_name)
    if not path.exists():
        return _not_found()
    return FileResponse(
        path,
        media_type=CONTENT_TYPES[document.kind],
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("attachment", document.name)},
    )


def document_thumbnail(request: Request) -> Response:
    document, refusal = _owner_document(request)
    if refusal is not None:
        return refusal
    if not document.thumbnail_name or not filestore.path_of(document.thumbnail_name).exists():
        return _not_found()
    return FileResponse(
        filestore.path_of(document.thumbnail_name),
        media_type="image/jpeg",
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("inline", "apercu.jpg")},
    )


def download_piece(request: Request) -> Response:
    """The frozen copy a filed dossier keeps: its owner only, the same 404 for anyone else."""
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None:
        return RedirectResponse("/connexion?motif=expiree&suite=%2Fdemarches", status_code=303)
    row = filed_pieces.frozen_piece(user.id, request.path_params["dossier_id"], request.path_params["piece_code"])
    if row is None or not filestore.path_of(row.stored_name).exists():
        return _not_found()
    return FileResponse(
        filestore.path_of(row.stored_name),
        media_type=CONTENT_TYPES[row.kind],
        headers={**PRIVATE_HEADERS, "Content-Disposition": content_disposition("attachment", row.name)},
    )
