"""Account deletion: the user's dossiers go too, drafts and filed ones, with everything that
hangs on them (history, pieces, receipts, quotes, discussion, notifications, tracking grants).

accounts/user_data.py runs pieces.purge_user_pieces before this, so the frozen files of the
user's pieces are gone already; files of pieces under another owner id go here.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import select

from portal_app.domain.core import filestore
from portal_app.domain.core.db import UnitOfWork
from portal_app.domain.quotes.purge import purge_dossier_quotes
from portal_app.models import (
    Dossier,
    DossierHistory,
    DossierPiece,
    FiledPiece,
    FilingReceipt,
    Message,
    MessageAttachment,
    Notification,
)
from portal_app.models.tracking import TrackingGrant


def purge_user_dossiers(db: UnitOfWork, user_id: int) -> None:
    purge_dossiers(db, list(db.exec(select(Dossier.id).where(Dossier.owner_id == user_id)).all()))


def purge_dossiers(db: UnitOfWork, ids: list[int]) -> None:
    """Delete these dossiers with everything hanging on them; their files once `db` commits.
    The one list of what a dossier holds: account deletion, expired drafts and retention use it."""
    if not ids:
        return
    purge_dossier_quotes(db, ids)
    message_ids = list(db.exec(select(Message.id).where(Message.dossier_id.in_(ids))).all())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    stored = []
    if message_ids:
        stored = list(
            db.exec(select(MessageAttachment.stored_name).where(MessageAttachment.message_id.in_(message_ids))).all()  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        )
        db.exec(delete(MessageAttachment).where(MessageAttachment.message_id.in_(message_ids)))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    # Pieces left under another owner id (none since merges move them): their files go too.
    for model in (DossierPiece, FiledPiece, FilingReceipt):
        stored += [name for name in db.exec(select(model.stored_name).where(model.dossier_id.in_(ids))).all() if name]  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
    stored = sorted(set(stored))
    for model in (Message, Notification, TrackingGrant, DossierPiece, FiledPiece, FilingReceipt, DossierHistory):
        db.exec(delete(model).where(model.dossier_id.in_(ids)))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    db.exec(delete(Dossier).where(Dossier.id.in_(ids)))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    db.flush()
    if stored:
        db.after_commit(lambda: filestore.delete(*stored))
