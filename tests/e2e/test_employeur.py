"""Employer space end to end: agency-created account, first login, règlements, documents,
and nothing of one employer reachable by another or by a beneficiary."""

from __future__ import annotations

import io
import random
import re
import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.support.browser import (
    axe_check,
    create_active_user,
    goto,
    login,
    path_of,
    shot,
    unique_email,
    wait_hydrated,
)
from tests.support.demarche_data import unique_siret
from tests.support.users import add_ready_employer

pytestmark = pytest.mark.viewports("desktop")

PASSWORD = "Menuiserie-Bois-2026!"


def ready_employer(portal, name: str = "Menuiserie Test") -> dict:
    login_id = f"emp-{uuid.uuid4().hex[:10]}"
    user, account = add_ready_employer(
        portal.db_engine(), unique_email("employeur"), login_id, password=PASSWORD, company_name=name
    )
    return {"id": user.id, "login": login_id, "siret": account.siret, "email": user.email}


HEADER = "siret;date;dossier;nom;prenom;formation;reglement;heures;debut;fin;montant"


def import_reglements(portal, tmp_path, siret: str) -> dict:
    """Five règlements over three months; numbers unique to this call."""
    base = random.randint(100_000, 899_999) * 10
    dossier_a, dossier_b = f"TP-{base}-A", f"TP-{base}-B"
    rows = [
        (
            "05/09/2019",
            dossier_a,
            "DUPONT",
            "Marie",
            "CAP Boulanger",
            base + 1,
            "151,67",
            "01/08/2019",
            "31/08/2019",
            "5 529,88",
        ),
        (
            "07/10/2019",
            dossier_a,
            "DUPONT",
            "Marie",
            "CAP Boulanger",
            base + 2,
            "151,67",
            "01/09/2019",
            "30/09/2019",
            "5 529,88",
        ),
        (
            "07/10/2019",
            dossier_b,
            "BENALI",
            "Karim",
            "BTS Comptabilité",
            base + 3,
            "140,00",
            "01/09/2019",
            "30/09/2019",
            "3 102,50",
        ),
        (
            "06/11/2019",
            dossier_a,
            "DUPONT",
            "Marie",
            "CAP Boulanger",
            base + 4,
            "151,67",
            "01/10/2019",
            "31/10/2019",
            "5 529,88",
        ),
        (
            "06/11/2019",
            dossier_b,
            "BENALI",
            "Karim",
            "BTS Comptabilité",
            base + 5,
            "140,00",
            "01/10/2019",
            "31/10/2019",
            "3 102,51",
        ),
    ]
    path = tmp_path / f"reglements-{base}.csv"
    path.write_text("\n".join([HEADER, *(";".join([siret, *map(str, row)]) for row in rows)]) + "\n", encoding="utf-8")
    result = portal.cli("import-reglements", str(path))
    assert "5 règlements importés, avec leur avis de virement." in result.stdout
    return {"numbers": [str(base + i) for i in range(1, 6)], "dossier_a": dossier_a, "dossier_b": dossier_b}


# ---------------------------------------------------------------- accounts


