"""The user behind a session token, remembered by this worker for a few seconds.

Every event of a signed-in tab asks who is calling (states/guard.py). Asking the database each
time cost a query on the event loop per event (a quarter of the portal's CPU at 200 sessions,
bench/event_cost.py), so a worker remembers the answer for REVALIDATE at most, and never past
the session's own idle or absolute deadline.

It forgets every answer as soon as a unit of work of this process commits a change that can
end a session or change who its user is: a session row changed otherwise than by its
last-use touch (logout, "log out of all devices", a password change or reset, a merge), any
change of a users row (profile, password, closure, deletion). So within one worker a revoked
session is refused by the very next event, as before. Every page load asks the database afresh
(SessionState.enter), so what a page shows of the account is never older than its load. Several backend workers (the Redis state
manager) cannot see each other's commits, and a logout in one must cut off a tab served by
another at once: there nothing is remembered and every event asks the database (off the event
loop, states/guard.py). A change made by the command line is seen within REVALIDATE.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from portal_app.domain.accounts import sessions
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.tokens import hash_token
from portal_app.models import LoginSession, User
from portal_app.models.base import as_utc, utcnow
from portal_app.settings import get_settings

# A tab sends an event every few seconds while its person types: at 10 s half the saves asked
# the database again (a fifth of the portal's CPU at 500 sessions, issue 18).
REVALIDATE = timedelta(seconds=30)
# Far above the tabs one worker holds; past it, expired answers go, then everything.
MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class _Entry:
    user: User
    until: float  # time.monotonic() after which the database is asked again


_entries: dict[str, _Entry] = {}
_lock = threading.Lock()
# Bumped by every forget_all(): an answer read before it is not kept.
_generation = 0


def current_user(raw: str | None, *, fresh: bool = False) -> User | None:
    """The user of a live session (detached row, not to be changed), or None. `fresh` asks the
    database whatever is remembered, and remembers its answer (a page load: states/session.py)."""
    if not raw:
        return None
    key = hash_token(raw)
    entry = _entries.get(key)
    if not fresh and entry is not None and entry.until > time.monotonic():
        return entry.user
    generation = _generation
    with session_scope() as db:
        found = sessions.resolve(db, raw)
    if found is None:
        _entries.pop(key, None)
        return None
    user, login = found
    now = utcnow()
    deadline = min(
        as_utc(login.last_used_at) + sessions.IDLE_TIMEOUT, as_utc(login.created_at) + sessions.ABSOLUTE_TIMEOUT
    )
    keep = min(_revalidate(), deadline - now).total_seconds()
    if keep > 0:
        with _lock:
            if generation == _generation:
                if len(_entries) >= MAX_ENTRIES:
                    _drop_expired()
                _entries[key] = _Entry(user, time.monotonic() + keep)
    return user


def _revalidate() -> timedelta:
    # Several workers only share the database: nothing is remembered (module docstring).
    return timedelta(0) if get_settings().state_manager == "redis" else REVALIDATE


def remembered(raw: str | None) -> User | None:
    """The user this worker remembers for the token, without asking the database."""
    entry = _entries.get(hash_token(raw)) if raw else None
    return entry.user if entry is not None and entry.until > time.monotonic() else None


def forget_all() -> None:
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()


def _drop_expired() -> None:
    now = time.monotonic()
    for key in [key for key, entry in _entries.items() if entry.until <= now]:
        del _entries[key]
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()


def _ends_or_changes_a_session(db: Session) -> bool:
    for row in (*db.dirty, *db.deleted):
        if isinstance(row, User):
            return True
        if isinstance(row, LoginSession):
            state = inspect(row)
            changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
            if row in db.deleted or changed - {"last_used_at"}:
                return True
    return False


@event.listens_for(Session, "before_flush")
def _note(db: Session, _context, _instances) -> None:
    if _ends_or_changes_a_session(db):
        db.info["forget_sessions"] = True
        # Forget now too: an answer read between this flush and the commit is not kept.
        forget_all()


@event.listens_for(Session, "after_commit")
def _settle(db: Session) -> None:
    if db.info.pop("forget_sessions", False):
        forget_all()


@event.listens_for(Session, "after_rollback")
def _drop_note(db: Session) -> None:
    db.info.pop("forget_sessions", None)
