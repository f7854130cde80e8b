"""Login temporisation after failed attempts (CNIL deliberation 2022-100).

From the 5th consecutive failure, each new attempt must wait; the wait
doubles at each failure. From the 10th, the account is blocked until its
owner resets the password.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

FIRST_DELAY_AFTER = 5
BLOCK_AFTER = 10
BASE_DELAY = timedelta(seconds=60)

# Returned for a blocked account rather than None, so that a caller that only
# compares dates (and forgets is_blocked) still refuses the login.
NEVER = datetime.max.replace(tzinfo=UTC)


def delay_after_failures(n: int) -> timedelta | None:
    """Wait imposed after n consecutive failures: None, then 1, 2, 4, 8… minutes."""
    if n < FIRST_DELAY_AFTER:
        return None
    return BASE_DELAY * 2 ** (n - FIRST_DELAY_AFTER)


def is_blocked(n: int) -> bool:
    return n >= BLOCK_AFTER


def _require_aware(moment: datetime, name: str) -> None:
    # A naive datetime compared with an aware one raises deep inside a request;
    # fail early and clearly instead.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC)")


def login_allowed_at(failures: int, last_failure_at: datetime) -> datetime | None:
    """First moment a new attempt is allowed: None if now, NEVER if blocked."""
    if is_blocked(failures):
        return NEVER
    delay = delay_after_failures(failures)
    if delay is None:
        return None
    _require_aware(last_failure_at, "last_failure_at")
    return last_failure_at.astimezone(UTC) + delay
