"""Notification emails: French templates rendered to text + HTML, queued with the action that
causes them (queue), sent by the job queue's worker by SMTP or to the outbox (mail_delivery.py).

Templates live in mail_templates/<name>.txt (first line "Subject: ...") and
<name>.html (a body fragment wrapped in _layout.html). Placeholders use
string.Template syntax ($first_name); every value is HTML-escaped in the HTML part, and any
social security number in a value is masked (nir.masked_nir).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import secrets
import smtplib
import string
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from functools import cache
from pathlib import Path

from portal_app.domain.core import mail_delivery
from portal_app.domain.core.db import UnitOfWork
from portal_app.domain.core.nir import mask_nirs_in
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.models.outgoing_mail import OutgoingMail
from portal_app.settings import Settings, get_settings

log = logging.getLogger("portal.mail")

TEMPLATES_DIR = Path(__file__).with_name("mail_templates")
SMTP_TIMEOUT = 10

# Set by outbox_only(): mails are written to the outbox even when an SMTP relay is configured.
_OUTBOX_ONLY: ContextVar[bool] = ContextVar("portal_mail_outbox_only", default=False)

# Values the templates may show without the caller passing them.
_DEFAULTS: dict[str, dict[str, object]] = {
    "account_unlock": {"valid_for": validity(Purpose.PASSWORD_RESET)},
    # A link's validity comes from the token's lifetime, in the words the pages use too.
    "activation": {"valid_for": validity(Purpose.ACTIVATION)},
    "password_reset": {"valid_for": validity(Purpose.PASSWORD_RESET)},
    "agent_invitation": {"valid_for": validity(Purpose.PASSWORD_RESET)},
    "employer_personalised": {"valid_for": validity(Purpose.EMPLOYER_CONFIRMATION)},
    "franceconnect_link": {"valid_for": validity(Purpose.FRANCECONNECT_LINK)},
}

_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@cache
def _load(filename: str) -> string.Template:
    return string.Template((TEMPLATES_DIR / filename).read_text(encoding="utf-8"))


def _check_links(context: dict[str, object]) -> None:
    # A link is printed as an <a href>: only web links may reach the mail.
    for key, value in context.items():
        if key.endswith("link") and not re.match(r"https?://", str(value), re.IGNORECASE):
            raise ValueError(f"{key} must be an http(s) URL")


def render(template: str, **context: object) -> RenderedMail:
    """Render a template; raises on an unknown template or a missing value."""
    if not _NAME.fullmatch(template):
        raise ValueError(f"invalid mail template name: {template!r}")
    values = {**_DEFAULTS.get(template, {}), **context}
    _check_links(values)
    # No mail carries a social security number in clear, whoever the caller (links aside).
    text_values = {
        key: str(value) if key.endswith("link") else mask_nirs_in(str(value)) for key, value in values.items()
    }
    html_values = {key: html.escape(value, quote=True) for key, value in text_values.items()}

    # "Bonjour $first_name," for someone without a first name (a guest, domain/guests): "Bonjour,".
    head, _, body = _load(f"{template}.txt").substitute(text_values).replace("Bonjour ,", "Bonjour,").partition("\n")
    if not head.startswith("Subject:"):
        raise ValueError(f"{template}.txt must start with a 'Subject:' line")
    # A value in the subject must not be able to add a header line.
    subject = " ".join(head.removeprefix("Subject:").split())
    text = _load("_layout.txt").substitute(content=body.strip("\n"))
    fragment = _load(f"{template}.html").substitute(html_values).replace("Bonjour ,", "Bonjour,")
    page = _load("_layout.html").substitute(subject=html.escape(subject), content=fragment.strip("\n"))
    return RenderedMail(subject=subject, text=text, html=page)


def mask_email(address: str) -> str:
    """jean.dupont@example.fr -> j***@example.fr, to hint at an address without disclosing it."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


