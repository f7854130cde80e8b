"""Démarches end to end: drafts that never lose input, steps, recap, submission, reopening."""

from __future__ import annotations

import contextlib
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    axe_check,
    create_active_user,
    goto,
    shot,
    sign_in,
    unique_email,
    unique_nir,
    viewport_name_of,
    wait_for_path,
)
from tests.support.demarche_data import VALID_SIRET, ptp_answers
from tests.support.drafts import (
    dossier,
    dossiers_of,
    expect_saved,
    open_draft,
    put_answers,
    start_demarche,
    wait_for_answer,
)

PTP_TITLE = "Projet de transition professionnelle"
NUMBER = re.compile(r"PTP-\d{4}-\d{6}")


@pytest.fixture
def signed_in(portal, page, user):
    sign_in(page, portal, user.email)
    return page


def field(page, label: str):
    return page.get_by_label(label, exact=True)


def heading(page):
    return page.locator("#titre-etape")


def fill_situation(page) -> None:
    field(page, "Raison sociale de votre employeur").fill("Boulangerie Dupain")
    field(page, "Numéro SIRET de votre établissement").fill(VALID_SIRET)
    page.get_by_role("radio", name="Contrat à durée indéterminée (CDI)").check()
    field(page, "Date d'entrée dans l'entreprise").fill("2015-09-01")
    field(page, "Ancienneté totale en tant que salarié").fill("120")
    field(page, "Poste occupé").fill("Vendeuse")
    page.get_by_role("radio", name="Temps plein").check()


def complete_draft(portal, page, user) -> int:
    """A draft with every answer, opened at its recap."""
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    put_answers(portal.db_engine(), dossier_id, ptp_answers())
    portal.python(f"from tests.support.pieces import attach_required; attach_required({user.id}, {dossier_id})")
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses avant de déposer votre dossier")
    return dossier_id


def show_steps(page) -> None:
    """On a phone the steps fold into one line: open it."""
    compact = page.locator("details.stepper__compact")
    if compact.is_visible() and compact.get_attribute("open") is None:
        compact.locator("summary").click()


# ---------------------------------------------------------------- catalogue, two steps, reload


def test_two_steps_then_reload_and_another_device_resume_with_every_value(portal, signed_in, user, new_context):
    page = signed_in
    goto(page, f"{portal.base_url}/demarches/nouvelle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Commencer une démarche")
    shot(page, "demarches-catalogue")
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)

    # Identity comes from the profile.
    expect(field(page, "Nom de naissance")).to_have_value("Martin")
    expect(field(page, "Prénom(s)")).to_have_value("Camille")
    expect(field(page, "Numéro et voie")).to_have_value("12 rue des Lilas")
    fill_situation(page)
    page.get_by_role("button", name="Continuer").click()
    expect(heading(page)).to_have_text("Votre projet")
    if viewport_name_of(page) == "phone":
        expect(page.locator("summary.stepper__summary")).to_have_text("Étape 2 sur 5 — Votre projet")

    field(page, "Métier visé").fill("Infirmière")
    field(page, "Vos motivations").fill("Prendre soin des autres.")
    expect(page.locator("#champ-motivations-compteur")).to_have_text("Il vous reste 1476 caractères.")
    expect_saved(page)
    wait_for_answer(portal.db_engine(), dossier_id, "motivations", "Prendre soin des autres.")
    shot(page, "demarches-formulaire-etape-2", full_page=False)
    axe_check(page)

    page.reload()
    expect(heading(page)).to_have_text("Votre projet")
    expect(field(page, "Métier visé")).to_have_value("Infirmière")
    expect(field(page, "Vos motivations")).to_have_value("Prendre soin des autres.")
    assert "etape=projet" in page.evaluate("location.search")

    # Another device: the draft opens at the same step with the same values.
    other = new_context().new_page()
    sign_in(other, portal, user.email)
    other.get_by_role("link", name=f"Reprendre : {PTP_TITLE}").click()
    expect(heading(other)).to_have_text("Votre projet")
    expect(field(other, "Métier visé")).to_have_value("Infirmière")
    show_steps(other)
    other.locator(".stepper__list:visible").get_by_role("button", name=re.compile("Votre situation")).click()
    expect(heading(other)).to_have_text("Votre situation et votre employeur")
    expect(field(other, "Poste occupé")).to_have_value("Vendeuse")
    expect(other.get_by_role("radio", name="Contrat à durée indéterminée (CDI)")).to_be_checked()


