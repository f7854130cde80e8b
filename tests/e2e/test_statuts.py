"""Statuses, notifications and the discussion, end to end: the agency's moves are made through
the domain (the back office is another branch), the beneficiary's side in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.support import corpus
from tests.support.browser import (
    axe_check,
    create_active_user,
    goto,
    shot,
    sign_in,
    unique_email,
    unique_nir,
    update_user,
    wait_hydrated,
)
from tests.support.dossiers import (
    agent_message,
    ask_completion,
    change_status,
    create_agent,
    messages_of,
    reopen,
    status_of,
    submitted_ptp_dossier,
)

PTP_TITLE = "Projet de transition professionnelle"


@pytest.fixture(scope="module")
def agent_id(portal):
    return create_agent(portal)[2]


def suivi(portal, dossier_id: int) -> str:
    return f"{portal.base_url}/demarches/dossier/{dossier_id}/suivi"


def bell(page):
    return page.locator("#cloche")


@pytest.mark.viewports("phone")
def test_instruction_then_completion_with_a_pdf_reply(portal, page, user, agent_id, smtp_sink, tmp_path):
    dossier_id, number = submitted_ptp_dossier(portal, user)
    sign_in(page, portal, user.email)
    expect(bell(page)).to_have_accessible_name("Notifications")  # nothing unread yet

    # The agent takes the dossier into instruction: status, bell and mail follow.
    since = len(smtp_sink.messages)
    change_status(portal, agent_id, dossier_id, "en_instruction")
    mail = smtp_sink.wait_for(user.email, number, since=since)
    assert f"/demarches/dossier/{dossier_id}/suivi" in smtp_sink.text_of(mail)
    assert "En cours d'examen" in mail["Subject"]
    goto(page, f"{portal.base_url}/demarches")
    row = page.locator(".dossier-row", has_text=number)
    expect(row).to_contain_text("En cours d'examen")
    expect(row).to_contain_text("Rien à faire : l'agence examine votre dossier")
    expect(bell(page)).to_have_accessible_name("Notifications 1 non lue")
    shot(page, "statuts-tableau-de-bord")
    axe_check(page)

    bell(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".notification--unread")).to_contain_text(f"Dossier {number} : En cours d'examen.")
    page.get_by_role("link", name=f"Dossier {number} : En cours d'examen.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    expect(page.locator("#resume")).to_be_visible()
    expect(bell(page)).to_have_accessible_name("Notifications")  # opening the dossier read it

    # The agency asks for a document: status "À compléter", message in the discussion, mail.
    since = len(smtp_sink.messages)
    ask_completion(portal, agent_id, dossier_id, "Merci de joindre le devis signé de l'organisme.")
    mail = smtp_sink.wait_for(user.email, number, since=since)
    assert "Merci de joindre le devis signé" in smtp_sink.text_of(mail)
    goto(page, f"{portal.base_url}/demarches")
    expect(page.locator(".dossier-row", has_text=number)).to_contain_text("Répondre à l'agence")
    expect(page.locator(".dossier-row", has_text=number)).to_contain_text("1 message non lu")
    page.locator(".dossier-row", has_text=number).get_by_role("link", name=re.compile("^Consulter")).click()
    expect(page.locator(".message--agency")).to_contain_text("Merci de joindre le devis signé")
    expect(page.locator(".message--agency")).to_contain_text("Nouveau")
    expect(page.locator("#prochaine-etape")).to_have_text("Répondre à l'agence")
    shot(page, "statuts-dossier-a-completer")
    axe_check(page)

    (tmp_path / "devis-signe.pdf").write_bytes(corpus.pdf(1))
    page.locator("#pieces-reponse input[type=file]").set_input_files([tmp_path / "devis-signe.pdf"])
    expect(page.locator("#resultat-envoi")).to_contain_text(
        "devis-signe.pdf : ajouté à votre porte-documents et joint", timeout=30_000
    )
    expect(page.get_by_label("devis-signe.pdf")).to_be_checked()
    page.get_by_label("Votre message").fill("Voici le devis signé.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("#reponse-envoyee")).to_have_text("Votre réponse a été envoyée à l'agence.")
    expect(page.locator(".message--owner")).to_contain_text("Voici le devis signé.")
    expect(page.locator(".message--owner").get_by_role("link", name="Télécharger devis-signe.pdf")).to_be_visible()
    expect(page.locator("#historique")).to_be_visible()
    expect(page.locator(".timeline__item").first).to_contain_text("En cours d'examen")
    assert status_of(portal, dossier_id) == "en_instruction"
    reply = messages_of(portal, dossier_id)[-1]
    assert reply.author_role == "beneficiary" and reply.read_by_agency_at is None  # unread for the agency
    shot(page, "statuts-dossier-reponse")

    # The file the owner sent downloads as an attachment from the thread.
    with page.expect_download() as download:
        page.locator(".message--owner").get_by_role("link", name="Télécharger devis-signe.pdf").click()
    assert download.value.suggested_filename == "devis-signe.pdf"


@pytest.mark.viewports("desktop")
def test_reopen_edit_resubmit_and_refusal_with_motivation(portal, page, user, agent_id, smtp_sink):
    dossier_id, number = submitted_ptp_dossier(portal, user)
    sign_in(page, portal, user.email)
    since = len(smtp_sink.messages)
    reopen(portal, agent_id, dossier_id, "Le devis est illisible.")
    smtp_sink.wait_for(user.email, "vous pouvez le modifier", since=since)
    goto(page, f"{portal.base_url}/demarches")
    row = page.locator(".dossier-row", has_text=number)
    expect(row).to_contain_text("À modifier")
    expect(row).to_contain_text("Modifier puis déposer de nouveau votre dossier")
    row.get_by_role("link", name=re.compile("^Modifier")).click()
    expect(page.locator("#prochaine-etape")).to_have_text("Modifier puis déposer de nouveau votre dossier")
    expect(page.locator(".timeline__item").first).to_contain_text("Motif : Le devis est illisible.")
    page.get_by_role("link", name="Modifier mon dossier").click()
    expect(page.get_by_text("Votre dossier a été réouvert")).to_be_visible()
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.locator("#numero-dossier")).to_have_text(number)
    assert status_of(portal, dossier_id) == "depose"

    # A refusal shows its motivation to the beneficiary; the dossier is then "Terminées".
    change_status(portal, agent_id, dossier_id, "en_instruction")
    change_status(portal, agent_id, dossier_id, "refuse", "La formation visée n'est pas certifiante.")
    goto(page, suivi(portal, dossier_id))
    expect(page.locator("#resume")).to_be_visible()
    expect(page.locator(".status-badge").first).to_contain_text("Refusé")
    expect(page.locator(".timeline__item").first).to_contain_text("Motif : La formation visée n'est pas certifiante.")
    shot(page, "statuts-dossier-refuse")
    axe_check(page)
    goto(page, f"{portal.base_url}/demarches")
    page.get_by_role("button", name=re.compile("^Terminées")).click()
    expect(page.locator(".dossier-row")).to_have_count(1)
    page.get_by_role("button", name=re.compile("^Brouillons")).click()
    expect(page.locator(".dossier-row")).to_have_count(0)
    page.get_by_role("button", name=re.compile("^Toutes")).click()
    page.get_by_label("Rechercher (numéro ou démarche)").fill(number.lower())
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".dossier-row")).to_have_count(1)
    shot(page, "statuts-tableau-de-bord-bureau")
    axe_check(page)


def test_preferences_off_no_mail_but_the_bell(portal, page, user, agent_id, smtp_sink):
    dossier_id, number = submitted_ptp_dossier(portal, user)
    # The acknowledgement goes through the job queue: wait for it, or it lands after `since`.
    smtp_sink.wait_for(user.email, number)
    update_user(portal, user.email, notify_status=False)
    since = len(smtp_sink.messages)
    change_status(portal, agent_id, dossier_id, "en_instruction")
    # A mail is written in the status change's own transaction: none was, whatever the queue does.
    with portal.db_engine().connect() as conn:
        templates = conn.execute(
            text("SELECT template FROM outgoing_mails WHERE recipient = :r ORDER BY id"), {"r": user.email}
        ).scalars()
        assert list(templates) == ["dossier_submitted"]
    sign_in(page, portal, user.email)
    expect(bell(page)).to_have_accessible_name("Notifications 1 non lue")
    goto(page, f"{portal.base_url}/notifications")
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(bell(page)).to_have_accessible_name("Notifications")
    expect(page.locator(".notification--unread")).to_have_count(0)
    assert not [m for m in smtp_sink.messages[since:] if m["To"] == user.email and number in m["Subject"]]


def test_dashboard_filters_live_in_the_url(portal, page, user):
    """A filter shows in the address (replaced, not stacked in the history), a reload keeps it,
    a plain visit to /demarches shows everything, « Effacer les filtres » too."""
    _, number = submitted_ptp_dossier(portal, user)
    portal.python(
        f"from portal_app.domain.dossiers import drafts; drafts.create_draft({user.id}, 'projet-transition-professionnelle')"
    )
    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/demarches")
    rows = page.locator(".dossier-row")
    expect(rows).to_have_count(2)
    history = page.evaluate("history.length")

    page.get_by_role("button", name=re.compile("^Brouillons")).click()
    expect(page).to_have_url(re.compile(r"/demarches\?statut=brouillons$"))
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Pas encore déposé")
    page.get_by_role("button", name=re.compile("^En cours")).click()
    expect(page).to_have_url(re.compile(r"/demarches\?statut=en_cours$"))
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(number)
    assert page.evaluate("history.length") == history  # replaced, not one entry per change

    # Reloaded: the same filter, visibly.
    page.reload()
    wait_hydrated(page)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(number)
    expect(page.get_by_role("button", name=re.compile("^En cours"))).to_have_attribute("aria-pressed", "true")

    # Search and sort join the status in the URL; no result says so and offers to clear.
    page.get_by_role("button", name=re.compile("^Brouillons")).click()
    page.get_by_label("Rechercher (numéro ou démarche)").fill(number)
    page.get_by_label("Trier par").select_option("ancien")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(rf"/demarches\?statut=brouillons&q={number}&tri=ancien$"))
    expect(rows).to_have_count(0)
    expect(page.locator("#aucun-resultat")).to_contain_text("Aucun dossier ne correspond à ces filtres.")
    page.reload()
    wait_hydrated(page)
    expect(page.locator("#aucun-resultat")).to_be_visible()
    expect(page.get_by_label("Rechercher (numéro ou démarche)")).to_have_value(number)
    expect(page.get_by_label("Trier par")).to_have_value("ancien")
    shot(page, "statuts-tableau-de-bord-sans-resultat")
    axe_check(page)
    page.locator("#aucun-resultat").get_by_role("button", name="Effacer les filtres").click()
    expect(page).to_have_url(re.compile(r"/demarches$"))
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Rechercher (numéro ou démarche)")).to_have_value("")
    expect(page.get_by_label("Trier par")).to_have_value("recent")
    expect(page.get_by_role("button", name=re.compile("^Toutes"))).to_have_attribute("aria-pressed", "true")

    # A later plain visit shows everything, whatever this tab filtered before.
    page.get_by_role("button", name=re.compile("^Terminées")).click()
    expect(rows).to_have_count(0)
    goto(page, f"{portal.base_url}/notifications")
    goto(page, f"{portal.base_url}/demarches")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile("^Toutes"))).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#aucun-resultat")).to_have_count(0)


def test_empty_dashboard_links_to_the_catalogue(portal, page, user):
    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/demarches")
    expect(page.get_by_text("Vous n'avez pas encore de démarche en cours.")).to_be_visible()
    expect(page.get_by_role("link", name="Découvrir les démarches proposées")).to_have_attribute(
        "href", "/demarches/nouvelle"
    )


@pytest.mark.viewports("phone")
def test_another_beneficiary_cannot_open_the_dossier_or_its_files(portal, page, user, agent_id, new_context):
    dossier_id, number = submitted_ptp_dossier(portal, user)
    change_status(portal, agent_id, dossier_id, "en_instruction")
    agent_message(portal, agent_id, dossier_id, "Voici le courrier.", files=[("courrier.pdf", corpus.pdf(1))])
    sign_in(page, portal, user.email)
    goto(page, suivi(portal, dossier_id))
    link = page.get_by_role("link", name="Télécharger courrier.pdf").first
    expect(link).to_be_visible()
    attachment_href = link.get_attribute("href")

    intruder = create_active_user(portal, unique_email("intrus"), nir=unique_nir())
    other = new_context().new_page()
    sign_in(other, portal, intruder.email)
    goto(other, suivi(portal, dossier_id))
    expect(other.get_by_role("heading", level=1)).to_have_text("Dossier introuvable")
    expect(other.get_by_text(number)).to_have_count(0)
    expect(other.get_by_text("Voici le courrier.")).to_have_count(0)
    assert re.search(r"/_portal/pieces/\d+$", attachment_href), attachment_href
    response = other.request.get(attachment_href, max_redirects=0)
    assert response.status == 404
