"""uploads.pipeline.ingest: the bounded read, the deadline, the per-user limit and the bounded
pool, with the checks replaced by a slow stand-in where timing matters."""

from __future__ import annotations

import asyncio
import io
import threading

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


class GatedCheck:
    """Stands for inspect_upload: each check waits for its user's gate (the user being the file
    name's prefix before '-'), and records how many run at once, overall and per user. Tests
    wait for these counts, never for a duration, so a loaded machine cannot change the outcome."""

    def __init__(self, *closed_users: str):
        self.lock = threading.Lock()
        self.gates = {user: threading.Event() for user in closed_users}
        self.running: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.total = self.peak_total = 0

    def open(self) -> None:
        for gate in self.gates.values():
            gate.set()

    def __call__(self, name: str, data: bytes, owner: object = None):
        user = name.split("-")[0]
        with self.lock:
            self.running[user] = self.running.get(user, 0) + 1
            self.total += 1
            self.peak[user] = max(self.peak.get(user, 0), self.running[user])
            self.peak_total = max(self.peak_total, self.total)
        gate = self.gates.get(user)
        if gate is not None:
            assert gate.wait(60), "the test never opened this gate"
        with self.lock:
            self.running[user] -= 1
            self.total -= 1
        return Refused(name, "vérifié")


async def _until(condition, what: str) -> None:
    for _ in range(6000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


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
    check = GatedCheck("lent")
    monkeypatch.setattr(pipeline, "inspect_upload", check)
    monkeypatch.setattr(pipeline, "DEADLINE_SECONDS", 0.3)
    ticks_while_checking = 0

    async def scenario():
        nonlocal ticks_while_checking
        work = asyncio.ensure_future(pipeline.ingest(1, "lent-1.pdf", io.BytesIO(b"%PDF-1.4")))
        while not work.done():
            await asyncio.sleep(0.01)
            ticks_while_checking += check.total
        return work.result()

    try:
        outcome = asyncio.run(scenario())
        assert isinstance(outcome, Refused)
        assert outcome.message == "lent-1.pdf : " + pipeline.MSG_DEADLINE
        # The check has not ended: the answer did not wait for it, and the loop ran meanwhile.
        assert check.total == 1
        assert ticks_while_checking > 0
    finally:
        check.open()
    asyncio.run(_until(lambda: check.total == 0, "the abandoned check ends in its worker"))


def test_one_user_runs_at_most_per_user_checks_and_does_not_hold_up_another(monkeypatch):
    check = GatedCheck("alice")
    monkeypatch.setattr(pipeline, "inspect_upload", check)

    async def scenario():
        crowd = asyncio.gather(*(pipeline.ingest(1, f"alice-{n}.pdf", io.BytesIO(b"x")) for n in range(6)))
        await _until(lambda: check.running.get("alice") == pipeline.PER_USER, "Alice's first checks start")
        # Bob's file is checked while all of Alice's are still held.
        await asyncio.wait_for(pipeline.ingest(2, "bob-1.pdf", io.BytesIO(b"x")), 60)
        assert check.peak.get("bob") == 1
        assert check.running["alice"] == pipeline.PER_USER
        check.open()
        await crowd

    asyncio.run(scenario())
    assert check.peak["alice"] == pipeline.PER_USER
    assert pipeline._USERS == {}


def test_the_pool_never_runs_more_than_workers_checks(monkeypatch):
    users = [f"u{user}" for user in range(10)]
    check = GatedCheck(*users)
    monkeypatch.setattr(pipeline, "inspect_upload", check)

    async def scenario():
        crowd = asyncio.gather(
            *(pipeline.ingest(n, f"{user}-{k}.pdf", io.BytesIO(b"x")) for n, user in enumerate(users) for k in range(2))
        )
        await _until(lambda: check.total == pipeline.WORKERS, "the pool fills")
        # Give any extra thread the chance to start: none may, the pool is full.
        await asyncio.sleep(0.2)
        assert check.total == pipeline.WORKERS
        check.open()
        await crowd

    asyncio.run(scenario())
    assert check.peak_total == pipeline.WORKERS
    assert pipeline.PER_USER < pipeline.WORKERS


@pytest.mark.parametrize("name, factory", [("scan.pdf", corpus.pdf), ("photo.jpg", corpus.jpeg)])
def test_check_is_the_same_pipeline_for_synchronous_callers(name, factory):
    assert isinstance(pipeline.check(name, factory()), Accepted)
    assert isinstance(pipeline.check("page.pdf", corpus.html()), Refused)
