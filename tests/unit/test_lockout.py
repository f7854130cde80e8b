from datetime import UTC, datetime, timedelta, timezone

import pytest

from portal_app.domain.accounts.lockout import (
    BASE_DELAY,
    BLOCK_AFTER,
    FIRST_DELAY_AFTER,
    NEVER,
    delay_after_failures,
    is_blocked,
    login_allowed_at,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_constants():
    assert (5, 10, timedelta(seconds=60)) == (FIRST_DELAY_AFTER, BLOCK_AFTER, BASE_DELAY)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_no_delay_below_five(n):
    assert delay_after_failures(n) is None


@pytest.mark.parametrize("n, minutes", [(5, 1), (6, 2), (7, 4), (8, 8), (9, 16)])
def test_delay_doubles(n, minutes):
    assert delay_after_failures(n) == timedelta(minutes=minutes)


def test_blocked_from_ten():
    assert not is_blocked(9)
    assert is_blocked(10)
    assert is_blocked(25)


def test_allowed_at_below_five_is_now():
    assert login_allowed_at(4, T0) is None


def test_allowed_at_adds_delay():
    assert login_allowed_at(5, T0) == T0 + timedelta(minutes=1)
    assert login_allowed_at(7, T0) == T0 + timedelta(minutes=4)


def test_allowed_at_is_utc_whatever_the_input_zone():
    paris = timezone(timedelta(hours=1))
    allowed = login_allowed_at(6, datetime(2025, 3, 1, 13, 0, tzinfo=paris))
    assert allowed == T0 + timedelta(minutes=2)
    assert allowed.utcoffset() == timedelta(0)


def test_blocked_account_is_never_allowed():
    assert login_allowed_at(10, T0) is NEVER


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        login_allowed_at(5, datetime(2025, 3, 1, 12, 0))


def test_login_allowed_boundaries():
    assert login_allowed_at(3, T0) is None
    assert login_allowed_at(5, T0) == T0 + timedelta(seconds=60)
    assert T0 + timedelta(minutes=15) < login_allowed_at(9, T0) <= T0 + timedelta(minutes=16)
