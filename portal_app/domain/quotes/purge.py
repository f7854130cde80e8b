"""Account deletion: the person's quote requests go, with their versions, history and the
programme files the providers sent (accounts/user_data.py runs this before the dossiers go)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import select

from portal_app.domain.core import filestore
from portal_app.domain.core.db import UnitOfWork
from portal_app.models import QuoteEvent, QuoteRequest, QuoteVersion


def purge_user_quotes(db: UnitOfWork, user_id: int) -> None:
    _purge(db, list(db.exec(select(QuoteRequest.id).where(QuoteRequest.owner_id == user_id)).all()))


def purge_dossier_quotes(db: UnitOfWork, dossier_ids: list[int]) -> None:
    """The quotes of dossiers about to go (dossiers/purge.purge_dossiers: expiry, retention)."""
    _purge(db, list(db.exec(select(QuoteRequest.id).where(QuoteRequest.dossier_id.in_(dossier_ids))).all()))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL


def _purge(db: UnitOfWork, ids: list[int]) -> None:
    if not ids:
        return
    stored = [
        name
        for name in db.exec(select(QuoteVersion.programme_stored_name).where(QuoteVersion.request_id.in_(ids))).all()  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        if name
    ]
    for model in (QuoteEvent, QuoteVersion):
        db.exec(delete(model).where(model.request_id.in_(ids)))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    db.exec(delete(QuoteRequest).where(QuoteRequest.id.in_(ids)))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    db.flush()
    if stored:
        db.after_commit(lambda: filestore.delete(*stored))
