"""Linking an existing account from a FranceConnect sign-in by a link mailed to its address
(for a forgotten password, or an account without one), against the development provider and the
real SMTP sink, at both viewports; and the same answer whatever address is typed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import (
    axe_check,
    create_active_user,
    expect_signed_in_as,
    get_user,
    goto,
    link_in,
    new_context,
    session_cookie,
    shot,
    unique_email,
    update_user,
    wait_for_path,
    wait_hydrated,
)
from tests.support.franceconnect import leave_for_franceconnect, pick, subject

LINK_PATH = "/connexion/franceconnect/lier"
LINK_SUBJECT = "Reliez votre compte Portail à FranceConnect"


def back_on_the_confirmation_page(page, portal, fc_provider, identity: dict) -> None:
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    wait_for_path(page, "/connexion/franceconnect")
    wait_hydrated(page)


def submit_address(page, email: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Créer mon compte").click()


def test_an_account_without_password_links_by_the_mailed_link_in_the_same_browser(
    portal, fc_provider, smtp_sink, page, browser, viewport_name
):
    identity = fc_provider.add_identity()
    user = create_active_user(portal, identity["email"], first_names="Inès", birth_name="Autrenom")
    update_user(portal, identity["email"], password_hash="")
    since = len(smtp_sink.messages)
    back_on_the_confirmation_page(page, portal, fc_provider, identity)
    submit_address(page, identity["email"])
    expect(page.get_by_text("Un compte utilise déjà l'adresse")).to_be_visible()
    page.get_by_role("button", name="Recevoir un lien par e-mail").click()
    expect(page.get_by_text("Un e-mail vient d'être envoyé à")).to_be_visible()
    assert not axe_check(page)
    shot(page, "fc-lien-envoye")
    mail = smtp_sink.wait_for(identity["email"], LINK_SUBJECT, since=since)
    assert "Inès Marie FONTAINE" in smtp_sink.text_of(mail)
    url = link_in(mail, portal.base_url, LINK_PATH)

    # Another browser (the mailbox's owner, or anyone the mail reached) links nothing.
    other = new_context(browser, viewport_name, portal.base_url)
    try:
        stranger = other.new_page()
        goto(stranger, url)
        expect(stranger.get_by_text("Ce lien ne sert que dans le navigateur")).to_be_visible()
        expect(stranger.get_by_role("button", name="Relier mon compte")).to_have_count(0)
    finally:
        other.close()
    assert get_user(portal, identity["email"]).fc_sub is None

    goto(page, url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Relier votre compte à FranceConnect")
    expect(page.get_by_text("Inès Marie FONTAINE")).to_be_visible()
    expect(page.get_by_text(identity["email"])).to_be_visible()
    assert get_user(portal, identity["email"]).fc_sub is None  # opening the link alone links nothing
    assert not axe_check(page)
    shot(page, "fc-lien-relier")
    page.get_by_role("button", name="Relier mon compte").click()
    wait_for_path(page, "/demarches")
    expect_signed_in_as(page, "Inès FONTAINE")
    linked = get_user(portal, identity["email"])
    assert linked.id == user.id and linked.fc_sub == subject(identity) and linked.birth_name == "FONTAINE"

    # Single use: the same link, even in the browser that asked for it, links nothing more.
    page.context.clear_cookies()
    goto(page, url)
    expect(page.get_by_text("Ce lien a déjà servi.")).to_be_visible()
    assert not session_cookie(page.context)


def test_another_address_gets_the_same_answer_whether_it_has_an_account_or_not(portal, fc_provider, smtp_sink, page):
    identity = fc_provider.add_identity()
    taken = unique_email("fc-compte")
    create_active_user(portal, taken)
    free = unique_email("fc-libre")
    answers = []
    since = len(smtp_sink.messages)
    for address in (taken, free):
        page.context.clear_cookies()
        back_on_the_confirmation_page(page, portal, fc_provider, identity)
        submit_address(page, address)
        notice = page.get_by_role("status").filter(has_text="Un e-mail vient d'être envoyé")
        expect(notice).to_be_visible()
        answers.append(notice.inner_text().replace(address, "ADRESSE"))
        expect(page.get_by_text("Un compte utilise déjà")).to_have_count(0)
    assert answers[0] == answers[1]
    # The mails say the rest: a link that links the existing account, an activation for the new one.
    assert link_in(smtp_sink.wait_for(taken, LINK_SUBJECT, since=since), portal.base_url, LINK_PATH)
    assert link_in(smtp_sink.wait_for(free, "Activez votre compte", since=since), portal.base_url, "/activation")
    assert get_user(portal, taken).fc_sub is None
    assert not session_cookie(page.context)
