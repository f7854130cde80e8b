"""A worker remembers who is behind a session for a few seconds, and forgets at once whatever a
commit of its own can change: a revoked session is refused by the very next lookup."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.accounts import session_cache, sessions
from portal_app.domain.core.db import session_scope
from portal_app.models import LoginSession, User
from portal_app.models.base import utcnow
from portal_app.settings import load_settings


@pytest.fixture
def opened(temp_db, make_user) -> tuple[str, int]:
    session_cache.forget_all()
    user = make_user()
    with session_scope() as db:
        raw = sessions.open_session(db, db.get(User, user.id), "Firefox")
    return raw, user.id


def _queries(temp_db):
    """A counter of the statements sent to the database."""
    from sqlalchemy import event

    count = {"n": 0}

    def seen(*_args):
        count["n"] += 1

    event.listen(temp_db, "before_cursor_execute", seen)
    return count


def test_a_live_session_is_asked_once_then_remembered(temp_db, opened):
    raw, user_id = opened
    assert accounts.current_user(raw).id == user_id
    count = _queries(temp_db)
    for _ in range(5):
        assert accounts.current_user(raw).id == user_id
    assert count["n"] == 0
    assert session_cache.remembered(raw).id == user_id


def test_several_workers_remember_nothing(temp_db, opened, monkeypatch):
    """Under the Redis state manager another worker's logout must cut this one's tab at once:
    every lookup asks the database."""
    raw, user_id = opened
    monkeypatch.setattr(session_cache, "get_settings", lambda: SimpleNamespace(state_manager="redis"))
    count = _queries(temp_db)
    for _ in range(3):
        assert accounts.current_user(raw).id == user_id
    assert count["n"] >= 3 and session_cache.remembered(raw) is None
    # Another worker's logout: a plain SQL write, which this process's ORM hooks never see.
    with temp_db.begin() as connection:
        connection.execute(update(LoginSession).values(revoked_at=utcnow()))
    assert accounts.current_user(raw) is None


def test_a_page_load_asks_afresh_and_refreshes_what_is_remembered(temp_db, opened):
    """A change made by another process (the command line) shows on the next page load."""
    raw, user_id = opened
    assert accounts.current_user(raw).birth_name != "Renommée"
    with temp_db.begin() as connection:  # another process: this worker's ORM hooks never see it
        connection.execute(update(User).where(User.id == user_id).values(birth_name="Renommée"))
    assert accounts.current_user(raw).birth_name != "Renommée"  # an event: remembered
    assert accounts.current_user(raw, fresh=True).birth_name == "Renommée"  # a page load
    assert accounts.current_user(raw).birth_name == "Renommée"


def test_logout_is_refused_by_the_next_lookup(temp_db, opened):
    raw, _ = opened
    assert accounts.current_user(raw) is not None
    accounts.logout(raw)
    assert session_cache.remembered(raw) is None
    assert accounts.current_user(raw) is None


def test_logout_everywhere_and_a_user_change_are_seen_at_once(temp_db, opened):
    raw, user_id = opened
    assert accounts.current_user(raw) is not None
    with session_scope() as db:
        user = db.get(User, user_id)
        user.first_names = "Dominique"
        db.add(user)
    assert accounts.current_user(raw).first_names == "Dominique"
    accounts.logout_everywhere(user_id)
    assert accounts.current_user(raw) is None


def test_a_plain_session_revoking_is_seen_too(temp_db, opened):
    raw, _ = opened
    assert accounts.current_user(raw) is not None
    with Session(temp_db) as db:
        sessions.end_session(db, raw)
        db.commit()
    assert accounts.current_user(raw) is None


def test_the_last_use_touch_forgets_nothing(temp_db, opened):
    raw, _ = opened
    with Session(temp_db) as db:
        row = db.exec(select(LoginSession)).one()
        row.last_used_at = utcnow() - timedelta(minutes=5)
        db.add(row)
        db.commit()
    session_cache.forget_all()
    assert accounts.current_user(raw) is not None  # touches last_used_at (a minute has passed)
    assert session_cache.remembered(raw) is not None


def test_never_remembered_past_the_idle_deadline(temp_db, opened, monkeypatch):
    raw, _ = opened
    monkeypatch.setattr(sessions, "IDLE_TIMEOUT", timedelta(seconds=3))
    assert accounts.current_user(raw) is not None
    entry = session_cache._entries[sessions.hash_token(raw)]
    assert entry.until - time.monotonic() <= 3


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "memory"),
        ({"PORTAL_REDIS_URL": "redis://localhost:6379/0"}, "redis"),
        ({"PORTAL_STATE_MANAGER": "disk"}, "disk"),
        ({"PORTAL_REDIS_URL": "redis://localhost:6379/0", "PORTAL_STATE_MANAGER": "memory"}, "memory"),
    ],
)
def test_state_manager_per_deployment(tmp_path, monkeypatch, env, expected):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    for name in ("PORTAL_REDIS_URL", "PORTAL_STATE_MANAGER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_settings().state_manager == expected


@pytest.mark.parametrize("env", [{"PORTAL_STATE_MANAGER": "redis"}, {"PORTAL_STATE_MANAGER": "fichier"}])
def test_state_manager_refuses_what_cannot_work(tmp_path, monkeypatch, env):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PORTAL_REDIS_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="PORTAL_STATE_MANAGER"):
        load_settings()
