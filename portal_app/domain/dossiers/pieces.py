"""The supporting documents (pièces justificatives) of a dossier.

While the dossier is a draft, a piece is a link to a document of the owner's porte-documents:
renaming it shows here, deleting it makes the piece missing again. At submission every piece
is frozen: its file is copied under a new stored name and described on the row, so later
changes in the porte-documents never change a filed dossier. Each submission also records
what it filed (FiledPiece rows, which own the frozen files): a dossier reopened and filed
again keeps the version of every piece filed each time.

Every function takes the acting user's id: another owner's dossier is NotFound (like a
missing one) and another owner's document "no longer exists", so ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from portal_app.domain.core import filestore
from portal_app.domain.core.dates import paris_long
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.documents import wallet as docs
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers.demarche import Demarche, PieceSpec
from portal_app.domain.dossiers.drafts import NotFound, Refused, _owned, demarche_of, editable_in
from portal_app.domain.dossiers.filed_pieces import piece_rank
from portal_app.domain.uploads.checks import Accepted, format_size
from portal_app.domain.uploads.checks import Refused as UploadRefused
from portal_app.models import Document, Dossier, DossierPiece, FiledPiece
from portal_app.models.base import as_utc, utcnow

GONE = "Ce document n'existe plus dans votre porte-documents. Choisissez-en un autre."

__all__ = ["NotFound", "Refused", "PieceStatus"]


@dataclass(frozen=True)
class PieceStatus:
    code: str
    label: str
    help: str
    required: bool
    attached: bool
    name: str = ""
    size: int = 0
    document_id: int | None = None
    frozen: bool = False
    added: str = ""  # "ajouté le 3 mars 2026 à 14 h 05": the document's, or the filed copy's date

    @property
    def size_label(self) -> str:
        return format_size(self.size) if self.attached else ""


def pieces_step(demarche: Demarche) -> str:
    """Code of the step that shows the pieces (errors of missing pieces are filed under it)."""
    return next((step.code for step in demarche.steps if step.shows_pieces), "")


def _rows(db: Session, dossier_id: int) -> dict[str, DossierPiece]:
    rows = db.exec(select(DossierPiece).where(DossierPiece.dossier_id == dossier_id)).all()
    return {row.piece_code: row for row in rows}


def _status(db: Session, dossier: Dossier, demarche: Demarche) -> list[PieceStatus]:
    rows = _rows(db, dossier.id)
    result = []
    for piece in rules.visible_pieces(demarche, dossier.answers or {}):
        row = rows.get(piece.code)
        base = {"code": piece.code, "label": piece.label, "help": piece.help, "required": piece.required}
        if row is not None and row.frozen_at is not None and row.stored_name:
            result.append(
                PieceStatus(
                    **base,
                    attached=True,
                    name=row.name,
                    size=row.size,
                    document_id=row.document_id,
                    frozen=True,
                    added=f"déposé le {paris_long(as_utc(row.frozen_at))}",
                )
            )
            continue
        document = docs._owned(db, dossier.owner_id, row.document_id) if row is not None and row.document_id else None
        if document is None:
            result.append(PieceStatus(**base, attached=False))
        else:
            result.append(
                PieceStatus(
                    **base,
                    attached=True,
                    name=document.name,
                    size=document.size,
                    document_id=document.id,
                    added=docs.added_label(document),
                )
            )
    return result


def pieces_status(user_id: int, dossier_id: int) -> list[PieceStatus]:
    """The pieces the dossier's answers ask for, each attached or missing."""
    with session_scope() as db:
        dossier = _owned(db, user_id, dossier_id)
        return _status(db, dossier, demarche_of(dossier))


def missing_labels(user_id: int, dossier_id: int) -> list[str]:
    """The required pieces still missing (the stepper's state of the pieces step)."""
    with session_scope() as db:
        dossier = _owned(db, user_id, dossier_id)
        return missing_in(db, dossier, demarche_of(dossier))


def missing_message(labels: list[str]) -> str:
    if len(labels) == 1:
        return f"Il manque une pièce justificative : {labels[0]}."
    return "Il manque des pièces justificatives : " + " ; ".join(labels) + "."


def _piece(demarche: Demarche, dossier: Dossier, piece_code: str) -> PieceSpec:
    piece = next((p for p in rules.visible_pieces(demarche, dossier.answers or {}) if p.code == piece_code), None)
    if piece is None:
        raise Refused(f"{piece_code!r} is not a piece asked of dossier {dossier.id}")
    return piece


def link_document(db: Session, dossier: Dossier, piece_code: str, document: Document) -> None:
    rows = _rows(db, dossier.id)
    row = rows.get(piece_code)
    if row is None:
        row = DossierPiece(dossier_id=dossier.id, owner_id=dossier.owner_id, piece_code=piece_code)
    # A reopened dossier given another document: the copy of the earlier filing stays with
    # that filing's FiledPiece rows; this row now only links the new document.
    row.document_id = document.id
    row.stored_name = None
    row.name, row.kind, row.size, row.sha256 = "", "", 0, ""
    row.frozen_at = None
    row.attached_at = utcnow()
    db.add(row)


