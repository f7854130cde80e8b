from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """One action of an agent in the back office. Never updated or deleted by the app."""

    __tablename__ = "audit_entries"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    # No foreign key: the trail must outlive the accounts it names.
    agent_id: int = Field(index=True)
    action: str = Field(index=True, max_length=40)
    dossier_id: int | None = Field(default=None, index=True)
    target_user_id: int | None = Field(default=None, index=True)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
