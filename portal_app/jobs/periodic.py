"""Periodic tasks: one decorator each, run by the worker's scheduler (README, "Job queue")."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab

from portal_app.domain.accounts import data_export
from portal_app.domain.core import mail_delivery, stored_files
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import expiry, retention
from portal_app.domain.quotes.period import finalise_due_acceptances
from portal_app.jobs.queue import huey
from portal_app.jobs.tasks import deliver_mail
from portal_app.models.base import utcnow

log = logging.getLogger("portal.jobs")


def requeue_lost_mails(at_start: bool = False) -> None:
    """Enqueue again the mails whose task was lost (a worker killed mid-queue)."""
    lost = mail_delivery.overdue()
    for mail_id in lost:
        deliver_mail(mail_id)
    if at_start:
        # A mail claimed by a worker that died mid-send: tried again when its claim ends.
        for mail_id, until in mail_delivery.claimed():
            deliver_mail.schedule(args=(mail_id,), eta=until + timedelta(seconds=1))
            lost.append(mail_id)
    if lost:
        log.info("%d mail(s) queued again", len(lost))


@huey.periodic_task(crontab(minute="*"))
def requeue_mails() -> None:
    requeue_lost_mails()


@huey.periodic_task(crontab(minute="17", hour="3"))
def forget_sent_mails() -> None:
    mail_delivery.forget_sent()


@huey.periodic_task(crontab(minute="7"))
def expire_drafts() -> None:
    warned, deleted = expiry.expire_drafts()
    if warned or deleted:
        log.info("drafts: %d warned, %d deleted", warned, deleted)


@huey.periodic_task(crontab(minute="23"))
def clean_up_data_exports() -> None:
    data_export.clean_up()


@huey.periodic_task(crontab(minute="41", hour="2"))
def purge_closed_dossiers() -> None:
    deleted = retention.purge_closed()
    if deleted:
        log.info("retention: %d closed dossier(s) deleted", deleted)


@huey.periodic_task(crontab(minute="*/5"))
def finalise_quotes() -> None:
    """A quote acceptance whose withdrawal period is over becomes final (domain/quotes/period.py)."""
    with session_scope() as db:
        count = finalise_due_acceptances(db, utcnow())
    if count:
        log.info("quotes: %d acceptance(s) made final", count)


@huey.periodic_task(crontab(minute="53", hour="4"))
def sweep_stored_files() -> None:
    """Stored files no row names, a day old (an upload never sent, a crash): core/stored_files.py."""
    stored_files.sweep_orphans(utcnow())
