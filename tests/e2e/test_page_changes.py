"""Every page change, whatever brings it (a link, a full load, a form that leads on, a screen
that replaces another): the tab's title names the very page and focus is on its <h1>.
Also the 404 page, the phone menu, the draft's sticky bar and the alignment with the header."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    DEFAULT_PASSWORD,
    axe_check,
    create_active_user,
    expect_page,
    expect_signed_in_as,
    goto,
    login,
    open_account_menu,
    shot,
    submit_login,
    unique_email,
    wait_for_path,
)
from tests.support.dossiers import complete_ptp_draft, create_agent, submitted_ptp_dossier
from tests.support.drafts import expect_saved, open_draft, wait_for_answer

PTP_TITLE = "Projet de transition professionnelle"
NUMBER = r"PTP-\d{4}-\d{6}"


def header_link(page: Page, name: str):
    """A link of the header menu (opened first on a phone)."""
    open_account_menu(page)
    return page.locator("header").get_by_role("link", name=name, exact=True).locator("visible=true")


# ---------------------------------------------------------------- public pages


def test_public_pages_by_load_and_by_link(portal, page):
    goto(page, f"{portal.base_url}/connexion")
    expect_page(page, "Se connecter — Portail", "Se connecter")

    # Client-side navigation (Reflex's router): same result as a full load.
    page.locator("footer").get_by_role("link", name="Mentions légales").click()
    wait_for_path(page, "/mentions-legales")
    expect_page(page, "Mentions légales — Portail", "Mentions légales")

    header_link(page, "Créer un compte").click()
    wait_for_path(page, "/inscription")
    expect_page(page, "Créer un compte — Portail", "Créer votre compte")
    # The phone menu closed itself when its link was chosen.
    expect(page.locator("header details.nav__details")).not_to_have_attribute("open", "")

    goto(page, f"{portal.base_url}/suivi")
    expect_page(page, "Suivre une demande — Portail", "Suivre une demande")


def test_a_page_is_served_at_its_own_address_and_its_skip_link_stays_on_it(portal, page):
    # No 307 to /connexion/ (api/page_paths.py); the page was prerendered for /connexion/, and
    # the skip link, a plain <a> (components/anchors.py), still points into this very page.
    for path in ("/connexion", "/connexion/"):
        response = page.goto(f"{portal.base_url}{path}")
        assert response is not None and response.status == 200 and response.request.redirected_from is None
        expect_page(page, "Se connecter — Portail", "Se connecter")
        skip = page.get_by_role("link", name="Aller au contenu")
        expect(skip).to_have_attribute("href", "#contenu")
        skip.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#contenu")).to_be_focused()
        assert page.url == f"{portal.base_url}{path}#contenu"
        axe_check(page)


def test_form_errors_are_in_the_title(portal, page):
    goto(page, f"{portal.base_url}/connexion")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#resume-erreurs")).to_be_focused()
    expect(page).to_have_title("Erreur : Se connecter — Portail")


# ---------------------------------------------------------------- 404


def test_unknown_address_is_a_french_404_page(portal, page):
    response = page.goto(f"{portal.base_url}/cette-page/nexiste-pas")
    assert response is not None and response.status == 404
    expect_page(page, "Page introuvable — Portail", "Page introuvable")
    expect(page.get_by_text("404: Page not found")).to_have_count(0)
    expect(page.locator("header .brand")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("Mentions légales")
    main = page.locator("main")
    expect(main.get_by_role("link", name="Accueil du Portail")).to_have_attribute("href", "/")
    expect(main.get_by_role("link", name="Mes démarches")).to_have_attribute("href", "/demarches")
    shot(page, "page-introuvable")
    axe_check(page)

    main.get_by_role("link", name="Accueil du Portail").click()
    wait_for_path(page, "/")
    expect_page(page, "Portail — votre espace personnel", "Votre espace personnel")


# ---------------------------------------------------------------- beneficiary journey


def test_beneficiary_pages_from_login_to_filed_dossier(portal, page):
    email = unique_email("pages")
    user = create_active_user(portal, email)
    draft_id = complete_ptp_draft(portal, user)

    goto(page, f"{portal.base_url}/connexion")
    submit_login(page, email, DEFAULT_PASSWORD)
    wait_for_path(page, "/demarches")
    expect_page(page, "Mes démarches — Portail", "Mes démarches")

    page.get_by_role("link", name="Commencer une démarche").click()
    wait_for_path(page, "/demarches/nouvelle")
    expect_page(page, "Commencer une démarche — Portail", "Commencer une démarche")

    open_draft(page, portal.base_url, draft_id)
    expect_page(
        page,
        f"Étape 1 sur 5 : Votre situation et votre employeur — {PTP_TITLE} — Portail",
        "Votre situation et votre employeur",
    )
    page.get_by_role("button", name="Continuer", exact=True).click()
    expect_page(page, f"Étape 2 sur 5 : Votre projet — {PTP_TITLE} — Portail", "Votre projet")

    page.get_by_role("link", name="Voir le récapitulatif").click()
    wait_for_path(page, f"/demarches/dossier/{draft_id}/recapitulatif")
    expect_page(
        page, f"Vérifiez vos réponses — {PTP_TITLE} — Portail", "Vérifiez vos réponses avant de déposer votre dossier"
    )

    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    wait_for_path(page, f"/demarches/dossier/{draft_id}/confirmation")
    number = page.locator("#numero-dossier")
    expect(number).to_have_text(re.compile(NUMBER))
    expect_page(page, f"Dossier {number.inner_text()} déposé — Portail", "Votre dossier a été déposé")
    filed = number.inner_text()

    goto(page, f"{portal.base_url}/demarches/dossier/{draft_id}/suivi")
    expect_page(page, f"Dossier {filed} — Portail", f"Dossier {filed}")

    header_link(page, "Porte-documents").click()
    wait_for_path(page, "/porte-documents")
    expect_page(page, "Porte-documents — Portail", "Porte-documents")

    header_link(page, "Mon compte").click()
    wait_for_path(page, "/mon-compte")
    expect_page(page, "Mon compte — Portail", "Mon compte")

    page.locator("#cloche").click()
    wait_for_path(page, "/notifications")
    expect_page(page, "Notifications — Portail", "Notifications")


def test_focus_is_never_taken_from_a_field_being_typed_in(portal, page):
    """Server answers that arrive while the user types (the draft saved, the form redrawn
    around the field) leave focus in the field."""
    email = unique_email("saisie")
    user = create_active_user(portal, email)
    draft_id = complete_ptp_draft(portal, user)
    login(page, portal.base_url, email, DEFAULT_PASSWORD)
    open_draft(page, portal.base_url, draft_id, "projet")
    expect_page(page, re.compile("^Étape 2 sur 5 : Votre projet"), "Votre projet")
    field = page.get_by_label("Métier visé")
    field.click()
    field.press("End")
    field.press_sequentially(" de bloc opératoire")
    expect_saved(page)
    wait_for_answer(portal.db_engine(), draft_id, "metier_vise", "Infirmière de bloc opératoire")
    expect(field).to_be_focused()


# ---------------------------------------------------------------- back office


def test_agent_list_and_dossier(portal, page):
    owner = create_active_user(portal, unique_email("owner"))
    _, number = submitted_ptp_dossier(portal, owner)
    agent_email, password, _ = create_agent(portal)

    login(page, portal.base_url, agent_email, password, expect_path="/agent")
    expect_page(page, "Back office — Dossiers — Portail", "Dossiers déposés")
    page.get_by_role("link", name=number).first.click()
    expect_page(page, f"Dossier {number} — Back office — Portail", f"Dossier {number}")


# ---------------------------------------------------------------- phone menu


@pytest.mark.viewports("phone")
def test_phone_menu_says_menu_names_the_user_and_closes_with_escape(portal, page):
    email = unique_email("menu")
    create_active_user(portal, email, first_names="Julien Alexandre", birth_name="Durand-Montgolfier")
    login(page, portal.base_url, email, DEFAULT_PASSWORD)
    name = "Julien Durand-Montgolfier"  # far too long for the button beside the brand and the bell
    expect_signed_in_as(page, name)

    summary = page.locator("header details.nav__details summary")
    summary.focus()
    page.keyboard.press("Enter")
    details = page.locator("header details.nav__details")
    expect(details).to_have_attribute("open", "")
    expect(details.locator(".nav__user-name")).to_have_text(name)
    expect(details.locator(".nav__user-name")).to_be_visible()
    shot(page, "menu-telephone-ouvert", full_page=False)
    axe_check(page)

    page.keyboard.press("Tab")  # into the panel
    page.keyboard.press("Escape")
    expect(details).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()


# ---------------------------------------------------------------- sticky draft bar


def _hidden_part(page: Page) -> str:
    """'' when the focused element is fully on screen and clear of the sticky bar; else why not."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const bar = document.querySelector('[data-sticky-bottom]');
            if (!el || !bar || bar.contains(el)) return '';
            const box = el.getBoundingClientRect(), barBox = bar.getBoundingClientRect();
            if (box.top < 0 || box.bottom > innerHeight) return `#${el.id} off screen ${box.top}..${box.bottom}`;
            if (box.bottom > barBox.top) return `#${el.id} under the bar (${box.bottom} > ${barBox.top})`;
            return '';
        }"""
    )


def _expect_focused_field_visible(page: Page) -> None:
    # The portal's scroll correction runs on the next frame: wait for it, fail if it never comes.
    try:
        page.wait_for_function(
            """() => {
                const el = document.activeElement, bar = document.querySelector('[data-sticky-bottom]');
                if (!el || !bar || bar.contains(el)) return true;
                const box = el.getBoundingClientRect(), barBox = bar.getBoundingClientRect();
                return box.top >= 0 && box.bottom <= innerHeight && box.bottom <= barBox.top;
            }""",
            timeout=5_000,
        )
    except Exception as error:
        raise AssertionError(_hidden_part(page) or str(error)) from None


def test_sticky_bar_never_covers_the_focused_field(portal, page, viewport_name):
    email = unique_email("barre")
    user = create_active_user(portal, email)
    login(page, portal.base_url, email, DEFAULT_PASSWORD)
    goto(page, f"{portal.base_url}/demarches/nouvelle")
    page.get_by_role("button", name=f"Commencer : {PTP_TITLE}").click()
    expect(page.locator("#titre-etape")).to_be_focused()
    bar = page.locator("[data-sticky-bottom]")
    expect(bar).to_be_visible()

    # Tab through every field of the step, down to the bar's own buttons.
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        if bar.evaluate("(bar) => bar.contains(document.activeElement)"):
            break
        if page.evaluate("!!document.activeElement.closest('form[data-draft-id]')"):
            seen += 1
            _expect_focused_field_visible(page)
    else:
        raise AssertionError("Tab never reached the bar's buttons")
    assert seen >= 8, f"only {seen} fields reached by Tab"

    # Back up with Shift+Tab: the fields above come back into view too.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        _expect_focused_field_visible(page)

    # Focus moved by script: the error summary's links lead to fields further down.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#contenu").focus()
    page.get_by_role("button", name="Continuer", exact=True).click()
    links = page.locator("#resume-erreurs a")
    expect(links.first).to_be_visible()
    links.last.click()
    _expect_focused_field_visible(page)
    shot(page, "etape-champ-actif", full_page=False)
    page.evaluate("document.activeElement.scrollIntoView({block: 'end'})")  # as a phone keyboard would
    page.keyboard.press("Tab")
    _expect_focused_field_visible(page)
    assert user.id


# ---------------------------------------------------------------- alignment


@pytest.mark.viewports("desktop")
def test_content_lines_up_with_the_brand(portal, page):
    email = unique_email("alignement")
    create_active_user(portal, email)

    def left(selector: str) -> float:
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        return box["x"]

    goto(page, f"{portal.base_url}/connexion")  # a narrow page
    expect(page.locator("main h1")).to_be_visible()
    assert left("main h1") == left("header .brand"), (left("main h1"), left("header .brand"))

    login(page, portal.base_url, email, DEFAULT_PASSWORD)  # /demarches: a wide page
    expect(page.locator("main h1")).to_be_visible()
    assert left("main h1") == left("header .brand"), (left("main h1"), left("header .brand"))
    assert left("main .container") == left("header .brand")
