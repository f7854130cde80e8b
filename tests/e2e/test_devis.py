"""Training quotes end to end, at both viewports, the mails read from the real SMTP server:
the person asks a provider for a quote from the PTP training step; the provider, without an
account, answers through its mailed link (programme PDF through the upload pipeline), then
revises its quote; the person accepts after typing the password again, withdraws, accepts
again; the withdrawal period ends (clock moved forward through `cli finalise-quotes --at`) and
the acceptance is final. The agent's dossier view shows who did what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.support import corpus
from tests.support.browser import (
    DEFAULT_PASSWORD,
    axe_check,
    goto,
    goto_new_tab,
    link_in,
    login,
    server_reply,
    shot,
    unique_email,
    wait_hydrated,
)
from tests.support.demarche_data import unique_siret
from tests.support.dossiers import complete_ptp_draft, create_agent
from tests.support.drafts import dossier as stored_dossier
from tests.support.drafts import open_draft

PROVIDER = "École du Numérique"


def quote_values(price: str) -> dict[str, str]:
    start = datetime.now(UTC).date() + timedelta(days=90)
    return {
        "Intitulé de la formation": "Titre professionnel Développeur web et web mobile",
        "Code de la certification (RNCP ou RS)": "RNCP37674",
        "Date de début": start.isoformat(),
        "Date de fin": (start + timedelta(days=240)).isoformat(),
        "Heures en centre de formation": "700",
        "Heures en entreprise": "280",
        "Lieu : numéro et voie": "12 rue des Écoles",
        "Lieu : code postal": "75005",
        "Lieu : commune": "Paris",
        "Coût pédagogique (euros TTC)": price,
        "Frais annexes (euros TTC)": "320",
        "Devis valable jusqu'au": (datetime.now(UTC).date() + timedelta(days=30)).isoformat(),
    }


def fill_quote(page, values: dict[str, str]) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_quote_request_provider_answer_acceptance_withdrawal_and_final(
    page, new_context, portal, user, smtp_sink, tmp_path, viewport_name
):
    dossier_id = complete_ptp_draft(portal, user)
    provider_email = unique_email("organisme")
    programme = tmp_path / "programme.pdf"
    programme.write_bytes(corpus.pdf(2))

    # The person asks for a quote from the training step.
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    open_draft(page, portal.base_url, dossier_id, "formation")
    panel = page.locator(".quote-panel")
    since = len(smtp_sink.messages)
    panel.get_by_label("Raison sociale de l'organisme").fill(PROVIDER)
    panel.get_by_label("Numéro SIRET de l'organisme").fill("12345678901234")
    panel.get_by_label("Adresse e-mail de contact de l'organisme").fill(provider_email)
    panel.get_by_role("button", name="Demander un devis").click()
    expect(page.locator("#champ-provider-siret-erreur")).to_contain_text("SIRET")
    panel.get_by_label("Numéro SIRET de l'organisme").fill(unique_siret())
    panel.get_by_role("button", name="Demander un devis").click()
    expect(page.locator("#devis-message")).to_contain_text("Votre demande de devis est envoyée")
    expect(panel.locator(".quote-request")).to_contain_text("En attente du devis de l'organisme")
    shot(page, "devis-demande")
    axe_check(page)

    request_mail = smtp_sink.wait_for(provider_email, "Demande de devis", since=since)
    link = link_in(request_mail, portal.base_url, "/devis")
    assert "valable 30 jours" in smtp_sink.text_of(request_mail)

    # The provider, in its own browser without any account, answers through the link.
    provider_page = new_context().new_page()
    goto(provider_page, link)
    expect(provider_page).to_have_title("Demande de devis de formation — Portail")
    expect(provider_page.get_by_role("heading", level=1)).to_have_text("Demande de devis de formation")
    expect(provider_page.locator("main")).to_contain_text("Diplôme d'État d'infirmier")  # what the person asked
    fill_quote(provider_page, quote_values("8 450,00"))
    provider_page.get_by_role("button", name="Envoyer le devis").click()
    expect(provider_page.locator("#champ-programme-erreur")).to_contain_text("programme")
    provider_page.locator("#programme-devis input[type=file]").set_input_files([programme])
    expect(provider_page.locator("main")).to_contain_text("programme.pdf : reçu", timeout=30_000)
    shot(provider_page, "devis-organisme")
    axe_check(provider_page)
    since = len(smtp_sink.messages)
    provider_page.get_by_role("button", name="Envoyer le devis").click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text("Votre devis est envoyé")
    smtp_sink.wait_for(user.email, "Vous avez reçu un devis de formation", since=since)

    # A revised version, the programme kept.
    provider_page.get_by_role("button", name="Revoir la demande").click()
    expect(provider_page.get_by_role("heading", name="Envoyer un devis révisé")).to_be_visible()
    # The form starts from version 1: only the price changes.
    expect(provider_page.get_by_label("Intitulé de la formation")).to_have_value(
        quote_values("")["Intitulé de la formation"]
    )
    expect(provider_page.get_by_label("Coût pédagogique (euros TTC)")).to_have_value("8450,00")
    provider_page.get_by_label("Coût pédagogique (euros TTC)").fill("7 900,00")
    since = len(smtp_sink.messages)
    provider_page.get_by_role("button", name="Envoyer le devis").click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text("Votre devis est envoyé")
    smtp_sink.wait_for(user.email, "Votre devis de formation a été révisé", since=since)

    # The person reads both versions and what changed, then accepts after the password.
    goto_new_tab(page, f"{portal.base_url}/demarches/dossier/{dossier_id}?etape=formation")
    request_box = page.locator(".quote-request")
    expect(request_box).to_contain_text("Version 2")
    expect(request_box).to_contain_text("Coût pédagogique : 8\u00a0450,00\u00a0€ → 7\u00a0900,00\u00a0€")
    expect(request_box).to_contain_text("Total8\u00a0220,00\u00a0€")
    # The programme is read before answering; version 1 is folded, its summary says it was replaced.
    with page.expect_download() as download:
        request_box.get_by_role("link", name="programme.pdf (PDF)").click()
    assert download.value.suggested_filename == "programme.pdf"
    expect(request_box.locator("summary")).to_have_text("Version 1 (version précédente)")
    request_box.get_by_role("button", name="Accepter ce devis").click()
    request_box.get_by_label("Votre mot de passe").fill("pas-le-bon")
    with server_reply(page):
        request_box.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("#champ-password-erreur")).to_contain_text("Le mot de passe est incorrect.")
    request_box.get_by_label("Votre mot de passe").fill(DEFAULT_PASSWORD)
    since = len(smtp_sink.messages)
    request_box.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("#devis-message")).to_contain_text("Devis accepté")
    expect(request_box).to_contain_text("Vous pouvez vous rétracter jusqu'au")
    held = page.locator("#champ-organisme-nom")
    expect(held).to_be_disabled()
    expect(held).to_have_value(PROVIDER)
    expect(page.locator("#champ-cout-pedagogique")).to_have_value("7900.00")
    smtp_sink.wait_for(provider_email, "Votre devis est accepté", since=since)
    smtp_sink.wait_for(user.email, "Vous avez accepté un devis de formation", since=since)
    answers = stored_dossier(portal.db_engine(), dossier_id).answers
    assert answers["organisme_nom"] == PROVIDER and answers["cout_pedagogique"] == "7900.00"
    shot(page, "devis-accepte")
    axe_check(page)

    # Withdrawal: the fields are editable again and the provider is told.
    since = len(smtp_sink.messages)
    request_box.get_by_role("button", name="Me rétracter").click()
    request_box.get_by_role("button", name="Confirmer la rétractation").click()
    expect(page.locator("#devis-message")).to_contain_text("Vous vous êtes rétracté(e)")
    expect(page.locator("#champ-organisme-nom")).to_be_enabled()
    smtp_sink.wait_for(provider_email, "La personne s'est rétractée", since=since)

    # A new acceptance, then the period is over (the clock moved 15 days forward).
    request_box.get_by_role("button", name="Accepter ce devis").click()
    request_box.get_by_label("Votre mot de passe").fill(DEFAULT_PASSWORD)
    request_box.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("#champ-organisme-nom")).to_be_disabled()
    since = len(smtp_sink.messages)
    later = (datetime.now(UTC) + timedelta(days=15)).isoformat()
    assert "définitives : 0" in portal.cli("finalise-quotes").stdout
    assert "définitives : 1" in portal.cli("finalise-quotes", "--at", later).stdout
    smtp_sink.wait_for(user.email, "Votre acceptation du devis est définitive", since=since)
    smtp_sink.wait_for(provider_email, "L'acceptation de votre devis est définitive", since=since)
    goto_new_tab(page, f"{portal.base_url}/demarches/dossier/{dossier_id}?etape=formation")
    expect(request_box).to_contain_text("Devis accepté définitivement")
    expect(request_box.get_by_role("button", name="Me rétracter")).to_have_count(0)
    expect(page.locator("#champ-organisme-nom")).to_be_disabled()

    # The provider's link shows the outcome and takes no more quotes.
    goto_new_tab(provider_page, link)
    expect(provider_page.locator("main")).to_contain_text("Devis accepté définitivement")
    expect(provider_page.get_by_role("button", name="Envoyer le devis")).to_have_count(0)

    # The agent reads who did what (the dossier filed first, with the accepted quote as its devis piece).
    filed = portal.python(
        "from portal_app.domain.dossiers import filing\n"
        f"print('errors:', filing.submit({int(user.id)}, {dossier_id}, sworn=True).errors)"
    )
    assert "errors: {}" in filed.stdout
    # The filed dossier's page shows the quote, its versions, and the generated quote as its devis piece.
    goto_new_tab(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/suivi")
    expect(page.locator("#devis")).to_contain_text("Devis accepté définitivement")
    expect(page.locator("#devis")).to_contain_text("Version 1")
    expect(page.locator("main")).to_contain_text("devis-")
    agent_email, agent_password, _ = create_agent(portal)
    agent_page = new_context().new_page()
    login(agent_page, portal.base_url, agent_email, agent_password, expect_path="/agent")
    goto(agent_page, f"{portal.base_url}/agent/dossiers/{dossier_id}")
    wait_hydrated(agent_page)
    history = agent_page.locator("#historique-devis")
    for line in ("Devis demandé", "Devis révisé", "Rétractation", "Acceptation définitive"):
        expect(history).to_contain_text(line)
    expect(history).to_contain_text("L'organisme de formation")
    shot(agent_page, "devis-agent")
