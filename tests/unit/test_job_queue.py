"""The job queue itself, with a real worker process (`python -m portal_app.worker`) and a real
SMTP server: a mail is neither lost nor sent twice when the relay is down for a while or when
the worker is killed (kill -9) in the middle of the queue."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import pytest
from sqlmodel import select

from portal_app import settings as settings_module
from portal_app.domain.core import mail
from portal_app.domain.core.db import session_scope
from portal_app.models.outgoing_mail import OutgoingMail
from tests.support.server import ROOT, app_bin, app_env
from tests.support.smtp import SmtpSink
from tests.support.worker import WorkerProcess

# Shorter than the default (2 minutes) so that a mail cut short by kill -9 is retried quickly.
CLAIM_SECONDS = "12"


@pytest.fixture
def queue_env(temp_db, tmp_path, monkeypatch, jobs_inline):
    """(start_worker, smtp port setter): this test's process queues into the SQLite queue of
    tmp_path, as the app does; start_worker() runs the real consumer on it."""
    workers: list[WorkerProcess] = []

    def configure(smtp_port: int) -> None:
        monkeypatch.setenv("PORTAL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PORTAL_SMTP_PORT", str(smtp_port))
        monkeypatch.setenv("PORTAL_MAIL_CLAIM_SECONDS", CLAIM_SECONDS)
        settings_module.get_settings.cache_clear()
        jobs_inline.immediate = False  # a real queue from now on: queue.db of this data dir

    def start_worker(smtp_port: int) -> WorkerProcess:
        env = app_env(tmp_path, smtp_port, PORTAL_MAIL_CLAIM_SECONDS=CLAIM_SECONDS, PORTAL_WORKER_THREADS="1")
        worker = WorkerProcess(ROOT, env, tmp_path / "worker.log", app_bin("python")).start()
        workers.append(worker)
        return worker

    yield configure, start_worker
    for worker in workers:
        worker.stop()


def rows() -> list[OutgoingMail]:
    with session_scope() as db:
        return list(db.exec(select(OutgoingMail).order_by(OutgoingMail.id)))


def wait_until(condition, timeout: float, what: str, worker: WorkerProcess):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s\n{worker.log_tail()}")
        time.sleep(0.2)
    return found


def queue_mails(addresses: list[str]) -> None:
    for address in addresses:
        with session_scope() as db:
            mail.queue(db, address, "duplicate_notice", first_name="Élodie")


def received(sink: SmtpSink, address: str) -> list:
    return [m for m in sink.messages if address in str(m["To"])]


def test_a_mail_queued_while_the_relay_is_down_arrives_once_when_it_is_back(queue_env):
    configure, start_worker = queue_env
    sink = SmtpSink()
    sink.start()
    port = sink.port
    sink.stop()  # the relay is down
    configure(port)
    worker = start_worker(port)

    queue_mails(["patience@exemple.fr"])
    wait_until(lambda: rows()[0].attempts >= 2, 30, "no second attempt", worker)
    (row,) = rows()
    assert row.sent_at is None and row.last_error.startswith("ConnectionRefusedError")

    sink.start()  # back, on the same port
    try:
        message = sink.wait_for("patience@exemple.fr", "compte", timeout=60)
        (row,) = wait_until(lambda: [r for r in rows() if r.sent_at], 15, "not marked sent", worker)
        assert message["Message-ID"] == f"<{row.key}@portail.localhost>"
        # Marked sent: any other copy of its task now finds it sent.
        assert len(received(sink, "patience@exemple.fr")) == 1
    finally:
        sink.stop()


def test_a_worker_killed_mid_queue_loses_and_duplicates_nothing(queue_env, smtp_sink):
    configure, start_worker = queue_env
    configure(smtp_sink.port)
    addresses = [f"file{index}@exemple.fr" for index in range(6)]
    smtp_sink.hold(addresses[2])  # the third mail's SMTP transaction hangs in DATA
    worker = start_worker(smtp_sink.port)

    queue_mails(addresses)
    assert smtp_sink.holding.wait(30), worker.log_tail()
    worker.stop(signal.SIGKILL)  # kill -9 while it sends the third: three still queued behind it
    smtp_sink.release()  # the cut transaction is refused, never stored
    assert len([r for r in rows() if r.sent_at]) == 2

    worker = start_worker(smtp_sink.port)
    wait_until(lambda: all(r.sent_at for r in rows()), 60, "not every mail sent", worker)
    for address in addresses:
        assert len(received(smtp_sink, address)) == 1, address
    (held,) = [r for r in rows() if r.recipient == addresses[2]]
    assert held.attempts == 2  # cut short once, then sent once its claim ended


class SlowGoodbyeSink(SmtpSink):
    """Stores every mail, then holds the session's QUIT until `bye` is set: the worker has the
    relay's 250 for the data but has not finished the SMTP session."""

    def __init__(self) -> None:
        super().__init__()
        self.quitting, self.bye = threading.Event(), threading.Event()

    async def handle_QUIT(self, server, session, envelope) -> str:
        self.quitting.set()
        while not self.bye.is_set():
            await asyncio.sleep(0.05)
        return "221 Bye"


def test_a_worker_killed_after_the_relay_accepted_a_mail_does_not_send_it_again(queue_env):
    """sent_at is stored on the relay's 250, before QUIT: a worker killed during the goodbye
    (which used to leave the row unsent, hence resent once its claim ended) sends nothing twice."""
    configure, start_worker = queue_env
    sink = SlowGoodbyeSink()
    sink.start()
    try:
        configure(sink.port)
        worker = start_worker(sink.port)
        queue_mails(["goodbye@exemple.fr"])
        assert sink.quitting.wait(30), worker.log_tail()
        (row,) = rows()
        assert row.sent_at is not None and row.claimed_until is None  # recorded before the QUIT
        worker.stop(signal.SIGKILL)
        sink.bye.set()

        worker = start_worker(sink.port)  # its start-up requeue finds nothing to send again
        sink.quitting.clear()
        queue_mails(["after@exemple.fr"])
        sink.wait_for("after@exemple.fr", timeout=30)
        assert len(received(sink, "goodbye@exemple.fr")) == 1
        assert [r.attempts for r in rows()] == [1, 1]
    finally:
        sink.bye.set()
        sink.stop()
