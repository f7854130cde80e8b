"""The porte-documents: a user's own files. Every function takes the caller's user id and
only ever touches rows of that owner, so an id guessed from another account finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from portal_app.domain.core import filestore
from portal_app.domain.core.dates import paris_long
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.uploads import pipeline
from portal_app.domain.uploads.checks import MIB, Accepted, Refused, display_name, format_size, safe_name
from portal_app.models import Document, User
from portal_app.models.base import as_utc, utcnow

CATEGORIES = {
    "identite": "Pièce d'identité",
    "domicile": "Justificatif de domicile",
    "rib": "RIB",
    "contrat": "Contrat de travail",
    "devis": "Devis de formation",
    "salaire": "Bulletin de salaire",
    "autre": "Autre",
}
DEFAULT_CATEGORY = "autre"
QUOTA_BYTES = 100 * MIB
QUOTA_FILES = 200


def added_label(document: Document) -> str:
    return f"ajouté le {paris_long(as_utc(document.created_at))}"


def choice_label(document: Document) -> str:
    """A document in a list to choose from: two files of the same name differ by their
    category, size and date."""
    category = CATEGORIES.get(document.category, CATEGORIES[DEFAULT_CATEGORY])
    return f"{document.name} ({category}, {format_size(document.size)}, {added_label(document)})"


def quota_reason(used_bytes: int, used_files: int) -> str:
    if used_files >= QUOTA_FILES:
        return (
            f"Votre porte-documents contient déjà {QUOTA_FILES} documents, le maximum : "
            "supprimez ceux dont vous n'avez plus besoin, puis réessayez."
        )
    return (
        f"Votre porte-documents est plein ({format_size(used_bytes)} utilisés sur {format_size(QUOTA_BYTES)}) : "
        "supprimez des documents dont vous n'avez plus besoin, puis réessayez."
    )


def _owned(db: Session, user_id: int, document_id) -> Document | None:
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        return None
    return db.exec(select(Document).where(Document.id == document_id, Document.owner_id == user_id)).first()


def list_documents(user_id: int) -> list[Document]:
    with session_scope() as db:
        rows = db.exec(
            select(Document)
            .where(Document.owner_id == user_id)
            .order_by(Document.created_at.desc(), Document.id.desc())  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).all()
        return list(rows)


def get_document(user_id: int, document_id) -> Document | None:
    with session_scope() as db:
        return _owned(db, user_id, document_id)


def usage(user_id: int) -> tuple[int, int]:
    with session_scope() as db:
        return _usage(db, user_id)


def _usage(db: Session, user_id: int) -> tuple[int, int]:
    total, count = db.exec(
        select(func.coalesce(func.sum(Document.size), 0), func.count(Document.id)).where(Document.owner_id == user_id)
    ).one()
    return int(total), int(count)


def clean_category(value: str) -> str:
    return value if value in CATEGORIES else DEFAULT_CATEGORY


@dataclass(frozen=True)
class Stored:
    document: Document


def ingest(user_id: int, name: str, data: bytes, category: str = DEFAULT_CATEGORY) -> Stored | Refused:
    """Validate then store one file, for synchronous callers (demo data, tests); the upload
    zone goes through pipeline.ingest with store() as what it keeps."""
    result = pipeline.check(name, data)
    if isinstance(result, Refused):
        return result
    return store(user_id, result, category)


def store(user_id: int, accepted: Accepted, category: str = DEFAULT_CATEGORY) -> Stored | Refused:
    with session_scope() as db:
        return store_in(db, user_id, accepted, category)


def store_in(db: UnitOfWork, user_id: int, accepted: Accepted, category: str = DEFAULT_CATEGORY) -> Stored | Refused:
    """store() inside the caller's unit of work (a business action that files documents too):
    the files written ahead of the row go if that work is rolled back."""
    stored_name = filestore.write(accepted.clean_bytes)
    thumbnail_name = filestore.write(accepted.thumbnail) if accepted.thumbnail else None
    db.after_rollback(lambda: filestore.delete(stored_name, thumbnail_name))
    # A write on the owner's row first: concurrent uploads of one user take turns here,
    # so two of them cannot both pass the quota check (SQLite and PostgreSQL alike).
    db.exec(update(User).where(User.id == user_id).values(id=user_id))
    used_bytes, used_files = _usage(db, user_id)
    if used_files + 1 > QUOTA_FILES or used_bytes + accepted.size > QUOTA_BYTES:
        filestore.delete(stored_name, thumbnail_name)
        return Refused(accepted.safe_name, quota_reason(used_bytes, used_files))
    document = Document(
        owner_id=user_id,
        category=clean_category(category),
        name=accepted.safe_name,
        original_name=accepted.safe_name,
        stored_name=stored_name,
        thumbnail_name=thumbnail_name,
        kind=accepted.kind,
        size=accepted.size,
        sha256=accepted.sha256,
        width=accepted.width,
        height=accepted.height,
        pages=accepted.pages,
    )
    db.add(document)
    db.flush()
    return Stored(document)


def rename(user_id: int, document_id, new_name: str) -> str | None:
    """None when done, else the French error for the field."""
    typed = display_name(new_name, fallback="")
    if not typed:
        return "Indiquez un nom."
    if len(str(new_name).strip()) > 120:
        return "Le nom ne doit pas dépasser 120 caractères."
    with session_scope() as db:
        document = _owned(db, user_id, document_id)
        if document is None:
            return "Ce document n'existe plus."
        document.name = safe_name(typed, document.kind)
        document.updated_at = utcnow()
        db.add(document)
    return None


def recategorise(user_id: int, document_id, category: str) -> str | None:
    if category not in CATEGORIES:
        return "Choisissez une catégorie de la liste."
    with session_scope() as db:
        document = _owned(db, user_id, document_id)
        if document is None:
            return "Ce document n'existe plus."
        document.category = category
        document.updated_at = utcnow()
        db.add(document)
    return None


def delete(user_id: int, document_id) -> bool:
    with session_scope() as db:
        document = _owned(db, user_id, document_id)
        if document is None:
            return False
        names = (document.stored_name, document.thumbnail_name)
        db.delete(document)
    # After the commit: a failed commit must not leave a row whose file is gone.
    filestore.delete(*names)
    return True


def read_file(user_id: int, document_id) -> tuple[Document, bytes] | None:
    document = get_document(user_id, document_id)
    if document is None:
        return None
    return document, filestore.read(document.stored_name)


@dataclass(frozen=True)
class FrozenFile:
    """What a dossier attachment keeps: its own file and the document's description at that time."""

    stored_name: str
    name: str
    category: str
    kind: str
    size: int
    sha256: str
    source_document_id: int


def freeze(user_id: int, document_id) -> FrozenFile | None:
    """A copy of one of the user's documents that later changes in the porte-documents do not touch.

    For the démarches' Pièces justificatives step: the caller stores these fields in its own
    row (and deletes its stored_name with filestore.delete when the dossier goes).
    """
    document = get_document(user_id, document_id)
    if document is None:
        return None
    return FrozenFile(
        stored_name=filestore.copy(document.stored_name),
        name=document.name,
        category=document.category,
        kind=document.kind,
        size=document.size,
        sha256=document.sha256,
        source_document_id=document.id,
    )


def purge_user_documents(db: UnitOfWork, user_id: int) -> None:
    """Account deletion: the rows go in the caller's transaction, the files once it commits."""
    rows = db.exec(select(Document).where(Document.owner_id == user_id)).all()
    names = [name for row in rows for name in (row.stored_name, row.thumbnail_name) if name]
    for row in rows:
        db.delete(row)
    if names:
        db.after_commit(lambda: filestore.delete(*names))
