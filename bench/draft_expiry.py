"""Clearing a backlog of expired drafts: the purge's total time and its longest transaction.

    .venv/bin/python -m bench.draft_expiry [--drafts 100000]

Inserts that many drafts never changed (version 1, 20 days old: past the 14 days of an empty
draft) plus one filed dossier as old, into a fresh SQLite database, then runs the periodic job
(domain/dossiers/expiry.expire_drafts). Each batch of expiry.BATCH dossiers is its own
transaction: the longest one is how long the purge holds the database's write lock at once.
The filed dossier must survive.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import timedelta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=100_000)
    count = parser.parse_args(argv).drafts

    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["PORTAL_DATA_DIR"] = data_dir
        os.environ.pop("PORTAL_DATABASE_URL", None)
        from sqlalchemy import insert
        from sqlmodel import SQLModel

        import portal_app.models  # noqa: F401  (registers the tables)
        from portal_app.domain.core.db import get_engine
        from portal_app.domain.dossiers import expiry, purge
        from portal_app.models import Dossier
        from portal_app.models.base import utcnow
        from tests.support.demarche_data import PTP
        from tests.support.users import add_user

        engine = get_engine()
        SQLModel.metadata.create_all(engine)
        owner = add_user(engine, "backlog@exemple.fr")
        old = utcnow() - timedelta(days=20)
        row = {"owner_id": owner.id, "demarche_code": PTP, "status": "brouillon", "answers": {}, "version": 1}
        row |= {"checked_steps": [], "current_step": "", "created_at": old, "updated_at": old}
        with engine.begin() as connection:
            for start in range(0, count, 10_000):
                connection.execute(insert(Dossier), [row] * min(10_000, count - start))
            filed = connection.execute(
                insert(Dossier).returning(Dossier.id), [{**row, "number": "PTP-2020-000001", "status": "depose"}]
            ).scalar_one()

        batches: list[float] = []
        real_purge = purge.purge_dossiers

        def timed_purge(db, ids):
            start = time.perf_counter()
            real_purge(db, ids)
            db.commit()  # the batch's own commit, timed with its deletes
            batches.append(time.perf_counter() - start)

        expiry.purge_dossiers = timed_purge
        start = time.perf_counter()
        warned, deleted = expiry.expire_drafts()
        total = time.perf_counter() - start
        with engine.connect() as connection:
            left = connection.execute(Dossier.__table__.select()).all()
        print(f"{deleted} drafts deleted (warned {warned}) in {total:.1f} s, {len(batches)} batches")
        print(f"longest batch {max(batches) * 1000:.0f} ms, median {sorted(batches)[len(batches) // 2] * 1000:.0f} ms")
        print(f"left: {len(left)} dossier(s), the filed one kept: {[r.id for r in left] == [filed]}")


if __name__ == "__main__":
    main()
