"""Sign-up (/inscription), activation by mail, duplicates and form errors, in Chromium against
the production build, with the real ALTCHA proof of work and a real SMTP sink."""

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
    expect_page,
    expect_signed_in_as,
    get_user,
    goto,
    goto_new_tab,
    link_in,
    logout_from_menu,
    mails_to,
    server_reply,
    shot,
    solve_altcha,
    spaced_nir,
    submit_login,
    unique_email,
    unique_nir,
    users_with_email,
    wait_for_path,
)

PASSWORD = "Grenadine-Soleil-42"
SENT_NOTICE = (
    "Si cette adresse peut être utilisée, un e-mail vient d'être envoyé à {email}. "
    "Il contient un lien pour activer votre compte, valable 48 heures."
)
MERGE_NOTICE = "réunir les deux comptes"


# ---------------------------------------------------------------- the form


def field(page: Page, name: str):
    return page.locator(f"#champ-{name.replace('_', '-')}")


def terms_box(page: Page):
    return page.get_by_role("checkbox", name=re.compile("conditions générales d'utilisation"))


def privacy_box(page: Page):
    return page.get_by_role("checkbox", name=re.compile("politique de confidentialité"))


def checklist_items(page: Page):
    return page.locator("#regles-mot-de-passe li")


def fill_signup(
    page: Page,
    *,
    email: str,
    nir: str,
    civility: str | None = "Madame",
    birth_name: str = "Durand",
    usage_name: str = "",
    first_names: str = "Zoé Marie",
    birth_date: str = "1995-10-14",
    phone: str = "06 12 34 56 78",
    password: str = PASSWORD,
    confirm: str | None = None,
    terms: bool = True,
    privacy: bool = True,
) -> None:
    """Fill /inscription as a user does, by the visible labels (the ALTCHA apart)."""
    if civility:
        page.get_by_role("radio", name=civility, exact=True).check()
    page.get_by_label("Nom de naissance").fill(birth_name)
    page.get_by_label("Nom d'usage").fill(usage_name)
    page.get_by_label("Prénom(s)").fill(first_names)
    page.get_by_label("Date de naissance").fill(birth_date)
    page.get_by_label("Numéro de sécurité sociale").fill(nir)
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Téléphone").fill(phone)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Confirmation du mot de passe").fill(password if confirm is None else confirm)
    terms_box(page).set_checked(terms)
    privacy_box(page).set_checked(privacy)


def submit(page: Page) -> None:
    with server_reply(page):
        page.get_by_role("button", name="Créer mon compte").click()


def expect_sent_page(page: Page, email: str) -> None:
    """The answer to every well-formed sign-up, new address or not: a page of its own (title,
    focus on its heading) though the address stays /inscription."""
    expect_page(page, "Consultez votre messagerie — Portail", "Consultez votre messagerie")
    expect(page.locator(".notice--success")).to_have_text(SENT_NOTICE.format(email=email.lower()))
    expect(page.locator("#resume-erreurs")).to_have_count(0)


def sign_up(page: Page, email: str, nir: str, **values) -> None:
    """The whole form, right, from a fresh /inscription to the "Consultez votre messagerie" page."""
    goto(page, "/inscription")
    fill_signup(page, email=email, nir=spaced_nir(nir), **values)
    solve_altcha(page)
    submit(page)
    expect_sent_page(page, email)


def activation_link(portal, smtp_sink, email: str, since: int) -> str:
    mail = smtp_sink.wait_for(email, "Activez votre compte", since=since)
    return link_in(mail, portal.base_url, "/activation")


# ---------------------------------------------------------------- (a) the full journey


