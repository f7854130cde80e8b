"""Pièces justificatives of a PTP draft in Chromium (phone and desktop): picked from the
porte-documents or uploaded from the step, listed in the recap, frozen at submission."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support import corpus
from tests.support.browser import (
    axe_check,
    create_active_user,
    goto,
    shot,
    sign_in,
    unique_email,
    unique_nir,
)
from tests.support.demarche_data import ptp_answers
from tests.support.drafts import PTP, dossier, open_draft, put_answers

PTP_TITLE = "Projet de transition professionnelle"
PICKED = {
    "identite": "Une pièce d'identité en cours de validité",
    "bulletins": "Vos trois derniers bulletins de salaire",
    "devis": "Le devis de l'organisme de formation",
    "programme": "Le programme détaillé de la formation",
}
UPLOADED = ("rib", "Un relevé d'identité bancaire (RIB)")


def new_draft(portal, user) -> int:
    result = portal.python(
        f"from portal_app.domain.dossiers import drafts; print(drafts.create_draft({user.id}, {PTP!r}).id)"
    )
    dossier_id = int(result.stdout.strip().splitlines()[-1])
    # Permanent contract, no absence request yet, no job survey: five pieces are asked.
    put_answers(
        portal.db_engine(),
        dossier_id,
        {**ptp_answers(), "contrat": "cdi", "autorisation_absence": "non", "enquete_metier": "non"},
    )
    return dossier_id


UPLOADED_SIZE = "551 octets"  # corpus.pdf(2), the file uploaded to the porte-documents


def pick(page, label: str, name: str, size: str = UPLOADED_SIZE) -> None:
    select = page.get_by_label(f"Choisir dans mon porte-documents : {label}")
    select.select_option(value=select.locator("option", has_text=name).filter(has_text=size).get_attribute("value"))


def piece(page, code: str):
    return page.locator(f"#piece-{code}")


def stepper_state(page):
    """The pieces step in the stepper's full list (drawn on every viewport, shown on a desktop)."""
    return page.locator(".stepper__list--full .stepper__item", has_text="Pièces justificatives").locator(
        ".stepper__state"
    )


