"""Mon compte: the frame of its sections (title, error summary, saved notice) and the section
of personal information."""

from __future__ import annotations

import reflex as rx

from portal_app.components.anchors import in_page_link
from portal_app.components.forms import error_summary, form, notice, phone_field, submit_button, text_field
from portal_app.states.account import AccountState
from portal_app.states.franceconnect_account import FranceConnectAccountState

S = AccountState
E = AccountState.errors


SECTIONS = (
    ("mes-informations", "Mes informations"),
    ("mot-de-passe", "Mot de passe"),
    ("adresse-e-mail", "Adresse e-mail"),
    ("notifications", "Notifications par e-mail"),
    ("appareils", "Appareils connectés"),
    ("mes-donnees", "Mes données"),
    ("supprimer-mon-compte", "Supprimer mon compte"),
)


def account_section(anchor: str, *children) -> rx.Component:
    title = dict(SECTIONS)[anchor]
    return rx.el.section(
        rx.el.h2(title, id=f"titre-{anchor}"),
        *children,
        id=anchor,
        aria_labelledby=f"titre-{anchor}",
        class_name="card",
    )


def form_summary(form: str) -> rx.Component:
    # Only the form submitted last has errors, so one summary at most is on the page.
    return rx.cond(S.form == form, error_summary(S.error_items))


def saved_notice(form: str, text: str) -> rx.Component:
    return rx.cond(S.saved == form, notice(rx.el.p(text), kind="success"))


def _row(term: str, *details) -> rx.Component:
    return rx.fragment(rx.el.dt(term), rx.el.dd(*details))


def information() -> rx.Component:
    return account_section(
        "mes-informations",
        rx.el.dl(
            _row(
                "Adresse e-mail",
                S.email,
                " ",
                in_page_link("Modifier", rx.el.span(" l'adresse e-mail", class_name="sr-only"), href="#adresse-e-mail"),
            ),
            rx.cond(S.civility != "", _row("Civilité", S.civility)),
            rx.cond(S.birth_date != "", _row("Date de naissance", S.birth_date)),
            rx.cond(
                S.nir_display != "",
                _row(
                    "Numéro de sécurité sociale",
                    rx.el.span(S.nir_display, aria_hidden="true"),
                    rx.el.span(S.nir_spoken, class_name="sr-only"),
                ),
            ),
            class_name="definition",
        ),
        rx.el.p(
            "Votre civilité, votre date de naissance et votre numéro de sécurité sociale ne peuvent pas être "
            "modifiés en ligne. Si l'un d'eux est inexact, signalez-le à nos conseillers.",
            class_name="muted",
        ),
        rx.el.h3("Modifier mes coordonnées"),
        rx.el.p("Tous les champs sont obligatoires, sauf ceux marqués « (facultatif) ».", class_name="muted"),
        form_summary("profile"),
        form(
            text_field(
                "birth_name",
                "Nom de naissance",
                E,
                autocomplete="family-name",
                default_value=S.birth_name,
                read_only=FranceConnectAccountState.linked,
            ),
            text_field(
                "usage_name",
                "Nom d'usage",
                E,
                optional=True,
                default_value=S.usage_name,
                hint="Par exemple le nom d'époux ou d'épouse, s'il est différent du nom de naissance.",
            ),
            text_field(
                "first_names",
                "Prénom(s)",
                E,
                autocomplete="given-name",
                default_value=S.first_names,
                hint="Tous vos prénoms, dans l'ordre de l'état civil.",
                read_only=FranceConnectAccountState.linked,
            ),
            phone_field(E, default_value=S.phone),
            rx.el.fieldset(
                rx.el.legend("Adresse postale", class_name="field__label"),
                rx.el.p(
                    "Si vous indiquez une adresse, remplissez les trois champs.",
                    id="adresse-aide",
                    class_name="field__hint",
                ),
                text_field(
                    "address_line",
                    "Numéro et voie",
                    E,
                    optional=True,
                    autocomplete="street-address",
                    default_value=S.address_line,
                    hint="Par exemple : 12 rue des Lilas, appartement 3",
                ),
                text_field(
                    "postal_code",
                    "Code postal",
                    E,
                    optional=True,
                    autocomplete="postal-code",
                    default_value=S.postal_code,
                    width="input--short",
                    input_mode="numeric",
                    max_length=6,
                ),
                text_field(
                    "city",
                    "Commune",
                    E,
                    optional=True,
                    autocomplete="address-level2",
                    default_value=S.city,
                    width="input--medium",
                ),
                aria_describedby="adresse-aide",
                class_name="fieldset",
            ),
            rx.el.div(submit_button("Enregistrer mes informations"), class_name="form-actions"),
            on_submit=S.save_profile,
            no_validate=True,
            class_name="form",
        ),
        saved_notice("profile", "Vos informations ont été enregistrées."),
    )
