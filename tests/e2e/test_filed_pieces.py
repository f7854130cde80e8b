"""The pieces filed with a dossier as its owner and the agency see them, in Chromium at both
viewports: the acknowledgement (real SMTP) lists exactly what was filed with the NIR masked
and leads to the one dossier page; the owner and an agent download the pieces (the agent's
download audited); a refiled dossier keeps both versions; a decisive status asks first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.support import corpus
from tests.support.browser import (
    axe_check,
    goto,
    link_in,
    server_reply,
    shot,
    sign_in,
    wait_for_path,
)
from tests.support.demarche_data import VALID_NIR
from tests.support.dossiers import (
    agent_message,
    change_status,
    create_agent,
    refile_with_piece,
    reopen,
    status_of,
    submitted_ptp_dossier,
)

# The pieces a permanent contract without absence request asks, in the démarche's order.
LABELS = {
    "identite": "Une pièce d'identité en cours de validité",
    "bulletins": "Vos trois derniers bulletins de salaire",
    "devis": "Le devis de l'organisme de formation",
    "programme": "Le programme détaillé de la formation",
    "rib": "Un relevé d'identité bancaire (RIB)",
}
OPTIONAL_NOT_FILED = "Le compte rendu de votre enquête métier"
# tests.support.pieces.attach_each: the n-th required piece is corpus.pdf(n).
BODIES = {code: corpus.pdf(index + 1) for index, code in enumerate(LABELS)}
# A job survey declared: its report is asked (optional) and not given.
WITH_SURVEY = {"enquete_metier": "oui", "enquete_description": "Deux journées dans un service de soins."}


def audit_downloads(portal, dossier_id: int) -> list[dict]:
    from portal_app.models import AuditEntry

    with Session(portal.db_engine()) as db:
        return [
            e.details
            for e in db.exec(
                select(AuditEntry).where(AuditEntry.dossier_id == dossier_id, AuditEntry.action == "download_document")
            ).all()
        ]


def test_owner_gets_the_mail_and_the_dossier_page_with_its_pieces(portal, page, user, smtp_sink):
    since = len(smtp_sink.messages)
    dossier_id, number = submitted_ptp_dossier(portal, user, WITH_SURVEY, distinct_pieces=True)
    suivi_path = f"/demarches/dossier/{dossier_id}/suivi"

    # The acknowledgement: exactly the filed pieces, the NIR masked, a link to the dossier page.
    mail = smtp_sink.wait_for(user.email, number, since=since)
    text = smtp_sink.text_of(mail)
    html = mail.get_body(("html",)).get_content()
    for body in (text, html):
        assert OPTIONAL_NOT_FILED not in body
        assert VALID_NIR not in body and "2 95 10 99 126 111 93" not in body
        assert "• •• •• •• ••• 111 93" in body
    filed_lines = [line for line in text.splitlines() if line.endswith(".pdf")]
    assert filed_lines == [f"- {label} : {code}.pdf" for code, label in LABELS.items()]
    link = link_in(mail, portal.base_url, suivi_path)

    # The mail's link opens the dossier page: answers, and the pieces with their downloads.
    sign_in(page, portal, user.email)
    goto(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    documents = page.locator("#documents").locator("..")
    listed = documents.locator(".recap-pieces li")
    expect(listed).to_have_count(len(LABELS))
    for index, (code, label) in enumerate(LABELS.items()):
        expect(listed.nth(index)).to_contain_text(label)
        expect(listed.nth(index)).to_contain_text(f"{code}.pdf")
    expect(documents).not_to_contain_text(OPTIONAL_NOT_FILED)
    page.get_by_text("Afficher vos réponses").click()
    answers = page.locator("details.answers")
    expect(answers).to_contain_text("Boulangerie Dupain")
    expect(answers.locator(".recap-pieces li")).to_have_count(len(LABELS))
    shot(page, "pieces-deposees-dossier-demandeur")
    axe_check(page)
    with page.expect_download() as download_info:
        documents.get_by_role("link", name="Télécharger devis.pdf").click()
    assert download_info.value.suggested_filename == "devis.pdf"
    assert Path(download_info.value.path()).read_bytes() == BODIES["devis"]

    # One dossier page, however it is reached.
    goto(page, f"{portal.base_url}/demarches")
    consult = page.locator(".dossier-row", has_text=number).get_by_role("link", name=re.compile("^Consulter"))
    expect(consult).to_have_attribute("href", suivi_path)
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/confirmation")
    expect(page.get_by_role("link", name="Consulter mon dossier")).to_have_attribute("href", suivi_path)
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    wait_for_path(page, suivi_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")


@pytest.mark.viewports("desktop")
def test_the_reply_error_goes_once_fixed(portal, page, user):
    dossier_id, _number = submitted_ptp_dossier(portal, user)
    agent_id = create_agent(portal)[2]
    change_status(portal, agent_id, dossier_id, "en_instruction")
    agent_message(portal, agent_id, dossier_id, "Pouvez-vous préciser la date de début ?")
    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/suivi")
    reply = page.locator(".reply")
    # The message box comes before the attachments.
    box = reply.get_by_label("Votre message").bounding_box()
    attach = reply.get_by_role("heading", name=re.compile("^Joindre des documents")).bounding_box()
    assert box["y"] < attach["y"]
    page.get_by_role("button", name="Envoyer ma réponse").click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_contain_text("Écrivez un message ou joignez un document.")
    expect(summary).to_be_focused()
    # Typing the message is enough: the summary goes without another click.
    reply.get_by_label("Votre message").fill("Le 1er septembre 2027.")
    expect(summary).to_have_count(0)
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("#reponse-envoyee")).to_have_text("Votre réponse a été envoyée à l'agence.")


def test_agent_sees_every_version_downloads_it_and_confirms_a_decision(portal, page, user, new_context):
    dossier_id, number = submitted_ptp_dossier(portal, user, distinct_pieces=True)
    agent_email, password, agent_id = create_agent(portal)
    sign_in(page, portal, agent_email)
    goto(page, f"{portal.base_url}/agent/dossiers/{dossier_id}")
    section = page.locator("#pieces-justificatives").locator("..")
    listed = section.locator(".filed-piece")
    expect(listed).to_have_count(len(LABELS))
    for index, (code, label) in enumerate(LABELS.items()):
        expect(listed.nth(index)).to_contain_text(label)
        expect(listed.nth(index)).to_contain_text(f"{code}.pdf")
        expect(listed.nth(index)).to_contain_text(
            re.compile(r"\d+ (octets|Ko) — déposé le \d\d/\d\d/\d{4} à \d\d:\d\d")
        )
    expect(section.get_by_text(re.compile("dépôt, le"))).to_have_count(0)  # filed once: no grouping

    with page.expect_download() as download_info:
        section.get_by_role("link", name="bulletins.pdf").click()
    assert download_info.value.suggested_filename == "bulletins.pdf"
    assert Path(download_info.value.path()).read_bytes() == BODIES["bulletins"]
    assert [d["piece"] for d in audit_downloads(portal, dossier_id)] == ["bulletins"]

    # Reopened, then filed again with another devis: both filings show, the latest first.
    reopen(portal, agent_id, dossier_id, "Le devis n'est pas signé.")
    new_devis = corpus.pdf(7)
    refile_with_piece(portal, user, dossier_id, "devis", "devis-signe.pdf", new_devis)
    goto(page, f"{portal.base_url}/agent/dossiers/{dossier_id}")
    filings = section.locator(".filing")
    expect(filings).to_have_count(2)
    expect(filings.first.get_by_role("heading")).to_contain_text(
        re.compile(r"^2e dépôt, le \d\d/\d\d/\d{4} à \d\d:\d\d Le plus récent")
    )
    expect(filings.nth(1).get_by_role("heading")).to_contain_text(re.compile(r"^1er dépôt, le "))
    expect(filings.first).to_contain_text("devis-signe.pdf")
    expect(filings.first.locator(".filed-piece").nth(0)).to_contain_text("identique au dépôt précédent")
    expect(filings.nth(1)).to_contain_text("devis.pdf")
    expect(filings.nth(1)).not_to_contain_text("devis-signe.pdf")
    expect(filings.first.locator(".filed-piece")).to_have_count(len(LABELS))
    shot(page, "pieces-deposees-dossier-agent")
    axe_check(page)
    with page.expect_download() as download_info:
        filings.nth(1).get_by_role("link", name="devis.pdf").click()
    assert Path(download_info.value.path()).read_bytes() == BODIES["devis"]
    with page.expect_download() as download_info:
        filings.first.get_by_role("link", name="devis-signe.pdf").click()
    assert Path(download_info.value.path()).read_bytes() == new_devis
    assert [d["piece"] for d in audit_downloads(portal, dossier_id)] == ["bulletins", "devis", "devis"]

    # A beneficiary, even the owner, gets nothing from the agents' route.
    href = filings.first.get_by_role("link", name="devis-signe.pdf").get_attribute("href")
    owner_page = new_context().new_page()
    sign_in(owner_page, portal, user.email)
    assert owner_page.request.get(href, max_redirects=0).status == 404

    # Status: nothing chosen in advance; an empty choice is refused in words.
    select = page.get_by_label("Nouveau statut")
    expect(select).to_have_value("")
    expect(select.locator("option").first).to_have_text("Choisissez…")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator("#message-action")).to_have_text("Choisissez le nouveau statut du dossier.")
    assert status_of(portal, dossier_id) == "depose"
    select.select_option(label="En cours d'instruction")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator("#statut-dossier")).to_contain_text("En cours d'instruction")
    expect(select).to_have_value("")  # the form starts afresh: "Accepté" is not preselected

    # A decision asks first, naming the outcome; Annuler changes nothing.
    select.select_option(label="Accepté")
    page.get_by_role("button", name="Changer le statut").click()
    confirmation = page.get_by_role("alertdialog")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text(f"Confirmer : le dossier {number} sera Accepté.")
    shot(page, "statut-confirmation-agent")
    axe_check(page)
    with server_reply(page):
        confirmation.get_by_role("button", name="Annuler").click()
    expect(confirmation).to_have_count(0)
    assert status_of(portal, dossier_id) == "en_instruction"
    expect(page.locator("#statut-dossier")).to_contain_text("En cours d'instruction")

    page.get_by_role("button", name="Changer le statut").click()
    expect(confirmation).to_contain_text("sera Accepté.")
    confirmation.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#statut-dossier")).to_contain_text("Accepté")
    assert status_of(portal, dossier_id) == "accepte"
