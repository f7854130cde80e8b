"""Dossiers made without an account, attached later to an account with the same address.

Only an account whose address is confirmed (activated, or confirmed by an email change) is
offered the dossiers a guest made with that address: the guest proved the same mailbox with a
code. Attaching moves them for good (owner, receipts); the guest's codes and links die with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from portal_app import demarches as registry
from portal_app.domain.core.db import session_scope
from portal_app.models import Dossier, FilingReceipt, Guest, OneTimeToken, User
from portal_app.models.base import utcnow


@dataclass(frozen=True)
class GuestDossier:
    id: int
    title: str
    number: str  # "" for a draft


def _confirmed_address(db: Session, user_id: int) -> str | None:
    user = db.get(User, user_id) if user_id > 0 else None
    if user is None or not user.is_active or user.activated_at is None or user.closed_at is not None:
        return None
    return user.email


def _guest_dossiers(db: Session, email: str) -> list[Dossier]:
    return list(
        db.exec(
            select(Dossier)
            .where(Dossier.owner_id.is_(None), Dossier.guest_email == email)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            .order_by(Dossier.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        ).all()
    )


def pending(user_id: int) -> list[GuestDossier]:
    """What "Rattacher ces dossiers à mon compte" would move for this account."""
    with session_scope() as db:
        email = _confirmed_address(db, user_id)
        if email is None:
            return []
        found = []
        for dossier in _guest_dossiers(db, email):
            demarche = registry.get(dossier.demarche_code)
            found.append(GuestDossier(dossier.id or 0, demarche.title if demarche else "", dossier.number or ""))
        return found


def attach(user_id: int) -> int:
    """Move every guest dossier of the account's confirmed address to it; how many moved."""
    with session_scope() as db:
        email = _confirmed_address(db, user_id)
        if email is None:
            return 0
        ids = [dossier.id for dossier in _guest_dossiers(db, email)]
        if not ids:
            return 0
        connection = db.connection()
        connection.execute(
            update(Dossier).where(Dossier.id.in_(ids)).values(owner_id=user_id, guest_email=None, updated_at=utcnow())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        )
        connection.execute(update(FilingReceipt).where(FilingReceipt.dossier_id.in_(ids)).values(owner_id=user_id))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        guest = db.exec(select(Guest).where(Guest.email == email)).first()
        if guest is not None:
            # Its sessions and resume links name the guest: they open nothing now.
            connection.execute(
                update(OneTimeToken)
                .where(
                    OneTimeToken.user_id.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                    OneTimeToken.used_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                    OneTimeToken.payload.startswith(f"{guest.id}:") | (OneTimeToken.payload == str(guest.id)),  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
                )
                .values(superseded_at=utcnow())
            )
        return len(ids)