def test_errors_keep_every_value_and_conditional_fields_follow_the_answers(portal, signed_in):
    page = signed_in
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    quotite = field(page, "Quotité de temps partiel")
    expect(quotite).to_be_hidden()
    page.get_by_role("radio", name="Temps partiel").check()
    expect(quotite).to_be_visible()
    field(page, "Poste occupé").fill("Vendeuse")
    field(page, "Numéro SIRET de votre établissement").fill("123 456")

    page.get_by_role("button", name="Continuer").click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Le numéro SIRET doit comporter 14 chiffres.")
    expect(summary).to_contain_text("Renseignez « Quotité de temps partiel ».")
    expect(heading(page)).to_have_text("Votre situation et votre employeur")
    # Nothing typed is lost by an error.
    expect(field(page, "Poste occupé")).to_have_value("Vendeuse")
    expect(field(page, "Numéro SIRET de votre établissement")).to_have_value("123 456")
    expect(page.locator("#champ-employeur-siret-erreur")).to_contain_text("14 chiffres")
    expect(page.locator(".stepper__item--current .stepper__state").first).to_have_text("Erreurs à corriger")
    assert page.title().startswith("Erreur : ")
    shot(page, "demarches-formulaire-erreurs", full_page=False)
    axe_check(page)

    # The error summary's link leads to the field.
    summary.get_by_role("link", name="Le numéro SIRET doit comporter 14 chiffres.").click()
    expect(field(page, "Numéro SIRET de votre établissement")).to_be_focused()

    # A hidden field is neither checked nor kept in the recap.
    page.get_by_role("radio", name="Temps plein").check()
    expect(quotite).to_be_hidden()
    expect(summary).not_to_contain_text("Quotité")
    wait_for_answer(portal.db_engine(), dossier_id, "temps_travail", "plein")


# ---------------------------------------------------------------- a save answered before its commit


@contextlib.contextmanager
def database_write_held(engine):
    """Another process holds SQLite's write lock: the portal's commits wait meanwhile (its
    busy timeout is 30 s), its reads do not (WAL)."""
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.viewports("desktop")
def test_an_answer_shows_at_once_and_is_said_saved_only_once_stored(portal, signed_in):
    """A save is answered before its commit (issue 18, states/saves_behind.py): the page follows
    the answer at once, but says "Enregistré" and lets the browser forget the value only once the
    database holds it, and the tab's next event waits for that commit."""
    page = signed_in
    engine = portal.db_engine()
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    quotite = field(page, "Quotité de temps partiel")
    expect(quotite).to_be_hidden()
    pending = f"JSON.parse(localStorage.getItem('portail-brouillon-{dossier_id}') || '{{}}')"
    with database_write_held(engine):
        page.get_by_role("radio", name="Temps partiel").check()
        # The server drew the conditional field from the answer while its commit waits.
        expect(quotite).to_be_visible()
        expect(page.locator("#etat-brouillon-en-cours")).to_be_visible()
        assert page.evaluate(pending).get("temps_travail") == "partiel"
        assert dossier(engine, dossier_id).answers.get("temps_travail") != "partiel"
        # The tab's next event (Continuer checks the step) waits for the commit.
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_timeout(500)
        expect(page.locator("#resume-erreurs")).to_have_count(0)
    wait_for_answer(engine, dossier_id, "temps_travail", "partiel")
    expect(page.locator("#resume-erreurs")).to_contain_text("Renseignez « Quotité de temps partiel ».")
    expect_saved(page)
    page.wait_for_function(f"localStorage.getItem('portail-brouillon-{dossier_id}') === null")


# ---------------------------------------------------------------- backend restart


