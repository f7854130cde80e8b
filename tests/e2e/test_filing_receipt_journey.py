"""The filing receipt in Chromium with the real worker and SMTP: attached to the
acknowledgement, listed on the dossier page and downloaded by its owner only; a reopened
dossier filed again lists both versions."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.support import corpus
from tests.support.browser import axe_check, create_applicant, goto, shot, sign_in
from tests.support.dossiers import create_agent, refile_with_piece, reopen, submitted_ptp_dossier


def test_owner_receives_and_downloads_each_version_of_the_receipt(portal, page, user, smtp_sink, new_context):
    since = len(smtp_sink.messages)
    dossier_id, number = submitted_ptp_dossier(portal, user)
    mail = smtp_sink.wait_for(user.email, number, since=since)
    (attached,) = list(mail.iter_attachments())
    assert attached.get_filename() == f"attestation-de-depot-{number}-v1.pdf"
    first = attached.get_content()
    assert first.startswith(b"%PDF")
    assert "attestation de dépôt est jointe" in smtp_sink.text_of(mail)

    agent_id = create_agent(portal)[2]
    reopen(portal, agent_id, dossier_id, "Le devis est illisible.")
    refile_with_piece(portal, user, dossier_id, "devis", "devis-signe.pdf", corpus.pdf(7))

    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/suivi")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    receipts = page.locator("#attestations + ul li")
    expect(receipts).to_have_count(2)
    expect(receipts.nth(0)).to_contain_text("(version 2)")
    expect(receipts.nth(1)).to_contain_text("(version 1)")
    shot(page, "attestations-de-depot")
    axe_check(page)
    with page.expect_download() as download_info:
        receipts.nth(1).get_by_role("link").click()
    assert download_info.value.suggested_filename == f"attestation-de-depot-{number}-v1.pdf"
    assert Path(download_info.value.path()).read_bytes() == first

    # Another account gets the same answer as for a missing file.
    stranger = create_applicant(portal, "receipt-stranger")
    other = new_context()
    sign_in(other.new_page(), portal, stranger.email)
    answer = other.request.get(f"{portal.base_url}/_portal/dossiers/{dossier_id}/attestations/1")
    assert answer.status == 404
    assert page.context.request.get(f"{portal.base_url}/_portal/dossiers/{dossier_id}/attestations/3").status == 404
