"""Draft expiry: a draft unchanged for its démarche's `draft_lifetime_days` (90 by default) is
deleted, after a warning mail 14 days before with a "Conserver mon brouillon" link (keep(),
which restarts the delay); a draft holding no answer of the user's (nothing changed since the
profile prefilled it) and no piece goes silently after 14 days.

expire_drafts() is the periodic job (portal_app/jobs/periodic.py): it warns and deletes in
batches of BATCH dossiers, each batch its own short transaction, and only ever selects drafts
never filed (no number, the démarche's draft status): a filed dossier is never touched.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select

from portal_app import routes
from portal_app.demarches import all_demarches
from portal_app.domain.accounts.users import first_name, link
from portal_app.domain.core import mail
from portal_app.domain.core.dates import paris_long
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers.demarche import Demarche
from portal_app.domain.dossiers.drafts import NotFound, _owned, demarche_of
from portal_app.domain.dossiers.purge import purge_dossiers
from portal_app.domain.guests.access import resume_link
from portal_app.domain.guests.codes import guest_for
from portal_app.models import Dossier, DossierPiece, User
from portal_app.models.base import as_utc, utcnow

WARNING = timedelta(days=14)
EMPTY_AFTER = timedelta(days=14)
BATCH = 200
KEEP_PARAMETER = "conserver"

_c = Dossier.__table__.c  # typed SQL columns


def day_of(moment: datetime) -> str:
    """ "12 mars 2027": the day, in Paris, as the pages write it."""
    return paris_long(moment).split(" à ")[0]


def lifetime(demarche: Demarche) -> timedelta:
    return timedelta(days=demarche.draft_lifetime_days)


def deletion_date(dossier: Dossier, *, silent: bool) -> datetime | None:
    """When an unchanged draft will be deleted after a warning (None: not a draft, or one that
    goes silently: `silent`, from silent_ids(), the rule the purge itself applies)."""
    demarche = demarche_of(dossier)
    if dossier.number is not None or dossier.status != demarche.draft_status or silent:
        return None
    changed = as_utc(dossier.updated_at)
    due = changed + lifetime(demarche)
    warned = as_utc(dossier.expiry_warned_at)
    # A warning sent late still leaves its full 14 days.
    return max(due, warned + WARNING) if warned is not None and warned >= changed else due


def silent_ids(dossier_ids: list[int]) -> set[int]:
    """Those of these dossiers that would go silently (_empty(): the purge's own rule)."""
    if not dossier_ids:
        return set()
    with session_scope() as db:
        return set(db.exec(select(Dossier.id).where(_c.id.in_(dossier_ids), _empty())).all())


def shown_deletion_dates(dossiers: list[Dossier], now: datetime | None = None) -> dict[int, str]:
    """For the dashboard: {dossier id: "12 mars 2027"} for the drafts within the warning window."""
    now = now or utcnow()
    silent = silent_ids([dossier.id for dossier in dossiers if dossier.id is not None])
    shown = {}
    for dossier in dossiers:
        try:
            due = deletion_date(dossier, silent=dossier.id in silent)
        except NotFound:  # a démarche withdrawn from the catalogue: the dashboard leaves it out
            continue
        if due is not None and now >= due - WARNING:
            shown[dossier.id] = day_of(due)
    return shown


def _drafts_of(demarche: Demarche):
    return and_(_c.demarche_code == demarche.code, _c.number.is_(None), _c.status == demarche.draft_status)


def _empty():
    # Never changed since its creation (version 1: only what the profile prefilled) and no piece.
    no_piece = ~exists().where(DossierPiece.__table__.c.dossier_id == _c.id)
    return and_(_c.version <= 1, no_piece)


def _warn_batch(demarche: Demarche, now: datetime) -> int:
    with session_scope() as db:
        rows = db.exec(
            select(Dossier, User)
            .outerjoin(User, User.id == Dossier.owner_id)  # a guest's draft has no account
            .where(
                _drafts_of(demarche),
                ~_empty(),
                _c.updated_at < now - (lifetime(demarche) - WARNING),
                or_(_c.expiry_warned_at.is_(None), _c.expiry_warned_at < _c.updated_at),
            )
            .limit(BATCH)
        ).all()
        for dossier, owner in rows:
            if not _claim_warning(db, dossier.id, now):
                continue  # another run (a second scheduler, an overlapping one) warned it first
            # What the UPDATE wrote, on the loaded row (the deletion date counts from it).
            set_committed_value(dossier, "expiry_warned_at", now)
            if owner is not None:
                keep_link = link(f"{routes.MY_DOSSIERS}?{KEEP_PARAMETER}={dossier.id}")
                dossier_link = link(routes.draft(dossier.id))
            else:
                # A guest's draft: its resume link opens it and keeps it (guests/access.py).
                guest = guest_for(db, dossier.guest_email or "")
                if guest is None:
                    continue
                keep_link = dossier_link = resume_link(db, guest, dossier)
            mail.queue(
                db,
                owner.email if owner is not None else dossier.guest_email,
                "draft_expiry_warning",
                first_name=first_name(owner) if owner is not None else "",
                demarche_title=demarche.title,
                deletion_on=day_of(deletion_date(dossier, silent=False)),
                keep_link=keep_link,
                dossier_link=dossier_link,
            )
        return len(rows)


def _claim_warning(db, dossier_id: int, now: datetime) -> bool:
    """Mark the draft warned only if no one has since its last change: the UPDATE's own WHERE
    decides, so two runs at once (PostgreSQL lets them) send one warning, not two."""
    written = (
        db.connection()
        .execute(
            update(Dossier)
            .where(_c.id == dossier_id, or_(_c.expiry_warned_at.is_(None), _c.expiry_warned_at < _c.updated_at))
            .values(expiry_warned_at=now)
        )
        .rowcount
    )
    return written == 1


def _delete_batch(demarche: Demarche, now: datetime) -> int:
    with session_scope() as db:
        ids = list(
            db.exec(
                select(Dossier.id)
                .where(
                    _drafts_of(demarche),
                    or_(
                        and_(_empty(), _c.updated_at < now - EMPTY_AFTER),
                        and_(
                            ~_empty(),
                            _c.updated_at < now - lifetime(demarche),
                            _c.expiry_warned_at >= _c.updated_at,
                            _c.expiry_warned_at < now - WARNING,
                        ),
                    ),
                )
                .limit(BATCH)
            ).all()
        )
        if ids:
            purge_dossiers(db, ids)
        return len(ids)


def expire_drafts(now: datetime | None = None) -> tuple[int, int]:
    """The periodic job: (drafts warned, drafts deleted), batch after batch until none is left."""
    now = now or utcnow()
    warned = deleted = 0
    for demarche in all_demarches():
        while (count := _warn_batch(demarche, now)) > 0:
            warned += count
            if count < BATCH:
                break
        while (count := _delete_batch(demarche, now)) > 0:
            deleted += count
            if count < BATCH:
                break
    return warned, deleted


def keep(user_id: int, dossier_id: int) -> datetime | None:
    """ "Conserver mon brouillon": the delay starts again; the new deletion date, or None when
    it is not the user's draft (any more)."""
    now = utcnow()
    with session_scope() as db:
        try:
            dossier = _owned(db, user_id, dossier_id)
        except NotFound:
            return None
        demarche = demarche_of(dossier)
        if dossier.number is not None or dossier.status != demarche.draft_status:
            return None
        db.execute(update(Dossier).where(_c.id == dossier.id).values(updated_at=now, expiry_warned_at=None))
    return now + lifetime(demarche)
