from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Notification(SQLModel, table=True):
    """An in-app notification (the bell): a status change or a new message from the agency."""

    __tablename__ = "notifications"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=20)  # status | message
    dossier_id: int | None = Field(default=None, foreign_key="dossiers.id", index=True)
    text: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = Field(default=None, index=True)