def test_a_backend_restart_while_typing_loses_nothing(portal, signed_in, user, new_context):
    page = signed_in
    engine = portal.db_engine()
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    open_draft(page, portal.base_url, dossier_id, "projet")
    metier = field(page, "Métier visé")
    metier.fill("Infirm")
    wait_for_answer(engine, dossier_id, "metier_vise", "Infirm")

    # A second browser closes its tab while the server is down: its copy waits in localStorage.
    other = new_context().new_page()
    sign_in(other, portal, user.email)
    open_draft(other, portal.base_url, dossier_id, "formation")

    def type_while_down():
        expect(page.locator(".draft-status__offline")).to_be_visible(timeout=20_000)
        expect(page.locator("#etat-brouillon")).to_contain_text("Hors connexion")
        metier.press_sequentially("ière", delay=50)
        field(page, "Vos motivations").fill("Écrit pendant la coupure.")
        expect(other.locator(".draft-status__offline")).to_be_visible(timeout=20_000)
        field(other, "Intitulé de la formation").fill("Diplôme d'État d'infirmier")
        field(other, "Nom de l'organisme de formation").click()
        other.close()

    portal.restart(while_down=type_while_down)

    wait_for_answer(engine, dossier_id, "metier_vise", "Infirmière", timeout=30)
    wait_for_answer(engine, dossier_id, "motivations", "Écrit pendant la coupure.", timeout=30)
    expect(page.locator(".draft-status__offline")).to_be_hidden(timeout=20_000)
    expect(metier).to_have_value("Infirmière")
    expect_saved(page)

    # The closed tab's value is replayed when the draft is opened again in that browser.
    reopened = other.context.new_page()
    open_draft(reopened, portal.base_url, dossier_id, "formation")
    wait_for_answer(engine, dossier_id, "formation_intitule", "Diplôme d'État d'infirmier")
    expect(field(reopened, "Intitulé de la formation")).to_have_value("Diplôme d'État d'infirmier")
    # Once saved, the copy is gone from the browser.
    reopened.wait_for_function(f"localStorage.getItem('portail-brouillon-{dossier_id}') === null")


# ---------------------------------------------------------------- two tabs


@pytest.mark.viewports("desktop")
def test_two_tabs_keep_both_answers_and_the_older_tab_is_told(portal, signed_in):
    first = signed_in
    engine = portal.db_engine()
    dossier_id = start_demarche(first, portal.base_url, PTP_TITLE)
    second = first.context.new_page()
    open_draft(second, portal.base_url, dossier_id)

    field(first, "Poste occupé").fill("Vendeuse")
    wait_for_answer(engine, dossier_id, "poste", "Vendeuse")
    field(second, "Raison sociale de votre employeur").fill("Boulangerie Dupain")
    wait_for_answer(engine, dossier_id, "employeur_nom", "Boulangerie Dupain")

    # Field by field, the last write wins: neither answer was lost.
    answers = dossier(engine, dossier_id).answers
    assert answers["poste"] == "Vendeuse" and answers["employeur_nom"] == "Boulangerie Dupain"
    warning = second.locator("#modifie-ailleurs")
    expect(warning).to_contain_text("modifié dans un autre onglet ou sur un autre appareil")
    expect(field(second, "Poste occupé")).to_have_value("")
    # "Continuer" in the older tab sends only what it changed: the other tab's answer stays.
    second.get_by_role("button", name="Continuer").click()
    expect(second.locator("#resume-erreurs")).to_be_visible()
    assert dossier(engine, dossier_id).answers["poste"] == "Vendeuse"
    second.get_by_role("button", name="Afficher les dernières valeurs").click()
    expect(field(second, "Poste occupé")).to_have_value("Vendeuse")
    expect(field(second, "Raison sociale de votre employeur")).to_have_value("Boulangerie Dupain")
    expect(warning).to_be_hidden()

    # The first tab learns it too as soon as it is used again.
    field(first, "Numéro SIRET de votre établissement").focus()
    expect(first.locator("#modifie-ailleurs")).to_be_visible()


# ---------------------------------------------------------------- recap, submission, reopening


def test_recap_modifier_comes_back_to_the_recap(portal, signed_in, user):
    page = signed_in
    dossier_id = complete_draft(portal, page, user)
    section = page.locator("#recap-formation")
    expect(section).to_contain_text("8 450,00 €")
    expect(page.locator("#recap-situation")).to_contain_text("Non renseigné")  # nom d'usage
    shot(page, "demarches-recapitulatif")
    axe_check(page)

    section.get_by_role("link", name="Modifier : La formation").click()
    expect(heading(page)).to_have_text("La formation")
    field(page, "Intitulé de la formation").fill("Diplôme d'État d'infirmier en pratique avancée")
    page.get_by_role("button", name="Enregistrer et revenir au récapitulatif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses avant de déposer votre dossier")
    expect(page.locator("#recap-formation")).to_contain_text("Diplôme d'État d'infirmier en pratique avancée")
    assert page.evaluate("location.pathname").rstrip("/").endswith(f"/demarches/dossier/{dossier_id}/recapitulatif")


