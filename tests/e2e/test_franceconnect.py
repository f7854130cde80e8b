"""FranceConnect sign-in against the development provider (tests/support/franceconnect.py), in
Chromium at both viewports: the real protocol, and every answer a broken or hostile provider
could send refused with a plain French message."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from portal_app.domain.accounts.passwords import hash_password
from tests.support.browser import (
    DEFAULT_PASSWORD,
    axe_check,
    create_active_user,
    expect_signed_in_as,
    get_user,
    goto,
    link_in,
    login_sessions,
    logout_from_menu,
    session_cookie,
    shot,
    unique_email,
    update_user,
    wait_for_path,
    wait_hydrated,
)
from tests.support.demarche_data import PTP, unique_siret
from tests.support.drafts import dossier, put_answers, start_demarche
from tests.support.franceconnect import FC_BUTTON, leave_for_franceconnect, pick, subject
from tests.support.quotes import quote_terms
from tests.support.users import add_user


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
    assert user.fc_sub == subject(identity) and user.is_active and user.password_hash == ""
    assert (user.birth_name, user.first_names, str(user.birth_date)) == ("FONTAINE", "Inès Marie", "1988-06-12")
    assert user.birthplace == "33063" and user.civility == "Mme"
    assert login_sessions(portal, user.id)[-1].fc_id_token

    page.context.clear_cookies()
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    wait_for_path(page, "/demarches")
    expect_signed_in_as(page, "Inès FONTAINE")
    assert len(login_sessions(portal, user.id)) == 2


def expect_login_reason(page, text: str) -> None:
    wait_for_path(page, "/connexion")
    wait_hydrated(page)
    expect(page.get_by_text(text)).to_be_visible()


FAILED = "La connexion avec FranceConnect n'a pas abouti et rien n'a été enregistré."


def test_an_existing_password_account_links_after_its_password(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    user = create_active_user(portal, identity["email"], first_names="Inès", birth_name="Autrenom")
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    wait_for_path(page, "/connexion/franceconnect")
    wait_hydrated(page)
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Un compte utilise déjà l'adresse")).to_be_visible()
    page.get_by_label("Mot de passe du compte").fill("Pas-le-bon-2024!")
    page.get_by_role("button", name="Relier mon compte").click()
    expect(page.locator(".field--error")).to_contain_text("Le mot de passe est incorrect.")
    assert get_user(portal, identity["email"]).fc_sub is None
    assert not axe_check(page)
    shot(page, "fc-lier-mot-de-passe")
    page.get_by_label("Mot de passe du compte").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Relier mon compte").click()
    wait_for_path(page, "/demarches")
    linked = get_user(portal, identity["email"])
    assert linked.id == user.id and linked.fc_sub == subject(identity)
    # FranceConnect's identity replaces what the account said: it is certified.
    assert linked.birth_name == "FONTAINE"


def test_cancelling_at_the_provider_comes_back_with_a_message_and_nothing_stored(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity, action="Annuler et revenir au service")
    expect_login_reason(page, "Vous avez annulé la connexion avec FranceConnect.")
    shot(page, "fc-annule")
    with pytest.raises(Exception, match="No row"):
        get_user(portal, identity["email"])


def test_a_forged_state_is_refused(portal, fc_provider, page):
    leave_for_franceconnect(page, portal.base_url)
    page.goto(f"{portal.base_url}/_portal/franceconnect/callback?code=abc&state={'x' * 43}")
    expect_login_reason(page, FAILED)
    assert not session_cookie(page.context)


@pytest.mark.parametrize("fault", ["other_key", "wrong_nonce", "wrong_aud", "tampered_userinfo", "expired_code"])
def test_an_untrustworthy_answer_is_refused_and_nothing_is_half_done(portal, fc_provider, page, fault):
    identity = fc_provider.add_identity()
    fc_provider.arm(fault)
    try:
        leave_for_franceconnect(page, portal.base_url)
        pick(page, identity)
        expect_login_reason(page, FAILED)
    finally:
        fc_provider.disarm()
    assert not session_cookie(page.context)
    with pytest.raises(Exception, match="No row"):
        get_user(portal, identity["email"])
    # No identity waits for its account either.
    goto(page, portal.base_url + "/connexion/franceconnect")
    expect(page.get_by_text("Aucune connexion FranceConnect n'est en cours")).to_be_visible()


def test_a_replayed_code_is_refused(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    create_account(page, portal.base_url, identity)
    user = get_user(portal, identity["email"])
    page.context.clear_cookies()
    fc_provider.arm("replayed_code")
    try:
        leave_for_franceconnect(page, portal.base_url)
        pick(page, identity)
        expect_login_reason(page, FAILED)
    finally:
        fc_provider.disarm()
    assert len(login_sessions(portal, user.id)) == 1


def test_an_agent_is_refused(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    add_user(portal.db_engine(), unique_email("agent-fc"), role="agent", fc_sub=subject(identity))
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    expect_login_reason(page, "Les comptes employeurs et agents ne peuvent pas utiliser FranceConnect.")
    assert not session_cookie(page.context)


def test_logout_goes_through_the_providers_end_session(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    create_account(page, portal.base_url, identity)
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url) if request.is_navigation_request() else None)
    logout_from_menu(page)
    expect(page.get_by_text("Vous êtes déconnecté. À bientôt !")).to_be_visible()
    ends = [url for url in visited if url.startswith(fc_provider.issuer + "/api/v2/session/end")]
    assert ends, visited
    query = parse_qs(urlsplit(ends[0]).query)
    assert query["id_token_hint"][0] and len(query["state"][0]) >= 32
    assert query["post_logout_redirect_uri"] == [f"{portal.base_url}/_portal/franceconnect/logout"]
    assert not session_cookie(page.context)


def test_unlink_needs_a_password(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    create_account(page, portal.base_url, identity)
    goto(page, portal.base_url + "/mon-compte")
    section = page.locator("#franceconnect")
    expect(section.get_by_role("heading", name="Informations transmises par FranceConnect")).to_be_visible()
    expect(page.get_by_label("Nom de naissance")).to_have_attribute("readonly", "")
    expect(section.get_by_text("choisissez d'abord un mot de passe")).to_be_visible()
    assert not axe_check(page)
    update_user(portal, identity["email"], password_hash=hash_password(DEFAULT_PASSWORD))
    goto(page, portal.base_url + "/mon-compte")
    field = page.get_by_label("Votre mot de passe, pour délier FranceConnect")
    field.fill("Pas-le-bon-2024!")
    section.get_by_role("button", name="Délier FranceConnect").click()
    expect(section.locator(".field--error")).to_contain_text("Le mot de passe est incorrect.")
    field.fill(DEFAULT_PASSWORD)
    section.get_by_role("button", name="Délier FranceConnect").click()
    expect(section.get_by_text("FranceConnect est délié de votre compte.")).to_be_visible()
    shot(page, "fc-delie")
    assert get_user(portal, identity["email"]).fc_sub is None


def _file_bank_details(page, portal, user_id: int) -> int:
    dossier_id = start_demarche(page, portal.base_url, "Changement de coordonnées bancaires")
    put_answers(portal.db_engine(), dossier_id, {"titulaire": "Inès Fontaine", "iban": "FR7630006000011234567890189"})
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    return dossier_id


def test_an_eidas2_demarche_is_filed_only_after_franceconnect_plus(portal, fc_provider, page):
    identity = fc_provider.add_identity(eidas="eidas2")
    create_account(page, portal.base_url, identity)
    user = get_user(portal, identity["email"])
    dossier_id = _file_bank_details(page, portal, user.id)
    plus = page.locator("#franceconnect-plus")
    expect(plus).to_contain_text("FranceConnect+")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.locator(".error-summary")).to_contain_text("FranceConnect+")
    assert dossier(portal.db_engine(), dossier_id).number is None
    assert not axe_check(page)
    shot(page, "fc-plus-demande")

    # Not at the level asked: FranceConnect answers eidas1, the portal says so and files nothing.
    fc_provider.arm("lower_acr")
    try:
        plus.get_by_role("link", name="S'identifier avec FranceConnect+").click()
        expect(page.get_by_text("Niveau demandé : eidas2")).to_be_visible()
        pick(page, identity)
        wait_for_path(page, f"/demarches/dossier/{dossier_id}/recapitulatif")
        wait_hydrated(page)
        expect(plus).to_contain_text("n'a pas confirmé votre identité avec le niveau de sécurité demandé")
    finally:
        fc_provider.disarm()

    plus.get_by_role("link", name="S'identifier avec FranceConnect+").click()
    pick(page, identity)
    wait_for_path(page, f"/demarches/dossier/{dossier_id}/recapitulatif")
    wait_hydrated(page)
    expect(plus).to_have_count(0)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    wait_for_path(page, f"/demarches/dossier/{dossier_id}/confirmation")
    assert dossier(portal.db_engine(), dossier_id).number.startswith("RIB-")
    # FranceConnect+ gave its own subject; the same certified identity recognised it, and it is kept.
    linked = get_user(portal, identity["email"])
    assert linked.fcplus_sub == subject(identity, "fcplus") != linked.fc_sub == subject(identity)


def test_the_certified_identity_is_read_only_in_the_holders_own_draft(portal, fc_provider, page):
    identity = fc_provider.add_identity()
    create_account(page, portal.base_url, identity)
    dossier_id = start_demarche(page, portal.base_url, "Projet de transition professionnelle")
    for label, value in (("Nom de naissance", "FONTAINE"), ("Prénom(s)", "Inès Marie")):
        field = page.get_by_label(label, exact=True)
        expect(field).to_be_disabled()
        expect(field).to_have_value(value)
    expect(page.get_by_label("Date de naissance", exact=True)).to_be_disabled()
    certified = page.get_by_role("group", name="Informations transmises par FranceConnect")
    expect(certified).to_have_count(3)
    expect(certified.first).to_contain_text("Informations transmises par FranceConnect")
    expect(page.get_by_label(re.compile("^Nom d'usage"))).to_be_enabled()  # not certified: the person's
    assert not axe_check(page)
    shot(page, "fc-brouillon-identite")
    assert dossier(portal.db_engine(), dossier_id).answers["nom_naissance"] == "FONTAINE"


def _quoted_ptp(portal, smtp_sink, user_id: int) -> int:
    """A PTP draft of this account whose provider has sent a quote (through the domain: the
    quote's own pages are test_devis.py's)."""
    provider_email = unique_email("organisme")
    seed = portal.python(
        f"""
