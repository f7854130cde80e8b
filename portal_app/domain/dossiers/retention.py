"""Retention: a closed dossier (a terminal status: accepted, refused, closed) is deleted with
its files once it has been closed for PORTAL_RETENTION_YEARS (default 5), by a periodic job, in
batches of BATCH dossiers, each its own short transaction (purge.purge_dossiers)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from portal_app.demarches import all_demarches
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers.purge import purge_dossiers
from portal_app.models import Dossier
from portal_app.models.base import utcnow
from portal_app.settings import get_settings

BATCH = 500

_c = Dossier.__table__.c  # typed SQL columns


def retention() -> timedelta:
    # A year of 365 days and a quarter: five years are never a day short.
    return timedelta(days=round(365.25 * get_settings().retention_years))


def purge_closed(now: datetime | None = None) -> int:
    """Closed dossiers past the retention period deleted; returns how many. The last status
    change (updated_at, which every change of status sets) dates the closing."""
    cutoff = (now or utcnow()) - retention()
    deleted = 0
    for demarche in all_demarches():
        closed = [status.code for status in demarche.statuses if status.terminal]
        if not closed:
            continue
        while True:
            with session_scope() as db:
                ids = list(
                    db.exec(
                        select(Dossier.id)
                        .where(
                            _c.demarche_code == demarche.code,
                            _c.number.is_not(None),
                            _c.status.in_(closed),
                            _c.updated_at < cutoff,
                        )
                        .limit(BATCH)
                    ).all()
                )
                if ids:
                    purge_dossiers(db, ids)
            deleted += len(ids)
            if len(ids) < BATCH:
                break
    return deleted
