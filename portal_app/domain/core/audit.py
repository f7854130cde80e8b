"""The back office's audit trail: who did what, when, to which dossier or account.

record() writes in the caller's transaction, so an action and its trace commit together
(or not at all); record_now() is for actions whose own unit of work lives elsewhere.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from portal_app.domain.core.db import session_scope
from portal_app.models import AuditEntry
from portal_app.models.base import utcnow

# The actions the back office writes; a typo in a caller must not invent a new one.
ACTIONS = frozenset(
    {
        "view_dossier",
        "download_document",
        "change_status",
        "ask_completion",
        "reopen",
        "message",
        "merge_accounts",
        "create_agent",
        "create_employer",
    }
)


def record(
    db: Session,
    agent_id: int,
    action: str,
    *,
    dossier_id: int | None = None,
    target_user_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        at=utcnow(),
        agent_id=agent_id,
        action=action,
        dossier_id=dossier_id,
        target_user_id=target_user_id,
        details={key: value for key, value in details.items() if value not in (None, "")},
    )
    db.add(entry)
    db.flush()
    return entry


def record_now(agent_id: int, action: str, **kwargs: Any) -> None:
    with session_scope() as db:
        record(db, agent_id, action, **kwargs)


def entries(*, dossier_id: int | None = None, agent_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    with session_scope() as db:
        query = select(AuditEntry)
        if dossier_id is not None:
            query = query.where(AuditEntry.dossier_id == dossier_id)
        if agent_id is not None:
            query = query.where(AuditEntry.agent_id == agent_id)
        return list(db.exec(query.order_by(AuditEntry.id.desc()).limit(limit)).all())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL


PSEUDONYM = "[compte supprimé]"


def pseudonymise(db: Session, user_id: int, dossier_ids: list[int]) -> None:
    """Account deletion: the trail keeps its rows (who did what, when) but no longer says whose
    account or dossiers: every text detail of a row naming the account or one of its dossiers
    is replaced; the ids left point to rows that no longer exist."""
    rows = db.exec(select(AuditEntry).where(AuditEntry.target_user_id == user_id)).all()
    if dossier_ids:
        rows += db.exec(select(AuditEntry).where(AuditEntry.dossier_id.in_(dossier_ids))).all()  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    for row in rows:
        row.details = {key: PSEUDONYM if isinstance(value, str) else value for key, value in row.details.items()}
        db.add(row)
    db.flush()
