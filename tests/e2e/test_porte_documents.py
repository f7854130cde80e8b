"""Porte-documents in Chromium (phone and desktop) and over raw HTTP against the real server."""

from __future__ import annotations

import http.client
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.support import corpus
from tests.support.browser import axe_check, create_active_user, goto, shot, sign_in, unique_email

MIB = 1024 * 1024


@pytest.fixture
def files(tmp_path) -> Path:
    (tmp_path / "attestation.pdf").write_bytes(corpus.pdf(2))
    (tmp_path / "photo.jpg").write_bytes(corpus.jpeg(400, 300, gps=True))
    (tmp_path / "trop-gros.pdf").write_bytes(corpus.exactly(int(7.2 * MIB)))
    (tmp_path / "page-web.pdf").write_bytes(corpus.html())
    (tmp_path / "protege.pdf").write_bytes(corpus.encrypted_pdf())
    return tmp_path


def documents_of(portal, user_id: int) -> list:
    from portal_app.models import Document

    with Session(portal.db_engine()) as db:
        return list(db.exec(select(Document).where(Document.owner_id == user_id)).all())


def stored_files(portal) -> list[Path]:
    root = portal.data_dir / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def ingest_for(portal, user_id: int, name: str = "passeport.pdf") -> int:
    """A document added by the app's own code, in the served database and files directory."""
    result = portal.python(
        "from portal_app.domain.documents import wallet; from tests.support import corpus; "
        f"print(wallet.ingest({user_id}, {name!r}, corpus.pdf()).document.id)"
    )
    return int(result.stdout.strip().splitlines()[-1])


def open_porte_documents(page, portal, email: str) -> None:
    sign_in(page, portal, email)
    goto(page, f"{portal.base_url}/porte-documents")
    expect(page.get_by_role("heading", name="Porte-documents", level=1)).to_be_visible()


def results(page):
    return page.locator("#resultat-envoi")


def test_upload_valid_too_large_and_refused_files(page, portal, files, viewport_name):
    email = unique_email("docs")
    user = create_active_user(portal, email)
    open_porte_documents(page, portal, email)
    expect(page.get_by_text("Formats acceptés : PNG, JPEG, PDF. Taille maximale : 5 Mo par fichier.")).to_be_visible()
    expect(page.get_by_text("nettoyées de leurs métadonnées (localisation")).to_be_visible()
    if viewport_name == "phone":
        expect(page.get_by_role("button", name="Prendre une photo")).to_be_visible()
        assert page.locator("#porte-documents-photo input[type=file]").get_attribute("capture") == "environment"
    else:
        expect(page.get_by_role("button", name="Prendre une photo")).to_be_hidden()
    shot(page, "porte-documents-vide")
    axe_check(page)

    page.get_by_label("Catégorie des documents ajoutés").select_option(label="Justificatif de domicile")
    zone_input = page.locator("#porte-documents input[type=file]")
    zone_input.set_input_files(
        [files / "attestation.pdf", files / "photo.jpg", files / "page-web.pdf", files / "protege.pdf"]
    )
    expect(results(page)).to_contain_text("attestation.pdf : ajouté à votre porte-documents.", timeout=30_000)
    expect(results(page)).to_contain_text(
        "photo.jpg : ajouté à votre porte-documents. Photo nettoyée de ses métadonnées."
    )
    expect(results(page)).to_contain_text(
        "page-web.pdf : Ce fichier n'est pas un PDF lisible : il est peut-être endommagé. "
        "Enregistrez-le à nouveau en PDF puis réessayez."
    )
    expect(results(page)).to_contain_text(
        "protege.pdf : Ce PDF est protégé par un mot de passe : enregistrez-le sans protection puis réessayez."
    )
    listing = page.locator(".doc-table" if viewport_name == "desktop" else ".doc-cards")
    expect(listing).to_contain_text("attestation.pdf")
    expect(listing).to_contain_text("Justificatif de domicile")
    expect(listing.locator("img.doc-thumb")).to_have_count(1)

    # Refused in the browser at once, with the same words the server would use.
    zone_input.set_input_files([files / "trop-gros.pdf"])
    expect(results(page)).to_contain_text("trop-gros.pdf : Fichier trop volumineux (7,2 Mo) : 5 Mo maximum.")
    expect(page.locator(".upload-zone__status")).to_have_count(0)
    shot(page, "porte-documents-envois")
    axe_check(page)

    stored = documents_of(portal, user.id)
    assert sorted(d.name for d in stored) == ["attestation.pdf", "photo.jpg"]
    assert {d.category for d in stored} == {"domicile"}
    photo = next(d for d in stored if d.kind == "jpeg")
    clean = (portal.data_dir / "files" / photo.stored_name[:2] / photo.stored_name).read_bytes()
    assert b"PhoneMaker" not in clean and b"Exif" not in clean


