"""Login temporisation after failed attempts (CNIL deliberation 2022-100).

Failures are counted per identifier, whether an account has it or not, in the throttle table
(keyed hash, forgotten a day after the first failure): an unknown address goes through exactly
the same steps and messages as a real one. From the 5th consecutive failure each new attempt
waits; the wait doubles at each failure up to MAX_DELAY. Nothing ever blocks an account for
good: a stranger can only slow its login down, and its owner gets in through the mailed link
(a new password chosen there lifts the wait, for the tab that chose it even while a stranger
keeps guessing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from portal_app.domain.core import throttle
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import normalize_email
from portal_app.domain.core.throttle import Kind
from portal_app.models.base import utcnow

FIRST_DELAY_AFTER = 5
BASE_DELAY = timedelta(seconds=60)
MAX_DELAY = timedelta(minutes=15)
# How long the tab where the owner chose a new password through the mailed link may log in
# with it whatever the temporisation of its address.
GRACE = timedelta(hours=1)


def delay_after_failures(n: int) -> timedelta | None:
    """Wait imposed after n consecutive failures: None, then 1, 2, 4, 8, 15, 15… minutes."""
    if n < FIRST_DELAY_AFTER:
        return None
    # The exponent is bounded: a huge count must not overflow timedelta.
    return min(BASE_DELAY * 2 ** min(n - FIRST_DELAY_AFTER, 16), MAX_DELAY)


def _require_aware(moment: datetime, name: str) -> None:
    # A naive datetime compared with an aware one raises deep inside a request;
    # fail early and clearly instead.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC)")


def login_allowed_at(failures: int, last_failure_at: datetime) -> datetime | None:
    """First moment a new attempt is allowed: None if now."""
    delay = delay_after_failures(failures)
    if delay is None:
        return None
    _require_aware(last_failure_at, "last_failure_at")
    return last_failure_at.astimezone(UTC) + delay


@dataclass(frozen=True)
class Turn:
    """One guess: `allowed` to check the password or not; `failures` counts it already."""

    allowed: bool
    failures: int
    retry_at: datetime | None = None


def _subject(identifier: str) -> str:
    return normalize_email(identifier)


def _grace_value(identifier: str, tab: str) -> str:
    return f"{_subject(identifier)}\n{tab}"


def take_turn(identifier: str, tab: str = "") -> Turn:
    """Ask to check one password for `identifier` (an account's address, or whatever was typed).

    Its own short unit of work, committed before the (slow) password check: the guess is counted
    as a failure up front, so guesses sent in parallel take turns on the counter and none slips
    past the wait, and no write lock is held while bcrypt runs. A right password then calls
    `succeeded`. `retry_at` is the wait this failure would impose (None: no wait)."""
    now = utcnow()
    with session_scope() as db:
        row = throttle.counter(db, Kind.LOGIN_FAILURES, "login", _subject(identifier), now)
        allowed_at = login_allowed_at(row.count, row.last_at) if row.count else None
        waived = bool(tab) and throttle.seen_since(
            db, Kind.LOGIN_GRACE, "tab", _grace_value(identifier, tab), now - GRACE
        )
        if allowed_at is not None and now < allowed_at and not waived:
            return Turn(allowed=False, failures=row.count, retry_at=allowed_at)
        row.count += 1
        row.last_at = now
        db.add(row)
        return Turn(allowed=True, failures=row.count, retry_at=login_allowed_at(row.count, now))


def succeeded(db: Session, identifier: str) -> None:
    """A right password: the count starts again from zero."""
    throttle.forget(db, Kind.LOGIN_FAILURES, "login", _subject(identifier))


def password_chosen_by_mail(db: Session, identifier: str, tab: str) -> None:
    """The owner proved their mailbox and chose a new password (which lifted the wait): the tab
    they did it in may log in even if a stranger's guesses bring the wait back meanwhile."""
    if tab:
        now = utcnow()
        row = throttle.counter(db, Kind.LOGIN_GRACE, "tab", _grace_value(identifier, tab), now)
        row.window_start = row.last_at = now
        db.add(row)
