"""Draft expiry: warned 14 days before, kept on request, deleted in bounded batches; empty
drafts go silently; a filed dossier is never touched."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import drafts, expiry
from portal_app.domain.dossiers import purge as purge_module
from portal_app.models import Dossier
from portal_app.models.base import clock_set_back, utcnow
from tests.support.demarche_data import PTP
from tests.support.filing import filed_dossier, filled_draft
from tests.support.outbox import outbox_mails, text
from tests.support.pieces import attach_required


def dossier(dossier_id: int) -> Dossier | None:
    with session_scope() as db:
        return db.get(Dossier, dossier_id)


def warnings_to(address: str) -> list:
    return [m for m in outbox_mails() if address in str(m["To"]) and "sera supprimé" in str(m["Subject"])]


def test_an_old_draft_is_warned_once_then_deleted_and_a_filed_dossier_never(make_user):
    owner = make_user()
    with clock_set_back(timedelta(days=77)):
        old = filled_draft(owner.id)
        filed = filed_dossier(owner.id)
    recent = filled_draft(owner.id)

    assert expiry.expire_drafts() == (1, 0)
    (warning,) = warnings_to(owner.email)
    due = expiry.deletion_date(dossier(old.id), silent=False)
    # Warned 13 days before the due date: the full 14 days are left all the same.
    assert abs(due - (utcnow() + timedelta(days=14))) < timedelta(minutes=5)
    body = text(warning)
    assert expiry.day_of(due) in warning["Subject"] and f"/demarches?conserver={old.id}" in body
    assert expiry.shown_deletion_dates([dossier(old.id), dossier(recent.id)]) == {old.id: expiry.day_of(due)}
    assert expiry.expire_drafts() == (0, 0)  # warned once
    assert len(warnings_to(owner.email)) == 1

    assert expiry.expire_drafts(now=utcnow() + timedelta(days=12)) == (0, 0)
    assert expiry.expire_drafts(now=utcnow() + timedelta(days=14)) == (0, 1)
    assert dossier(old.id) is None
    assert dossier(filed.id) is not None and dossier(recent.id) is not None
    # Years later the filed dossier is still there: only drafts never filed expire.
    expiry.expire_drafts(now=utcnow() + timedelta(days=3650))
    assert dossier(filed.id) is not None


def test_keeping_a_draft_restarts_the_delay_and_a_change_calls_for_a_new_warning(make_user):
    owner = make_user()
    stranger = make_user("yann@exemple.fr")
    with clock_set_back(timedelta(days=80)):
        draft = filled_draft(owner.id)
    assert expiry.expire_drafts() == (1, 0)

    assert expiry.keep(stranger.id, draft.id) is None
    kept = expiry.keep(owner.id, draft.id)
    assert abs(kept - (utcnow() + timedelta(days=90))) < timedelta(minutes=5)
    assert dossier(draft.id).expiry_warned_at is None
    assert expiry.expire_drafts(now=utcnow() + timedelta(days=20)) == (0, 0)
    # 76 days later: warned again.
    assert expiry.expire_drafts(now=utcnow() + timedelta(days=77)) == (1, 0)


def test_an_empty_draft_goes_silently_after_14_days(make_user):
    owner = make_user()
    with clock_set_back(timedelta(days=15)):
        empty = drafts.create_draft(owner.id, PTP)
    with clock_set_back(timedelta(days=13)):
        young = drafts.create_draft(owner.id, PTP)

    assert expiry.expire_drafts() == (0, 1)
    assert dossier(empty.id) is None and dossier(young.id) is not None
    assert warnings_to(owner.email) == []


def test_the_purge_deletes_in_bounded_batches(make_user, monkeypatch):
    owner = make_user()
    with clock_set_back(timedelta(days=20)):
        ids = [drafts.create_draft(owner.id, PTP).id for _ in range(7)]
    batches: list[int] = []
    real_purge = purge_module.purge_dossiers

    def spy(db, chosen):
        batches.append(len(chosen))
        return real_purge(db, chosen)

    monkeypatch.setattr(expiry, "BATCH", 3)
    monkeypatch.setattr(expiry, "purge_dossiers", spy)
    assert expiry.expire_drafts() == (0, 7)
    assert batches == [3, 3, 1]
    with session_scope() as db:
        assert db.exec(select(Dossier).where(Dossier.id.in_(ids))).all() == []


def test_a_draft_with_pieces_but_no_answer_is_warned_and_the_dashboard_says_so(make_user):
    owner = make_user()
    with clock_set_back(timedelta(days=80)):
        with_pieces = drafts.create_draft(owner.id, PTP)
        attach_required(owner.id, with_pieces.id)
        empty = drafts.create_draft(owner.id, PTP)
    assert dossier(with_pieces.id).version == 1  # a piece is not an answer: still version 1

    # One rule for both: the purge warns about it, and the dashboard shows the date it gives.
    assert expiry.silent_ids([with_pieces.id, empty.id]) == {empty.id}
    assert expiry.expire_drafts() == (1, 1)
    due = expiry.deletion_date(dossier(with_pieces.id), silent=False)
    assert expiry.shown_deletion_dates([dossier(with_pieces.id)]) == {with_pieces.id: expiry.day_of(due)}
    assert dossier(empty.id) is None


def test_a_warning_is_claimed_once_per_change_whatever_runs_at_once(make_user):
    """Two runs that both selected the draft (two schedulers, an overlapping run) both try to
    claim its warning: the UPDATE's condition lets one through; a later change opens a new one."""
    owner = make_user()
    with clock_set_back(timedelta(days=80)):
        old = filled_draft(owner.id)
    now = utcnow()
    with session_scope() as db:
        assert expiry._claim_warning(db, old.id, now)
    with session_scope() as db:
        assert not expiry._claim_warning(db, old.id, now)
    assert expiry.expire_drafts() == (0, 0) and warnings_to(owner.email) == []
    drafts.save_answers(owner.id, old.id, {"poste": "Soudeuse"})
    with session_scope() as db:
        assert expiry._claim_warning(db, old.id, utcnow())
