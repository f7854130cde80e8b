"""The periodic jobs, run by the real worker beside the served app (`python -m portal_app.worker`,
real SMTP server): each test ages rows of the served database, puts the periodic task on the
app's own queue as the worker's scheduler does at its hour (tests/support/jobs.run_periodic),
and observes what the worker did: mails at the SMTP server, rows and files gone or kept. No
test here calls the domain function itself."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update
from sqlmodel import Session, select

from portal_app.domain.dossiers import retention
from portal_app.models import AuditEntry, Document, Dossier, DossierHistory, DossierPiece, FiledPiece, FilingReceipt
from portal_app.models.base import utcnow
from portal_app.models.outgoing_mail import OutgoingMail
from tests.support.browser import goto, shot, sign_in
from tests.support.dossiers import PTP, change_status, complete_ptp_draft, create_agent, submitted_ptp_dossier
from tests.support.drafts import dossier
from tests.support.jobs import run_periodic

DAY = timedelta(days=1)


def _set(portal, dossier_id: int, **values) -> None:
    with Session(portal.db_engine()) as db:
        db.execute(update(Dossier).where(Dossier.id == dossier_id).values(**values))
        db.commit()


def _stored_files(portal, dossier_id: int) -> list:
    """The files on disk that belong to this dossier (its pieces, frozen pieces, receipts)."""
    with Session(portal.db_engine()) as db:
        names = []
        for model in (DossierPiece, FiledPiece, FilingReceipt):
            names += [n for n in db.exec(select(model.stored_name).where(model.dossier_id == dossier_id)) if n]
    return [portal.data_dir / "files" / name[:2] / name for name in sorted(set(names))]


def _pieces_of(portal, dossier_id: int) -> list:
    with Session(portal.db_engine()) as db:
        return list(db.exec(select(DossierPiece.id).where(DossierPiece.dossier_id == dossier_id)))


def _wallet_files(portal, user) -> list:
    with Session(portal.db_engine()) as db:
        names = db.exec(select(Document.stored_name).where(Document.owner_id == user.id)).all()
    return [portal.data_dir / "files" / name[:2] / name for name in names]


def _expiry_mails(portal, email: str) -> list[OutgoingMail]:
    with Session(portal.db_engine()) as db:
        return list(
            db.exec(
                select(OutgoingMail).where(
                    OutgoingMail.recipient == email, OutgoingMail.template == "draft_expiry_warning"
                )
            )
        )


def _empty_draft(portal, user) -> int:
    code = f"from portal_app.domain.dossiers import drafts\nprint(drafts.create_draft({int(user.id)}, {PTP!r}).id)"
    return int(portal.python(code).stdout.split()[-1])


def _row(page, dossier_id: int):
    return page.locator("tr", has=page.locator(f'a[href="/demarches/dossier/{dossier_id}"]')).first


def test_the_worker_runs_the_scheduler_with_every_periodic_task(portal):
    """The worker beside the app runs the schedule (not PORTAL_WORKER_PERIODIC=0) and its
    scheduler enqueues on its own: requeue_mails, every minute, shows it within a minute."""
    log = portal.worker.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Periodic tasks are enabled." in log
    for name in ("requeue_mails", "expire_drafts", "purge_closed_dossiers", "clean_up_data_exports"):
        assert f"+ portal_app.jobs.periodic.{name}" in log, name
    deadline = time.monotonic() + 75
    while "Enqueueing periodic task portal_app.jobs.periodic.requeue_mails" not in log:
        assert time.monotonic() < deadline, portal.worker.log_tail(40)
        time.sleep(0.5)
        log = portal.worker.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.viewports("desktop")
def test_the_worker_warns_deletes_and_spares_drafts_and_the_keep_link_works(portal, page, user, smtp_sink):
    now = utcnow()
    warned_id = complete_ptp_draft(portal, user)
    expired_id = complete_ptp_draft(portal, user)
    empty_id = _empty_draft(portal, user)
    filed_id, number = submitted_ptp_dossier(portal, user)
    _set(portal, warned_id, updated_at=now - 80 * DAY)  # inside the 14-day warning window of 90 days
    _set(portal, expired_id, updated_at=now - 91 * DAY, expiry_warned_at=now - 15 * DAY)  # warned, due
    _set(portal, empty_id, updated_at=now - 15 * DAY)  # never answered: goes silently after 14 days
    _set(portal, filed_id, updated_at=now - 400 * DAY)  # filed: never the purge's
    # A draft's pieces point at the owner's porte-documents, which outlives the draft.
    wallet_files = _wallet_files(portal, user)
    assert _pieces_of(portal, expired_id) and wallet_files
    filed_files = _stored_files(portal, filed_id)
    assert filed_files and all(path.exists() for path in filed_files + wallet_files)
    filed_before = dossier(portal.db_engine(), filed_id)

    since = len(smtp_sink.messages)
    run_periodic(portal, "expire_drafts")

    assert dossier(portal.db_engine(), expired_id) is None
    assert dossier(portal.db_engine(), empty_id) is None
    assert not _pieces_of(portal, expired_id) and not _pieces_of(portal, empty_id)
    assert all(path.exists() for path in wallet_files)
    filed_after = dossier(portal.db_engine(), filed_id)
    assert (filed_after.number, filed_after.status, filed_after.updated_at) == (
        number,
        filed_before.status,
        filed_before.updated_at,
    )
    assert all(path.exists() for path in filed_files)
    # One warning, for the draft inside the window; none for the empty one, which went silently.
    (warning,) = _expiry_mails(portal, user.email)
    assert f"conserver={warned_id}" in warning.context_json
    mail = smtp_sink.wait_for(user.email, "sera supprimé", since=since, timeout=30)
    assert f"<{warning.key}@" in mail["Message-ID"]  # the idempotency key
    (keep_link,) = [url for url in smtp_sink.links_in(mail) if f"?conserver={warned_id}" in url]

    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/demarches")
    expect(_row(page, warned_id).locator(".expiry-marker")).to_contain_text("Sera supprimé le")
    expect(_row(page, expired_id)).to_have_count(0)
    goto(page, keep_link)
    expect(page.locator("#message-demarches")).to_contain_text("Votre brouillon est conservé.")
    expect(_row(page, warned_id)).to_be_visible()
    expect(_row(page, warned_id).locator(".expiry-marker")).to_have_count(0)
    shot(page, "worker-brouillon-conserve")

    # The next run of the worker leaves the kept draft alone: no second warning, not deleted.
    run_periodic(portal, "expire_drafts")
    kept = dossier(portal.db_engine(), warned_id)
    assert kept is not None and kept.expiry_warned_at is None
    assert len(_expiry_mails(portal, user.email)) == 1


def test_the_worker_deletes_closed_dossiers_past_retention_with_their_files(portal, user):
    _agent_email, _password, agent_id = create_agent(portal)
    old_id, _ = submitted_ptp_dossier(portal, user)
    recent_id, _ = submitted_ptp_dossier(portal, user)
    open_id, _ = submitted_ptp_dossier(portal, user)
    for closed_id in (old_id, recent_id):
        change_status(portal, agent_id, closed_id, "en_instruction")
        change_status(portal, agent_id, closed_id, "refuse", "Formation non éligible.")
    portal.python(
        "from portal_app.domain.core import audit\n"
        "from portal_app.domain.core.db import session_scope\n"
        "with session_scope() as db:\n"
        f"    audit.record(db, {agent_id}, 'download_document', dossier_id={old_id}, name='piece.pdf', files=1)\n"
    )
    period = retention.retention()  # 5 years: the served app runs with the default too
    now = utcnow()
    _set(portal, old_id, updated_at=now - period - DAY)
    _set(portal, recent_id, updated_at=now - period + DAY)
    _set(portal, open_id, updated_at=now - 2 * period)  # not closed: kept however old
    old_files = _stored_files(portal, old_id)
    kept_files = _stored_files(portal, recent_id) + _stored_files(portal, open_id)
    assert old_files and kept_files and all(path.exists() for path in old_files + kept_files)

    run_periodic(portal, "purge_closed_dossiers")

    engine = portal.db_engine()
    assert dossier(engine, old_id) is None
    assert not any(path.exists() for path in old_files)
    with Session(engine) as db:
        assert not db.exec(select(DossierHistory).where(DossierHistory.dossier_id == old_id)).all()
        # The back office's trail outlives the dossier it names.
        assert db.exec(select(AuditEntry).where(AuditEntry.dossier_id == old_id)).all()
    assert dossier(engine, recent_id) is not None and dossier(engine, open_id) is not None
    assert all(path.exists() for path in kept_files)


def _age(path, delta: timedelta) -> None:
    moment = (utcnow() - delta).timestamp()
    os.utime(path, (moment, moment))


def test_the_worker_sweeps_the_old_stored_files_no_row_names(portal, user):
    """A file no row names (a crash before the commit, a programme never sent) goes a day later;
    a named one stays whatever its age, a young one too (an upload in progress)."""
    filed_id, _ = submitted_ptp_dossier(portal, user)
    named = _stored_files(portal, filed_id) + _wallet_files(portal, user)
    written = portal.python(
        "from portal_app.domain.core import filestore\nprint(filestore.write(b'old'), filestore.write(b'young'))"
    ).stdout.split()[-2:]
    old, young = (portal.data_dir / "files" / name[:2] / name for name in written)
    for path in [*named, old]:
        _age(path, 30 * DAY)
    _age(young, timedelta(hours=23))
    assert named and all(path.exists() for path in [*named, old, young])

    run_periodic(portal, "sweep_stored_files")

    assert not old.exists()
    assert young.exists() and all(path.exists() for path in named)
