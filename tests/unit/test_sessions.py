"""Session lifetime: 30 minutes idle, 12 hours at most, ended at logout."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain.accounts import sessions
from portal_app.models import LoginSession, User
from portal_app.models.base import utcnow


@pytest.fixture
def opened(temp_db, make_user) -> tuple[str, int]:
    """A session just opened for a new account: (raw token, user id)."""
    user = make_user()
    with Session(temp_db) as db:
        raw = sessions.open_session(db, db.get(User, user.id), "Firefox")
        db.commit()
    return raw, user.id


def _age(engine, raw: str, *, idle: timedelta = timedelta(0), lived: timedelta = timedelta(0)) -> None:
    with Session(engine) as db:
        row = db.exec(select(LoginSession).where(LoginSession.token_hash == sessions.hash_token(raw))).one()
        row.last_used_at = utcnow() - idle
        row.created_at = utcnow() - lived
        db.add(row)
        db.commit()


def _resolve(engine, raw: str | None) -> int | None:
    """The id of the session's user, or None when refused."""
    with Session(engine) as db:
        found = sessions.resolve(db, raw)
        user_id = found[0].id if found else None
        db.commit()
        return user_id


def test_session_token_is_stored_only_as_a_hash(temp_db, opened):
    raw, _ = opened
    with Session(temp_db) as db:
        row = db.exec(select(LoginSession)).one()
    assert row.token_hash != raw and len(raw) >= 32 and row.token_hash == sessions.hash_token(raw)


def test_idle_timeout_is_thirty_minutes(temp_db, opened):
    raw, user_id = opened
    _age(temp_db, raw, idle=timedelta(minutes=29))
    assert _resolve(temp_db, raw) == user_id
    _age(temp_db, raw, idle=timedelta(minutes=31))
    assert _resolve(temp_db, raw) is None


def test_activity_keeps_the_session_but_twelve_hours_end_it(temp_db, opened):
    raw, _ = opened
    _age(temp_db, raw, idle=timedelta(minutes=5), lived=timedelta(hours=11, minutes=59))
    assert _resolve(temp_db, raw) is not None
    _age(temp_db, raw, idle=timedelta(minutes=1), lived=timedelta(hours=12, minutes=1))
    assert _resolve(temp_db, raw) is None


def test_use_moves_the_idle_deadline(temp_db, opened):
    raw, _ = opened
    _age(temp_db, raw, idle=timedelta(minutes=20))
    assert _resolve(temp_db, raw) is not None
    # The use just now was recorded: twenty more minutes are still within thirty.
    with Session(temp_db) as db:
        row = db.exec(select(LoginSession)).one()
        assert utcnow() - row.last_used_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)


def test_ended_and_unknown_sessions_are_refused(temp_db, opened):
    raw, _ = opened
    with Session(temp_db) as db:
        sessions.end_session(db, raw)
        db.commit()
    assert _resolve(temp_db, raw) is None
    assert _resolve(temp_db, "nimporte-quoi") is None
    assert _resolve(temp_db, None) is None


def test_session_token_is_read_from_a_raw_cookie_header():
    assert sessions.token_from_cookie_header("a=1; portal_session=abc-DEF_123; b=2") == "abc-DEF_123"
    for header in (None, "", "a=1", "portal_session=", 'portal_session="unterminated'):
        assert sessions.token_from_cookie_header(header) is None


def test_a_tab_remembers_a_fingerprint_of_its_session_not_the_session_itself():
    raw = sessions.new_token()
    assert sessions.fingerprint(None) == sessions.fingerprint("") == ""
    assert sessions.fingerprint(raw) == sessions.fingerprint(raw) != sessions.fingerprint(raw + "x")
    # Neither the token nor the database's hash of it.
    assert raw not in sessions.fingerprint(raw) and sessions.fingerprint(raw) != sessions.hash_token(raw)