def test_signup_activation_login_and_logout(portal, page, smtp_sink):
    email = unique_email("inscription")
    nir = unique_nir()
    since = len(smtp_sink.messages)

    goto(page, "/inscription")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
    expect(page.locator("altcha-widget .altcha")).to_have_attribute("data-state", "unverified")
    shot(page, "inscription")

    fill_signup(page, email=email.upper(), nir=spaced_nir(nir), password="")
    # The live checklist: nothing typed, every rule neutral (neither met nor missed).
    items = checklist_items(page)
    expect(items).to_have_count(5)
    expect(page.locator("#regles-mot-de-passe li.neutral")).to_have_count(5)
    expect(page.locator("#regles-mot-de-passe")).not_to_contain_text("respecté")
    password_input = page.get_by_label("Mot de passe", exact=True)
    # Too short, and it holds the birth name typed above: those two rules stay unmet.
    password_input.press_sequentially("Durand2024")
    expect(items.filter(has_text="Au moins 3 types")).to_have_class("ok")
    expect(items.filter(has_text="Au plus 128 caractères")).to_have_class("ok")
    expect(items.filter(has_text="Ne contient pas votre adresse e-mail")).to_have_class("ok")
    expect(items.filter(has_text="Au moins 12 caractères")).to_have_class("ko")
    expect(items.filter(has_text="Au moins 12 caractères")).to_contain_text("(non respecté)")
    expect(items.filter(has_text="Ne contient pas votre nom")).to_have_class("ko")
    password_input.fill("")
    password_input.press_sequentially(PASSWORD)
    # Every rule turns ok as the user types, with its spoken state for screen readers.
    for item in items.all():
        expect(item).to_have_class("ok")
        expect(item).to_contain_text("(respecté)")
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)

    solve_altcha(page)
    submit(page)
    expect_sent_page(page, email)
    # The answer replaces a long form: the user must see it from its top.
    page.wait_for_function("() => window.scrollY === 0")
    shot(page, "inscription-confirmation")

    user = get_user(portal, email)
    assert not user.is_active and user.activated_at is None
    assert (user.civility, user.birth_name, user.first_names) == ("Madame", "Durand", "Zoé Marie")
    assert user.email == email.lower()
    assert user.nir == nir, "the NIR is stored without its spaces"
    assert user.phone == "06 12 34 56 78"
    assert str(user.birth_date) == "1995-10-14"
    assert user.duplicate_of_id is None
    assert PASSWORD not in user.password_hash

    link = activation_link(portal, smtp_sink, email, since)
    mail_text = smtp_sink.text_of(smtp_sink.wait_for(email, "Activez", since=since))
    assert "Bonjour Zoé," in mail_text
    goto_new_tab(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte est activé")
    expect(page.get_by_text(MERGE_NOTICE)).to_have_count(0)
    assert get_user(portal, email).is_active

    page.locator("main").get_by_role("link", name="Se connecter").click()
    wait_for_path(page, "/connexion")
    submit_login(page, email, PASSWORD)
    wait_for_path(page, "/demarches")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    expect_signed_in_as(page, "Zoé Durand")

    logout_from_menu(page)
    assert parse_qs(urlsplit(page.url).query).get("motif") == ["deconnexion"]
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    page.goto("/demarches")
    wait_for_path(page, "/connexion")


# ---------------------------------------------------------------- (b) a new activation link


# Server behaviour: the page is the one of (a), drawn at both sizes there.
@pytest.mark.viewports("phone")
def test_resent_activation_link_replaces_the_old_one(portal, page, smtp_sink):
    email = unique_email("renvoi")
    since = len(smtp_sink.messages)
    sign_up(page, email, unique_nir())
    old_link = activation_link(portal, smtp_sink, email, since)

    since_resend = len(smtp_sink.messages)
    with server_reply(page):
        page.get_by_role("button", name="Renvoyer le lien d'activation").click()
    expect(
        page.get_by_text("Un nouveau lien vient d'être envoyé. Seul le dernier lien reçu fonctionne.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Renvoyer le lien d'activation")).to_have_count(0)
    new_link = activation_link(portal, smtp_sink, email, since_resend)
    assert new_link != old_link

    goto_new_tab(page, old_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien d'activation n'est plus valable")
    expect(page.get_by_text("seul le dernier lien reçu fonctionne")).to_be_visible()
    assert not get_user(portal, email).is_active

    goto_new_tab(page, new_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte est activé")
    assert get_user(portal, email).is_active


# ---------------------------------------------------------------- (c) an address already used


@pytest.mark.viewports("desktop")
def test_existing_email_gets_the_same_answer_and_a_mail_to_its_owner(portal, page, smtp_sink):
    email = unique_email("deja")
    owner = create_active_user(portal, email, DEFAULT_PASSWORD, nir=unique_nir(sex="1"))
    since = len(smtp_sink.messages)

    sign_up(page, email, unique_nir(), birth_name="Usurpe", first_names="Quelqu'un")

    mail = smtp_sink.wait_for(email, "Vous avez déjà un compte", since=since)
    assert link_in(mail, portal.base_url, "/connexion")
    assert link_in(mail, portal.base_url, "/mot-de-passe-oublie")
    # The exists mail is sent once the request is handled: nothing else went to the owner.
    subjects = [str(msg["Subject"]) for msg in mails_to(smtp_sink, email, since)]
    assert subjects == ["Vous avez déjà un compte sur Portail"], subjects

    rows = users_with_email(portal, email)
    assert [row.id for row in rows] == [owner.id], "no second account for the same address"
    assert (rows[0].birth_name, rows[0].password_hash) == ("Martin", owner.password_hash)


# ---------------------------------------------------------------- (d) a NIR already used


@pytest.mark.viewports("phone")
def test_duplicate_nir_creates_the_account_and_announces_the_merge(portal, page, smtp_sink):
    nir = unique_nir()
    first = create_active_user(portal, unique_email("premier"), DEFAULT_PASSWORD, nir=nir)
    email = unique_email("jumeau")
    since = len(smtp_sink.messages)

    sign_up(page, email, nir)
    twin = get_user(portal, email)
    assert twin.duplicate_of_id == first.id
    assert not twin.is_active

    goto_new_tab(page, activation_link(portal, smtp_sink, email, since))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte est activé")
    expect(page.get_by_text(MERGE_NOTICE)).to_be_visible()
    shot(page, "activation-doublon")
    assert get_user(portal, email).is_active
    assert "regrouper ces deux comptes" in smtp_sink.text_of(
        smtp_sink.wait_for(email, "Votre compte Portail est activé", since=since)
    )
    # The first account is left as it was.
    assert get_user(portal, first.email).nir == nir and get_user(portal, first.email).is_active


# ---------------------------------------------------------------- (e) every field wrong at once


BAD = {
    "birth_name": "Dupont1",
    "usage_name": "L3roy",
    "first_names": "Jean2",
    "birth_date": "2090-01-01",
    "nir": "2 95 10 99 126 111 94",  # the example with a wrong key (93 is right)
    "email": "jean.dupont@",
    "phone": "12345",
    "password": "court",
    "password_confirm": "autre",
}

# Form order, as the summary lists them.
EXPECTED_ERRORS = [
    ("civility", "Indiquez votre civilité."),
    (
        "birth_name",
        "Votre nom de naissance ne peut contenir que des lettres, des espaces, des tirets et des apostrophes.",
    ),
    ("usage_name", "Votre nom d'usage ne peut contenir que des lettres, des espaces, des tirets et des apostrophes."),
    ("first_names", "ne peut contenir que des lettres, des espaces, des tirets et des apostrophes."),
    ("birth_date", "La date de naissance ne peut pas être dans le futur."),
    ("nir", "La clé du numéro de sécurité sociale ne correspond pas : vérifiez votre saisie."),
    ("email", "Indiquez une adresse e-mail valide, par exemple nom@exemple.fr."),
    ("phone", "Indiquez un numéro de téléphone français valide, par exemple 06 12 34 56 78."),
    ("password", "Votre mot de passe doit comporter au moins 12 caractères."),
    ("password_confirm", "Les deux mots de passe ne sont pas identiques."),
    ("accept_terms", "Acceptez les conditions générales d'utilisation pour créer votre compte."),
    ("accept_privacy", "Acceptez la politique de confidentialité pour créer votre compte."),
    ("altcha", "Cochez la case « Je ne suis pas un robot » et attendez la fin de la vérification."),
]


def test_every_error_at_once_then_corrected(portal, page, smtp_sink):
    goto(page, "/inscription")
    email = unique_email("erreurs")
    fill_signup(
        page,
        civility=None,
        email=BAD["email"],
        nir=BAD["nir"],
        birth_name=BAD["birth_name"],
        usage_name=BAD["usage_name"],
        first_names=BAD["first_names"],
        birth_date=BAD["birth_date"],
        phone=BAD["phone"],
        password=BAD["password"],
        confirm=BAD["password_confirm"],
        terms=False,
        privacy=False,
    )
    submit(page)

    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(EXPECTED_ERRORS))
    for index, (name, message) in enumerate(EXPECTED_ERRORS):
        expect(links.nth(index)).to_contain_text(message)
        # Reflex writes in-page anchors as /inscription/#champ-…: same page either way.
        expect(links.nth(index)).to_have_attribute("href", re.compile(rf"#champ-{name.replace('_', '-')}$"))
        # The same message beside the field, tied to it.
        error = page.locator(f"#champ-{name.replace('_', '-')}-erreur")
        expect(error).to_contain_text(message)
        if name == "civility":
            for radio in page.get_by_role("radio").all():
                expect(radio).to_have_attribute("aria-describedby", "champ-civility-erreur")
        elif name == "altcha":
            box = page.locator("altcha-widget input[type=checkbox]")
            expect(box).to_have_attribute("aria-invalid", "true")
            expect(box).to_have_attribute("aria-describedby", "champ-altcha-erreur")
        else:
            expect(field(page, name)).to_have_attribute("aria-invalid", "true")
            expect(field(page, name)).to_have_attribute(
                "aria-describedby", re.compile(rf"\bchamp-{name.replace('_', '-')}-erreur\b")
            )
    shot(page, "inscription-erreurs")

    # Nothing typed is lost.
    for name, value in BAD.items():
        expect(field(page, name)).to_have_value(value)
    expect(terms_box(page)).not_to_be_checked()

    # A ticked box stays ticked through another round of errors, and its error goes.
    terms_box(page).check()
    submit(page)
    expect(links).to_have_count(len(EXPECTED_ERRORS) - 1)
    expect(page.locator("#champ-accept-terms-erreur")).to_have_count(0)
    expect(terms_box(page)).to_be_checked()
    expect(terms_box(page)).to_have_attribute("aria-invalid", "false")
    expect(privacy_box(page)).to_have_attribute("aria-invalid", "true")
    for name, value in BAD.items():
        expect(field(page, name)).to_have_value(value)

    # Summary links take the keyboard to their field.
    summary.get_by_role("link", name=re.compile("clé du numéro de sécurité sociale")).click()
    expect(field(page, "nir")).to_be_focused()
    summary.get_by_role("link", name="Indiquez votre civilité.").click()
    expect(page.get_by_role("radio", name="Madame", exact=True)).to_be_focused()
    summary.get_by_role("link", name=re.compile("Je ne suis pas un robot")).click()
    expect(page.locator("altcha-widget input[type=checkbox]")).to_be_focused()

    # Everything corrected: the account is created.
    since = len(smtp_sink.messages)
    fill_signup(page, email=email, nir=spaced_nir(unique_nir(sex="1")), civility="Monsieur", first_names="Jean")
    solve_altcha(page)
    submit(page)
    expect_sent_page(page, email)
    activation_link(portal, smtp_sink, email, since)
    assert get_user(portal, email).civility == "Monsieur"


# ---------------------------------------------------------------- (f) accessibility


def test_signup_pages_have_no_serious_axe_violation(portal, page):
    found: list[str] = []
    goto(page, "/inscription")
    expect(page.locator("altcha-widget input[type=checkbox]")).to_be_visible()
    axe_note(page, found)

    submit(page)
    expect(page.locator("#resume-erreurs")).to_be_visible()
    axe_note(page, found)

    email = unique_email("axe")
    fill_signup(page, email=email, nir=spaced_nir(unique_nir()))
    solve_altcha(page)
    submit(page)
    expect_sent_page(page, email)
    axe_note(page, found)
    assert_no_axe(found)
