"""uploads.pipeline.ingest: the bounded read, the deadline, the per-user limit and the bounded
pool, with the checks replaced by a slow stand-in where timing matters."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import pytest

from portal_app.domain.uploads import pipeline
from portal_app.domain.uploads.checks import MAX_FILE_BYTES, Accepted, Refused
from tests.support import corpus


class CountingStream(io.BytesIO):
    """Remembers how many bytes were asked of it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.asked = 0

    def read(self, size: int = -1) -> bytes:
        self.asked += size if size >= 0 else len(self.getbuffer())
        return super().read(size)


class Unreadable(io.BytesIO):
    def read(self, size: int = -1) -> bytes:
        raise AssertionError("a file announced too large must not be read")


class SlowCheck:
    """Stands for inspect_upload: takes `seconds`, records how many run at once (overall and
    per user, the user being the file name's prefix before '-')."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.running: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.total = self.peak_total = 0

    def __call__(self, name: str, data: bytes, owner: object = None):
        user = name.split("-")[0]
        with self.lock:
            self.running[user] = self.running.get(user, 0) + 1
            self.total += 1
            self.peak[user] = max(self.peak.get(user, 0), self.running[user])
            self.peak_total = max(self.peak_total, self.total)
        time.sleep(self.seconds)
        with self.lock:
            self.running[user] -= 1
            self.total -= 1
        return Refused(name, "vérifié")


async def _ticking(work):
    """Run `work` while counting event-loop ticks of 10 ms: a blocked loop ticks hardly at all."""
    ticks = 0
    done = asyncio.Event()

    async def tick():
        nonlocal ticks
        while not done.is_set():
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    try:
        result = await work
    finally:
        done.set()
        await ticker
    return result, ticks, time.monotonic() - started


def test_a_part_announced_too_large_is_refused_unread():
    outcome = asyncio.run(pipeline.ingest(1, "gros.pdf", Unreadable(), size=6 * 1024 * 1024))
    assert isinstance(outcome, Refused)
    assert outcome.message == "gros.pdf : Fichier trop volumineux (6 Mo) : 5 Mo maximum."


def test_at_most_the_limit_plus_one_byte_is_read():
    stream = CountingStream(corpus.exactly(8 * 1024 * 1024))
    outcome = asyncio.run(pipeline.ingest(1, "sans-taille.pdf", stream))
    assert stream.asked == MAX_FILE_BYTES + 1
    assert isinstance(outcome, Refused)
    assert outcome.reason == "Fichier trop volumineux (un peu plus de 5 Mo) : 5 Mo maximum."


def test_an_accepted_file_is_kept_in_a_thread_and_what_keep_returns_comes_back():
    threads = []

    def keep(accepted: Accepted) -> str:
        threads.append(threading.current_thread())
        return f"rangé : {accepted.safe_name}"

    outcome = asyncio.run(pipeline.ingest(1, "scan.pdf", io.BytesIO(corpus.pdf()), keep=keep))
    assert outcome == "rangé : scan.pdf"
    assert threads and threads[0] is not threading.main_thread()
    refused = asyncio.run(pipeline.ingest(1, "page.pdf", io.BytesIO(corpus.html()), keep=keep))
    assert isinstance(refused, Refused) and len(threads) == 1


def test_past_the_deadline_the_file_is_refused_and_the_loop_kept_running(monkeypatch):
    check = SlowCheck(1.5)
    monkeypatch.setattr(pipeline, "inspect_upload", check)
    monkeypatch.setattr(pipeline, "DEADLINE_SECONDS", 0.3)
    work = pipeline.ingest(1, "lent.pdf", io.BytesIO(b"%PDF-1.4"))
    outcome, ticks, elapsed = asyncio.run(_ticking(work))
    assert isinstance(outcome, Refused)
    assert outcome.message == "lent.pdf : " + pipeline.MSG_DEADLINE
    assert elapsed < 1.2
    # 0.3 s of 10 ms ticks: a loop that waited on the check would have ticked once or twice.
    assert ticks >= 10
    while check.total:  # the abandoned check still ends in its worker: leave the pool idle
        time.sleep(0.05)


def test_one_user_runs_at_most_per_user_checks_and_does_not_hold_up_another(monkeypatch):
    check = SlowCheck(0.3)
    monkeypatch.setattr(pipeline, "inspect_upload", check)

    async def scenario():
        mine = [pipeline.ingest(1, f"alice-{n}.pdf", io.BytesIO(b"x")) for n in range(6)]
        crowd = asyncio.gather(*mine)
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await pipeline.ingest(2, "bob-1.pdf", io.BytesIO(b"x"))
        bobs_wait = time.monotonic() - started
        await crowd
        return bobs_wait

    bobs_wait = asyncio.run(scenario())
    assert check.peak["alice"] == pipeline.PER_USER
    # Alice's six files take three rounds (0.9 s); Bob's one is checked beside them.
    assert bobs_wait < 0.6
    assert pipeline._USERS == {}


def test_the_pool_never_runs_more_than_workers_checks(monkeypatch):
    check = SlowCheck(0.2)
    monkeypatch.setattr(pipeline, "inspect_upload", check)

    async def scenario():
        await asyncio.gather(
            *(pipeline.ingest(user, f"u{user}-{n}.pdf", io.BytesIO(b"x")) for user in range(10) for n in range(2))
        )

    asyncio.run(scenario())
    assert check.peak_total == pipeline.WORKERS
    assert pipeline.PER_USER < pipeline.WORKERS


@pytest.mark.parametrize("name, factory", [("scan.pdf", corpus.pdf), ("photo.jpg", corpus.jpeg)])
def test_check_is_the_same_pipeline_for_synchronous_callers(name, factory):
    assert isinstance(pipeline.check(name, factory()), Accepted)
    assert isinstance(pipeline.check("page.pdf", corpus.html()), Refused)
