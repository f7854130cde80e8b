"""Small form fixes of issue 10 seen by a person: password fields, /suivi numbers, an address
error shown once, and démarche pages that log no React warning."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import text

from tests.support.browser import (
    DEFAULT_PASSWORD,
    goto,
    server_reply,
    shot,
    sign_in,
    solve_altcha,
    wait_for_path,
)
from tests.support.dossiers import submitted_ptp_dossier
from tests.support.drafts import open_draft, start_demarche

PTP_TITLE = "Projet de transition professionnelle"


# ---------------------------------------------------------------- password fields


def test_password_toggle_keeps_the_value_and_the_checklist_starts_neutral(page):
    goto(page, "/inscription")
    password = page.get_by_label("Mot de passe", exact=True)
    toggle = page.locator('button[aria-controls="champ-password"]')
    checklist = page.locator("#regles-mot-de-passe li")

    # Before anything is typed no rule is met or missed.
    expect(checklist).to_have_count(5)
    expect(page.locator("#regles-mot-de-passe li.neutral")).to_have_count(5)
    expect(page.locator("#regles-mot-de-passe")).not_to_contain_text("respecté")
    expect(password).to_have_attribute("type", "password")
    expect(password).to_have_attribute("autocomplete", "new-password")
    expect(toggle).to_have_accessible_name("Afficher le mot de passe")
    expect(toggle).to_have_text("Afficher le mot de passe")
    expect(toggle).to_have_attribute("type", "button")
    expect(toggle).to_have_attribute("aria-controls", "champ-password")

    password.press_sequentially("Courte1")
    expect(checklist.filter(has_text="Au moins 12 caractères")).to_have_class("ko")
    expect(checklist.filter(has_text="Au plus 128 caractères")).to_have_class("ok")
    shot(page, "mot-de-passe-masque", full_page=False)

    toggle.click()
    expect(password).to_have_attribute("type", "text")
    expect(password).to_have_value("Courte1")
    expect(toggle).to_have_accessible_name("Masquer le mot de passe")
    expect(toggle).to_have_text("Masquer le mot de passe")
    # Back in the field, typing on while shown: the value grows and the checklist follows.
    password.click()
    password.press("End")
    password.press_sequentially("-et-longue")
    expect(checklist.filter(has_text="Au moins 12 caractères")).to_have_class("ok")
    expect(password).to_have_attribute("type", "text")  # a redraw of the checklist kept it shown
    shot(page, "mot-de-passe-affiche", full_page=False)

    toggle.click()
    expect(password).to_have_attribute("type", "password")
    expect(password).to_have_value("Courte1-et-longue")
    expect(toggle).to_have_accessible_name("Afficher le mot de passe")
    # Each password field has its own toggle: the confirmation stays hidden.
    expect(page.get_by_label("Confirmation du mot de passe")).to_have_attribute("type", "password")


def test_every_password_input_has_its_toggle_and_login_keeps_autofill(page, user, portal):
    goto(page, "/connexion")
    password = page.get_by_label("Mot de passe", exact=True)
    expect(password).to_have_attribute("autocomplete", "current-password")
    password.fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Afficher le mot de passe").click()
    expect(password).to_have_attribute("type", "text")
    expect(password).to_have_value(DEFAULT_PASSWORD)
    # Signing in with the password shown works as with it hidden.
    page.get_by_label("Adresse e-mail ou identifiant").fill(user.email)
    page.get_by_role("button", name="Se connecter").click()
    wait_for_path(page, "/demarches")
    goto(page, "/mon-compte")
    inputs = page.locator("input[type=password]")
    expect(inputs.first).to_be_attached()
    for index in range(inputs.count()):
        field_id = inputs.nth(index).get_attribute("id")
        expect(page.locator(f'button[aria-controls="{field_id}"]')).to_have_count(1)
        expect(page.locator(f'label[for="{field_id}"]')).to_have_count(1)


# ---------------------------------------------------------------- /suivi


def _attempts(portal) -> int:
    # Each lookup counts once for its address and once for its IP (one row each).
    with portal.db_engine().connect() as db:
        query = "SELECT coalesce(max(count), 0) FROM throttle_counters WHERE kind = 'tracking_lookup'"
        return db.execute(text(query)).scalar_one()


def _forget_attempts(portal) -> None:
    # Every test reaches /suivi from 127.0.0.1: leave the per-IP allowance as it was found.
    with portal.db_engine().begin() as db:
        db.execute(text("DELETE FROM throttle_counters WHERE kind = 'tracking_lookup'"))


def test_suivi_reads_a_loosely_typed_number_and_a_malformed_one_costs_nothing(portal, page, user):
    _dossier_id, number = submitted_ptp_dossier(portal, user)
    prefix, year, sequence = number.split("-")
    _forget_attempts(portal)
    try:
        goto(page, "/suivi")
        page.get_by_label("Adresse e-mail").fill(user.email)
        number_input = page.get_by_label("Numéro du dossier")
        solve_altcha(page)
        # More slips than the lookups allowed: each is a field error, none is counted, and the
        # solved anti-robot check is not used up.
        for typed in ("PTP-2026", "2026-000001", "PTP 2026 0000001", "dossier 42", "PTP/26/1", "PTP2026"):
            number_input.fill(typed)
            with server_reply(page):
                page.get_by_role("button", name="Voir le suivi").click()
            expect(page.locator("#champ-number-erreur")).to_contain_text("Vérifiez le numéro du dossier")
            expect(page.locator("#message-suivi")).to_have_count(0)
        assert _attempts(portal) == 0
        expect(page.locator("#resume-erreurs")).to_contain_text("Vérifiez le numéro du dossier")
        expect(page.locator("#champ-number-erreur")).to_have_count(1)

        number_input.fill(f"{prefix.lower()} {year} {sequence}")
        page.get_by_role("button", name="Voir le suivi").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Suivi de votre demande")
        expect(page.get_by_text(number)).to_be_visible()
        assert _attempts(portal) == 1
    finally:
        _forget_attempts(portal)


def test_suivi_a_well_formed_unknown_number_still_counts(portal, page, user):
    _forget_attempts(portal)
    try:
        goto(page, "/suivi")
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Numéro du dossier").fill("ptp-2026-999999")
        solve_altcha(page)
        page.get_by_role("button", name="Voir le suivi").click()
        expect(page.locator("#message-suivi")).to_have_text("Aucune demande ne correspond à ces informations.")
        assert _attempts(portal) == 1
    finally:
        _forget_attempts(portal)


# ---------------------------------------------------------------- address error


def test_an_address_error_shows_once_inline_and_once_in_the_summary(portal, page, user):
    sign_in(page, portal, user.email)
    start_demarche(page, portal.base_url, PTP_TITLE)
    postal = page.get_by_label("Code postal", exact=True)
    expect(postal).to_have_value("75011")
    postal.fill("750")
    page.get_by_role("button", name="Continuer").click()
    message = "Le code postal doit comporter 5 chiffres, par exemple 75001."
    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=message)).to_have_count(1)
    inline = page.locator(".field__error", has_text=message)
    expect(inline).to_have_count(1)
    expect(inline).to_have_id("champ-adresse.postal-code-erreur")
    expect(postal).to_have_attribute("aria-invalid", "true")
    # Nowhere else on the page: not on the "Votre adresse" group a second time.
    assert page.locator("main").inner_text().count(message) == 2
    expect(postal).to_have_value("750")
    summary.get_by_role("link", name=message).click()
    expect(postal).to_be_focused()
    shot(page, "adresse-erreur-une-fois", full_page=False)


# ---------------------------------------------------------------- console


def test_demarche_steps_log_no_react_warning_nor_error(portal, page, user):
    messages: list[str] = []
    page.on(
        "console", lambda msg: messages.append(f"{msg.type}: {msg.text}") if msg.type in ("warning", "error") else None
    )
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    sign_in(page, portal, user.email)
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)  # a client-side navigation
    # The autosave script came as a plain element (react-helmet, behind the warning, marks its tags).
    page.wait_for_function("() => !!window.portailDraft")
    open_draft(page, portal.base_url, dossier_id, "situation")  # a full load
    page.wait_for_function("() => !!window.portailDraft")
    assert page.locator("[data-react-helmet]").count() == 0
    assert page.locator('script[src="/draft_autosave.js"]').count() == 1
    assert page.locator('script[src="/portal.js"]').count() == 1
    assert messages == []
