"""Draft expiry in Chromium, with the real worker and SMTP: a draft left unchanged shows
"Sera supprimé le …" on the dashboard, the warning mail's "Conserver mon brouillon" link
restarts the delay (the line goes), and the link does nothing for another account's draft or
a filed dossier."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update
from sqlmodel import Session

from portal_app.domain.dossiers import expiry
from portal_app.models import Dossier
from portal_app.models.base import as_utc, utcnow
from tests.support.browser import axe_check, create_applicant, goto, shot, sign_in
from tests.support.dossiers import PTP, complete_ptp_draft, submitted_ptp_dossier
from tests.support.drafts import dossier

UNCHANGED_FOR = timedelta(days=80)  # 90-day lifetime: inside the 14-day warning window


def _age(portal, *dossier_ids: int) -> None:
    """As if nobody had changed these dossiers for UNCHANGED_FOR."""
    with Session(portal.db_engine()) as db:
        db.execute(update(Dossier).where(Dossier.id.in_(dossier_ids)).values(updated_at=utcnow() - UNCHANGED_FOR))
        db.commit()


def _pieces_only_draft(portal, user) -> int:
    """A draft with pieces and no answer typed: still version 1, yet not an empty one."""
    code = f"""
from portal_app.domain.dossiers import drafts
from tests.support.pieces import attach_required
draft = drafts.create_draft({int(user.id)}, {PTP!r})
attach_required({int(user.id)}, draft.id)
print(draft.id)
"""
    return int(portal.python(code).stdout.split()[-1])


def _row(page, dossier_id: int):
    return page.locator("tr", has=page.locator(f'a[href="/demarches/dossier/{dossier_id}"]')).first


def test_the_warning_mail_link_keeps_the_draft_and_only_the_owners(portal, page, user, smtp_sink):
    draft_id = complete_ptp_draft(portal, user)
    pieces_only_id = _pieces_only_draft(portal, user)
    filed_id, _number = submitted_ptp_dossier(portal, user)
    stranger = create_applicant(portal, "expiry-stranger")
    strangers_id = complete_ptp_draft(portal, stranger)
    _age(portal, draft_id, pieces_only_id, filed_id, strangers_id)
    assert dossier(portal.db_engine(), pieces_only_id).version == 1

    since = len(smtp_sink.messages)
    portal.python("from portal_app.domain.dossiers import expiry\nexpiry.expire_drafts()")
    # One mail per draft (this one and the pieces-only one), sent in no set order.
    mail = smtp_sink.wait_for(
        user.email, "sera supprimé", since=since, timeout=30, body_contains=f"?conserver={draft_id}"
    )
    due = expiry.day_of(expiry.deletion_date(dossier(portal.db_engine(), draft_id), silent=False))
    assert due in str(mail["Subject"])
    (keep_link,) = [url for url in smtp_sink.links_in(mail) if f"?conserver={draft_id}" in url]

    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/demarches")
    expect(_row(page, draft_id).locator(".expiry-marker")).to_have_text(f" · Sera supprimé le {due}")
    expect(_row(page, pieces_only_id).locator(".expiry-marker")).to_contain_text("Sera supprimé le")
    expect(_row(page, filed_id).locator(".expiry-marker")).to_have_count(0)
    shot(page, "brouillon-sera-supprime")
    axe_check(page)

    # Another account's draft, a filed dossier: the link changes nothing.
    for other_id in (strangers_id, filed_id):
        before = dossier(portal.db_engine(), other_id)
        goto(page, f"{portal.base_url}/demarches?conserver={other_id}")
        message = page.locator("#message-demarches")
        expect(message).to_have_text("Ce brouillon n'existe plus ou a déjà été déposé.")
        expect(message).to_be_focused()
        after = dossier(portal.db_engine(), other_id)
        assert (after.updated_at, after.expiry_warned_at, after.status) == (
            before.updated_at,
            before.expiry_warned_at,
            before.status,
        )

    goto(page, keep_link)
    kept_until = expiry.day_of(utcnow() + timedelta(days=90))
    message = page.locator("#message-demarches")
    expect(message).to_have_text(f"Votre brouillon est conservé. Sans modification, il sera supprimé le {kept_until}.")
    expect(message).to_be_focused()
    expect(_row(page, draft_id)).to_be_visible()
    expect(_row(page, draft_id).locator(".expiry-marker")).to_have_count(0)
    shot(page, "brouillon-conserve")
    axe_check(page)

    kept = dossier(portal.db_engine(), draft_id)
    assert kept.expiry_warned_at is None and utcnow() - as_utc(kept.updated_at) < timedelta(minutes=5)
    # The delay restarted: a run of the expiry now neither warns nor deletes it.
    portal.python("from portal_app.domain.dossiers import expiry\nexpiry.expire_drafts()")
    kept = dossier(portal.db_engine(), draft_id)
    assert kept is not None and kept.expiry_warned_at is None
    assert dossier(portal.db_engine(), filed_id).number is not None