def attach(user_id: int, dossier_id: int, piece_code: str, document_id) -> str | None:
    """Give one of the user's documents for a piece. None when done, else a French message.

    Raises NotFound (not the user's dossier), Locked (not editable), Refused (unknown piece).
    """
    with session_scope() as db:
        dossier, demarche = editable_in(db, user_id, dossier_id)
        _piece(demarche, dossier, piece_code)
        document = docs._owned(db, user_id, document_id)
        if document is None:
            return GONE
        link_document(db, dossier, piece_code, document)
    return None


def check_attachable(user_id: int, dossier_id: int, piece_code: str) -> PieceSpec:
    """Before an upload is stored: the same refusals as attach."""
    with session_scope() as db:
        dossier, demarche = editable_in(db, user_id, dossier_id)
        return _piece(demarche, dossier, piece_code)


def upload_and_attach(
    user_id: int, dossier_id: int, piece_code: str, accepted: Accepted
) -> docs.Stored | UploadRefused:
    """A file uploaded from the pieces step: filed in the porte-documents (with the piece's
    category), then attached. `accepted` comes from documents.inspect."""
    piece = check_attachable(user_id, dossier_id, piece_code)
    stored = docs.store(user_id, accepted, piece.category or docs.DEFAULT_CATEGORY)
    if isinstance(stored, UploadRefused):
        return stored
    problem = attach(user_id, dossier_id, piece_code, stored.document.id)
    if problem:
        return UploadRefused(stored.document.name, problem)
    return stored


def detach(user_id: int, dossier_id: int, piece_code: str) -> bool:
    with session_scope() as db:
        editable_in(db, user_id, dossier_id)
        row = _rows(db, dossier_id).get(piece_code)
        if row is None:
            return False
        db.delete(row)  # a frozen copy stays with the filing that holds it
    return True


def missing_in(db: Session, dossier: Dossier, demarche: Demarche) -> list[str]:
    return [p.label for p in _status(db, dossier, demarche) if p.required and not p.attached]


def freeze_for_submission(db: UnitOfWork, dossier: Dossier, demarche: Demarche, filed_at: datetime) -> list[FiledPiece]:
    """In filing.submit's transaction, once every required piece is known to be there: copy
    each newly linked file, drop rows of pieces the answers no longer ask for (like hidden
    answers), and record this submission's version of every piece (FiledPiece, `filed_at`
    being the submission's time). Returns those records, in the démarche's order."""
    visible = {p.code for p in rules.visible_pieces(demarche, dossier.answers or {})}
    copies: list[str] = []
    kept: dict[str, DossierPiece] = {}
    for code, row in _rows(db, dossier.id).items():
        if code not in visible:
            db.delete(row)  # a frozen copy stays with the earlier filing that holds it
            continue
        if row.frozen_at is not None and row.stored_name:
            kept[code] = row  # filed before and unchanged since the dossier was reopened
            continue
        document = docs._owned(db, dossier.owner_id, row.document_id) if row.document_id else None
        if document is None:
            db.delete(row)  # an optional piece whose document went meanwhile
            continue
        row.stored_name = filestore.copy(document.stored_name)
        copies.append(row.stored_name)
        row.name, row.kind, row.size, row.sha256 = document.name, document.kind, document.size, document.sha256
        row.frozen_at = filed_at
        db.add(row)
        kept[code] = row
    filed = [
        FiledPiece(
            dossier_id=dossier.id,
            owner_id=dossier.owner_id,
            piece_code=code,
            filed_at=filed_at,
            stored_name=row.stored_name,
            name=row.name,
            kind=row.kind,
            size=row.size,
            sha256=row.sha256,
        )
        for code, row in sorted(kept.items(), key=lambda item: piece_rank(demarche, item[0]))
    ]
    db.add_all(filed)
    # A failed commit must not leave copies behind.
    db.after_rollback(lambda: filestore.delete(*copies))
    return filed


def purge_user_pieces(db: UnitOfWork, user_id: int) -> None:
    """Account deletion: the rows in the caller's transaction, the frozen files once it commits."""
    rows = db.exec(select(DossierPiece).where(DossierPiece.owner_id == user_id)).all()
    filed = db.exec(select(FiledPiece).where(FiledPiece.owner_id == user_id)).all()
    # Several filings may name one file: each name once.
    names = sorted({row.stored_name for row in [*rows, *filed] if row.stored_name})
    for row in [*rows, *filed]:
        db.delete(row)
    db.flush()
    if names:
        db.after_commit(lambda: filestore.delete(*names))
