from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class LoginSession(SQLModel, table=True):
    """One login on one device. Only the token's hash is stored."""

    __tablename__ = "login_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime = Field(default_factory=utcnow)
    user_agent: str = Field(default="", max_length=300)
    revoked_at: datetime | None = None
    # A FranceConnect login: its id_token (the hint for end_session), level and time.
    fc_id_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    fc_acr: str = Field(default="", max_length=10)
    fc_authenticated_at: datetime | None = None


class OneTimeToken(SQLModel, table=True):
    """Links sent by mail (activation, reset, email change) and login tickets."""

    __tablename__ = "one_time_tokens"

    id: int | None = Field(default=None, primary_key=True)
    # None for a guest's tokens (domain/guests): their payload names the guest.
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    purpose: str = Field(index=True, max_length=30)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    superseded_at: datetime | None = None
    # Purpose-specific data, e.g. the new address of an email change or a return path.
    payload: str = Field(default="", max_length=500)


class UsedChallenge(SQLModel, table=True):
    """Anti-robot challenges already redeemed: each is accepted once."""

    __tablename__ = "used_challenges"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=128)
    expires_at: datetime


class ThrottleCounter(SQLModel, table=True):
    """How often something happened to one subject (an address, an IP) since `window_start`:
    mail throttles and login failures (domain/core/throttle.py). The subject is stored only as
    a keyed hash, so an address someone merely typed leaves no readable trace."""

    __tablename__ = "throttle_counters"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    key: str = Field(max_length=64)
    window_start: datetime = Field(index=True)
    last_at: datetime
    count: int = 0
