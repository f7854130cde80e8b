from datetime import date, datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class QuoteRequest(SQLModel, table=True):
    """A person's request to one training provider for a quote, inside one dossier.

    The provider has no account: it holds a private link whose token is stored hashed here,
    so the link reaches this request and nothing else.
    """

    __tablename__ = "quote_requests"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    # The dossier's owner, copied so that account deletion finds the rows in one query.
    owner_id: int = Field(foreign_key="users.id", index=True)
    provider_name: str = Field(max_length=200)
    provider_siret: str = Field(max_length=14)
    provider_email: str = Field(max_length=254)
    # What the person asked, copied from the dossier when the request was made.
    wished_title: str = Field(default="", max_length=200)
    wished_start: str = Field(default="", max_length=10)
    wished_end: str = Field(default="", max_length=10)
    wished_hours: str = Field(default="", max_length=10)
    message: str = Field(default="", max_length=1000)
    token_hash: str = Field(unique=True, max_length=64)
    token_expires_at: datetime
    revoked_at: datetime | None = None
    status: str = Field(index=True, max_length=20)
    decline_reason: str = Field(default="", max_length=1000)
    accepted_version_id: int | None = None
    accepted_at: datetime | None = None
    # End of the withdrawal period of the current acceptance; due ones are made final.
    withdrawal_ends_at: datetime | None = Field(default=None, index=True)
    finalised_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class QuoteVersion(SQLModel, table=True):
    """One quote sent by the provider; a revision is a new row, none is ever changed but its refusal."""

    __tablename__ = "quote_versions"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="quote_requests.id", index=True)
    number: int
    title: str = Field(max_length=200)
    certification_code: str = Field(max_length=20)
    start_date: date
    end_date: date
    hours_training: int
    hours_company: int
    location_line: str = Field(max_length=200)
    location_postal_code: str = Field(max_length=5)
    location_city: str = Field(max_length=100)
    # Money in hundredths of a euro (core/money.py).
    price_teaching: int
    price_extra: int
    valid_until: date
    programme_stored_name: str | None = Field(default=None, max_length=64)
    programme_name: str = Field(default="", max_length=130)
    programme_size: int = 0
    programme_sha256: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    refused_at: datetime | None = None
    refusal_reason: str = Field(default="", max_length=1000)


class QuoteEvent(SQLModel, table=True):
    """Who did what to a quote request, and when: the history the agent reads."""

    __tablename__ = "quote_events"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="quote_requests.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=20)  # person, provider, system
    kind: str = Field(max_length=30)
    detail: str = Field(default="", max_length=1000)
