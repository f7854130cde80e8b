from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Guest(SQLModel, table=True):
    """Someone filing without an account (domain/guests): one row per address, holding its one
    live sign-in code. Only a keyed hash of the code is stored."""

    __tablename__ = "guests"

    id: int | None = Field(default=None, primary_key=True)
    # Lower-cased, as accounts store theirs.
    email: str = Field(unique=True, max_length=254)
    code_hash: str = Field(default="", max_length=64)
    code_expires_at: datetime | None = None
    # Wrong codes typed since the code was sent; the code dies at the fifth.
    code_attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    # Set the first time a code sent to the address was typed right: the address is confirmed.
    confirmed_at: datetime | None = None
