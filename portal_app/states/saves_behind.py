"""A tab's draft answer is written behind its event (issue 18).

A save whose draft the tab knows (drafts.prepare_known) is answered at once: the tab's state
takes the new answer and the event's update leaves, while the UPDATE runs in a thread. The
commit stays off the event loop (house rule) without the event waiting for the disk and two
thread hops. What makes it safe:
- a tab has at most one write in flight, and every event of that tab waits for it first
  (SavesSettled, Reflex's app middleware): nothing of the tab reads the database before
  its last answer is there, and two writes of one tab never cross;
- the browser keeps each typed value in its offline store until the write's confirmation
  (draft_scripts.confirm_saved), sent only after the commit: a worker that dies with a write
  in flight loses nothing, the page replays the value when it connects again;
- a write that does not find the draft as the tab knew it (another tab wrote, it was filed)
  goes through the full save and its refusals, then the tab reads its draft again
  (DraftState.resync), as the save's event used to do itself;
- until then, the tab's state holds the version its save was answered with, which the
  database never reached: versions count up one by one, so another tab's write may reach that
  very number with other answers, and a save on it would pass the UPDATE's check and replace
  them. So a write that did not land leaves its tab in doubt (`doubt`), and the tab's next
  event, whatever it is, first goes back to the version it surely knew (SavesSettled): the
  answers it holds are that version's plus its own, which a save on it may write only if
  nobody else wrote since.
The pending writes live in this worker: a tab's events come in on its own websocket, to the
worker that holds it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from reflex.middleware import Middleware

log = logging.getLogger("portal.draft")

_pending: dict[str, asyncio.Task] = {}
# tab token -> (dossier id, the version the tab surely knew) after a write that did not land
_doubted: dict[str, tuple[int, int]] = {}


def start(token: str, write: Coroutine[Any, Any, None]) -> None:
    """Run a tab's write; the tab's next event waits for it (`settled`)."""
    task = asyncio.get_running_loop().create_task(write)
    _pending[token] = task

    def forget(done: asyncio.Task) -> None:
        if _pending.get(token) is done:
            del _pending[token]
        if not done.cancelled() and (error := done.exception()) is not None:
            log.error("a draft write failed", exc_info=error)

    task.add_done_callback(forget)


async def settled(token: str) -> None:
    """Once the tab's write in flight, if any, has committed or failed (it handles its own
    failures: nothing is raised here)."""
    task = _pending.get(token)
    if task is not None:
        await asyncio.wait([task])


def doubt(token: str, dossier_id: int, sure_version: int) -> None:
    """The tab's last write did not land as its save was answered."""
    _doubted[token] = (dossier_id, sure_version)


class SavesSettled(Middleware):
    async def preprocess(self, app, state, event):
        token = state.router.session.client_token
        await settled(token)
        doubted = _doubted.pop(token, None)
        if doubted is not None:
            from portal_app.states.draft import DraftState  # here: draft.py imports this module

            (await state.get_state(DraftState))._back_to(*doubted)
        return None
