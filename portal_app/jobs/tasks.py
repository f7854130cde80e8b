"""Tasks run by the worker. Each one calls the domain; none holds business logic."""

from __future__ import annotations

from portal_app.domain.accounts import data_export
from portal_app.domain.core import mail_delivery
from portal_app.jobs.queue import huey

# Retries with backoff: 5 s, 10 s, 20 s… (about 10 minutes over 7 attempts), then the periodic
# requeue (jobs/periodic.py) starts again every minute until mail_delivery.GIVE_UP_AFTER.
MAIL_RETRIES = 7
MAIL_RETRY_DELAY = 5


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2, context=True)
def deliver_mail(mail_id: int, task=None) -> None:
    # task.retry_delay is the delay Huey waits before the next attempt: stored with the row, so
    # that the requeue knows the attempt is not lost but planned.
    retry_in = task.retry_delay if task is not None and task.retries else mail_delivery.OVERDUE.total_seconds()
    mail_delivery.deliver(mail_id, retry_in)


@huey.task(retries=3, retry_delay=30)
def build_data_export(export_id: int) -> None:
    data_export.build(export_id)
