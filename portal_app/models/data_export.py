from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class DataExport(SQLModel, table=True):
    """A "Télécharger mes données" request: the zip is built by the job queue, downloadable by
    its owner until `expires_at` (24 hours after it is ready), then deleted with its file."""

    __tablename__ = "data_exports"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    requested_at: datetime = Field(default_factory=utcnow)
    ready_at: datetime | None = None
    expires_at: datetime | None = Field(default=None, index=True)
    stored_name: str | None = Field(default=None, unique=True, max_length=64)
    size: int = 0
