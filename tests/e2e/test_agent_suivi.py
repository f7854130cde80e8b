"""Back office and /suivi end to end: an agent instructs a filed PTP dossier; a beneficiary
is kept out; a visitor follows a request without logging in."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.support.browser import (
    assert_no_axe,
    axe_note,
    create_applicant,
    goto,
    server_reply,
    shot,
    sign_in,
    solve_altcha,
    unique_email,
    wait_for_path,
)
from tests.support.corpus import pdf
from tests.support.demarche_data import unique_siret
from tests.support.dossiers import (
    create_agent,
    messages_of,
    status_of,
    submitted_ptp_dossier,
)


@pytest.fixture
def beneficiary(portal):
    return create_applicant(portal, "suivi")


def owner_replies_with_pdf(portal, owner_id: int, dossier_id: int, name: str, data: bytes) -> None:
    portal.python(
        "from portal_app.domain.dossiers import discussion\n"
        f"discussion.post_owner_reply({owner_id}, {dossier_id}, 'Voici le devis signé.', [({name!r}, bytes.fromhex({data.hex()!r}))])"
    )


def audit_actions(portal, dossier_id: int) -> list[str]:
    from portal_app.models import AuditEntry

    with Session(portal.db_engine()) as db:
        return [
            e.action
            for e in db.exec(
                select(AuditEntry).where(AuditEntry.dossier_id == dossier_id).order_by(AuditEntry.id)
            ).all()
        ]


@pytest.mark.viewports("desktop")
def test_an_agent_instructs_a_submitted_dossier(portal, page, beneficiary):
    dossier_id, number = submitted_ptp_dossier(portal, beneficiary)
    agent_email, password, _agent_id = create_agent(portal)
    found: list[str] = []

    sign_in(page, portal, agent_email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers déposés")
    page.get_by_label("Numéro", exact=True).fill(number[-6:])
    with server_reply(page):
        page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MARTIN Camille")
    expect(rows.first).to_contain_text("Déposé")
    axe_note(page, found)
    shot(page, "agent-list")

    rows.first.get_by_role("link", name=number).click()
    wait_for_path(page, f"/agent/dossiers/{dossier_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    expect(page.get_by_text("Boulangerie Dupain")).to_be_visible()  # the answers are shown
    axe_note(page, found)

    # 1. Into instruction.
    page.get_by_label("Nouveau statut").select_option(label="En cours d'instruction")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator("#statut-dossier")).to_contain_text("En cours d'instruction")
    assert status_of(portal, dossier_id) == "en_instruction"

    # 2. Ask for completion with a message.
    page.get_by_label("Ce que le demandeur doit compléter").fill("Merci de joindre le devis signé.")
    page.get_by_role("button", name="Demander des compléments").click()
    expect(page.locator("#statut-dossier")).to_contain_text("À compléter")
    assert [m.body for m in messages_of(portal, dossier_id)] == ["Merci de joindre le devis signé."]

    # 3. The beneficiary replies with a PDF; the agent downloads it.
    document = pdf()
    owner_replies_with_pdf(portal, beneficiary.id, dossier_id, "devis-signe.pdf", document)
    goto(page, f"/agent/dossiers/{dossier_id}")
    link = page.locator("#contenu").get_by_role("link", name="devis-signe.pdf").first
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    downloaded = download_info.value
    assert downloaded.suggested_filename == "devis-signe.pdf"
    assert Path(downloaded.path()).read_bytes()[:5] == b"%PDF-"
    shot(page, "agent-dossier")

    # 4. Reopen for modification.
    page.get_by_label("Motif communiqué au demandeur").fill("Le devis doit porter la date de début.")
    page.get_by_role("button", name="Réouvrir le dossier").click()
    expect(page.locator("#statut-dossier")).to_contain_text("Réouvert pour modification")
    assert status_of(portal, dossier_id) == "reouvert"
    axe_note(page, found)

    actions = audit_actions(portal, dossier_id)
    for action in ("view_dossier", "change_status", "ask_completion", "download_document", "reopen"):
        assert action in actions, actions
    assert_no_axe(found)


def test_back_office_pages_and_agent_creation(portal, page, smtp_sink, beneficiary):
    dossier_id, number = submitted_ptp_dossier(portal, beneficiary)
    agent_email, password, _ = create_agent(portal)
    found: list[str] = []
    sign_in(page, portal, agent_email)
    page.get_by_label("Nom du demandeur").fill("martin")
    with server_reply(page):
        page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    axe_note(page, found)
    shot(page, "agent-list-filtered")
    goto(page, f"/agent/dossiers/{dossier_id}")
    expect(page.locator("#statut-dossier")).to_contain_text("Déposé")
    axe_note(page, found)
    shot(page, "agent-dossier-new")
    goto(page, "/agent/comptes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comptes")
    new_email = unique_email("collegue")
    since = len(smtp_sink.messages)
    page.get_by_label("Adresse e-mail", exact=True).fill(new_email)
    page.get_by_label("Prénom").fill("Alex")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_role("button", name="Créer le compte agent").click()
    expect(page.locator("#message-nouvel-agent")).to_contain_text(new_email)
    mail = smtp_sink.wait_for(to=new_email, since=since)
    assert "mot-de-passe-oublie?jeton=" in mail.get_body(("plain",)).get_content()
    axe_note(page, found)
    shot(page, "agent-comptes")

    # Employers cannot sign up: the agency creates their account here.
    employer_email = unique_email("employeur")
    page.get_by_label("Raison sociale").fill("Boulangerie Dupain")
    page.get_by_label("Numéro SIRET").fill("1234")
    page.get_by_label("Adresse e-mail de contact").fill(employer_email)
    with server_reply(page):
        page.get_by_role("button", name="Créer le compte employeur").click()
    expect(page.locator("#champ-siret-erreur")).to_be_visible()
    expect(page.get_by_label("Raison sociale")).to_have_value("Boulangerie Dupain")
    since = len(smtp_sink.messages)
    page.get_by_label("Numéro SIRET").fill(unique_siret())
    page.get_by_role("button", name="Créer le compte employeur").click()
    expect(page.locator("#message-nouvel-employeur")).to_contain_text("Boulangerie Dupain")
    welcome = smtp_sink.wait_for(to=employer_email, since=since).get_body(("plain",)).get_content()
    assert "/connexion" in welcome or "/employeur" in welcome
    with Session(portal.db_engine()) as db:
        from portal_app.models import AuditEntry, User

        employer = db.exec(select(User).where(User.email == employer_email)).one()
        assert employer.role == "employer" and employer.password_expires_at is not None
        assert db.exec(select(AuditEntry).where(AuditEntry.action == "create_employer")).first() is not None
    axe_note(page, found)
    assert_no_axe(found)


def test_a_beneficiary_cannot_open_the_back_office(portal, page, beneficiary):
    dossier_id, _number = submitted_ptp_dossier(portal, beneficiary)
    sign_in(page, portal, beneficiary.email)
    page.goto(f"{portal.base_url}/agent")
    wait_for_path(page, "/demarches")
    page.goto(f"{portal.base_url}/agent/dossiers/{dossier_id}")
    wait_for_path(page, "/demarches")
    expect(page.get_by_text("Dossiers déposés")).to_have_count(0)


def test_suivi_without_logging_in(portal, page, beneficiary):
    _dossier_id, number = submitted_ptp_dossier(portal, beneficiary)
    found: list[str] = []
    goto(page, "/suivi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivre une demande")
    page.get_by_label("Adresse e-mail").fill(beneficiary.email)
    page.get_by_label("Numéro du dossier").fill(number[:-1] + ("1" if number[-1] != "1" else "2"))
    solve_altcha(page)
    page.get_by_role("button", name="Voir le suivi").click()
    expect(page.locator("#message-suivi")).to_have_text("Aucune demande ne correspond à ces informations.")
    axe_note(page, found)
    shot(page, "suivi-erreur")

    page.get_by_label("Numéro du dossier").fill(number)
    solve_altcha(page)
    page.get_by_role("button", name="Voir le suivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi de votre demande")
    expect(page.locator("#etat-dossier")).to_contain_text("Déposé")
    expect(page.get_by_text(number)).to_be_visible()
    expect(page.get_by_text("Dossier déposé", exact=True)).to_be_visible()
    # Read-only and nothing personal: no name, no answer.
    expect(page.get_by_text("Martin")).to_have_count(0)
    axe_note(page, found)
    shot(page, "suivi")
    assert_no_axe(found)
