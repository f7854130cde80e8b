"""The served app's job queue, driven from a test: a periodic task run now by the real worker.

run_periodic(portal, "expire_drafts")     # enqueued as the worker's scheduler does at its
                                          # hour; returns once the worker has run it
periodic_schedule(root, env)              # {task name: its crontab over a week}, read in a
                                          # fresh interpreter that imports what the worker imports
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.support.server import PortalServer, app_bin

# A Monday, 00:00 UTC (the queue runs in UTC): a week of minutes from it covers every crontab
# field the portal uses (minute, hour, day of week).
WEEK_START = datetime(2027, 3, 1)
WEEK_MINUTES = 7 * 24 * 60


def run_periodic(portal: PortalServer, name: str, timeout: float = 60) -> None:
    """Put periodic task `name` (portal_app/jobs/periodic.py) on the served app's queue and wait
    until the worker beside the app has executed it; fails with the worker's log if it raised."""
    assert portal.worker is not None, "this server runs no worker"
    out = portal.python(
        f"from portal_app.jobs import huey, periodic\ntask = periodic.{name}.s()\nhuey.enqueue(task)\nprint(task.id)\n"
    ).stdout
    task_id = out.split()[-1]
    done, failed = f"{task_id} executed in", f"Unhandled exception in task {task_id}"
    deadline = time.monotonic() + timeout
    while True:
        log = portal.worker.log_path.read_text(encoding="utf-8", errors="replace")
        if done in log:
            return
        if failed in log or time.monotonic() > deadline:
            raise AssertionError(f"the worker did not run {name} ({task_id}):\n{portal.worker.log_tail(60)}")
        time.sleep(0.1)


_SCHEDULE = f"""
import json
from datetime import datetime, timedelta
import portal_app.worker  # exactly what `python -m portal_app.worker` imports
from portal_app.jobs import huey
start = datetime.fromisoformat({WEEK_START.isoformat()!r})
moments = [start + timedelta(minutes=m) for m in range({WEEK_MINUTES})]
schedule = {{}}
for task in huey._registry.periodic_tasks:
    schedule[task.name] = [i for i, moment in enumerate(moments) if task.validate_datetime(moment)]
print(json.dumps(schedule))
"""


def fire_minutes(cron) -> list[int]:
    """The minutes of the week (from WEEK_START) at which a huey crontab fires."""
    return [m for m in range(WEEK_MINUTES) if cron(WEEK_START + timedelta(minutes=m))]


def periodic_schedule(root: Path, env: dict[str, str]) -> dict[str, list[int]]:
    """{periodic task name: fire_minutes} as the worker's scheduler sees them (Huey's registry
    of a fresh interpreter that imported portal_app.worker)."""
    result = subprocess.run(
        [app_bin("python", root), "-c", _SCHEDULE], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise AssertionError(f"reading the worker's schedule failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
