"""The worker's scheduler runs every periodic task at its hour: Huey's registry, read in a fresh
interpreter that imports what `python -m portal_app.worker` imports, holds exactly these tasks
with exactly these crontabs. A periodic task removed, renamed, or given another schedule by
mistake fails here (change the table with the task, and README's "Job queue" list)."""

from __future__ import annotations

from huey import crontab

from tests.support.jobs import WEEK_MINUTES, fire_minutes, periodic_schedule
from tests.support.server import ROOT, app_env

EXPECTED = {
    "requeue_mails": crontab(minute="*"),
    "finalise_quotes": crontab(minute="*/5"),
    "expire_drafts": crontab(minute="7"),
    "clean_up_data_exports": crontab(minute="23"),
    "purge_closed_dossiers": crontab(minute="41", hour="2"),
    "forget_sent_mails": crontab(minute="17", hour="3"),
    "sweep_stored_files": crontab(minute="53", hour="4"),
}


def test_the_worker_schedules_every_periodic_task_with_its_crontab(tmp_path):
    schedule = periodic_schedule(ROOT, app_env(tmp_path))

    assert sorted(schedule) == sorted(EXPECTED)
    for name, cron in EXPECTED.items():
        assert schedule[name] == fire_minutes(cron), name
    # Plain figures, so that the table above cannot drift with the code it checks.
    per_week = {name: len(minutes) for name, minutes in schedule.items()}
    assert per_week == {
        "requeue_mails": WEEK_MINUTES,
        "finalise_quotes": WEEK_MINUTES // 5,
        "expire_drafts": 7 * 24,
        "clean_up_data_exports": 7 * 24,
        "purge_closed_dossiers": 7,
        "forget_sent_mails": 7,
        "sweep_stored_files": 7,
    }
