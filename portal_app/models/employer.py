"""The employer side: the company behind an employer login, its règlements and documents.

Dossiers of the démarches engine are not referenced here on purpose: an employer's dossiers
are the distinct (dossier number, beneficiary) pairs its règlements carry.
"""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class EmployerAccount(SQLModel, table=True):
    """Created by the agency; the employer personalises it, then confirms it by mail."""

    __tablename__ = "employer_accounts"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True, index=True)
    company_name: str = Field(max_length=200)
    siret: str = Field(unique=True, index=True, max_length=14)
    created_at: datetime = Field(default_factory=utcnow)
    # Identifier and password chosen: the provisional credentials are dead.
    personalised_at: datetime | None = None
    # Confirmation link followed, password typed again, privacy policy accepted.
    confirmed_at: datetime | None = None
    privacy_accepted_at: datetime | None = None


class Reglement(SQLModel, table=True):
    """A payment made to an employer. Money and hours are stored as integers of hundredths:
    exact on every database, and read back as Decimal by the domain."""

    __tablename__ = "reglements"

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="users.id", index=True)
    number: str = Field(unique=True, index=True, max_length=20)
    paid_on: date = Field(index=True)
    dossier_number: str = Field(index=True, max_length=30)
    beneficiary_last_name: str = Field(max_length=100)
    beneficiary_first_name: str = Field(max_length=100)
    formation: str = Field(max_length=200)
    hours_centi: int
    period_start: date
    period_end: date
    amount_cents: int
    pointed_at: datetime | None = None
    imported_at: datetime = Field(default_factory=utcnow)


class EmployerDocument(SQLModel, table=True):
    """A file in an employer's documents. Not tied to a dossier (dossier_number empty): shown
    in the default list; tied to one: shown when that dossier is opened."""

    __tablename__ = "employer_documents"

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="users.id", index=True)
    category: str = Field(max_length=40)
    label: str = Field(default="", max_length=200)
    period_start: date | None = None
    period_end: date | None = None
    dossier_number: str = Field(default="", index=True, max_length=30)
    beneficiary_name: str = Field(default="", max_length=200)
    # agency | employer | training_body | beneficiary: only "employer" may be edited by the employer.
    filed_by: str = Field(max_length=20)
    reglement_id: int | None = Field(default=None, foreign_key="reglements.id", index=True)
    storage_key: str = Field(max_length=200)
    file_name: str = Field(max_length=200)
    kind: str = Field(max_length=10)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