@pytest.mark.viewports("desktop", "phone")
def test_agency_account_first_login_personalisation_confirmation(page: Page, portal, smtp_sink, new_context):
    email = unique_email("employeur")
    siret = unique_siret()
    since = len(smtp_sink.messages)
    out = portal.cli("create-employer", "--raison-sociale", "Menuiserie Leblanc", "--siret", siret, "--email", email)
    assert "Identifiant provisoire" in out.stdout
    welcome = smtp_sink.wait_for(email, "espace employeur", since=since)
    body = smtp_sink.text_of(welcome)
    identifier = re.search(r"Identifiant provisoire : (\S+)", body)[1]
    provisional = re.search(r"Mot de passe provisoire : (\S+)", body)[1]
    assert provisional not in out.stdout  # the agency never sees it

    login(page, portal.base_url, identifier, provisional, expect_path="/employeur/personnalisation")
    expect(page.get_by_role("heading", name="Personnalisez votre accès")).to_be_visible()
    expect(page.get_by_text("8 caractères, une majuscule et un caractère spécial")).to_be_visible()
    shot(page, "employeur-personnalisation")
    axe_check(page)

    # Nothing else is reachable: pages redirect, routes refuse.
    for path in ("/employeur/documents", "/mon-compte", "/employeur"):
        goto(page, path)
        page.wait_for_url(lambda url: path_of(url) == "/employeur/personnalisation")
    assert page.request.get("/_portal/employeur/reglements.xlsx").status == 401

    new_id = f"menuiserie-{uuid.uuid4().hex[:8]}"
    page.get_by_label("Votre nouvel identifiant").fill(new_id)
    page.get_by_label("Votre nouveau mot de passe", exact=True).fill("sansmajuscule-2026!")
    expect(page.locator("#regles-mot-de-passe li", has_text="Au moins une majuscule")).not_to_have_class("ok")
    page.get_by_label("Votre nouveau mot de passe", exact=True).fill(PASSWORD)
    expect(page.locator("#regles-mot-de-passe li", has_text="Au moins une majuscule")).to_have_class("ok")
    page.get_by_label("Confirmez votre nouveau mot de passe").fill(PASSWORD)
    since = len(smtp_sink.messages)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    shot(page, "employeur-personnalisation-envoyee")

    confirm = smtp_sink.wait_for(email, "Confirmez", since=since)
    text = smtp_sink.text_of(confirm)
    assert f"Ancien identifiant : {identifier}" in text and f"Nouvel identifiant : {new_id}" in text
    link = next(url for url in smtp_sink.links_in(confirm) if "/employeur/confirmation" in url)

    # Still closed until the link is followed.
    goto(page, "/employeur")
    page.wait_for_url(lambda url: path_of(url) == "/employeur/personnalisation")

    goto(page, link)
    expect(page.get_by_role("heading", name="Confirmez l'accès à votre espace")).to_be_visible()
    shot(page, "employeur-confirmation")
    axe_check(page)
    page.get_by_label("Votre nouveau mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#champ-accept-privacy-erreur")).to_be_visible()
    page.get_by_label("J'ai lu et j'accepte la politique de confidentialité").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Votre espace est prêt")).to_be_visible()
    shot(page, "employeur-confirmation-faite")
    page.get_by_role("link", name="Accéder à mon espace personnel").click()
    page.wait_for_url(lambda url: path_of(url) == "/employeur")
    expect(page.get_by_role("heading", name="Menuiserie Leblanc")).to_be_visible()

    # Next login goes straight in; the provisional credentials are dead; the link served once.
    other = new_context().new_page()
    login(other, portal.base_url, identifier, provisional, expect_path=None)
    expect(other.locator("#message-connexion")).to_contain_text("incorrect")
    login(other, portal.base_url, new_id.upper(), PASSWORD, expect_path="/employeur")
    expect(other.get_by_role("heading", name="Menuiserie Leblanc")).to_be_visible()
    goto(other, link)
    expect(other.get_by_role("heading", name="Ce lien n'est plus valable")).to_be_visible()


def test_forgotten_password_from_the_identifier(page: Page, portal, smtp_sink):
    employer = ready_employer(portal)
    goto(page, "/mot-de-passe-oublie")
    page.get_by_label("Adresse e-mail ou identifiant").fill(employer["login"])
    since = len(smtp_sink.messages)
    page.get_by_role("button", name="Recevoir un lien").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    link = smtp_sink.links_in(smtp_sink.wait_for(employer["email"], "mot de passe", since=since))[0]
    goto(page, link)
    page.get_by_label("Votre identifiant").fill("pas-le-bon")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Nouveau-Rabot-2027!")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Nouveau-Rabot-2027!")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.locator("#champ-identifier-erreur")).to_contain_text("ne correspond pas")
    page.get_by_label("Votre identifiant").fill(employer["login"])
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", name="Votre mot de passe a été modifié")).to_be_visible()
    login(page, portal.base_url, employer["login"], "Nouveau-Rabot-2027!", expect_path="/employeur")


# ---------------------------------------------------------------- règlements


