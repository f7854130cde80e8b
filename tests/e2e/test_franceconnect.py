"""FranceConnect sign-in against the development provider (tests/support/franceconnect.py), in
Chromium at both viewports: the real protocol, and every answer a broken or hostile provider
could send refused with a plain French message."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import (
    axe_check,
    expect_signed_in_as,
    get_user,
    goto,
    login_sessions,
    shot,
    wait_for_path,
    wait_hydrated,
)

FC_BUTTON = "S'identifier avec FranceConnect"


def leave_for_franceconnect(page, base_url: str, start: str = "/connexion") -> None:
    goto(page, base_url + start)
    page.get_by_role("link", name=FC_BUTTON).click()
    expect(page.get_by_role("heading", name="FranceConnect de développement")).to_be_visible()


def pick(page, identity: dict, action: str = "Continuer") -> None:
    page.get_by_label(re.compile(re.escape(identity["label"]))).check()
    page.get_by_role("button", name=action).click()


def create_account(page, base_url: str, identity: dict) -> None:
    """First sign-in: back on the portal's confirmation page, keep the email, accept the terms."""
    leave_for_franceconnect(page, base_url)
    pick(page, identity)
    wait_for_path(page, "/connexion/franceconnect")
    wait_hydrated(page)
    expect(page.get_by_role("heading", name="Informations transmises par FranceConnect")).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value(identity["email"])
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    wait_for_path(page, "/demarches")


def login_message(page):
    return page.get_by_role("status").filter(has_text=re.compile("FranceConnect"))


def test_first_sign_in_creates_the_account_and_the_second_goes_straight_in(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    goto(page, portal.base_url + "/connexion")
    expect(page.get_by_role("link", name=FC_BUTTON)).to_be_visible()
    expect(page.get_by_role("link", name="Qu'est-ce que FranceConnect ?")).to_be_visible()
    assert not axe_check(page)
    shot(page, "fc-connexion")
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    wait_for_path(page, "/connexion/franceconnect")
    wait_hydrated(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte avec FranceConnect")
    expect(page.get_by_text("Inès Marie FONTAINE")).to_be_visible()
    assert not axe_check(page)
    shot(page, "fc-confirmation")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator(".field--error")).to_contain_text("conditions générales")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    wait_for_path(page, "/demarches")
    expect_signed_in_as(page, "Inès FONTAINE")
    user = get_user(portal, identity["email"])
    assert user.fc_sub == identity["sub"] and user.is_active and user.password_hash == ""
    assert (user.birth_name, user.first_names, str(user.birth_date)) == ("FONTAINE", "Inès Marie", "1988-06-12")
    assert user.birthplace == "33063" and user.civility == "Mme"
    assert login_sessions(portal, user.id)[-1].fc_id_token

    page.context.clear_cookies()
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    wait_for_path(page, "/demarches")
    expect_signed_in_as(page, "Inès FONTAINE")
    assert len(login_sessions(portal, user.id)) == 2
