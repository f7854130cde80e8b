"""A tab's write in flight (states/saves_behind.py): the tab's next event waits for it, other
tabs do not, and a finished write leaves nothing behind."""

from __future__ import annotations

import asyncio

from portal_app.states import saves_behind


def test_a_tabs_next_event_waits_for_its_write_and_no_other_tab_does():
    async def scenario() -> list[str]:
        seen: list[str] = []
        release = asyncio.Event()

        async def write() -> None:
            await release.wait()
            seen.append("committed")

        saves_behind.start("tab-a", write())

        async def next_event(token: str) -> None:
            await saves_behind.settled(token)
            seen.append(f"event of {token}")

        waiting = asyncio.create_task(next_event("tab-a"))
        await next_event("tab-b")
        await asyncio.sleep(0.01)
        assert not waiting.done()
        release.set()
        await waiting
        return seen

    assert asyncio.run(scenario()) == ["event of tab-b", "committed", "event of tab-a"]
    assert saves_behind._pending == {}


def test_a_failed_write_does_not_reach_the_next_event():
    async def scenario() -> None:
        async def write() -> None:
            raise RuntimeError("disk full")

        saves_behind.start("tab-c", write())
        await saves_behind.settled("tab-c")  # returns: the write handles its own failures

    asyncio.run(scenario())
    assert saves_behind._pending == {}


def test_only_the_latest_write_of_a_tab_is_remembered():
    async def scenario() -> None:
        first_done = asyncio.Event()

        async def first() -> None:
            await first_done.wait()

        async def second() -> None:
            await asyncio.sleep(0)

        saves_behind.start("tab-d", first())
        saves_behind.start("tab-d", second())
        first_done.set()
        await saves_behind.settled("tab-d")
        await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert saves_behind._pending == {}
