"""Mon compte → "Télécharger mes données" in Chromium, with the real worker and SMTP: the
request is confirmed on the page, the mail arrives when the zip is built, the link gives the
zip to its owner only."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.browser import axe_check, create_applicant, goto, shot, sign_in
from tests.support.dossiers import submitted_ptp_dossier


def test_owner_asks_for_the_zip_gets_the_mail_and_downloads_it(portal, page, user, smtp_sink, new_context):
    _dossier_id, number = submitted_ptp_dossier(portal, user)
    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/mon-compte")
    section = page.locator("#mes-donnees")
    expect(section.get_by_role("heading", level=2)).to_have_text("Mes données")
    since = len(smtp_sink.messages)
    section.get_by_role("button", name="Télécharger mes données").click()
    message = page.locator("#message-mes-donnees")
    expect(message).to_contain_text("Nous préparons vos données")
    expect(message).to_be_focused()
    shot(page, "mes-donnees-demande")
    axe_check(page)

    mail = smtp_sink.wait_for(user.email, "données sont prêtes", since=since, timeout=30)
    (link,) = [url for url in smtp_sink.links_in(mail) if "/_portal/mes-donnees/" in url]
    answer = page.context.request.get(link)
    assert answer.status == 200 and answer.headers["content-type"] == "application/zip"
    # Mon compte lists the ready zip too (a mail link opened after the session expired leads there).
    goto(page, f"{portal.base_url}/mon-compte")
    listed = page.locator("#mes-donnees #lien-mes-donnees")
    expect(listed).to_have_attribute("href", urlsplit(link).path)
    expect(page.locator("#mes-donnees")).to_contain_text("disponible jusqu'au")
    shot(page, "mes-donnees-pretes")
    axe_check(page)
    archive = zipfile.ZipFile(io.BytesIO(answer.body()))
    assert json.loads(archive.read("profil.json"))["email"] == user.email
    assert f"dossiers/{number}/dossier.json" in archive.namelist()

    stranger = create_applicant(portal, "export-stranger")
    other = new_context()
    other_page = other.new_page()
    sign_in(other_page, portal, stranger.email)
    assert other.request.get(link).status == 404
    goto(other_page, f"{portal.base_url}/mon-compte")
    expect(other_page.locator("#mes-donnees")).to_contain_text("Télécharger mes données")
    expect(other_page.locator("#lien-mes-donnees")).to_have_count(0)
