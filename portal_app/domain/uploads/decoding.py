"""Memory of image decoding: how many bytes of pixels may be in flight, and giving them back.

    with GATE.hold(owner, cost):
        ...decode and re-encode...

waits until `cost` bytes fit in the process-wide DECODE_BUDGET and, for a heavy decode (above
HEAVY_BYTES), until the same owner has no other heavy decode running: a burst of big images,
from one account or from several, costs at most the budget, and one account never holds more
than one heavy decode. Turns are taken in order of arrival. Waiting longer than QUEUE_SECONDS gives up with a French message (the
upload pipeline's own deadline is longer).

Freed pixels go back to the system: glibc raises its mmap threshold after the first big block
is freed, then serves the next ones from per-thread arenas that it keeps (measured: +940 MiB
still held after six 40 MP PNGs). A fixed threshold keeps every big block in its own mapping,
unmapped when freed, and malloc_trim returns what smaller allocations left in the arenas.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MIB = 1024 * 1024
DECODE_BUDGET = 200 * MIB
# A 4-megapixel photo (4 bytes a pixel in Pillow, plus its rotated copy) is still light.
HEAVY_BYTES = 32 * MIB
QUEUE_SECONDS = 20.0
# glibc's M_MMAP_THRESHOLD option: allocations from 1 MiB up get their own mapping.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = MIB

MSG_BUSY = (
    "Le serveur traite beaucoup d'images en ce moment : cette image n'a pas pu être vérifiée. "
    "Réessayez dans quelques minutes."
)

log = logging.getLogger(__name__)


class Busy(Exception):
    """Waited QUEUE_SECONDS without a turn."""


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    # Another C library (musl, macOS) has neither function: nothing to tune there.
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_LIBC = _libc()
if _LIBC is not None:
    _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_memory() -> None:
    """Give freed heap pages back to the system (a few milliseconds; after heavy decodes only)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@dataclass(eq=False)
class _Ticket:
    owner: object
    cost: int
    heavy: bool


class DecodeGate:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._changed = threading.Condition()
        self._in_flight = 0
        self._heavy_owners: set[object] = set()
        # Decodes waiting, oldest first.
        self._queue: list[_Ticket] = []

    def _owner_busy(self, ticket: _Ticket) -> bool:
        return ticket.heavy and ticket.owner is not None and ticket.owner in self._heavy_owners

    def _fits(self, ticket: _Ticket) -> bool:
        if self._owner_busy(ticket):
            return False
        # First come, first served for the budget: a stream of small images never starves a big
        # one. A decode waiting for its own account's previous one holds nobody up.
        for earlier in self._queue:
            if earlier is ticket:
                break
            if not self._owner_busy(earlier):
                return False
        # A decode alone may exceed the budget (the image caps bound it): it then runs alone.
        return self._in_flight == 0 or self._in_flight + ticket.cost <= self.budget

    def _wait_turn(self, ticket: _Ticket) -> None:
        log.info("image decode of %d MiB queued (owner %s)", ticket.cost // MIB, ticket.owner)
        self._queue.append(ticket)
        try:
            if not self._changed.wait_for(lambda: self._fits(ticket), QUEUE_SECONDS):
                raise Busy(MSG_BUSY)
        finally:
            self._queue.remove(ticket)
            self._changed.notify_all()

    @contextmanager
    def hold(self, owner: object, cost: int) -> Iterator[None]:
        ticket = _Ticket(owner, cost, cost > HEAVY_BYTES)
        with self._changed:
            if not self._fits(ticket):
                self._wait_turn(ticket)
            self._in_flight += cost
            if ticket.heavy and owner is not None:
                self._heavy_owners.add(owner)
        try:
            yield
        finally:
            with self._changed:
                self._in_flight -= cost
                if ticket.heavy:
                    self._heavy_owners.discard(owner)
                self._changed.notify_all()
            if ticket.heavy:
                release_memory()


GATE = DecodeGate(DECODE_BUDGET)
