from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Dossier(SQLModel, table=True):
    """One filing of a démarche by its owner, from the first draft to the decision."""

    __tablename__ = "dossiers"

    id: int | None = Field(default=None, primary_key=True)
    # None for a dossier filed without an account: then guest_email, the address its guest
    # confirmed with a mailed code (domain/guests), is who it belongs to.
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    guest_email: str | None = Field(default=None, index=True, max_length=254)
    demarche_code: str = Field(index=True, max_length=60)
    status: str = Field(index=True, max_length=40)
    # Assigned at the first submission, kept when the dossier is reopened and filed again.
    number: str | None = Field(default=None, unique=True, max_length=40)
    # Flat: field name -> str (list for checkboxes); addresses as "<name>.line" etc.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Steps the user tried to leave with "Continuer": only those show their errors.
    checked_steps: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    current_step: str = Field(default="", max_length=60)
    # +1 on every change of the answers: a tab that knows an older one missed a change.
    version: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    # Who the dossier is for, when not the account holder: the relation a draft names, and its
    # copy (domain/relations.snapshot), frozen at filing; {} means the holder themself.
    relation_id: int | None = Field(default=None, foreign_key="relations.id", index=True)
    for_whom: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    # The draft expiry warning (domain/dossiers/expiry.py); a change after it calls for a new one.
    expiry_warned_at: datetime | None = None


class DossierHistory(SQLModel, table=True):
    """What happened to a dossier: creation, each submission, each status change."""

    __tablename__ = "dossier_history"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    # None for the system or the command line.
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    kind: str = Field(max_length=30)  # created, submitted, reopened, status
    from_status: str = Field(default="", max_length=40)
    to_status: str = Field(default="", max_length=40)
    motivation: str = Field(default="", max_length=2000)


class NumberCounter(SQLModel, table=True):
    """Last dossier number given per prefix and year: PTP-2026-000042 is (PTP, 2026, 42)."""

    __tablename__ = "number_counters"
    __table_args__ = (UniqueConstraint("prefix", "year", name="uq_number_counters_prefix_year"),)

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(max_length=10)
    year: int
    value: int = 0