def test_submit_shows_the_number_mails_locks_then_reopen_and_resubmit(portal, signed_in, user, smtp_sink):
    page = signed_in
    dossier_id = complete_draft(portal, page, user)
    since = len(smtp_sink.messages)

    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Cochez la case pour certifier sur l'honneur")
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre dossier a été déposé")
    number = page.locator("#numero-dossier").inner_text()
    assert NUMBER.fullmatch(number), number
    shot(page, "demarches-confirmation")
    axe_check(page)

    mail = smtp_sink.wait_for(user.email, number, since=since)
    text = smtp_sink.text_of(mail)
    assert f"Numéro de dossier : {number}" in text and "- Poste occupé : Vendeuse" in text

    # Filed: the form and the recap lead to the dossier page, which says how to have it reopened.
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}")
    wait_for_path(page, f"/demarches/dossier/{dossier_id}/suivi")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    expect(page.get_by_text("il n'est plus modifiable.")).to_be_visible()
    expect(page.get_by_text("Nous pourrons réouvrir votre dossier", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Modifier"))).to_have_count(0)
    expect(page.locator("input, textarea, select")).to_have_count(0)
    axe_check(page)

    # Reopened by the agency (command line until the back office exists): editable again.
    since = len(smtp_sink.messages)
    result = portal.cli("reopen-dossier", "--number", number, "--motivation", "Le devis est illisible.")
    assert "réouvert" in result.stdout
    reopened_mail = smtp_sink.wait_for(user.email, "vous pouvez le modifier", since=since)
    assert "Le devis est illisible." in smtp_sink.text_of(reopened_mail)
    open_draft(page, portal.base_url, dossier_id, "formation")
    expect(page.get_by_text("Votre dossier a été réouvert")).to_be_visible()
    field(page, "Coût pédagogique").fill("9 000")
    page.get_by_role("button", name="Continuer").click()
    expect(heading(page)).to_have_text("Rémunération et financement")
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    expect(page.locator("#recap-formation")).to_contain_text("9 000,00 €")
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.locator("#numero-dossier")).to_have_text(number)

    filed = dossier(portal.db_engine(), dossier_id)
    assert filed.status == "depose" and filed.number == number
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    wait_for_path(page, f"/demarches/dossier/{dossier_id}/suivi")
    expect(page.locator(".timeline__item")).to_have_count(4)  # created, filed, reopened, filed again


def test_another_user_cannot_open_the_draft_by_its_address(portal, signed_in, new_context):
    page = signed_in
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    field(page, "Poste occupé").fill("Vendeuse")
    wait_for_answer(portal.db_engine(), dossier_id, "poste", "Vendeuse")

    intruder = create_active_user(portal, unique_email("intrus"), nir=unique_nir())
    other = new_context().new_page()
    sign_in(other, portal, intruder.email)
    for suffix in ("", "?etape=projet", "/recapitulatif", "/confirmation"):
        goto(other, f"{portal.base_url}/demarches/dossier/{dossier_id}{suffix}")
        expect(other.get_by_role("heading", level=1)).to_have_text("Dossier introuvable")
        expect(other.get_by_text("Vendeuse")).to_have_count(0)
    assert dossiers_of(portal.db_engine(), intruder.id) == []
    assert dossier(portal.db_engine(), dossier_id).answers["poste"] == "Vendeuse"


# ---------------------------------------------------------------- Mes démarches


def test_commencer_offers_the_existing_draft_and_mes_demarches_deletes_with_confirmation(portal, signed_in, user):
    page = signed_in
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    goto(page, f"{portal.base_url}/demarches/nouvelle")
    page.get_by_role("button", name=f"Commencer : {PTP_TITLE}").click()
    offer = page.locator("#brouillon-existant")
    expect(offer).to_contain_text("Vous avez déjà commencé cette démarche")
    offer.get_by_role("link", name="Reprendre mon brouillon").click()
    expect(heading(page)).to_be_visible()
    assert page.evaluate("location.pathname").rstrip("/").endswith(f"/dossier/{dossier_id}")
    assert [d.id for d in dossiers_of(portal.db_engine(), user.id)] == [dossier_id]

    goto(page, f"{portal.base_url}/demarches")
    row = page.locator(".dossier-row", has_text=PTP_TITLE)
    expect(row).to_contain_text("Brouillon")
    shot(page, "demarches-mes-demarches")
    axe_check(page)
    row.get_by_role("button", name=re.compile("^Supprimer")).click()
    confirm = page.locator(f"#confirmer-suppression-{dossier_id}")
    expect(confirm).to_be_focused()
    confirm.get_by_role("button", name="Annuler").click()
    expect(confirm).to_be_hidden()
    row.get_by_role("button", name=re.compile("^Supprimer")).click()
    page.get_by_role("button", name="Oui, supprimer le brouillon").click()
    expect(page.locator("#message-demarches")).to_have_text("Le brouillon a été supprimé.")
    expect(page.locator(".dossier-row")).to_have_count(0)
    assert dossiers_of(portal.db_engine(), user.id) == []
