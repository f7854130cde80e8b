"""Mails the app wrote to its outbox folder ($PORTAL_DATA_DIR/outbox, no SMTP host set)."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


def outbox_mails(data_dir: Path | None = None) -> list[EmailMessage]:
    """Every mail of data_dir's outbox (the current settings' by default), oldest first."""
    from portal_app.settings import get_settings

    folder = Path(data_dir) / "outbox" if data_dir is not None else get_settings().outbox_dir
    if not folder.exists():
        return []
    return [BytesParser(policy=policy.default).parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def text(message: EmailMessage) -> str:
    """The plain-text body."""
    return message.get_body(preferencelist=("plain",)).get_content()
