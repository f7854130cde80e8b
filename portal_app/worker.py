"""The job queue's consumer: `python -m portal_app.worker` (make run and make serve start it too).

It runs the tasks of portal_app/jobs (mails, files to build) on a few threads and the periodic
tasks' schedule. Settings: the queue is the SQLite file $PORTAL_DATA_DIR/queue.db, or Redis
when PORTAL_REDIS_URL is set; PORTAL_WORKER_THREADS (default 2); PORTAL_WORKER_PERIODIC=0 for
an extra worker that must not run the schedule a second time.
"""

from __future__ import annotations

import logging
import os

from portal_app.jobs import huey
from portal_app.jobs.periodic import requeue_lost_mails
from portal_app.settings import get_settings

# SQLite is polled: at most this long between a mail queued and its sending when idle.
POLL_MAX_DELAY = 0.5


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    # Mails whose task died with the previous worker (kill -9, power cut) are queued again at once.
    requeue_lost_mails(at_start=True)
    consumer = huey.create_consumer(
        workers=int(os.environ.get("PORTAL_WORKER_THREADS", "2")),
        worker_type="thread",
        periodic=os.environ.get("PORTAL_WORKER_PERIODIC", "1") != "0",
        initial_delay=0.05,
        max_delay=POLL_MAX_DELAY,
        check_worker_health=True,
    )
    where = "Redis" if settings.redis_url else str(huey.storage.filename)
    logging.getLogger("portal.worker").info("portal worker ready (queue: %s)", where)
    consumer.run()


if __name__ == "__main__":
    main()
