"""The one way in for an uploaded file: bounded read, every check off the event loop.

    outcome = await ingest(user_id, name, stream, size, keep=store)

reads at most MAX_FILE_BYTES + 1 bytes of `stream` (a part announced larger is refused unread),
checks it (type sniffing, image re-encode, PDF check in its child process) in a pool of WORKERS
threads shared by the whole process, gives up after DEADLINE_SECONDS, and lets one user hold at
most PER_USER of those workers: one account sending slow files waits behind its own, never
behind everybody's. `keep(accepted)` (storing, database writes) then runs in a thread too. The
result is a Refused, or what `keep` returned (the Accepted itself without `keep`).

check(name, data) is the same check for synchronous callers (command line, demo data, tests).
Pure Python: no Reflex here.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import BinaryIO, TypeVar

from portal_app.domain.uploads.checks import (
    MAX_FILE_BYTES,
    Accepted,
    Refused,
    display_name,
    inspect_upload,
    too_large_reason,
)
from portal_app.domain.uploads.pdfs import WALL_SECONDS

T = TypeVar("T")

# A PDF check mostly waits for its child process; image decodes share decoding.py's memory budget
# (one heavy decode per user): one worker per core plus two keeps the CPU busy.
WORKERS = min(8, (os.cpu_count() or 1) + 2)
# Below WORKERS, so one account never holds every worker.
PER_USER = 2
# The PDF child is killed at its own wall limit; this covers waiting for a worker as well.
DEADLINE_SECONDS = WALL_SECONDS + 10

MSG_DEADLINE = (
    "La vérification de ce fichier a pris trop de temps et a été abandonnée. "
    "Réessayez dans quelques minutes ; si cela se reproduit, enregistrez-le de nouveau "
    "(Fichier > Imprimer > Enregistrer au format PDF, ou une capture d'écran) puis réessayez."
)

_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ingest")
# user id -> [its semaphore, how many ingests use it]; touched from the event loop only.
_USERS: dict[object, list] = {}


def _read_and_check(name: str, stream: BinaryIO, user_id: object) -> Accepted | Refused:
    # Never more than the limit plus one byte in memory, whatever the part claims.
    data = stream.read(MAX_FILE_BYTES + 1)
    return inspect_upload(name, data, user_id)


@asynccontextmanager
async def _user_slot(user_id: object):
    entry = _USERS.get(user_id)
    if entry is None:
        entry = _USERS[user_id] = [asyncio.Semaphore(PER_USER), 0]
    entry[1] += 1
    try:
        async with entry[0]:
            yield
    finally:
        entry[1] -= 1
        if not entry[1]:
            del _USERS[user_id]


async def ingest(
    user_id: object,
    name: str,
    stream: BinaryIO,
    size: int | None = None,
    keep: Callable[[Accepted], T] | None = None,
) -> T | Accepted | Refused:
    """Check one uploaded file for `user_id`, then `keep` it; never blocks the event loop."""
    shown = display_name(name)
    if size is not None and size > MAX_FILE_BYTES:
        return Refused(shown, too_large_reason(size))
    started = time.monotonic()
    async with _user_slot(user_id):
        remaining = DEADLINE_SECONDS - (time.monotonic() - started)
        job = asyncio.wrap_future(_POOL.submit(_read_and_check, name, stream, user_id))
        try:
            outcome = await asyncio.wait_for(job, max(remaining, 0.001))
        except TimeoutError:
            # A job still queued is dropped; a running one ends at its own limits, unheard.
            return Refused(shown, MSG_DEADLINE)
    if isinstance(outcome, Refused) or keep is None:
        return outcome
    return await asyncio.to_thread(keep, outcome)


def check(name: str, data: bytes) -> Accepted | Refused:
    """The same checks in the same pool, for a caller that is not on an event loop."""
    job = _POOL.submit(inspect_upload, name, data)
    try:
        return job.result(timeout=DEADLINE_SECONDS)
    except TimeoutError:
        job.cancel()
        return Refused(display_name(name), MSG_DEADLINE)
