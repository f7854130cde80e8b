"""Filing without an account, in Chromium with the real worker and SMTP: from the home page,
an address and the code it receives, a draft saved as it is typed and resumed from the mailed
link in another browser, filing, /suivi with the address and the number, the agent's list; a
wrong code five times; the guest dossiers attached to an account created later."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import text

from tests.support.browser import (
    axe_check,
    create_active_user,
    expect_page,
    goto,
    link_in,
    shot,
    sign_in,
    solve_altcha,
    unique_email,
    wait_for_path,
)
from tests.support.dossiers import create_agent

ATT_TITLE = "Demande d'attestation"
START = "/demarches/sans-compte/demande-attestation"


def ask_code(page, base: str, email: str, smtp_sink) -> str:
    """From the home page to the code page; the code read from the mail it sent."""
    since = len(smtp_sink.messages)
    goto(page, base)
    page.get_by_role("link", name=ATT_TITLE).click()
    expect_page(page, "Faire une démarche sans compte — Portail", "Faire une démarche sans compte")
    expect(page.locator("main")).to_contain_text(f"« {ATT_TITLE} »")
    page.get_by_label("Adresse e-mail").fill(email)
    solve_altcha(page)
    page.get_by_role("button", name="Recevoir un code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisissez le code reçu")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.locator("main")).to_contain_text(email)
    mail = smtp_sink.wait_for(email, "code", since=since)
    return re.search(r"\b(\d{6})\b", str(mail["Subject"])).group(1)


def type_code(page, code: str) -> None:
    page.get_by_label("Code reçu par e-mail").fill(code)
    page.get_by_role("button", name="Valider le code").click()


def first_step(page) -> int:
    expect(page.locator("#titre-etape")).to_have_text("Votre demande")
    page.get_by_role("radio", name="Attestation de prise en charge de votre formation").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#titre-etape")).to_have_text("Réception de l'attestation")
    return int(page.evaluate("location.pathname").rstrip("/").rsplit("/", 1)[1])


def file_reception_step(page, email: str) -> str:
    page.get_by_role("radio", name="Par e-mail").check()
    expect(page.get_by_label("Adresse e-mail", exact=True)).to_have_value(email)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre dossier a été déposé")
    return page.locator("#numero-dossier").inner_text()


def test_guest_from_code_to_filing_resumed_elsewhere_then_suivi(portal, page, smtp_sink, new_context):
    base = portal.base_url
    email = unique_email("invite")
    goto(page, f"{base}{START}")
    expect(page.locator("altcha-widget")).to_be_visible()
    shot(page, "sans-compte-adresse")
    axe_check(page)
    code = ask_code(page, base, email, smtp_sink)
    shot(page, "sans-compte-code")
    axe_check(page)
    since = len(smtp_sink.messages)
    type_code(page, code)
    dossier_id = first_step(page)
    shot(page, "sans-compte-brouillon")
    axe_check(page)
    # No account: the header offers to sign in, the draft is the guest's.
    expect(page.locator("header")).to_contain_text("Se connecter")

    # The resume link mailed with the new draft opens it in another browser, where it was left.
    resume = smtp_sink.wait_for(email, "Reprendre", since=since)
    other = new_context().new_page()
    other.goto(link_in(resume, base, "/_portal/sans-compte/ouvrir"))
    wait_for_path(other, f"/demarches/dossier/{dossier_id}")
    expect(other.locator("#titre-etape")).to_have_text("Réception de l'attestation")

    # The first browser's session ends (2 hours): back to the code page of the démarche, told why.
    with portal.db_engine().begin() as db:
        db.execute(
            text(
                "UPDATE one_time_tokens SET expires_at = '2000-01-01 00:00:00' WHERE id = (SELECT min(id) "
                "FROM one_time_tokens WHERE purpose = 'guest_session' AND payload = "
                "(SELECT CAST(id AS TEXT) FROM guests WHERE email = :email))"
            ),
            {"email": email},
        )
    goto(page, f"{base}/demarches/dossier/{dossier_id}")
    wait_for_path(page, START)
    expect(page.locator("main")).to_contain_text("Votre session sans compte a pris fin")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    shot(page, "sans-compte-session-terminee")
    since = len(smtp_sink.messages)
    number = file_reception_step(other, email)
    expect(other.locator("main")).to_contain_text("Suivre une demande")
    shot(other, "sans-compte-depose")
    axe_check(other)

    # The acknowledgement with its receipt, pointing to /suivi.
    acknowledgement = smtp_sink.wait_for(email, number, since=since)
    (receipt,) = list(acknowledgement.iter_attachments())
    assert receipt.get_filename() == f"attestation-de-depot-{number}-v1.pdf"
    assert f"{base}/suivi" in smtp_sink.text_of(acknowledgement)

    # /suivi with the address and the number, in a browser that never saw the code.
    visitor = new_context().new_page()
    goto(visitor, f"{base}/suivi")
    visitor.get_by_label("Adresse e-mail").fill(email)
    visitor.get_by_label("Numéro du dossier").fill(number)
    solve_altcha(visitor)
    visitor.get_by_role("button", name="Voir le suivi").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Suivi de votre demande")
    expect(visitor.locator("#etat-dossier")).to_contain_text("Déposé")
    shot(visitor, "sans-compte-suivi")

    # A link that no longer works says so, on the page that gets a new code.
    goto(visitor, f"{base}/_portal/sans-compte/ouvrir?jeton=perime&demarche=demande-attestation")
    wait_for_path(visitor, START)
    expect(visitor.locator("main")).to_contain_text("Ce lien ne fonctionne plus")

    # The agency sees it in its list, under the guest's address.
    agent_email, agent_password, _ = create_agent(portal)
    agent_page = new_context().new_page()
    sign_in(agent_page, portal, agent_email)
    row = agent_page.locator("tr", has_text=number)
    expect(row).to_contain_text(f"{email} (sans compte)")
    agent_page.get_by_role("link", name=number).click()
    expect(agent_page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
    expect(agent_page.locator("main")).to_contain_text(f"Sans compte — {email}")
    shot(agent_page, "sans-compte-agent")


def test_five_wrong_codes_are_refused_with_a_clear_message(portal, page, smtp_sink):
    email = unique_email("invite-faux")
    code = ask_code(page, portal.base_url, email, smtp_sink)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    summary = page.locator("#resume-erreurs")
    for left in ("4 essais", "3 essais", "2 essais", "1 essai"):
        type_code(page, wrong)
        expect(summary).to_contain_text(
            f"Ce code n'est pas le bon. Vérifiez le dernier code reçu par e-mail. Il vous reste {left}."
        )
    type_code(page, wrong)
    expect(summary).to_contain_text("Vous avez saisi 5 codes erronés : ce code n'est plus valable.")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Erreur : "))
    shot(page, "sans-compte-code-refuse")
    axe_check(page)
    type_code(page, code)  # even the right one now
    expect(summary).to_contain_text("Demandez un nouveau code pour continuer.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisissez le code reçu")
    page.get_by_role("button", name="Demander un nouveau code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire une démarche sans compte")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(email)


def test_an_account_created_later_attaches_the_guest_dossiers(portal, page, smtp_sink, new_context):
    base = portal.base_url
    email = unique_email("invite-compte")
    type_code(page, ask_code(page, base, email, smtp_sink))
    first_step(page)
    number = file_reception_step(page, email)

    create_active_user(portal, email)
    holder = new_context().new_page()
    sign_in(holder, portal, email)
    goto(holder, f"{base}/demarches")
    offer = holder.locator("section", has_text="Vos démarches faites sans compte")
    expect(offer).to_contain_text(f"{ATT_TITLE}, {number}")
    shot(holder, "sans-compte-rattacher")
    axe_check(holder)
    offer.get_by_role("button", name="Rattacher ces dossiers à mon compte").click()
    expect(holder.locator("#rattachement")).to_have_text("1 dossier rattaché à votre compte.")
    expect(holder.locator("#rattachement")).to_be_focused()
    expect(holder.locator("tr", has_text=number)).to_contain_text(ATT_TITLE)
    expect(offer).to_have_count(0)
    holder.locator("tr", has_text=number).get_by_role("link").first.click()
    expect(holder.get_by_role("heading", level=1)).to_have_text(f"Dossier {number}")
