"""Mot de passe oublié: links by mail (only the last one works, once), the new password,
every session ended, no automatic login; in Chromium against the production build."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    DEFAULT_PASSWORD,
    assert_no_axe,
    axe_note,
    create_active_user,
    goto,
    goto_new_tab,
    link_in,
    login,
    login_sessions,
    mails_to,
    server_reply,
    session_cookie,
    shot,
    submit_login,
    unique_email,
    wait_for_path,
)

NEW_PASSWORD = "Girafe-Bleue-2025!"
GENERIC_ERROR = "Adresse e-mail ou mot de passe incorrect."
SENT_TEXT = (
    "Si un compte correspond à ces informations, un e-mail vient de lui être envoyé avec un lien "
    "pour choisir un nouveau mot de passe. Ce lien est valable 1 heure et ne sert qu'une fois."
)


def request_link(page: Page, identifier: str) -> None:
    """Open /mot-de-passe-oublie, ask for a link and wait for the answer."""
    goto_new_tab(page, "/mot-de-passe-oublie")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    page.get_by_label("Adresse e-mail ou identifiant").fill(identifier)
    with server_reply(page):
        page.get_by_role("button", name="Recevoir un lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    expect(page.locator(".notice--success")).to_have_text(SENT_TEXT)


def reset_link(portal, smtp_sink, email: str, since: int) -> str:
    mail = smtp_sink.wait_for(email, "Choisissez un nouveau mot de passe", since=since)
    return link_in(mail, portal.base_url, "/mot-de-passe-oublie")


def open_link(page: Page, link: str) -> None:
    goto_new_tab(page, link)
    expect(page.get_by_text("Vérification du lien…")).to_have_count(0)


def test_reset_by_mail_ends_every_session_without_logging_in(portal, page, new_context, smtp_sink):
    email = unique_email("oubli")
    user = create_active_user(portal, email, DEFAULT_PASSWORD)

    # Context A: the owner, logged in somewhere else.
    login(page, portal.base_url, email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")

    # Context B: two requests, two mails.
    other = new_context()
    page_b = other.new_page()
    axe_found: list[str] = []
    goto(page_b, "/mot-de-passe-oublie")
    axe_note(page_b, axe_found)
    shot(page_b, "mot-de-passe-oublie")
    since = len(smtp_sink.messages)
    request_link(page_b, email)
    first_link = reset_link(portal, smtp_sink, email, since)
    since_second = len(smtp_sink.messages)
    request_link(page_b, email)
    second_link = reset_link(portal, smtp_sink, email, since_second)
    assert first_link != second_link
    assert len(mails_to(smtp_sink, email, since)) == 2

    # The first link is dead, and says why.
    open_link(page_b, first_link)
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Ce lien n'est plus valable")
    expect(page_b.get_by_text("Un lien plus récent vous a été envoyé")).to_be_visible()
    expect(page_b.get_by_role("button", name="Demander un nouveau lien")).to_be_visible()
    shot(page_b, "reinitialisation-lien-remplace")

    # The second one opens the form, with its live checklist.
    open_link(page_b, second_link)
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    checklist = page_b.locator("#regles-mot-de-passe li")
    expect(checklist).to_have_count(5)
    expect(checklist.filter(has_text="Au moins 12 caractères")).to_have_class("neutral")
    axe_note(page_b, axe_found)
    page_b.get_by_label("Nouveau mot de passe", exact=True).press_sequentially(NEW_PASSWORD)
    for item in checklist.all():
        expect(item).to_have_class("ok")
    page_b.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    shot(page_b, "reinitialisation-choix")
    since_change = len(smtp_sink.messages)
    with server_reply(page_b):
        page_b.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Votre mot de passe a été modifié")
    shot(page_b, "reinitialisation-fait")

    # No automatic login.
    assert session_cookie(other) is None
    page_b.goto("/demarches")
    wait_for_path(page_b, "/connexion")
    smtp_sink.wait_for(email, "mot de passe a été", since=since_change)

    # A's session is over: its next navigation lands on the login page.
    assert all(row.revoked_at is not None for row in login_sessions(portal, user.id))
    page.reload()
    wait_for_path(page, "/connexion")
    expect(page.get_by_role("heading", name="Mes démarches")).to_have_count(0)

    # The link that worked is spent.
    open_link(page_b, second_link)
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Ce lien n'est plus valable")
    expect(page_b.get_by_text("Ce lien a déjà servi")).to_be_visible()
    page_b.get_by_role("button", name="Demander un nouveau lien").click()
    wait_for_path(page_b, "/mot-de-passe-oublie")
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")

    # Old password refused, new one accepted.
    login(page_b, portal.base_url, email, DEFAULT_PASSWORD, expect_path=None)
    expect(page_b.locator("#message-connexion")).to_have_text(GENERIC_ERROR)
    submit_login(page_b, email, NEW_PASSWORD)
    wait_for_path(page_b, "/demarches")
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Mes démarches")

    # Accessibility of the request page and of the new password form (checked above, told last).
    assert_no_axe(axe_found)


# Server behaviour only: the page is the one drawn at both sizes above.
@pytest.mark.viewports("desktop")
def test_unknown_address_gets_the_same_answer_and_no_mail(portal, page, smtp_sink):
    unknown = unique_email("personne")
    known = create_active_user(portal, unique_email("connu"), DEFAULT_PASSWORD)
    since = len(smtp_sink.messages)

    request_link(page, unknown)
    answer = page.locator("main").inner_text()
    # A known address afterwards: once its mail is in, anything for the first request would be too.
    request_link(page, known.email)
    assert page.locator("main").inner_text() == answer
    smtp_sink.wait_for(known.email, "Choisissez un nouveau mot de passe", since=since)
    assert mails_to(smtp_sink, unknown, since) == []


@pytest.mark.viewports("desktop")
def test_repeated_requests_get_the_same_answer_and_at_most_three_mails(portal, page, smtp_sink):
    """Before: every request mailed a link (one address received 20 in a row)."""
    email = unique_email("inonde")
    create_active_user(portal, email, DEFAULT_PASSWORD)
    since = len(smtp_sink.messages)
    answers = set()
    for _request in range(4):
        request_link(page, email)
        answers.add(page.locator("main").inner_text())
    assert len(answers) == 1, answers
    # Mails leave before the server answers (after the commit, in the same event): all are in.
    assert len(mails_to(smtp_sink, email, since)) == 3
