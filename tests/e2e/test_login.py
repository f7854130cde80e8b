"""Login, lockout, session cookie and logout, in Chromium against the production build."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    DEFAULT_PASSWORD,
    SESSION_COOKIE,
    axe_check,
    expect_signed_in_as,
    goto,
    link_in,
    login,
    login_sessions,
    mails_to,
    open_account_menu,
    path_of,
    server_reply,
    session_cookie,
    shot,
    submit_login,
    unique_email,
    wait_for_path,
)

GENERIC_ERROR = "Adresse e-mail ou mot de passe incorrect."
WRONG_PASSWORD = "Pas-le-bon-2024!"
NEW_PASSWORD = "Girafe-Bleue-2025!"


def login_message(page):
    return page.locator("#message-connexion")


def identifier_field(page):
    return page.get_by_label("Adresse e-mail ou identifiant")


# ---------------------------------------------------------------- (a) success


def test_login_lands_on_demarches_with_an_httponly_session_cookie(portal, page, user):
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)

    assert path_of(page.url) == "/demarches"
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    # The header names the user (menu button on a phone, inline on a desktop).
    expect_signed_in_as(page, "Camille Martin")

    cookie = session_cookie(page.context)
    assert cookie is not None, f"no {SESSION_COOKIE} cookie after login: {page.context.cookies()}"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")
    # The password never travels in a URL.
    assert DEFAULT_PASSWORD not in page.url

    live = [row for row in login_sessions(portal, user.id) if row.revoked_at is None]
    assert len(live) == 1
    shot(page, "demarches")


# ---------------------------------------------------------------- (b, c) refusals


def test_wrong_password_shows_the_generic_message_and_keeps_the_identifier(portal, page, user):
    login(page, portal.base_url, user.email, WRONG_PASSWORD, expect_path=None)

    expect(login_message(page)).to_have_text(GENERIC_ERROR)
    expect(identifier_field(page)).to_have_value(user.email)
    assert path_of(page.url) == "/connexion"
    assert session_cookie(page.context) is None
    shot(page, "connexion-erreur")


@pytest.mark.viewports("phone")
def test_unknown_email_gets_the_same_message(portal, page):
    email = unique_email("inconnu")
    login(page, portal.base_url, email, WRONG_PASSWORD, expect_path=None)

    expect(login_message(page)).to_have_text(GENERIC_ERROR)
    expect(identifier_field(page)).to_have_value(email)
    assert session_cookie(page.context) is None


@pytest.mark.viewports("desktop")
def test_empty_form_shows_field_errors(portal, page):
    goto(page, "/connexion")
    page.get_by_role("button", name="Se connecter").click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Indiquez votre adresse e-mail ou votre identifiant.")
    expect(summary).to_contain_text("Indiquez votre mot de passe.")
    expect(summary).to_be_focused()
    expect(identifier_field(page)).to_have_attribute("aria-invalid", "true")


# ---------------------------------------------------------------- (d) lockout


def _blurred(page) -> str:
    """The message as read, its time blurred (two answers a few seconds apart name two times)."""
    return re.sub(r"\d{2}:\d{2}:\d{2}", "HH:MM:SS", login_message(page).inner_text())


@pytest.mark.viewports("phone")
def test_an_unknown_address_reads_like_a_real_one_up_to_the_wait(portal, page, user):
    """Before: only an existing address was told "vous pourrez réessayer à partir de"."""
    unknown = unique_email("inconnu")
    goto(page, "/connexion")
    for attempt in range(1, 7):
        answers = []
        for identifier in (user.email, unknown):
            submit_login(page, identifier, WRONG_PASSWORD)
            expect(login_message(page)).to_contain_text(GENERIC_ERROR)
            answers.append(_blurred(page))
        assert answers[0] == answers[1], f"attempt {attempt}: {answers}"
        assert ("vous pourrez réessayer à partir de" in answers[0]) is (attempt >= 5), answers[0]


@pytest.mark.viewports("desktop")
def test_temporisation_never_blocks_and_the_mailed_link_lets_the_owner_in(portal, page, new_context, user, smtp_sink):
    """Before: the 10th failure, whoever typed it, blocked the account until a new password."""
    goto(page, "/connexion")
    since = len(smtp_sink.messages)
    for _attempt in range(1, 6):
        submit_login(page, user.email, WRONG_PASSWORD)
        expect(login_message(page)).to_contain_text(GENERIC_ERROR)
    message = login_message(page)
    expect(message).to_contain_text(re.compile(r"vous pourrez réessayer à partir de \d{2}:\d{2}:\d{2}"))
    expect(message).not_to_contain_text("bloqué")
    shot(page, "connexion-temporisation")

    # During the wait the right password is refused too.
    submit_login(page, user.email, DEFAULT_PASSWORD)
    expect(message).to_contain_text("vous pourrez réessayer à partir de")
    assert path_of(page.url) == "/connexion" and session_cookie(page.context) is None

    # The owner's mailbox holds one mail with a way in.
    mail = smtp_sink.wait_for(user.email, "erreurs de mot de passe", since=since)
    reset = link_in(mail, portal.base_url, "/mot-de-passe-oublie")
    assert len(mails_to(smtp_sink, user.email, since)) == 1

    # The owner opens it in a new tab and chooses a new password, while a stranger's
    # guesses from another browser bring the wait back.
    owner = new_context().new_page()
    goto(owner, reset)
    expect(owner.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    owner.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    owner.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    with server_reply(owner):
        owner.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Votre mot de passe a été modifié")
    for _attempt in range(5):
        submit_login(page, user.email, WRONG_PASSWORD)
    expect(message).to_contain_text("vous pourrez réessayer à partir de")
    # Any other tab now waits, even with the new password.
    submit_login(page, user.email, NEW_PASSWORD)
    expect(message).to_contain_text("vous pourrez réessayer à partir de")
    assert session_cookie(page.context) is None

    # The owner's tab gets in all the same.
    owner.locator("main").get_by_role("link", name="Se connecter").click()
    wait_for_path(owner, "/connexion")
    submit_login(owner, user.email, NEW_PASSWORD)
    wait_for_path(owner, "/demarches")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Mes démarches")


# ---------------------------------------------------------------- (e) protected pages


def test_protected_page_sends_to_login_and_back(portal, page, user):
    page.goto("/demarches")
    page.wait_for_url(lambda url: path_of(url) == "/connexion")
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("motif") == ["expiree"], page.url
    # The page the guard sees (and puts in `suite`) may carry a trailing slash (a page loaded
    # as /demarches/): same page either way.
    assert [path.rstrip("/") for path in query.get("suite", [])] == ["/demarches"], page.url
    expect(page.get_by_text("Votre session a expiré ou vous n'êtes pas connecté.")).to_be_visible()
    # Nothing of the private page showed up on the way.
    expect(page.get_by_role("heading", name="Mes démarches")).to_have_count(0)

    submit_login(page, user.email, DEFAULT_PASSWORD)
    page.wait_for_url(lambda url: path_of(url) == "/demarches")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")


# ---------------------------------------------------------------- (f) logout


def test_logout_from_the_header_menu_revokes_the_session(portal, page, user):
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    open_account_menu(page, "Camille Martin")
    shot(page, "menu-compte")
    page.get_by_role("button", name="Se déconnecter").click()

    page.wait_for_url(lambda url: path_of(url) == "/connexion")
    assert parse_qs(urlsplit(page.url).query).get("motif") == ["deconnexion"]
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    assert session_cookie(page.context) is None
    rows = login_sessions(portal, user.id)
    assert len(rows) == 1 and rows[0].revoked_at is not None

    # The private page is closed again.
    page.goto("/demarches")
    page.wait_for_url(lambda url: path_of(url) == "/connexion")


def test_account_menu_fits_in_the_viewport(portal, page, user):
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    open_account_menu(page, "Camille Martin")
    width = page.viewport_size["width"]
    nav = page.get_by_role("navigation", name="Menu principal")
    for item in nav.locator("a, button").all():
        box = item.bounding_box()
        assert box is not None, item
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
            f"{item.inner_text()!r} spans x={box['x']:.0f}..{box['x'] + box['width']:.0f}, viewport 0..{width}"
        )


# ---------------------------------------------------------------- (g) stale websocket


@pytest.mark.viewports("desktop")
def test_open_page_cannot_act_after_logout_elsewhere(portal, page, new_context, user):
    """A logs in; B shares A's cookie and logs out; A's websocket, opened with the now
    revoked cookie, must be refused by the next protected handler."""
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")

    other = new_context()
    other.add_cookies([session_cookie(page.context)])
    page_b = other.new_page()
    goto(page_b, "/demarches")
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    open_account_menu(page_b, "Camille Martin")
    page_b.get_by_role("button", name="Se déconnecter").click()
    page_b.wait_for_url(lambda url: path_of(url) == "/connexion")
    assert all(row.revoked_at is not None for row in login_sessions(portal, user.id))

    # /demarches has no protected action yet: a client-side navigation (what a back/forward
    # or an rx.link does) runs the page's on_load guard over A's existing websocket.
    page.evaluate(
        "() => { window.__same_document = true; history.pushState({}, '', '/demarches?onglet=2'); "
        "window.dispatchEvent(new PopStateEvent('popstate', {state: {}})); }"
    )
    page.wait_for_url(lambda url: path_of(url) == "/connexion", timeout=15_000)
    assert parse_qs(urlsplit(page.url).query).get("motif") == ["expiree"]
    expect(page.get_by_role("heading", name="Mes démarches")).to_have_count(0)
    # No page load happened: the refusal came over the websocket opened before the logout.
    assert page.evaluate("() => window.__same_document === true")


# ---------------------------------------------------------------- (h) accessibility


def test_login_page_has_no_serious_axe_violation(portal, page, user):
    goto(page, "/connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    shot(page, "connexion")
    axe_check(page)

    # Also with the error message and with the field errors shown.
    submit_login(page, user.email, WRONG_PASSWORD)
    expect(login_message(page)).to_have_text(GENERIC_ERROR)
    axe_check(page)
    page.get_by_label("Adresse e-mail ou identifiant").fill("")
    page.get_by_label("Mot de passe", exact=True).fill("")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#resume-erreurs")).to_be_visible()
    shot(page, "connexion-champs-vides")
    axe_check(page)


def test_demarches_has_no_serious_axe_violation(portal, page, user):
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    axe_check(page)
    open_account_menu(page)
    axe_check(page)


# ---------------------------------------------------------------- before hydration


@pytest.mark.viewports("desktop")
def test_password_never_lands_in_the_url_without_javascript(portal, new_context, user):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail ou identifiant").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert "password=" not in page.url, page.url