@pytest.mark.viewports("phone")
def test_chosen_files_result_comes_into_view_and_is_announced(page, portal, files):
    """On a phone the result appears below the screen: it is brought into view, in a status
    region that was already in the page (so screen readers announce it), with focus."""
    email = unique_email("docs")
    create_active_user(portal, email)
    open_porte_documents(page, portal, email)
    region = results(page)
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_text("")
    chooser_button = page.get_by_role("button", name="Choisir des fichiers")
    # The button at the very bottom of the screen, the result's place out of sight.
    chooser_button.evaluate("(b) => b.scrollIntoView({block: 'end'})")
    assert region.evaluate("(r) => r.getBoundingClientRect().top") > page.viewport_size["height"] - 5

    with page.expect_file_chooser() as chooser:
        chooser_button.click()
    chooser.value.set_files([files / "attestation.pdf", files / "page-web.pdf"])
    expect(region).to_contain_text("attestation.pdf : ajouté à votre porte-documents.", timeout=30_000)
    expect(region).to_contain_text("page-web.pdf : Ce fichier n'est pas un PDF lisible")
    expect(region).to_be_focused()
    expect(region).to_be_in_viewport()
    box = region.evaluate("(r) => { const b = r.getBoundingClientRect(); return [b.top, b.bottom]; }")
    assert box[0] >= 0 and box[1] <= page.viewport_size["height"] + 1, box  # + subpixel rounding
    shot(page, "porte-documents-resultat", full_page=False)


