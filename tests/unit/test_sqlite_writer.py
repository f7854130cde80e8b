"""SQLite writers of one process queue on a lock instead of SQLite's sleeping busy wait (issue 18)."""

from __future__ import annotations

import threading

from sqlalchemy import text

from portal_app.domain.core import db


def _table(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        conn.execute(text("INSERT OR REPLACE INTO counter VALUES (1, 0)"))


def test_a_second_writer_waits_for_the_first_to_commit_without_sqlite_busy(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    _table(engine)
    first_wrote, second_done = threading.Event(), threading.Event()
    outcome: list[object] = []

    def second():
        try:
            with engine.connect() as conn:
                # No busy wait at all: without the lock, SQLite would answer "database is locked" at once.
                conn.exec_driver_sql("PRAGMA busy_timeout = 0")
                first_wrote.wait()
                conn.execute(text("UPDATE counter SET n = n + 10 WHERE id = 1"))
                conn.commit()
            outcome.append("done")
        except Exception as error:
            outcome.append(error)
        second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    with db.session_scope(engine) as session:
        session.exec(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
        first_wrote.set()
        # The second writer is waiting for the lock, not failing.
        assert not second_done.wait(0.3)
    thread.join(10)
    assert outcome == ["done"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 11
    engine.dispose()


def test_a_rolled_back_writer_lets_the_next_one_in(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    _table(engine)
    try:
        with db.session_scope(engine) as session:
            session.exec(text("UPDATE counter SET n = 5 WHERE id = 1"))
            raise RuntimeError("the action fails after its first write")
    except RuntimeError:
        pass
    done = threading.Event()

    def next_writer():
        with db.session_scope(engine) as session:
            session.exec(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
        done.set()

    threading.Thread(target=next_writer).start()
    assert done.wait(10)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 1
    engine.dispose()
