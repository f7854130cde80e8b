"""Sending the mails that mail.queue wrote: at most once per idempotency key, retried until sent.

Each mail is a row of `outgoing_mails`, written in the transaction of the action that causes
it. The worker's task (portal_app/jobs/tasks.py) calls deliver(): claim the row (an atomic
UPDATE, so two copies of the task never send together), send, then mark it sent. A failure
frees the claim and is raised, for the queue to retry with backoff; a task lost with a
killed worker leaves its row overdue, and requeue_overdue() (at start-up and every minute)
enqueues it again. `sent_at` is stored as soon as the relay has answered 250 to the data,
before the SMTP session's QUIT (whose failure then changes nothing). The one window left: the
worker dies between that 250 and the commit of `sent_at` (one UPDATE), or the 250 is lost on
the network: the mail is then sent again, with the same Message-ID.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import select

from portal_app.domain.core.db import session_scope
from portal_app.models.base import as_utc, utcnow
from portal_app.models.outgoing_mail import OutgoingMail
from portal_app.settings import get_settings

log = logging.getLogger("portal.mail")

# A mail still unsent after this is given up (and logged): its links would have expired.
GIVE_UP_AFTER = timedelta(days=2)
# An attempt not made this long after it was due was lost with a worker: enqueue it again.
OVERDUE = timedelta(minutes=1)
# Sent mails are kept this long (the delivery record), then forgotten: they hold addresses.
KEEP_SENT = timedelta(days=30)

_col = OutgoingMail.__table__.c  # typed SQL columns (SQLModel types a class column as its value)


def _claim(mail_id: int) -> OutgoingMail | None:
    now = utcnow()
    with session_scope() as db:
        claimed = db.execute(
            update(OutgoingMail)
            .where(
                _col.id == mail_id,
                _col.sent_at.is_(None),
                _col.abandoned_at.is_(None),
                or_(_col.claimed_until.is_(None), _col.claimed_until < now),
            )
            .values(
                claimed_until=now + timedelta(seconds=get_settings().mail_claim_seconds), attempts=_col.attempts + 1
            )
        ).rowcount
        return db.get(OutgoingMail, mail_id) if claimed else None


def deliver(mail_id: int, retry_in: float) -> bool:
    """Send one queued mail unless it is sent, being sent, or given up; True when sent now.

    Raises when sending failed, after storing when the next attempt is due (`retry_in` s)."""
    from portal_app.domain.core import mail  # mail imports this module

    row = _claim(mail_id)
    if row is None:
        return False
    sent = False

    def mark_sent() -> None:
        # Right after the relay's 250, before its QUIT: the window in which a killed worker
        # makes the mail go twice is this one UPDATE.
        nonlocal sent
        with session_scope() as db:
            db.execute(
                update(OutgoingMail)
                .where(_col.id == mail_id)
                .values(sent_at=utcnow(), claimed_until=None, last_error=None)
            )
        sent = True

    try:
        mail.transmit(row, mark_sent)
    except Exception as exc:
        if sent:  # accepted and recorded: whatever failed after it, the mail is delivered
            log.warning("mail %s sent; an error followed: %s", row.key, exc)
            return True
        now = utcnow()
        give_up = now - as_utc(row.created_at) > GIVE_UP_AFTER
        with session_scope() as db:
            db.execute(
                update(OutgoingMail)
                .where(_col.id == mail_id)
                .values(
                    claimed_until=None,
                    last_error=f"{type(exc).__name__}: {exc}"[:500],
                    next_attempt_at=now + timedelta(seconds=retry_in),
                    abandoned_at=now if give_up else None,
                )
            )
        if give_up:
            log.error("mail %s (%r) given up after %d attempts", row.key, row.template, row.attempts)
            return False
        raise
    if not sent:  # a transport that does not report the relay's answer: sent once it returns
        mark_sent()
    return True


def overdue(limit: int = 500) -> list[int]:
    """Mails whose attempt is past due and that nobody is sending: lost tasks."""
    now = utcnow()
    with session_scope() as db:
        return list(
            db.exec(
                select(OutgoingMail.id)
                .where(
                    _col.sent_at.is_(None),
                    _col.abandoned_at.is_(None),
                    _col.next_attempt_at < now - OVERDUE,
                    or_(_col.claimed_until.is_(None), _col.claimed_until < now),
                )
                .order_by(_col.id)
                .limit(limit)
            )
        )


def claimed(limit: int = 500) -> list[tuple[int, datetime]]:
    """Mails some worker claimed and has not sent, with the end of the claim. At start-up these
    are a dead worker's (or a live one's, whose own send the claim protects)."""
    with session_scope() as db:
        rows = db.exec(
            select(OutgoingMail.id, OutgoingMail.claimed_until)
            .where(_col.sent_at.is_(None), _col.abandoned_at.is_(None), _col.claimed_until.is_not(None))
            .order_by(_col.id)
            .limit(limit)
        )
        return [(mail_id, as_utc(until)) for mail_id, until in rows]


def forget_sent() -> int:
    """Delete the records of mails sent (or given up) long ago; returns how many."""
    cutoff = utcnow() - KEEP_SENT
    with session_scope() as db:
        return db.execute(delete(OutgoingMail).where(or_(_col.sent_at < cutoff, _col.abandoned_at < cutoff))).rowcount


def context_of(row: OutgoingMail) -> dict[str, str]:
    return json.loads(row.context_json)


def attachments_of(row: OutgoingMail) -> list[dict[str, str]]:
    return json.loads(row.attachments_json)
