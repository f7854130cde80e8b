"""One engine per process, shared by the domain, the CLI and the API routes.

session_scope() opens a UnitOfWork: one business action, committed whole or not at all. Its
after_commit() is the one hook for what must happen only once the action is stored (mails,
files of deleted rows): run after a successful commit, dropped on rollback.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
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
        writer = threading.Lock()
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30, "factory": _connection_class(writer)}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            # WAL lets the app read while a writer commits; foreign keys are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a
            # crash of the process (kill -9), a power cut may lose the last ones, never corrupts.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "before_cursor_execute")
        def _one_writer(conn, _cursor, statement, _parameters, _context, _executemany):
            conn.connection.dbapi_connection.before(statement)

        return engine
    return create_engine(url, pool_pre_ping=True)


def _connection_class(writer: threading.Lock) -> type[sqlite3.Connection]:
    """SQLite lets one transaction write at a time. Left to itself, a writer that finds the
    database busy sleeps and retries (1 ms, then up to 100 ms a time), and under load some
    wait for seconds while others pass. The process's threads take this lock instead, from
    their first write to their commit or rollback, so they queue in order and none sleeps
    (issue 18); other processes (the job worker, the command line) still meet the busy wait."""

    class Connection(sqlite3.Connection):
        writing = False

        def before(self, statement: str) -> None:
            # pysqlite opens the transaction at the first INSERT, UPDATE, DELETE or REPLACE:
            # the reads before it took no snapshot, so waiting here hides nothing from them.
            if not self.writing and statement.lstrip()[:7].upper().startswith(_WRITES):
                if not writer.acquire(timeout=30):
                    raise sqlite3.OperationalError("database is locked")
                self.writing = True

        def _ending(self, end: Callable[[], None]) -> None:
            # Whatever ends the transaction (commit, rollback, close) lets the next writer in.
            try:
                end()
            finally:
                if self.writing:
                    self.writing = False
                    writer.release()

        def commit(self) -> None:
            self._ending(super().commit)

        def rollback(self) -> None:
            self._ending(super().rollback)

        def close(self) -> None:
            self._ending(super().close)

    return Connection


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


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