def test_rename_recategorise_download_and_delete(page, portal, viewport_name):
    email = unique_email("docs")
    user = create_active_user(portal, email)
    document_id = ingest_for(portal, user.id, "releve.pdf")
    open_porte_documents(page, portal, email)

    page.get_by_role("button", name="Modifier releve.pdf").locator("visible=true").click()
    name_field = page.get_by_label("Nom du document")
    expect(name_field).to_be_focused()
    name_field.fill("RIB été 2026")
    page.get_by_label("Catégorie", exact=True).select_option(label="RIB")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos modifications sont enregistrées.")).to_be_visible()
    expect(page.get_by_role("button", name="Modifier RIB été 2026.pdf").locator("visible=true")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger RIB été 2026.pdf").locator("visible=true").click()
    download = download_info.value
    assert download.suggested_filename == "RIB été 2026.pdf"
    assert Path(download.path()).read_bytes() == corpus.pdf()
    response = page.request.get(f"{portal.base_url}/_portal/documents/{document_id}")
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"

    page.get_by_role("button", name="Supprimer RIB été 2026.pdf").locator("visible=true").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_focused()
    expect(dialog).to_contain_text("Cette action est définitive.")
    shot(page, "porte-documents-suppression")
    axe_check(page)
    dialog.get_by_role("button", name="Oui, supprimer").click()
    expect(page.get_by_text("« RIB été 2026.pdf » est supprimé.")).to_be_visible()
    expect(page.get_by_text("Votre porte-documents est vide pour l'instant.")).to_be_visible()
    assert documents_of(portal, user.id) == []


@pytest.mark.viewports("desktop")
def test_second_user_cannot_reach_the_first_users_document(page, portal):
    alice = create_active_user(portal, unique_email("alice"))
    document_id = ingest_for(portal, alice.id)
    bob_email = unique_email("bob")
    create_active_user(portal, bob_email)
    open_porte_documents(page, portal, bob_email)
    expect(page.get_by_text("Votre porte-documents est vide pour l'instant.")).to_be_visible()
    for path in (f"/_portal/documents/{document_id}", f"/_portal/documents/{document_id}/apercu"):
        response = page.request.get(portal.base_url + path)
        assert response.status == 404, path
    # Without any session the route sends to the login page, never the file.
    anonymous = httpx.get(f"{portal.base_url}/_portal/documents/{document_id}", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/connexion")
    assert len(documents_of(portal, alice.id)) == 1


# ---------------------------------------------------------------- raw HTTP


def upload_handler_name() -> str:
    from portal_app.states.documents import DocumentsState

    return f"{DocumentsState.get_full_name()}.upload"


def test_50_mb_announced_is_refused_before_its_body_is_read(portal):
    connection = http.client.HTTPConnection("localhost", portal.port, timeout=10)
    connection.putrequest("POST", "/_upload")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(50 * MIB))
    connection.putheader("Reflex-Client-Token", str(uuid.uuid4()))
    connection.putheader("Reflex-Event-Handler", upload_handler_name())
    connection.endheaders()  # and not one byte of the body
    response = connection.getresponse()
    assert response.status == 413
    assert "5 Mo au plus par fichier" in response.read().decode()
    connection.close()
    assert httpx.get(f"{portal.base_url}/ping").status_code == 200


def signed_in_tab(page, portal) -> dict[str, str]:
    """The upload headers of a real signed-in tab: its client token and its session cookie
    (/_upload refuses any other pair before reading the body)."""
    email = unique_email("tab")
    create_active_user(portal, email)
    open_porte_documents(page, portal, email)
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    cookie = next(c for c in page.context.cookies() if c["name"] == "portal_session")
    return {"Reflex-Client-Token": token, "Cookie": f"portal_session={cookie['value']}"}


@pytest.mark.viewports("desktop")
def test_50_mb_streamed_without_length_is_cut(page, portal):
    tab = signed_in_tab(page, portal)
    sent = 0

    def body():
        nonlocal sent
        yield b'--x\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        chunk = b"0" * MIB
        for _ in range(50):
            sent += len(chunk)
            yield chunk

    headers = {
        "Content-Type": "multipart/form-data; boundary=x",
        **tab,
        "Reflex-Event-Handler": upload_handler_name(),
    }
    try:
        response = httpx.post(f"{portal.base_url}/_upload", content=body(), headers=headers, timeout=30)
        assert response.status_code == 413
    except httpx.HTTPError:
        pass  # the server may close the connection while we are still sending: also a refusal
    assert httpx.get(f"{portal.base_url}/ping").status_code == 200


def count_documents(portal) -> int:
    from portal_app.models import Document

    with Session(portal.db_engine()) as db:
        return len(db.exec(select(Document.id)).all())


def test_made_up_client_token_stores_nothing(portal):
    before = (len(stored_files(portal)), count_documents(portal))
    response = httpx.post(
        f"{portal.base_url}/_upload",
        files={"files": ("releve.pdf", corpus.pdf(), "application/pdf")},
        headers={"Reflex-Client-Token": str(uuid.uuid4()), "Reflex-Event-Handler": upload_handler_name()},
        timeout=30,
    )
    # No tab was made under this (absent) session: refused before the body is read.
    assert response.status_code == 403 and "Envoi refusé" in response.text
    assert "releve.pdf" not in response.text
    assert (len(stored_files(portal)), count_documents(portal)) == before


def test_reflex_public_upload_directory_is_closed(portal):
    response = httpx.get(f"{portal.base_url}/_upload/anything.pdf")
    assert response.status_code == 404
