"""One engine per process, shared by the domain, the CLI and the API routes.

session_scope() opens a UnitOfWork: one business action, committed whole or not at all. Its
after_commit() is the one hook for what must happen only once the action is stored (mails,
files of deleted rows): run after a successful commit, dropped on rollback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from portal_app.settings import get_settings

log = logging.getLogger("portal.db")

Action = Callable[[], object]


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            # WAL lets the app read while a writer commits; foreign keys are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


class UnitOfWork(Session):
    """The session of one business action, with hooks on its outcome."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._on_commit: list[Action] = []
        self._on_rollback: list[Action] = []

    def after_commit(self, action: Action) -> None:
        """Run `action` once this work is committed (mails, deleting the files of deleted rows)."""
        self._on_commit.append(action)

    def after_rollback(self, action: Action) -> None:
        """Run `action` if this work is rolled back (files written ahead of their rows)."""
        self._on_rollback.append(action)

    def commit(self) -> None:
        super().commit()
        self._settle(self._on_commit)

    def rollback(self) -> None:
        super().rollback()
        self._settle(self._on_rollback)

    def _settle(self, actions: list[Action]) -> None:
        # Both lists belong to the work just ended: the other outcome's actions are dropped.
        self._on_commit, self._on_rollback = [], []
        for action in actions:
            try:
                action()
            except Exception:
                # The action is stored (or undone) already: its report must not be turned into a failure.
                log.exception("action after the unit of work failed")


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[UnitOfWork]:
    """A unit of work: committed on success, rolled back on error."""
    with UnitOfWork(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
