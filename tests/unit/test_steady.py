"""core.steady: a reset or activation request answers no sooner for an unknown address than for a
known one, and its work (link, mail relay) runs off the event loop."""

from __future__ import annotations

import asyncio
import threading
import time

from portal_app.domain.core import steady


def test_quick_and_slower_work_answer_after_the_same_floor_off_the_loop(monkeypatch):
    monkeypatch.setattr(steady, "FLOOR_SECONDS", 0.3)
    threads = []

    def nothing_to_mail():
        threads.append(threading.current_thread())
        return "rien"

    def link_and_mail():
        threads.append(threading.current_thread())
        time.sleep(0.05)
        return "envoyé"

    async def answer(work):
        started = time.monotonic()
        result = await steady.steadily(work)
        return result, time.monotonic() - started

    for work, expected in ((nothing_to_mail, "rien"), (link_and_mail, "envoyé")):
        result, took = asyncio.run(answer(work))
        # Only a lower bound: the floor hides which of the two had something to do.
        assert result == expected and took >= 0.3
    assert threads and all(thread is not threading.main_thread() for thread in threads)


def test_the_loop_keeps_running_while_the_work_waits(monkeypatch):
    monkeypatch.setattr(steady, "FLOOR_SECONDS", 0)
    release = threading.Event()

    async def scenario():
        work = asyncio.ensure_future(steady.steadily(release.wait, 30))
        for _ in range(3):
            await asyncio.sleep(0)  # the loop turns while the work is held in its thread
        assert not work.done()
        release.set()
        return await work

    assert asyncio.run(scenario()) is True
