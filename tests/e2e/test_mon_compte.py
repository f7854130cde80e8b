"""/mon-compte: profile, notifications, e-mail change, devices, password change and account
deletion, in Chromium against the production build with a real SMTP sink."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    DEFAULT_PASSWORD,
    assert_no_axe,
    axe_note,
    create_active_user,
    expect_signed_in_as,
    get_user,
    goto_new_tab,
    link_in,
    login_sessions,
    logout_from_menu,
    mails_to,
    path_of,
    server_reply,
    session_cookie,
    shot,
    sign_in,
    submit_login,
    unique_email,
    unique_nir,
    users_with_email,
    wait_for_path,
)

NEW_PASSWORD = "Hibiscus-Rouge-2025!"
WRONG_PASSWORD = "Pas-le-bon-2024!"
GENERIC_ERROR = "Adresse e-mail ou mot de passe incorrect."
WRONG_CURRENT = "Le mot de passe est incorrect."


def open_account(page: Page) -> None:
    goto_new_tab(page, "/mon-compte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_role("heading", name="Mes informations")).to_be_visible()


def section(page: Page, anchor: str):
    return page.locator(f"section#{anchor}")


def motif(page: Page) -> list[str] | None:
    return parse_qs(urlsplit(page.url).query).get("motif")


@pytest.fixture
def user(portal):
    return create_active_user(
        portal,
        unique_email("compte"),
        DEFAULT_PASSWORD,
        nir=unique_nir(),
        phone="06 11 22 33 44",
        notify_status=False,
        notify_messages=True,
    )


# ---------------------------------------------------------------- the page itself


def test_account_page_has_no_serious_axe_violation(portal, page, user):
    found: list[str] = []
    sign_in(page, portal, user.email)
    open_account(page)
    shot(page, "mon-compte")
    axe_note(page, found)

    # With an error summary and a field in error.
    info = section(page, "mes-informations")
    info.get_by_label("Téléphone").fill("12")
    info.get_by_role("button", name="Enregistrer mes informations").click()
    expect(page.locator("#resume-erreurs")).to_be_focused()
    axe_note(page, found)

    # With the deletion form open.
    page.get_by_role("button", name="Supprimer mon compte").click()
    expect(page.get_by_label("Pour confirmer, saisissez votre mot de passe")).to_be_focused()
    axe_note(page, found)
    assert_no_axe(found)


# ---------------------------------------------------------------- profile, notifications, e-mail


def test_profile_notifications_and_email_change(portal, page, user, smtp_sink):
    sign_in(page, portal, user.email)
    open_account(page)

    # --- My information: a bad phone is refused beside the field, the rest is kept.
    info = section(page, "mes-informations")
    expect(info.get_by_label("Nom de naissance")).to_have_value("Martin")
    expect(info.get_by_label("Téléphone")).to_have_value("06 11 22 33 44")
    info.get_by_label("Nom d'usage").fill("Leroy")
    info.get_by_label("Prénom(s)").fill("Camille Anne Louise")
    info.get_by_label("Téléphone").fill("12")
    with server_reply(page):
        info.get_by_role("button", name="Enregistrer mes informations").click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(info.locator("#champ-phone-erreur")).to_contain_text("Indiquez un numéro de téléphone français valide")
    expect(info.get_by_label("Téléphone")).to_have_attribute("aria-invalid", "true")
    expect(info.get_by_label("Téléphone")).to_have_value("12")
    expect(info.get_by_label("Nom d'usage")).to_have_value("Leroy")
    expect(info.get_by_label("Prénom(s)")).to_have_value("Camille Anne Louise")
    expect(info.get_by_label("Nom de naissance")).to_have_value("Martin")
    expect(page.get_by_text("Vos informations ont été enregistrées.")).to_have_count(0)
    assert get_user(portal, user.email).phone == "06 11 22 33 44"
    shot(page, "mon-compte-erreur-telephone", full_page=False)

    info.get_by_label("Téléphone").fill("07 98 76 54 32")
    with server_reply(page):
        info.get_by_role("button", name="Enregistrer mes informations").click()
    expect(page.get_by_text("Vos informations ont été enregistrées.")).to_be_visible()
    expect(summary).to_have_count(0)
    expect(info.get_by_label("Téléphone")).to_have_attribute("aria-invalid", "false")
    saved = get_user(portal, user.email)
    assert (saved.phone, saved.usage_name, saved.first_names) == ("07 98 76 54 32", "Leroy", "Camille Anne Louise")
    # The header follows the new usage name.
    expect_signed_in_as(page, "Camille Leroy")

    # --- Notifications: saved, and still so after a reload.
    notifications = section(page, "notifications")
    status_box = notifications.get_by_label("Les changements de statut de mes démarches")
    messages_box = notifications.get_by_label("Les nouveaux messages de l'agence")
    expect(status_box).not_to_be_checked()
    expect(messages_box).to_be_checked()
    status_box.check()
    messages_box.uncheck()
    with server_reply(page):
        notifications.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(notifications.get_by_text("Vos préférences ont été enregistrées.")).to_be_visible()
    saved = get_user(portal, user.email)
    assert (saved.notify_status, saved.notify_messages) == (True, False)
    open_account(page)
    expect(section(page, "notifications").get_by_label("Les changements de statut de mes démarches")).to_be_checked()
    expect(section(page, "notifications").get_by_label("Les nouveaux messages de l'agence")).not_to_be_checked()

    # --- E-mail address: the wrong password is refused beside its field.
    new_email = unique_email("nouvelle")
    email_form = section(page, "adresse-e-mail")
    email_form.get_by_label("Nouvelle adresse e-mail").fill(new_email)
    email_form.get_by_label("Mot de passe", exact=True).fill(WRONG_PASSWORD)
    since = len(smtp_sink.messages)
    with server_reply(page):
        email_form.get_by_role("button", name="Recevoir le lien de confirmation").click()
    expect(email_form.locator("#champ-email-password-erreur")).to_contain_text(WRONG_CURRENT)
    expect(email_form.get_by_label("Mot de passe", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(email_form.get_by_label("Nouvelle adresse e-mail")).to_have_value(new_email)
    expect(page.locator("#resume-erreurs")).to_be_focused()
    assert mails_to(smtp_sink, new_email, since) == []

    email_form.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    with server_reply(page):
        email_form.get_by_role("button", name="Recevoir le lien de confirmation").click()
    expect(email_form.get_by_text("Un lien de confirmation a été envoyé à la nouvelle adresse.")).to_be_visible()
    expect(email_form.locator("strong", has_text=new_email)).to_be_visible()
    # The typed password does not stay in the page.
    expect(email_form.get_by_label("Mot de passe", exact=True)).to_have_value("")
    confirm = smtp_sink.wait_for(new_email, "Confirmez votre nouvelle adresse", since=since)
    notice = smtp_sink.wait_for(user.email, "Demande de changement de votre adresse", since=since)
    assert new_email not in smtp_sink.text_of(notice), "the old address is told a masked address only"
    assert get_user(portal, user.email).email == user.email, "nothing changes before the link is followed"

    goto_new_tab(page, link_in(confirm, portal.base_url, "/mon-compte/email"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre adresse e-mail est modifiée")
    expect(page.locator("main strong", has_text=new_email)).to_be_visible()
    assert users_with_email(portal, user.email) == []
    assert get_user(portal, new_email).id == user.id

    # The old address no longer opens the account, the new one does.
    logout_from_menu(page)
    submit_login(page, user.email, DEFAULT_PASSWORD)
    expect(page.locator("#message-connexion")).to_have_text(GENERIC_ERROR)
    submit_login(page, new_email, DEFAULT_PASSWORD)
    wait_for_path(page, "/demarches")
    open_account(page)
    expect(section(page, "adresse-e-mail").locator("strong", has_text=new_email)).to_be_visible()


# ---------------------------------------------------------------- devices and password


# Session behaviour of the server: the buttons are on the page drawn at both sizes above.
@pytest.mark.viewports("desktop")
def test_logout_everywhere_then_password_change_end_other_sessions(portal, page, new_context, user, smtp_sink):
    other = new_context()
    page_b = other.new_page()
    sign_in(page, portal, user.email)
    sign_in(page_b, portal, user.email)

    # --- Both devices are listed; logging out everywhere ends them both.
    open_account(page)
    devices = section(page, "appareils").locator("ul > li")
    expect(devices).to_have_count(2)
    expect(devices.filter(has_text="cet appareil")).to_have_count(1)
    page.get_by_role("button", name="Se déconnecter de tous les appareils").click()
    wait_for_path(page, "/connexion")
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    assert session_cookie(page.context) is None
    assert all(row.revoked_at is not None for row in login_sessions(portal, user.id))
    page_b.reload()
    wait_for_path(page_b, "/connexion")
    assert motif(page_b) == ["expiree"]

    # --- A password change ends every session too, this one included.
    sign_in(page, portal, user.email)
    sign_in(page_b, portal, user.email)
    open_account(page)
    password_form = section(page, "mot-de-passe")
    password_form.get_by_label("Mot de passe actuel").fill(DEFAULT_PASSWORD)
    password_form.get_by_label("Nouveau mot de passe", exact=True).press_sequentially(NEW_PASSWORD)
    for item in password_form.locator("#regles-mot-de-passe li").all():
        expect(item).to_have_class("ok")
    password_form.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    since = len(smtp_sink.messages)
    password_form.get_by_role("button", name="Modifier mon mot de passe").click()
    wait_for_path(page, "/connexion")
    assert motif(page) == ["mot-de-passe"]
    expect(
        page.get_by_text("Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.")
    ).to_be_visible()
    assert session_cookie(page.context) is None
    assert all(row.revoked_at is not None for row in login_sessions(portal, user.id))
    smtp_sink.wait_for(user.email, "mot de passe a été", since=since)
    page_b.reload()
    wait_for_path(page_b, "/connexion")

    submit_login(page, user.email, DEFAULT_PASSWORD)
    expect(page.locator("#message-connexion")).to_have_text(GENERIC_ERROR)
    submit_login(page, user.email, NEW_PASSWORD)
    wait_for_path(page, "/demarches")


# ---------------------------------------------------------------- deletion


# The deletion form is drawn at both sizes in test_account_page_has_no_serious_axe_violation.
@pytest.mark.viewports("phone")
def test_delete_account_with_the_password(portal, page, user, smtp_sink):
    sign_in(page, portal, user.email)
    open_account(page)
    delete = section(page, "supprimer-mon-compte")
    delete.get_by_role("button", name="Supprimer mon compte").click()
    password = delete.get_by_label("Pour confirmer, saisissez votre mot de passe")
    expect(password).to_be_focused()

    password.fill(WRONG_PASSWORD)
    with server_reply(page):
        delete.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(delete.locator("#champ-delete-password-erreur")).to_contain_text(WRONG_CURRENT)
    expect(password).to_have_attribute("aria-invalid", "true")
    shot(page, "mon-compte-suppression-erreur", full_page=False)
    assert get_user(portal, user.email).id == user.id

    since = len(smtp_sink.messages)
    password.fill(DEFAULT_PASSWORD)
    delete.get_by_role("button", name="Supprimer définitivement mon compte").click()
    wait_for_path(page, "/connexion")
    assert motif(page) == ["compte-supprime"]
    expect(page.get_by_text(re.compile("Votre compte a été supprimé"))).to_be_visible()
    assert session_cookie(page.context) is None
    smtp_sink.wait_for(user.email, "supprimé", since=since)
    assert users_with_email(portal, user.email) == []
    assert login_sessions(portal, user.id) == []

    submit_login(page, user.email, DEFAULT_PASSWORD)
    expect(page.locator("#message-connexion")).to_have_text(GENERIC_ERROR)
    assert path_of(page.url) == "/connexion"
