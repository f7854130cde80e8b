from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Message(SQLModel, table=True):
    """One message of a dossier's discussion between the agency and the dossier's owner.

    Only an agent opens a discussion; the owner replies. Each side has its own read marker on
    the other side's messages, so both can show what is new to them.
    """

    __tablename__ = "messages"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    # None once the author's account is deleted: the message stays in the dossier's record.
    author_id: int | None = Field(default=None, foreign_key="users.id")
    author_role: str = Field(max_length=20)  # agent | beneficiary
    body: str = Field(default="", max_length=5000)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # Set when the owner has read an agent's message...
    read_by_owner_at: datetime | None = None
    # ...and when an agent has read the owner's reply.
    read_by_agency_at: datetime | None = None


class MessageAttachment(SQLModel, table=True):
    """A file sent with a message: its own stored copy (like a dossier piece), so a later
    change or deletion in the porte-documents leaves the thread intact."""

    __tablename__ = "message_attachments"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="messages.id", index=True)
    name: str = Field(max_length=130)
    kind: str = Field(max_length=10)  # png, jpeg, pdf: decided by the content
    size: int
    sha256: str = Field(max_length=64)
    stored_name: str = Field(unique=True, max_length=64)
    # The porte-documents document it was picked from, if any (for the record only).
    source_document_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
