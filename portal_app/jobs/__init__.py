"""Background jobs: every task of the portal is defined in this package and calls the domain.

    from portal_app.jobs import huey, deliver_mail
    deliver_mail(mail_id)          # enqueue; `python -m portal_app.worker` runs it

A periodic task is one decorator, in portal_app/jobs/periodic.py:

    @huey.periodic_task(crontab(minute="*/10"))
    def finalise_things() -> None:
        some_domain_function()

The worker runs the schedule (one worker per deployment runs it: README, "Job queue").
"""

from portal_app.jobs import periodic  # noqa: F401  (registers the periodic tasks)
from portal_app.jobs.queue import huey
from portal_app.jobs.tasks import build_data_export, deliver_mail

__all__ = ["build_data_export", "deliver_mail", "huey"]
