"""Supporting documents for tests: one small PDF in the porte-documents, given for every
required piece of a draft. Runs in the app's environment (unit tests, or portal.python)."""

from __future__ import annotations

import hashlib

from portal_app.domain.documents import wallet as docs
from portal_app.domain.dossiers import pieces
from portal_app.domain.uploads.checks import Accepted


def store_pdf(user_id: int, name: str = "justificatif.pdf", body: bytes | None = None) -> int:
    """A document straight into the store (the upload pipeline is tested elsewhere)."""
    from tests.support.corpus import pdf

    data = body if body is not None else pdf()
    accepted = Accepted(
        kind="pdf", clean_bytes=data, safe_name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=1
    )
    return docs.store(user_id, accepted).document.id


def attach_required(user_id: int, dossier_id: int, document_id: int | None = None) -> int:
    """Every required piece of the draft gets the same document; returns its id."""
    document_id = document_id or store_pdf(user_id)
    for status in pieces.pieces_status(user_id, dossier_id):
        if status.required:
            assert pieces.attach(user_id, dossier_id, status.code, document_id) is None
    return document_id


def attach_each(user_id: int, dossier_id: int) -> dict[str, str]:
    """Every required piece gets its own document, "<code>.pdf" of pieces_body(index) bytes;
    returns {code: file name}, in the démarche's order."""
    from tests.support.corpus import pdf

    names = {}
    required = [status.code for status in pieces.pieces_status(user_id, dossier_id) if status.required]
    for index, code in enumerate(required):
        document_id = store_pdf(user_id, f"{code}.pdf", pdf(index + 1))
        assert pieces.attach(user_id, dossier_id, code, document_id) is None
        names[code] = f"{code}.pdf"
    return names
