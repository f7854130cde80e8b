"""Merging a suspected duplicate account into the one the agency keeps.

Sign-up flags an account whose NIR another account already uses (User.duplicate_of_id); an
agent then merges it: everything the duplicate owns moves to the kept account (each table as
accounts/user_data.py declares), the duplicate is closed for good (no login, sessions ended,
links dead), and both addresses are told.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from portal_app.domain.accounts import first_name, link, sessions, user_data
from portal_app.domain.core import audit, mail, tokens
from portal_app.domain.core.db import session_scope
from portal_app.models import Role, User
from portal_app.models.base import utcnow


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
            select(User).where(User.duplicate_of_id.is_not(None), User.closed_at.is_(None)).order_by(User.id)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
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
        # Only beneficiaries sign up by themselves, so only they have duplicates (user_data relies on it).
        if {duplicate.role, kept.role} != {Role.BENEFICIARY.value}:
            raise MergeRefused("Seuls deux comptes de bénéficiaires peuvent être fusionnés.")
        if duplicate.duplicate_of_id != kept_id and kept.duplicate_of_id != duplicate_id:
            raise MergeRefused("Ces comptes ne sont pas signalés comme doublons l'un de l'autre.")
        moved = user_data.move(db, duplicate_id, kept_id)
        # Closed, not deleted: the audit trail and the history name this id.
        duplicate.closed_at = utcnow()
        duplicate.is_active = False
        duplicate.duplicate_of_id = None
        if kept.duplicate_of_id == duplicate_id:
            kept.duplicate_of_id = None
        # A FranceConnect identity follows the person to the kept account (one identity, one account).
        if duplicate.fc_sub and not kept.fc_sub:
            kept.fc_sub, duplicate.fc_sub = duplicate.fc_sub, None
            db.add(duplicate)
            db.flush()
        if duplicate.fcplus_sub and not kept.fcplus_sub:  # FranceConnect+'s own subject, likewise
            kept.fcplus_sub, duplicate.fcplus_sub = duplicate.fcplus_sub, None
            db.add(duplicate)
            db.flush()
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
        mail.queue(
            db,
            kept.email,
            "accounts_merged_kept",
            first_name=first_name(kept),
            closed_email=mail.mask_email(duplicate.email),
            login_link=link("/connexion"),
        )
        mail.queue(
            db,
            duplicate.email,
            "accounts_merged_closed",
            first_name=first_name(duplicate),
            kept_email=mail.mask_email(kept.email),
            login_link=link("/connexion"),
            reset_link=link("/mot-de-passe-oublie"),
        )
    return MergeResult(moved)
