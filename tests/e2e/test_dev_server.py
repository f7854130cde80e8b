"""`make run` as a newcomer runs it: the development server (hot reload, two ports) in a fresh copy
of the checkout with the default ./data, mails to the outbox. Logging in with the credentials it
printed, typing a draft answer, uploading a file and receiving a mail must not restart its backend;
a change to the code (démarches) and to the assets still must."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support import corpus
from tests.support.browser import goto, login, new_context
from tests.support.devserver import DevPortalServer, checkout_copy
from tests.support.drafts import expect_saved, start_demarche, wait_for_answer

PTP_TITLE = "Projet de transition professionnelle"


@pytest.fixture(scope="module")
def dev_portal(tmp_path_factory):
    # No smtp_sink: a newcomer has no SMTP server, and the outbox is one of the folders the
    # reloader used to watch.
    server = DevPortalServer(checkout_copy(tmp_path_factory.mktemp("make-run") / "portail"))
    try:
        server.start()
        print(f"[dev server] make run answered after {server.ready_after:.0f} s")
        yield server
    finally:
        server.stop()


def printed_credentials(output: str, who: str) -> tuple[str, str]:
    found = re.search(rf"^\s*{who}\s*:\s*(\S+)\s*/\s*(\S+)\s*$", output, re.MULTILINE)
    assert found, f"make run printed no credentials for {who}:\n{output[-3000:]}"
    return found.group(1), found.group(2)


def wait_for_files(folder: Path, pattern: str, timeout: float = 20) -> list[Path]:
    deadline = time.monotonic() + timeout
    while not (found := sorted(folder.glob(pattern))):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing matches {pattern} in {folder} after {timeout:.0f} s")
        time.sleep(0.1)
    return found


@pytest.mark.viewports("desktop")
def test_make_run_keeps_its_backend_through_writes_and_reloads_on_code(dev_portal, browser, viewport_name, tmp_path):
    base, data = dev_portal.base_url, dev_portal.root / "data"
    output = dev_portal.output()
    assert f"Portail : http://localhost:{dev_portal.port}" in output
    assert f"Le backend écoute sur le port {dev_portal.backend_port}" in output
    assert "PORTAL_PORT=" in output and "PORTAL_BACKEND_PORT=" in output
    email, password = printed_credentials(output, "bénéficiaire")

    context = new_context(browser, viewport_name, base)
    try:
        page = context.new_page()
        login(page, base, email, password)
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")

        dossier_id = start_demarche(page, base, PTP_TITLE, beside_draft=True)
        page.get_by_label("Poste occupé", exact=True).fill("Vendeuse")
        expect_saved(page)
        wait_for_answer(dev_portal.db_engine(), dossier_id, "poste", "Vendeuse")

        goto(page, f"{base}/porte-documents")
        upload = tmp_path / "attestation.png"
        upload.write_bytes(corpus.png())
        page.locator("#porte-documents input[type=file]").set_input_files(upload)
        expect(page.locator("#resultat-envoi")).to_contain_text("attestation.png : ajouté à votre porte-documents.")
        expect(page.locator(".doc-table")).to_contain_text("attestation.png")
        assert [p for p in (data / "files").rglob("*") if p.is_file()]

        # A mail, written to data/outbox/ since no SMTP server is configured.
        visitor = new_context(browser, viewport_name, base).new_page()
        goto(visitor, f"{base}/mot-de-passe-oublie")
        visitor.get_by_label("Adresse e-mail ou identifiant").fill(email)
        visitor.get_by_role("button", name="Recevoir un lien").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
        visitor.context.close()
        wait_for_files(data / "outbox", "*.eml")

        # Still signed in after a full page load, the document still listed.
        goto(page, f"{base}/porte-documents")
        expect(page.locator(".doc-table")).to_contain_text("attestation.png")
    except Exception as error:
        raise AssertionError(f"{error}\nbackend restarts logged: {dev_portal.reloads()}") from error
    finally:
        context.close()
    assert (data / "portal.db-wal").exists()

    assert dev_portal.reloads() == [], "the backend restarted while the app wrote its data"

    # A change to the code and one to the assets now, together (one reload cycle, or two, both
    # waited for): the reloader reports changes in order, so any restart the writes above caused
    # is logged by the time these are, and each restart names the files behind it.
    code = dev_portal.root / "portal_app" / "demarches" / "ptp.py"
    style = dev_portal.root / "assets" / "portal.css"
    code.write_text(
        code.read_text(encoding="utf-8") + "\n# Changed by test_dev_server: the backend reloads.\n", encoding="utf-8"
    )
    style.write_text(style.read_text(encoding="utf-8") + "\n/* Changed by test_dev_server. */\n", encoding="utf-8")
    dev_portal.wait_for_reload(code)
    reloads = dev_portal.wait_for_reload(style)
    assert {path for changed in reloads for path in changed} == {str(code), str(style)}, reloads
    dev_portal.wait_until_serving()


@pytest.mark.viewports("desktop")
def test_make_run_starts_the_development_franceconnect_provider(dev_portal, browser, viewport_name):
    """A newcomer clicks the FranceConnect button, picks a demo identity and is back on the portal."""
    assert f"FranceConnect de développement : http://localhost:{dev_portal.fc_provider_port}" in dev_portal.output()
    dev_portal.wait_until_serving()  # whatever ran before may have restarted it
    context = new_context(browser, viewport_name, dev_portal.base_url)
    try:
        page = context.new_page()
        goto(page, f"{dev_portal.base_url}/connexion")
        page.get_by_role("link", name="S'identifier avec FranceConnect").click()
        page.get_by_label(re.compile("Sophie Bernard")).check()
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_url(re.compile(r"/connexion/franceconnect/?$"))
        expect(page.get_by_text("LEROY")).to_be_visible()
    finally:
        context.close()
