"""Clearing a backlog of expired drafts: the purge's total time and its longest transaction.

    .venv/bin/python -m bench.draft_expiry [--drafts 100000] [--answered 10000]

Into a fresh SQLite database: `--drafts` drafts never changed (version 1, 20 days old: past
the 14 days of an empty draft), `--answered` drafts with answers unchanged for 100 days (past
the warning point of their 90-day lifetime, never warned) and one filed dossier as old. Then
the periodic job (domain/dossiers/expiry.expire_drafts) runs twice: now (empty drafts deleted,
answered ones warned: one mail each, queued to the job queue), then 15 days later (the warned
ones deleted). Each batch of expiry.BATCH dossiers is its own transaction: the longest one,
from its first statement to the end of its commit, bounds how long the purge holds SQLite's
write lock at once. The filed dossier must survive.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import timedelta


def _spans(session_class) -> list[tuple[float, float]]:
    """Every transaction of sessions of that class, first statement to end of commit: (wall
    seconds, this thread's CPU seconds). On a loaded machine the CPU time is the steadier figure."""
    from sqlalchemy import event

    spans: list[tuple[float, float]] = []
    begun: dict[int, tuple[float, float]] = {}

    @event.listens_for(session_class, "after_begin")
    def _begin(session, *_transaction_and_connection) -> None:
        begun.setdefault(id(session), (time.perf_counter(), time.thread_time()))

    @event.listens_for(session_class, "after_commit")
    def _commit(session) -> None:
        if (start := begun.pop(id(session), None)) is not None:
            spans.append((time.perf_counter() - start[0], time.thread_time() - start[1]))

    return spans


def _report(label: str, total: float, spans: list[tuple[float, float]]) -> None:
    wall, cpu = sorted(w for w, _ in spans), sorted(c for _, c in spans)
    print(
        f"{label}: {total:.1f} s, {len(spans)} transactions, longest {wall[-1] * 1000:.0f} ms "
        f"(CPU {cpu[-1] * 1000:.0f} ms), median {wall[len(wall) // 2] * 1000:.0f} ms (CPU {cpu[len(cpu) // 2] * 1000:.0f} ms)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=100_000)
    parser.add_argument("--answered", type=int, default=10_000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["PORTAL_DATA_DIR"] = data_dir
        os.environ.pop("PORTAL_DATABASE_URL", None)
        os.environ.pop("PORTAL_REDIS_URL", None)
        from sqlalchemy import func, insert, select
        from sqlmodel import SQLModel

        import portal_app.models  # noqa: F401  (registers the tables)
        from portal_app.domain.core.db import UnitOfWork, get_engine
        from portal_app.domain.dossiers import expiry
        from portal_app.models import Dossier
        from portal_app.models.base import utcnow
        from portal_app.models.outgoing_mail import OutgoingMail
        from tests.support.demarche_data import PTP
        from tests.support.users import add_user

        engine = get_engine()
        SQLModel.metadata.create_all(engine)
        owner = add_user(engine, "backlog@exemple.fr")
        now = utcnow()
        row = {"owner_id": owner.id, "demarche_code": PTP, "status": "brouillon", "answers": {}, "version": 1}
        row |= {"checked_steps": [], "current_step": ""}
        empty = {**row, "created_at": now - timedelta(days=20), "updated_at": now - timedelta(days=20)}
        answered = {**row, "answers": {"nom": "Martin"}, "version": 2}
        answered |= {"created_at": now - timedelta(days=100), "updated_at": now - timedelta(days=100)}
        with engine.begin() as connection:
            for rows, count in ((empty, args.drafts), (answered, args.answered)):
                for start in range(0, count, 10_000):
                    connection.execute(insert(Dossier), [rows] * min(10_000, count - start))
            filed = connection.execute(
                insert(Dossier).returning(Dossier.id), [{**empty, "number": "PTP-2020-000001", "status": "depose"}]
            ).scalar_one()

        spans = _spans(UnitOfWork)
        start = time.perf_counter()
        warned, deleted = expiry.expire_drafts(now)
        _report(f"run 1: {deleted} empty drafts deleted, {warned} warned", time.perf_counter() - start, spans)
        spans.clear()
        start = time.perf_counter()
        warned_again, deleted_later = expiry.expire_drafts(now + timedelta(days=15))
        _report(f"run 2 (15 days later): {deleted_later} warned drafts deleted", time.perf_counter() - start, spans)

        with engine.connect() as connection:
            left = connection.execute(select(Dossier.id)).scalars().all()
            mails = connection.execute(select(func.count()).select_from(OutgoingMail)).scalar_one()
        print(f"mails queued: {mails}; warned again: {warned_again}")
        print(f"left: {len(left)} dossier(s), the filed one kept: {left == [filed]}")


if __name__ == "__main__":
    main()