def test_attach_from_the_porte_documents_and_upload_then_submit(page, portal, user, tmp_path, viewport_name):
    (tmp_path / "justificatifs.pdf").write_bytes(corpus.pdf(2))
    (tmp_path / "rib.pdf").write_bytes(corpus.pdf(1))
    sign_in(page, portal, user.email)

    # A document in the porte-documents first.
    goto(page, f"{portal.base_url}/porte-documents")
    page.locator("#porte-documents input[type=file]").set_input_files([tmp_path / "justificatifs.pdf"])
    expect(page.locator("#resultat-envoi")).to_contain_text("justificatifs.pdf : ajouté", timeout=30_000)
    # Another file of the same name, bigger, filed later.
    portal.python(
        "from tests.support.corpus import pdf; from tests.support.pieces import store_pdf; "
        f"store_pdf({user.id}, 'justificatifs.pdf', pdf(6))"
    )

    dossier_id = new_draft(portal, user)
    open_draft(page, portal.base_url, dossier_id, "pieces")
    expect(page.locator("#titre-etape")).to_have_text("Pièces justificatives")
    expect(page.locator(".piece")).to_have_count(5)
    expect(page.locator(".piece .tag--orange")).to_have_count(5)
    # Every row has its own two controls, each with a name saying which piece it is for.
    for code, label in {**PICKED, UPLOADED[0]: UPLOADED[1]}.items():
        row = piece(page, code)
        expect(row.get_by_label(f"Choisir dans mon porte-documents : {label}")).to_be_visible()
        expect(row.get_by_role("button", name=f"Téléverser un fichier : {label}")).to_be_visible()
        expect(row).to_contain_text("Formats acceptés : PNG, JPEG, PDF. Taille maximale : 5 Mo par fichier.")

    # The two files of the same name are told apart by their size and date.
    options = page.get_by_label(f"Choisir dans mon porte-documents : {PICKED['identite']}").locator(
        "option", has_text="justificatifs.pdf"
    )
    expect(options).to_have_count(2)
    texts = options.all_inner_texts()
    assert texts[0] != texts[1], texts
    for text in texts:
        assert re.search(r"\d+(,\d)? (octets|Ko|Mo), ajouté le \d{1,2}(er)? \w+ 20\d\d à \d{1,2} h \d\d\)$", text), text
    shot(page, "pieces-etape-vide")
    axe_check(page)

    # Continuer with pieces missing: the recap says so, and the stepper shows the step unfinished.
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses avant de déposer votre dossier")
    open_draft(page, portal.base_url, dossier_id, "pieces")
    expect(stepper_state(page)).to_have_text("Erreurs à corriger")

    for code, label in PICKED.items():
        pick(page, label, "justificatifs.pdf")
        page.get_by_role("button", name=f"Joindre : {label}").click()
        expect(piece(page, code)).to_contain_text("Ajouté")
        expect(piece(page, code)).to_contain_text("justificatifs.pdf")
        expect(piece(page, code)).to_contain_text("ajouté le ")

    # Joindre with nothing chosen says what to do.
    code, label = UPLOADED
    page.get_by_role("button", name=f"Joindre : {label}").click()
    expect(piece(page, code)).to_contain_text("Choisissez un document dans la liste")

    # A file of the wrong kind: refused under that piece only.
    (tmp_path / "notes.txt").write_text("pas un PDF")
    piece(page, code).locator("input[type=file]").set_input_files([tmp_path / "notes.txt"])
    expect(piece(page, code).get_by_role("alert")).to_have_text(re.compile(r"^notes\.txt : Format non accepté"))
    expect(page.locator(".piece [role=alert]")).to_have_count(1)

    # The last piece uploaded on its own row: attached to that piece, filed in the porte-documents.
    piece(page, code).locator("input[type=file]").set_input_files([tmp_path / "rib.pdf"])
    expect(piece(page, code)).to_contain_text("rib.pdf", timeout=30_000)
    expect(piece(page, code)).to_contain_text("Ajouté")
    expect(page.locator(".piece .tag--orange")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="est joint et rangé dans votre porte-documents")).to_be_visible()
    # Nothing missing: the stepper follows at once.
    expect(stepper_state(page)).to_have_text("Complété")
    for other in PICKED:
        expect(piece(page, other)).not_to_contain_text("rib.pdf")

    # Retirer makes it missing again (and the step unfinished); the list brings it back.
    page.get_by_role("button", name=f"Retirer : {PICKED['identite']}").click()
    expect(piece(page, "identite")).to_contain_text("Manquant")
    expect(stepper_state(page)).to_have_text("Erreurs à corriger")
    pick(page, PICKED["identite"], "justificatifs.pdf")
    page.get_by_role("button", name=f"Joindre : {PICKED['identite']}").click()
    expect(piece(page, "identite")).to_contain_text("Ajouté")
    expect(stepper_state(page)).to_have_text("Complété")
    shot(page, "pieces-etape-complete")
    axe_check(page)

    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses avant de déposer votre dossier")
    listed = page.locator("#recap-pieces")
    expect(listed.locator("li")).to_have_count(5)
    expect(listed).to_contain_text("justificatifs.pdf")
    expect(listed).to_contain_text("rib.pdf")
    expect(listed.locator(".tag--orange")).to_have_count(0)
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre dossier a été déposé")
    number = dossier(portal.db_engine(), dossier_id).number
    assert number

    # Deleted from the porte-documents afterwards: the filed dossier keeps its copy.
    goto(page, f"{portal.base_url}/porte-documents")
    # The tab's earlier visit left a list of one document: wait for the fresh one before clicking.
    expect(page.get_by_text("(3 documents sur 200 au plus)")).to_be_visible()
    page.locator("tr, .doc-card", has_text=UPLOADED_SIZE).get_by_role(
        "button", name="Supprimer justificatifs.pdf"
    ).locator("visible=true").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Oui, supprimer").click()
    expect(page.get_by_text("« justificatifs.pdf » est supprimé.")).to_be_visible()

    # The recap of a filed dossier is its dossier page, which lists the filed copies.
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    listed = page.locator("#documents").locator("..")
    expect(listed.get_by_role("link", name=re.compile("Télécharger justificatifs.pdf"))).to_have_count(4)
    shot(page, "pieces-dossier-depose")
    axe_check(page)
    with page.expect_download() as download_info:
        listed.get_by_role("link", name=re.compile("Télécharger justificatifs.pdf")).first.click()
    assert download_info.value.suggested_filename == "justificatifs.pdf"
    response = page.request.get(f"{portal.base_url}/_portal/dossiers/{dossier_id}/pieces/devis")
    assert response.status == 200 and response.body() == corpus.pdf(2)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"


