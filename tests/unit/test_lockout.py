from datetime import UTC, datetime, timedelta, timezone

import pytest

from portal_app.domain.accounts.lockout import (
    BASE_DELAY,
    FIRST_DELAY_AFTER,
    MAX_DELAY,
    delay_after_failures,
    login_allowed_at,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_constants():
    assert (5, timedelta(seconds=60), timedelta(minutes=15)) == (FIRST_DELAY_AFTER, BASE_DELAY, MAX_DELAY)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_no_delay_below_five(n):
    assert delay_after_failures(n) is None


@pytest.mark.parametrize("n, minutes", [(5, 1), (6, 2), (7, 4), (8, 8), (9, 15), (10, 15), (25, 15), (10**6, 15)])
def test_delay_doubles_up_to_the_cap(n, minutes):
    assert delay_after_failures(n) == timedelta(minutes=minutes)


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


def test_no_count_of_failures_blocks_for_good():
    assert login_allowed_at(10, T0) == T0 + MAX_DELAY
    assert login_allowed_at(1000, T0) == T0 + MAX_DELAY


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        login_allowed_at(5, datetime(2025, 3, 1, 12, 0))


def test_login_allowed_boundaries():
    assert login_allowed_at(3, T0) is None
    assert login_allowed_at(5, T0) == T0 + timedelta(seconds=60)
    assert login_allowed_at(9, T0) == T0 + timedelta(minutes=15)
