"""Who a guest is to the rest of the portal.

A confirmed guest acts through the same draft, recap and filing code as an account holder.
Those take the acting user's id: a guest is given the negative of its `guests` row id, which
no account can have, and a `User` built on the fly (never stored) for what reads a name or an
address. Nothing writes such an id into a column: `account_id()` turns it into None there.
"""

from __future__ import annotations

from sqlmodel import Session

from portal_app.models import Dossier, Guest, Role, User


def principal(guest: Guest) -> User:
    """The guest as the guard hands it to a handler: a beneficiary with no account."""
    return User(id=-(guest.id or 0), role=Role.BENEFICIARY.value, email=guest.email, password_hash="", is_active=True)


def is_guest(user_id: int | None) -> bool:
    return user_id is not None and user_id < 0


def account_id(user_id: int | None) -> int | None:
    """The id to write in a users.id column: None for a guest."""
    return None if user_id is None or is_guest(user_id) else user_id


def guest_of(db: Session, user_id: int) -> Guest | None:
    return db.get(Guest, -user_id) if is_guest(user_id) else None


def belongs(db: Session, dossier: Dossier, user_id: int | None) -> bool:
    """The dossier is this account's, or this guest's (an account's dossier never a guest's)."""
    if user_id is None:
        return False
    if not is_guest(user_id):
        return dossier.owner_id == user_id
    guest = guest_of(db, user_id)
    return dossier.owner_id is None and guest is not None and dossier.guest_email == guest.email


def recipient(db: Session, dossier: Dossier) -> User | None:
    """Whom mails about the dossier go to: its owner's account, or its guest's address."""
    if dossier.owner_id is not None:
        return db.get(User, dossier.owner_id)
    if dossier.guest_email:
        return User(role=Role.BENEFICIARY.value, email=dossier.guest_email, password_hash="", is_active=True)
    return None
