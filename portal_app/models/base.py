from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

# Set back only by the demo data (domain/demo.py), which replays its journeys as if they had
# happened over the past weeks; everywhere else it is zero and utcnow() is the real time.
_SET_BACK: ContextVar[timedelta] = ContextVar("portal_clock_set_back", default=timedelta(0))


def utcnow() -> datetime:
    return datetime.now(UTC) - _SET_BACK.get()


@contextmanager
def clock_set_back(delta: timedelta) -> Iterator[None]:
    """Inside, utcnow() is `delta` earlier: what is written there is dated in the past."""
    token = _SET_BACK.set(delta)
    try:
        yield
    finally:
        _SET_BACK.reset(token)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: read them as the UTC they were written in."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
