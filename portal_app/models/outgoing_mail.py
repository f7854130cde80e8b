from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class OutgoingMail(SQLModel, table=True):
    """A mail written in the same transaction as the action that causes it, then sent by the
    job queue (domain/core/mail_delivery.py). The row, not the queue, is the mail's durable
    record: a task lost with a killed worker is found again here (`next_attempt_at` overdue)."""

    __tablename__ = "outgoing_mails"

    id: int | None = Field(default=None, primary_key=True)
    # Idempotency key: the Message-ID and the outbox file name derive from it.
    key: str = Field(unique=True, max_length=32)
    recipient: str = Field(max_length=320)
    template: str = Field(max_length=60)
    context_json: str
    # Files attached, as [{"path": relative to the files folder, "filename", "mime"}].
    attachments_json: str = "[]"
    outbox_only: bool = False
    created_at: datetime = Field(default_factory=utcnow, index=True)
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    # Set while one worker sends it: another worker (or a second copy of the task) leaves it alone.
    claimed_until: datetime | None = None
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = Field(default=None, index=True)
    abandoned_at: datetime | None = None
