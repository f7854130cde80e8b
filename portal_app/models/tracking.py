from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class TrackingGrant(SQLModel, table=True):
    """A short-lived read-only view of one dossier, given after a successful lookup."""

    __tablename__ = "tracking_grants"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
