"""Answers that take the same time whatever the address.

A reset or activation request issues a link and hands a mail to the relay only when the address
has an account waiting for it: done inside the request, that is some 30 ms a stranger could time
to learn which addresses have accounts. So the work runs in a thread (a mail relay must never
hold up the event loop) and the answer comes no sooner than FLOOR_SECONDS after the request,
known address or not. Sending mails off the request path (a job queue) will make this moot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

# Well above the link-and-mail work (tens of ms), short enough not to be felt after a click.
FLOOR_SECONDS = 0.4


async def steadily(work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`work(*args, **kwargs)` in a thread, answered FLOOR_SECONDS after the start at the soonest."""
    floor = FLOOR_SECONDS
    started = time.monotonic()
    result = await asyncio.to_thread(work, *args, **kwargs)
    left = floor - (time.monotonic() - started)
    if left > 0:
        await asyncio.sleep(left)
    return result