@pytest.mark.viewports("desktop", "phone")
def test_reglements_search_pointing_export(page: Page, portal, tmp_path):
    employer = ready_employer(portal, "Boulangerie Martin")
    data = import_reglements(portal, tmp_path, employer["siret"])
    login(page, portal.base_url, employer["login"], PASSWORD, expect_path="/employeur")

    summary = page.locator("#resultats-resume")
    expect(summary).to_have_text(re.compile(r"5 règlements – total 22\s794,65\s€"))
    months = page.locator("section.month h3")
    expect(months).to_have_text(["Novembre 2019", "Octobre 2019", "Septembre 2019"])
    first = page.locator("li.reglement").first
    expect(first).to_contain_text(
        f"Règlement n°{data['numbers'][4]} – 140,00 heures payées – Période du 01/10/2019 au 31/10/2019"
    )
    shot(page, "employeur-reglements")
    axe_check(page)

    # Search a period: the totals follow.
    page.get_by_label("Réglés à partir du").fill("2019-10-01")
    page.get_by_label("Réglés jusqu'au").fill("2019-10-31")
    page.get_by_role("button", name="Rechercher").click()
    expect(summary).to_have_text(re.compile(r"2 règlements – total 8\s632,38\s€"))
    expect(months).to_have_text(["Octobre 2019"])
    expect(page.locator("section.month .month__total")).to_have_text(re.compile(r"2 règlements – total 8\s632,38\s€"))

    # Export the search and read the file back.
    with page.expect_download() as info:
        page.get_by_role("link", name="Exporter (Excel)").click()
    download = info.value
    assert download.suggested_filename == "reglements_2019-10-01_au_2019-10-31.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active  # a download has no .xlsx suffix
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(row[4] for row in rows[:2]) == sorted(data["numbers"][1:3])
    assert all(isinstance(row[0], datetime) for row in rows[:2])
    assert rows[2][0] == "Total octobre 2019" and Decimal(str(rows[2][8])) == Decimal("8632.38")
    assert rows[3][0] == "Total général" and Decimal(str(rows[3][8])) == Decimal("8632.38")
    assert sheet.freeze_panes == "A2"

    # Nothing found says so.
    page.get_by_label("N° de règlement").fill("999999999")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucun règlement ne correspond à votre recherche")).to_be_visible()
    expect(summary).to_have_text("")

    # Pointer a line: saved at once, kept after a reload, filtered out by "non pointés".
    goto(page, "/employeur")
    number = data["numbers"][0]
    box = page.get_by_label(f"Pointé : règlement n°{number}")
    # A controlled checkbox: it shows the saved state once the server has answered.
    box.click()
    expect(box).to_be_checked()
    expect(page.locator("li.reglement--pointed")).to_have_count(1)
    page.reload()
    wait_hydrated(page)
    expect(page.get_by_label(f"Pointé : règlement n°{number}")).to_be_checked()
    page.get_by_label("Non pointés seulement").check()
    page.get_by_role("button", name="Rechercher").click()
    expect(summary).to_have_text(re.compile(r"^4 règlements"))
    expect(page.get_by_label(f"Pointé : règlement n°{number}")).to_have_count(0)

    # The avis de virement of a line is a PDF of the portal.
    goto(page, "/employeur")
    with page.expect_download() as info:
        page.locator("li.reglement", has_text=f"n°{number}").get_by_role(
            "link", name=re.compile("Avis de virement")
        ).click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and info.value.suggested_filename == f"avis-de-virement-{number}.pdf"


# ---------------------------------------------------------------- documents


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 0, 145)).save(buffer, "PNG")
    return buffer.getvalue()


def add_document(
    page: Page, category: str, file_name: str, *, dossier: str = "", label: str = "", period=("", "")
) -> None:
    page.get_by_role("button", name="Ajouter un fichier").click()
    page.get_by_label("Type de document").select_option(label=category)
    if dossier:
        page.get_by_label(re.compile("^Dossier concerné")).select_option(value=dossier)
    if label:
        page.get_by_label(re.compile("^Libellé")).fill(label)
    if period[0]:
        page.get_by_label(re.compile("^Du")).fill(period[0])
        page.get_by_label(re.compile("^Au")).fill(period[1])
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Étape 2 sur 2")).to_be_visible()
    if category == "Autre":
        shot(page, "employeur-documents-fichier")
        axe_check(page)
    page.locator("#ajout-fichier input[type=file]").set_input_files(
        files=[{"name": file_name, "mimeType": "image/png", "buffer": _png()}]
    )
    expect(page.locator("#ajout-confirmation")).to_contain_text("est ajouté")
    page.get_by_role("button", name="Fermer").click()


