"""Merging a suspected duplicate account into the one the agency keeps.

Sign-up flags an account whose NIR another account already uses (User.duplicate_of_id); an
agent then merges it: everything the duplicate owns moves to the kept account, the duplicate
is closed for good (no login, sessions ended, links dead), and both addresses are told.

Tables that hold a user id register a mover in MOVERS (as accounts.PERSONAL_DATA_PURGERS),
so a later feature (messages, notifications) is carried along without editing this file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from portal_app.domain.accounts import link, sessions
from portal_app.domain.core import audit, mail, tokens
from portal_app.domain.core.db import session_scope
from portal_app.models import (
    Document,
    Dossier,
    DossierHistory,
    DossierPiece,
    FiledPiece,
    Message,
    Notification,
    Role,
    User,
)
from portal_app.models.base import utcnow

# mover(db, duplicate_id, kept_id) -> rows moved; each runs in the merge's transaction.
Mover = Callable[[Session, int, int], int]
MOVERS: dict[str, Mover] = {}


def _reassign(column) -> Mover:
    def move(db: Session, duplicate_id: int, kept_id: int) -> int:
        table = column.class_.__table__
        return (
            db.connection().execute(update(table).where(column == duplicate_id).values({column.key: kept_id})).rowcount
        )

    return move


MOVERS["dossiers"] = _reassign(Dossier.owner_id)  # type: ignore[arg-type]
MOVERS["documents"] = _reassign(Document.owner_id)  # type: ignore[arg-type]
# The history follows its dossiers already; the owner's own entries now name the kept account.
MOVERS["dossier_history"] = _reassign(DossierHistory.actor_id)  # type: ignore[arg-type]
MOVERS["messages"] = _reassign(Message.author_id)  # type: ignore[arg-type]
MOVERS["notifications"] = _reassign(Notification.user_id)  # type: ignore[arg-type]
# Pieces carry their dossier's owner (account deletion finds them by it).
MOVERS["dossier_pieces"] = _reassign(DossierPiece.owner_id)  # type: ignore[arg-type]
MOVERS["filed_pieces"] = _reassign(FiledPiece.owner_id)  # type: ignore[arg-type]


class MergeRefused(Exception):
    """A French sentence for the agent."""


@dataclass(frozen=True)
class MergeResult:
    moved: dict[str, int]


def suspected_duplicates(db: Session | None = None) -> list[tuple[User, User]]:
    """(duplicate, kept) pairs waiting for an agent, oldest first."""
    with session_scope() as own:
        db = db or own
        pairs = []
        for duplicate in db.exec(
            select(User).where(User.duplicate_of_id.is_not(None), User.closed_at.is_(None)).order_by(User.id)  # type: ignore[union-attr]
        ).all():
            kept = db.get(User, duplicate.duplicate_of_id)
            if kept is not None:
                pairs.append((duplicate, kept))
        return pairs


def merge_accounts(agent_id: int, duplicate_id: int, kept_id: int) -> MergeResult:
    with session_scope() as db:
        agent = db.get(User, agent_id)
        if agent is None or agent.role != Role.AGENT or agent.closed_at is not None:
            raise MergeRefused("Seul un agent peut fusionner des comptes.")
        duplicate, kept = db.get(User, duplicate_id), db.get(User, kept_id)
        if duplicate is None or kept is None or duplicate_id == kept_id:
            raise MergeRefused("Ces comptes n'existent pas ou sont identiques.")
        if duplicate.closed_at is not None or kept.closed_at is not None:
            raise MergeRefused("L'un des deux comptes est déjà fermé.")
        if Role.AGENT in (duplicate.role, kept.role) or duplicate.role != kept.role:
            raise MergeRefused("Seuls deux comptes de bénéficiaires peuvent être fusionnés.")
        if duplicate.duplicate_of_id != kept_id and kept.duplicate_of_id != duplicate_id:
            raise MergeRefused("Ces comptes ne sont pas signalés comme doublons l'un de l'autre.")
        moved = {name: mover(db, duplicate_id, kept_id) for name, mover in MOVERS.items()}
        now = utcnow()
        # Closed, not deleted: the audit trail and the history name this id.
        duplicate.closed_at = now
        duplicate.is_active = False
        duplicate.duplicate_of_id = None
        if kept.duplicate_of_id == duplicate_id:
            kept.duplicate_of_id = None
        # Other accounts pointing at the closed one now point at the kept one.
        db.connection().execute(
            update(User).where(User.duplicate_of_id == duplicate_id, User.id != kept_id).values(duplicate_of_id=kept_id)  # type: ignore[arg-type]
        )
        db.add(duplicate)
        db.add(kept)
        sessions.end_all_sessions(db, duplicate_id)
        for purpose in tokens.Purpose:
            tokens.revoke_all(db, duplicate_id, purpose)
        audit.record(
            db,
            agent_id,
            "merge_accounts",
            target_user_id=kept_id,
            duplicate_id=duplicate_id,
            kept_id=kept_id,
            moved=moved,
        )
        kept_email, closed_email = kept.email, duplicate.email
        first_kept = kept.first_names.split(" ")[0] if kept.first_names else ""
        first_closed = duplicate.first_names.split(" ")[0] if duplicate.first_names else ""
    mail.send_mail(
        kept_email,
        "accounts_merged_kept",
        first_name=first_kept,
        closed_email=mail.mask_email(closed_email),
        login_link=link("/connexion"),
    )
    mail.send_mail(
        closed_email,
        "accounts_merged_closed",
        first_name=first_closed,
        kept_email=mail.mask_email(kept_email),
        login_link=link("/connexion"),
        reset_link=link("/mot-de-passe-oublie"),
    )
    return MergeResult(moved)
