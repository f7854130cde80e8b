"""Periodic tasks: one decorator each, run by the worker's scheduler (README, "Job queue")."""

from __future__ import annotations

import logging

from huey import crontab

from portal_app.domain.core import mail_delivery
from portal_app.jobs.queue import huey
from portal_app.jobs.tasks import deliver_mail

log = logging.getLogger("portal.jobs")


def requeue_lost_mails() -> int:
    """Enqueue again the mails whose task was lost (a worker killed mid-queue); also run at start-up."""
    lost = mail_delivery.overdue()
    for mail_id in lost:
        deliver_mail(mail_id)
    if lost:
        log.info("%d mail(s) queued again", len(lost))
    return len(lost)


@huey.periodic_task(crontab(minute="*"))
def requeue_mails() -> None:
    requeue_lost_mails()


@huey.periodic_task(crontab(minute="17", hour="3"))
def forget_sent_mails() -> None:
    mail_delivery.forget_sent()