@pytest.mark.viewports("desktop", "phone")
def test_documents_upload_by_dossier_search_delete(page: Page, portal, tmp_path):
    employer = ready_employer(portal, "Garage Petit")
    data = import_reglements(portal, tmp_path, employer["siret"])
    login(page, portal.base_url, employer["login"], PASSWORD, expect_path="/employeur")
    page.get_by_role("link", name="Documents").click()
    page.wait_for_url(lambda url: path_of(url) == "/employeur/documents")
    expect(page.get_by_role("heading", name="Documents généraux")).to_be_visible()
    axe_check(page)

    # Missing fields are said before any file is asked for.
    page.get_by_role("button", name="Ajouter un fichier").click()
    page.get_by_label("Type de document").select_option(label="Attestation de salaire")
    expect(page.get_by_text("L'attestation des salaires versés")).to_be_visible()
    shot(page, "employeur-documents-ajout")
    axe_check(page)
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Choisissez le dossier")
    page.get_by_role("button", name="Annuler").first.click()

    add_document(
        page,
        "Attestation de salaire",
        "attestation.png",
        dossier=data["dossier_b"],
        label="Attestation octobre",
        period=("2019-10-01", "2019-10-31"),
    )
    add_document(page, "Autre", "kbis.png", label="Extrait Kbis 2025")

    general = page.locator("section[aria-labelledby=generaux-titre]")
    expect(general).to_contain_text("Extrait Kbis 2025")
    expect(general).not_to_contain_text("Attestation octobre")
    expect(general).not_to_contain_text("Avis de virement")
    shot(page, "employeur-documents")

    # The search by beneficiary finds the dossier; opening it lists every document filed on it.
    page.get_by_label("N° de dossier ou nom du salarié").fill("karim benali")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name=f"Voir les documents du dossier {data['dossier_b']}").click()
    opened = page.locator("section[aria-labelledby=dossier-ouvert]")
    expect(opened).to_contain_text("Attestation octobre")
    expect(opened).to_contain_text("Déposé par l'agence")  # its avis de virement
    expect(opened.locator("li.document")).to_have_count(3)
    shot(page, "employeur-documents-dossier")
    axe_check(page)

    # Download works; only what the employer filed has Modifier / Supprimer.
    item = opened.locator("li.document", has_text="Attestation octobre")
    with page.expect_download() as info:
        item.get_by_role("link", name=re.compile("Télécharger")).click()
    assert info.value.path().read_bytes().startswith(b"\x89PNG")
    agency_item = opened.locator("li.document", has_text="Avis de virement").first
    expect(agency_item.get_by_role("button", name=re.compile("Supprimer"))).to_have_count(0)

    # Edit the label, then delete with confirmation.
    item.get_by_role("button", name=re.compile("Modifier")).click()
    expect(page.get_by_role("heading", name=re.compile("^Modifier"))).to_be_visible()
    shot(page, "employeur-documents-modification")
    axe_check(page)
    page.get_by_label(re.compile("^Libellé")).fill("Attestation de salaire octobre 2019")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_text("Vos modifications sont enregistrées.")).to_be_visible()
    item = opened.locator("li.document", has_text="Attestation de salaire octobre 2019")
    item.get_by_role("button", name=re.compile("Supprimer")).click()
    expect(page.get_by_role("alertdialog")).to_contain_text("sera supprimé définitivement")
    shot(page, "employeur-documents-suppression", full_page=False)
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_text("est supprimé")).to_be_visible()
    expect(opened.locator("li.document")).to_have_count(2)


# ---------------------------------------------------------------- isolation


def test_nothing_of_one_employer_reaches_another_or_a_beneficiary(page: Page, portal, new_context, tmp_path):
    first = ready_employer(portal, "Première SARL")
    data = import_reglements(portal, tmp_path, first["siret"])
    second = ready_employer(portal, "Seconde SAS")
    from portal_app.models import EmployerDocument

    with Session(portal.db_engine()) as db:
        avis_id = db.exec(select(EmployerDocument.id).where(EmployerDocument.employer_id == first["id"])).first()
    assert avis_id

    # The second employer: no règlement, no document, no dossier of the first.
    login(page, portal.base_url, second["login"], PASSWORD, expect_path="/employeur")
    expect(page.get_by_text("Vous n'avez encore reçu aucun règlement.")).to_be_visible()
    for number in data["numbers"]:
        expect(page.get_by_text(number)).to_have_count(0)
    assert page.request.get(f"/_portal/employeur/documents/{avis_id}").status == 404
    export = page.request.get("/_portal/employeur/reglements.xlsx")
    assert export.status == 200
    sheet = load_workbook(io.BytesIO(export.body())).active
    assert sheet.max_row == 1
    goto(page, "/employeur/documents")
    page.get_by_label("N° de dossier ou nom du salarié").fill(data["dossier_a"])
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucun dossier ne correspond")).to_be_visible()

    # A beneficiary is sent home and refused by the routes.
    email = unique_email("beneficiaire")
    create_active_user(portal, email)
    beneficiary = new_context().new_page()
    login(beneficiary, portal.base_url, email, "Tournesol-2024!")
    goto(beneficiary, "/employeur")
    beneficiary.wait_for_url(lambda url: path_of(url) == "/demarches")
    goto(beneficiary, "/employeur/documents")
    beneficiary.wait_for_url(lambda url: path_of(url) == "/demarches")
    assert beneficiary.request.get(f"/_portal/employeur/documents/{avis_id}").status == 401
    assert beneficiary.request.get("/_portal/employeur/reglements.xlsx").status == 401

    # Nobody logged in: nothing either.
    anonymous = new_context().new_page()
    assert anonymous.request.get(f"{portal.base_url}/_portal/employeur/documents/{avis_id}").status == 401
    goto(anonymous, "/employeur")
    expect(anonymous).to_have_url(re.compile(r"/connexion/?\?motif=expiree"))
    expect(anonymous.get_by_text("Première SARL")).to_have_count(0)