@pytest.mark.viewports("desktop")
def test_another_user_gets_nothing_by_id(page, portal, user, new_context):
    """The second user's session: neither the first user's frozen piece nor their draft's step."""
    dossier_id = new_draft(portal, user)
    portal.python(f"from tests.support.pieces import attach_required; attach_required({user.id}, {dossier_id})")
    portal.python(
        f"from portal_app.domain.dossiers import filing; assert filing.submit({user.id}, {dossier_id}, True).ok"
    )
    intruder = create_active_user(portal, unique_email("intrus"), nir=unique_nir())
    sign_in(page, portal, intruder.email)
    refused = page.request.get(f"{portal.base_url}/_portal/dossiers/{dossier_id}/pieces/rib")
    assert refused.status == 404 and refused.text() == "Document introuvable."
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}?etape=pieces")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier introuvable")
    expect(page.locator(".piece")).to_have_count(0)


@pytest.mark.viewports("phone")
def test_every_piece_label_reads_in_full_on_a_phone(page, portal, user):
    """390 px: each piece's title, hint, state and control labels wrap; none is clipped."""
    dossier_id = new_draft(portal, user)
    portal.python(
        "from tests.support.pieces import store_pdf; from portal_app.domain.dossiers import pieces; "
        f"d = store_pdf({user.id}, 'bulletin-de-salaire-de-janvier-fevrier-et-mars-2026-tres-long-nom.pdf'); "
        f"assert pieces.attach({user.id}, {dossier_id}, 'bulletins', d) is None"
    )
    sign_in(page, portal, user.email)
    open_draft(page, portal.base_url, dossier_id, "pieces")
    expect(page.locator(".piece")).to_have_count(5)
    expect(piece(page, "bulletins")).to_contain_text("tres-long-nom.pdf")
    clipped = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            const texts = document.querySelectorAll(
                '.pieces-step .piece__title, .pieces-step .field__hint, .pieces-step .piece__state, '
                + '.pieces-step .field__label, .pieces-step .piece__or, .pieces-step button');
            for (const el of texts) {
                const style = getComputedStyle(el);
                const box = el.getBoundingClientRect();
                if (el.scrollWidth > el.clientWidth + 1 || style.textOverflow === 'ellipsis'
                    || box.right > width + 0.5 || box.left < -0.5) {
                    out.push(`${el.className}: ${el.textContent.trim()}`);
                }
            }
            // The dropzones' file inputs (1 px, hidden from everyone) get an ellipsis from Chromium.
            for (const el of document.querySelectorAll('.pieces-step *:not(input[type=file])')) {
                if (getComputedStyle(el).textOverflow === 'ellipsis') {
                    out.push(`ellipsis on ${el.tagName} ${el.className}`);
                }
            }
            return out;
        }"""
    )
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "pieces-etape-telephone")
