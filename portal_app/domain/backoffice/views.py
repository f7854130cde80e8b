"""What agents read in the back office: filed dossiers only, never drafts, and only the files
attached to dossiers (the porte-documents stays private to its owner).

Changing a dossier is not done here: statuses go through domain/workflow.py, messages
through domain/discussion.py, each of which writes its own history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from portal_app import demarches as registry
from portal_app.domain.core.dates import PARIS
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import record_id
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import filed_pieces
from portal_app.domain.dossiers.demarche import Demarche, StatusSpec
from portal_app.domain.guests.principal import recipient
from portal_app.domain.relations.relations import for_whom_suffix
from portal_app.models import Dossier, DossierHistory, User
from portal_app.models.base import as_utc

PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Filters:
    demarche: str = ""
    status: str = ""
    number: str = ""  # any part of the number, e.g. "000042"
    name: str = ""  # any part of the beneficiary's names or email
    # Filed (last submission) between these days, Paris time, both included.
    filed_from: date | None = None
    filed_to: date | None = None


@dataclass(frozen=True)
class DossierRow:
    id: int
    number: str
    demarche_code: str
    demarche_title: str
    status: str
    status_label: str
    status_colour: str
    status_icon: str
    beneficiary: str
    submitted_at: datetime | None
    updated_at: datetime
    for_whom: str = ""  # "pour Léa Martin" when filed for a relation of the account holder


@dataclass(frozen=True)
class Page:
    rows: list[DossierRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def full_name(user: User | None) -> str:
    """Surname first, as agents sort and search: "DUPONT (MARTIN) Camille Anne"."""
    if user is None:
        return ""
    surname = user.birth_name.upper()
    if user.usage_name and user.usage_name.lower() != user.birth_name.lower():
        surname = f"{user.usage_name.upper()} ({user.birth_name.upper()})"
    return f"{surname} {user.first_names}".strip() or user.email


def _status(demarche: Demarche | None, code: str) -> StatusSpec | None:
    return demarche.status(code) if demarche else None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


def _filed():
    # A number is given at the first submission: a draft never filed has none.
    return Dossier.number.is_not(None)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL


def search_dossiers(filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    page = max(int(page), 1)
    conditions = [_filed()]
    if filters.demarche:
        conditions.append(Dossier.demarche_code == filters.demarche)
    if filters.status:
        conditions.append(Dossier.status == filters.status)
    if filters.number.strip():
        conditions.append(Dossier.number.contains(filters.number.strip().upper()))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    if filters.filed_from:
        conditions.append(Dossier.submitted_at >= _day_start(filters.filed_from))  # type: ignore[operator]  # SQLModel types a class column as its value, not as SQL
    if filters.filed_to:
        conditions.append(Dossier.submitted_at < _day_start(filters.filed_to + timedelta(days=1)))  # type: ignore[operator]  # SQLModel types a class column as its value, not as SQL
    name = filters.name.strip().lower()
    if name:
        like = f"%{name}%"
        conditions.append(
            or_(
                *(
                    func.lower(column).like(like)
                    for column in (
                        User.birth_name,
                        User.usage_name,
                        User.first_names,
                        User.email,
                        Dossier.guest_email,
                    )
                )
            )
        )
    with session_scope() as db:
        # An outer join: a guest's dossier (domain/guests) has no account.
        base = select(Dossier, User).outerjoin(User, User.id == Dossier.owner_id).where(*conditions)
        total = db.exec(select(func.count()).select_from(base.subquery())).one()
        found = db.exec(
            base.order_by(Dossier.submitted_at.desc(), Dossier.id.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return Page([_row(dossier, owner) for dossier, owner in found], int(total), page, per_page)


def beneficiary_of(dossier: Dossier, owner: User | None) -> str:
    """The account holder's name, or the address a guest confirmed, said to be one."""
    if owner is None and dossier.guest_email:
        return f"{dossier.guest_email} (sans compte)"
    return full_name(owner)


def _row(dossier: Dossier, owner: User | None) -> DossierRow:
    demarche = registry.get(dossier.demarche_code)
    status = _status(demarche, dossier.status)
    return DossierRow(
        id=dossier.id,
        number=dossier.number or "",
        demarche_code=dossier.demarche_code,
        demarche_title=demarche.title if demarche else dossier.demarche_code,
        status=dossier.status,
        status_label=status.label if status else dossier.status,
        status_colour=status.colour if status else "grey",
        status_icon=status.icon if status else "",
        beneficiary=beneficiary_of(dossier, owner),
        submitted_at=as_utc(dossier.submitted_at),
        updated_at=as_utc(dossier.updated_at),
        for_whom=for_whom_suffix(dossier.for_whom).strip(),
    )


def status_choices() -> list[tuple[str, str]]:
    """Every status of every démarche but the draft, for the list's filter."""
    seen: dict[str, str] = {}
    for demarche in registry.all_demarches():
        for status in demarche.statuses:
            if status.code != demarche.draft_status:
                seen.setdefault(status.code, status.label)
    return list(seen.items())


def demarche_choices() -> list[tuple[str, str]]:
    return [(demarche.code, demarche.title) for demarche in registry.all_demarches()]


# ---------------------------------------------------------------- one dossier


class NotFound(Exception):
    """Missing, or a draft: agents never see a dossier its owner has not filed."""


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    kind: str
    from_status: str
    to_status: str
    to_label: str
    motivation: str
    by_agency: bool


@dataclass
class AgentDossier:
    dossier: Dossier
    demarche: Demarche
    # For a guest's dossier, a User never stored that holds only the guest's address.
    owner: User | None
    recap: list[rules.RecapStep]
    history: list[HistoryRow] = field(default_factory=list)
    # What each submission filed, oldest first (filed_pieces.filings_in).
    filings: list[filed_pieces.Filing] = field(default_factory=list)

    @property
    def status(self) -> StatusSpec | None:
        return self.demarche.status(self.dossier.status)


GUEST_MOVES = ("created", "submitted")


def filed_dossier(db: Session, dossier_id) -> Dossier:
    number = record_id(dossier_id)
    if number is None:
        raise NotFound(str(dossier_id))
    dossier = db.get(Dossier, number)
    if dossier is None or dossier.number is None:
        raise NotFound(str(dossier_id))
    return dossier


def dossier_for_agent(dossier_id) -> AgentDossier:
    with session_scope() as db:
        dossier = filed_dossier(db, dossier_id)
        demarche = registry.get(dossier.demarche_code)
        if demarche is None:
            raise NotFound(str(dossier_id))
        owner = recipient(db, dossier)
        rows = db.exec(
            select(DossierHistory).where(DossierHistory.dossier_id == dossier.id).order_by(DossierHistory.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        ).all()
        agent_ids = {row.actor_id for row in rows if row.actor_id is not None and row.actor_id != dossier.owner_id}
        history = [
            HistoryRow(
                at=as_utc(row.at),
                kind=row.kind,
                from_status=row.from_status,
                to_status=row.to_status,
                to_label=(demarche.status(row.to_status).label if demarche.status(row.to_status) else row.to_status),
                motivation=row.motivation,
                # A guest's own moves have no actor either: created and submitted are theirs.
                by_agency=row.actor_id in agent_ids
                or (row.actor_id is None and not (dossier.owner_id is None and row.kind in GUEST_MOVES)),
            )
            for row in rows
        ]
        return AgentDossier(
            dossier,
            demarche,
            owner,
            rules.recap(demarche, dossier.answers or {}),
            history,
            filed_pieces.filings_in(db, dossier, demarche),
        )