from portal_app.domain.dossiers import drafts
from portal_app.domain.quotes import person
draft = drafts.create_draft({user_id}, {PTP!r})
assert person.request_quote({user_id}, draft.id, {{
    "provider_name": "École du Web", "provider_siret": {unique_siret()!r}, "provider_email": {provider_email!r},
}}) == {{}}
print("@@", draft.id)
"""
    ).stdout
    dossier_id = int(seed.rsplit("@@", 1)[1])
    raw = parse_qs(
        urlsplit(link_in(smtp_sink.wait_for(provider_email, "Demande de devis"), portal.base_url, "/devis")).query
    )
    terms = quote_terms(price_extra="0")
    portal.python(
        f"""
from portal_app.domain.quotes import provider
from portal_app.domain.uploads.checks import Accepted
from tests.support.pdf_builder import document
data = document()
kept = provider.keep_programme(Accepted(kind="pdf", clean_bytes=data, safe_name="programme.pdf",
                                        sha256="0" * 64, size=len(data)))
assert provider.send_quote({raw["jeton"][0]!r}, {terms!r}, kept) == ({{}}, "")
"""
    )
    return dossier_id


def test_a_quote_is_accepted_after_a_fresh_franceconnect_plus(portal, fc_provider, smtp_sink, page):
    identity = fc_provider.add_identity(eidas="eidas2")
    create_account(page, portal.base_url, identity)
    dossier_id = _quoted_ptp(portal, smtp_sink, get_user(portal, identity["email"]).id)
    goto(page, f"{portal.base_url}/demarches/dossier/{dossier_id}?etape=formation")
    request_box = page.locator(".quote-request")
    request_box.get_by_role("button", name="Accepter ce devis").click()
    expect(request_box.get_by_role("link", name="S'identifier avec FranceConnect+")).to_be_visible()
    expect(request_box.get_by_label("Votre mot de passe")).to_have_count(0)
    # Signed in with FranceConnect (eidas1): not the fresh FranceConnect+ acceptance asks for.
    request_box.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("#devis-message")).to_contain_text("FranceConnect+")
    assert not axe_check(page)
    shot(page, "fc-plus-devis")
    request_box.get_by_role("button", name="Accepter ce devis").click()
    request_box.get_by_role("link", name="S'identifier avec FranceConnect+").click()
    pick(page, identity)
    wait_for_path(page, f"/demarches/dossier/{dossier_id}")
    wait_hydrated(page)
    request_box.get_by_role("button", name="Accepter ce devis").click()
    request_box.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("#devis-message")).to_contain_text("Devis accepté")
    expect(page.locator("#champ-organisme-nom")).to_be_disabled()
