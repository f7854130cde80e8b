"""What an acceptance writes into the dossier: the answers the quote gives (read-only while it
holds) and two pieces, the quote PDF generated here and the provider's programme."""

from __future__ import annotations

import hashlib

from sqlalchemy import update
from sqlmodel import select

from portal_app.domain.core import filestore
from portal_app.domain.core.dates import paris_long
from portal_app.domain.core.db import UnitOfWork
from portal_app.domain.documents import wallet
from portal_app.domain.dossiers.demarche import Demarche
from portal_app.domain.dossiers.pieces import link_document
from portal_app.domain.quotes.pdf import quote_file_name, quote_pdf
from portal_app.domain.quotes.rules import answer_values
from portal_app.domain.uploads.checks import Accepted
from portal_app.models import Document, Dossier, DossierPiece, QuoteRequest, QuoteVersion
from portal_app.models.base import as_utc, utcnow


class NotFiled(Exception):
    """The acceptance cannot be filed (porte-documents full): the whole action is undone."""


def _pdf(data: bytes, name: str) -> Accepted:
    return Accepted(
        kind="pdf", clean_bytes=data, safe_name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )


def _file(db: UnitOfWork, dossier: Dossier, piece_code: str, accepted: Accepted, category: str) -> None:
    if not piece_code:
        return
    stored = wallet.store_in(db, dossier.owner_id, accepted, category)
    if not isinstance(stored, wallet.Stored):
        raise NotFiled(stored.message)
    link_document(db, dossier, piece_code, stored.document)


def fill_dossier(
    db: UnitOfWork, dossier: Dossier, demarche: Demarche, request: QuoteRequest, version: QuoteVersion
) -> None:
    spec = demarche.quotes
    values = answer_values(version, request.provider_name, request.provider_siret)
    answers = dict(dossier.answers or {})
    answers.update({key: values[source] for source, key in spec.fills})
    db.exec(
        update(Dossier)
        .where(Dossier.id == dossier.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        .values(answers=answers, version=dossier.version + 1, updated_at=utcnow())
    )
    accepted_on = paris_long(as_utc(request.accepted_at))
    _file(
        db, dossier, spec.quote_piece, _pdf(quote_pdf(request, version, accepted_on), quote_file_name(version)), "devis"
    )
    if version.programme_stored_name:
        programme = _pdf(filestore.read(version.programme_stored_name), version.programme_name or "programme.pdf")
        _file(db, dossier, spec.programme_piece, programme, "autre")


def unfile(db: UnitOfWork, dossier: Dossier, demarche: Demarche, request: QuoteRequest, version: QuoteVersion) -> None:
    """A withdrawal from a draft: the pieces this acceptance filed stop being the dossier's (a
    withdrawn quote is no supporting document) and the copies it put in the porte-documents go,
    so that accepting again does not pile them up; a piece the person gave since stays."""
    spec = demarche.quotes
    filed = {
        spec.quote_piece: quote_file_name(version),
        spec.programme_piece: version.programme_name or "programme.pdf",
    }
    rows = db.exec(
        select(DossierPiece).where(
            DossierPiece.dossier_id == dossier.id, DossierPiece.piece_code.in_([c for c in filed if c])
        )  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
    ).all()
    for row in rows:
        document = db.get(Document, row.document_id) if row.document_id and row.frozen_at is None else None
        if (
            document is None
            or document.original_name != filed[row.piece_code]
            or as_utc(document.created_at) < as_utc(request.accepted_at)
        ):
            continue
        db.delete(row)
        db.flush()
        if db.exec(select(DossierPiece.id).where(DossierPiece.document_id == document.id)).first() is None:
            names = (document.stored_name, document.thumbnail_name)
            db.delete(document)
            db.after_commit(lambda names=names: filestore.delete(*names))