def build_message(to: str, mail: RenderedMail, settings: Settings, key: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=True)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "portail.localhost"
    # An explicit domain avoids make_msgid's DNS lookup of the local host name.
    # One Message-ID per mail, whatever the attempt: a receiver can tell a resent copy.
    msg["Message-ID"] = f"<{key}@{domain}>"
    # quoted-printable keeps the mail 7-bit clean for relays without 8BITMIME.
    msg.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def _write_outbox(msg: EmailMessage, outbox: Path, name: str) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    final = outbox / f"{name}.eml"
    # Written under another name then renamed: a reader never sees half a mail, and the same
    # mail written twice (a retried task) replaces itself.
    partial = outbox / f".{final.name}.part"
    try:
        with open(partial, "wb") as handle:
            handle.write(msg.as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def _attach(msg: EmailMessage, attachments: Sequence[dict[str, str]], settings: Settings) -> None:
    for item in attachments:
        maintype, _, subtype = item["mime"].partition("/")
        data = (settings.files_dir / item["path"]).read_bytes()
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=item["filename"])


def new_key() -> str:
    """A mail's idempotency key: time first (outbox files sort oldest first), then 40 random bits."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + secrets.token_hex(5)


def send_mail(
    to: str,
    template: str,
    settings: Settings | None = None,
    *,
    key: str | None = None,
    attachments: Sequence[dict[str, str]] = (),
    outbox_only: bool = False,
    accepted: Callable[[], None] | None = None,
    **context: object,
) -> bool:
    """Send one mail now (the queue's task does; pages never call it): by SMTP, or to the
    outbox when no relay is set. Raises on failure, for the queue to retry.

    `key`, the mail's idempotency key, fixes its Message-ID and its outbox file name.
    `accepted` runs as soon as the relay has answered 250 to the mail's data, before the
    session's QUIT: the delivery record is written then, and nothing after it can fail the send."""
    settings = settings or get_settings()
    key = key or new_key()
    msg = build_message(to, render(template, **context), settings, key)
    _attach(msg, attachments, settings)
    if settings.smtp_host and not (outbox_only or _OUTBOX_ONLY.get()):
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
        try:
            smtp.send_message(msg)
            if accepted is not None:
                accepted()
            _say_goodbye(smtp, key)
        finally:
            smtp.close()
    else:
        _write_outbox(msg, settings.outbox_dir, key)
        if accepted is not None:
            accepted()
    return True


def _say_goodbye(smtp: smtplib.SMTP, key: str) -> None:
    # The relay holds the mail already: a QUIT refused or cut off must not make it send again.
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError) as exc:
        log.info("mail %s accepted; the relay's goodbye failed (%s)", key, type(exc).__name__)


def transmit(row: OutgoingMail, accepted: Callable[[], None]) -> None:
    """Send a queued mail (mail_delivery.deliver calls this once it holds the row); `accepted`
    as in send_mail."""
    context = mail_delivery.context_of(row)
    attachments = mail_delivery.attachments_of(row)
    try:
        send_mail(
            row.recipient,
            row.template,
            key=row.key,
            attachments=attachments,
            outbox_only=row.outbox_only,
            accepted=accepted,
            **context,
        )
    except Exception:
        log.warning("mail %s (%r) to %s not sent", row.key, row.template, mask_email(row.recipient), exc_info=True)
        raise


@dataclass
class Delivery:
    """A mail written with its action; `queued` is known once the unit of work has committed."""

    queued: bool | None = None


def queue(
    uow: UnitOfWork, to: str, template: str, attachments: Sequence[dict[str, str]] = (), **context: object
) -> Delivery:
    """The one way the domain sends a mail: written in `uow`, handed to the job queue after it
    commits (never for work rolled back, so a mail never carries a link that the database does
    not know). `attachments`: [{"path": relative to the files folder, "filename", "mime"}]."""
    row = OutgoingMail(
        key=new_key(),
        recipient=to,
        template=template,
        context_json=json.dumps({name: str(value) for name, value in context.items()}),
        attachments_json=json.dumps(list(attachments)),
        outbox_only=_OUTBOX_ONLY.get(),
    )
    # No flush here: the row gets its id when the work commits, before hand_over runs, and
    # the mails of one action (a batch of expiry warnings) are inserted together.
    uow.add(row)
    delivery = Delivery()

    def hand_over() -> None:
        from portal_app.jobs import deliver_mail  # the jobs package imports the domain

        deliver_mail(row.id)
        delivery.queued = True

    uow.after_commit(hand_over)
    return delivery


@contextmanager
def outbox_only() -> Iterator[None]:
    """Mails sent inside go to the outbox whatever the settings (the demo data's journeys
    mail invented addresses, which a real relay must never be asked to deliver)."""
    token = _OUTBOX_ONLY.set(True)
    try:
        yield
    finally:
        _OUTBOX_ONLY.reset(token)
