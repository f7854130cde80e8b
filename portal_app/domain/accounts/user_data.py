"""Every column that names an account (a foreign key to users.id), and what becomes of its rows
when the account is deleted (purge) or merged into another one (move).

Account deletion (accounts.delete_account) and merging (backoffice.merge) both read RULES, in
order, inside their unit of work (deletion also pseudonymises the audit trail first); tests/unit/test_user_data.py fails when a foreign key to
users.id has no rule, so a new table cannot be forgotten by either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, select

from portal_app.domain.accounts.data_export import purge_user_exports
from portal_app.domain.core import audit
from portal_app.domain.core.db import UnitOfWork
from portal_app.domain.documents.wallet import purge_user_documents
from portal_app.domain.dossiers.discussion import purge_user_messages
from portal_app.domain.dossiers.notifications import purge_user_notifications
from portal_app.domain.dossiers.pieces import purge_user_pieces
from portal_app.domain.dossiers.purge import purge_user_dossiers
from portal_app.domain.employer.employer_documents import purge_employer
from portal_app.domain.quotes.purge import purge_user_quotes
from portal_app.models import (
    DataExport,
    Document,
    Dossier,
    DossierHistory,
    DossierPiece,
    EmployerAccount,
    EmployerDocument,
    FiledPiece,
    FilingReceipt,
    FranceConnectLogin,
    LoginSession,
    Message,
    Notification,
    OneTimeToken,
    QuoteRequest,
    Reglement,
    Relation,
    User,
)

# purger(db, user_id): the account's rows go (or stop naming it) in the deletion's transaction.
Purger = Callable[[UnitOfWork, int], object]
# mover(db, duplicate_id, kept_id) -> rows moved, in the merge's transaction.
Mover = Callable[[UnitOfWork, int, int], int]


@dataclass(frozen=True)
class Handled:
    """No step of its own for this column: `reason` says which step covers it, or why none is needed."""

    reason: str


@dataclass(frozen=True)
class Rule:
    column: object  # the model attribute holding the user id, e.g. Dossier.owner_id
    purge: Purger | Handled
    move: Mover | Handled

    @property
    def table(self) -> str:
        return self.column.class_.__tablename__  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL

    @property
    def name(self) -> str:
        return self.column.key  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL


def _reassign(column) -> Mover:
    def move(db: Session, duplicate_id: int, kept_id: int) -> int:
        statement = update(column.class_).where(column == duplicate_id).values({column.key: kept_id})
        return db.connection().execute(statement).rowcount

    return move


def _nullify(column) -> Purger:
    def purge(db: Session, user_id: int) -> None:
        db.connection().execute(update(column.class_).where(column == user_id).values({column.key: None}))

    return purge


def _delete_rows(column) -> Purger:
    def purge(db: Session, user_id: int) -> None:
        db.connection().execute(delete(column.class_).where(column == user_id))

    return purge


def _repoint_duplicates(db: Session, duplicate_id: int, kept_id: int) -> int:
    """Other accounts flagged as twins of the closed one are now twins of the kept one."""
    statement = (
        update(User)
        .where(User.duplicate_of_id == duplicate_id, User.id != kept_id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        .values(duplicate_of_id=kept_id)
    )
    return db.connection().execute(statement).rowcount


EMPLOYERS_ONLY = Handled("only beneficiaries' accounts are merged: merge_accounts refuses any other")

RULES: tuple[Rule, ...] = (
    # Pieces first: their purger deletes the frozen files, whoever deletes the dossier rows.
    Rule(DossierPiece.owner_id, purge_user_pieces, _reassign(DossierPiece.owner_id)),
    Rule(
        FiledPiece.owner_id,
        Handled("purge_user_pieces deletes them with the draft pieces (several filings share one file)"),
        _reassign(FiledPiece.owner_id),
    ),
    # Quote requests before their dossiers (a foreign key): versions, history, programme files go too.
    Rule(QuoteRequest.owner_id, purge_user_quotes, _reassign(QuoteRequest.owner_id)),
    Rule(
        FilingReceipt.owner_id,
        Handled("purge_user_dossiers deletes them, and their files, with the dossier"),
        _reassign(FilingReceipt.owner_id),
    ),
    # The dossiers go with everything hanging on them: history, discussion, notifications, grants.
    Rule(Dossier.owner_id, purge_user_dossiers, _reassign(Dossier.owner_id)),
    # After the dossiers, which name them.
    Rule(Relation.owner_id, _delete_rows(Relation.owner_id), _reassign(Relation.owner_id)),
    # What the account did in other dossiers stays in their record, without naming it.
    Rule(DossierHistory.actor_id, _nullify(DossierHistory.actor_id), _reassign(DossierHistory.actor_id)),
    Rule(Message.author_id, purge_user_messages, _reassign(Message.author_id)),
    Rule(Notification.user_id, purge_user_notifications, _reassign(Notification.user_id)),
    Rule(Document.owner_id, purge_user_documents, _reassign(Document.owner_id)),
    Rule(EmployerDocument.employer_id, purge_employer, EMPLOYERS_ONLY),
    Rule(EmployerAccount.user_id, Handled("purge_employer deletes it after the documents"), EMPLOYERS_ONLY),
    Rule(Reglement.employer_id, Handled("purge_employer deletes them after the documents"), EMPLOYERS_ONLY),
    Rule(
        LoginSession.user_id,
        _delete_rows(LoginSession.user_id),
        Handled("kept by the closed duplicate: merge_accounts ends them"),
    ),
    Rule(
        OneTimeToken.user_id,
        _delete_rows(OneTimeToken.user_id),
        Handled("kept by the closed duplicate: merge_accounts revokes them"),
    ),
    Rule(
        DataExport.user_id,
        purge_user_exports,
        Handled("an export is its requester's only: the duplicate's expire within 24 hours"),
    ),
    Rule(
        FranceConnectLogin.user_id,
        _delete_rows(FranceConnectLogin.user_id),
        Handled("a trip to FranceConnect lives 30 minutes; the closed duplicate's sessions end, so do its trips"),
    ),
    # Twins flagged against the account are no longer anyone's duplicate, or follow the merge.
    Rule(User.duplicate_of_id, _nullify(User.duplicate_of_id), _repoint_duplicates),
)


def purge(db: UnitOfWork, user_id: int) -> None:
    """Account deletion: every rule's purger, in order; the users row itself is the caller's.
    First the audit trail (which has no foreign key: it outlives accounts) stops naming the
    account and its dossiers."""
    dossier_ids = list(db.exec(select(Dossier.id).where(Dossier.owner_id == user_id)).all())
    audit.pseudonymise(db, user_id, dossier_ids)
    for rule in RULES:
        if not isinstance(rule.purge, Handled):
            rule.purge(db, user_id)
    db.flush()


def move(db: UnitOfWork, duplicate_id: int, kept_id: int) -> dict[str, int]:
    """A merge: every rule's mover, in order; rows moved per table."""
    return {rule.table: rule.move(db, duplicate_id, kept_id) for rule in RULES if not isinstance(rule.move, Handled)}
