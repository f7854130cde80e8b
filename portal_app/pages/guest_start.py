"""/demarches/sans-compte/<code>: start a démarche without an account (domain/guests)."""

import reflex as rx

from portal_app import routes
from portal_app.components.altcha import altcha_widget
from portal_app.components.forms import email_field, error_summary, form, notice, submit_button, text_field
from portal_app.components.layout import after_load, page
from portal_app.components.portal_page import portal_page
from portal_app.domain.core.wording import duration
from portal_app.domain.guests.codes import CODE_TTL, MAX_ATTEMPTS
from portal_app.states.guest_start import GuestStartState

S = GuestStartState
E = S.errors


def _email_stage() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Faire une démarche sans compte", id="titre-page", tab_index=-1),
        rx.el.p("« ", S.demarche_title, " »", class_name="lead"),
        rx.cond(S.notice != "", notice(rx.el.p(S.notice), kind="info")),
        rx.el.p(
            "Indiquez votre adresse e-mail : nous vous envoyons un code à 6 chiffres pour la confirmer. "
            "Votre demande est ensuite enregistrée au fur et à mesure, et un lien pour la reprendre vous est envoyé. "
            "Vous suivez ensuite votre dossier avec cette adresse et son numéro."
        ),
        error_summary(S.error_items),
        form(
            email_field(E, default_value=S.email),
            altcha_widget(E),
            rx.el.div(submit_button("Recevoir un code", "Envoi en cours…"), class_name="form-actions"),
            on_submit=S.request_code,
            no_validate=True,
            class_name="form",
        ),
        rx.el.p(
            "Vous avez un compte ? ",
            rx.el.a("Connectez-vous", href=routes.LOGIN),
            " pour retrouver toutes vos démarches au même endroit.",
        ),
    )


def _code_stage() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Saisissez le code reçu", id="titre-page", tab_index=-1),
        notice(
            rx.el.p(
                "Si cette adresse peut être utilisée, un code à 6 chiffres vient d'être envoyé à ",
                rx.el.strong(S.email),
                f". Il est valable {duration(CODE_TTL)} ; seul le dernier code reçu fonctionne. "
                "Pensez à regarder dans vos courriers indésirables.",
            ),
            kind="success",
        ),
        error_summary(S.error_items),
        form(
            text_field(
                "code",
                "Code reçu par e-mail",
                E,
                hint=f"6 chiffres, par exemple 042917. Vous avez {MAX_ATTEMPTS} essais.",
                autocomplete="one-time-code",
                input_mode="numeric",
                max_length=8,
                width="input--short",
            ),
            rx.el.div(submit_button("Valider le code", "Vérification…"), class_name="form-actions"),
            on_submit=S.confirm_code,
            no_validate=True,
            class_name="form",
        ),
        rx.el.p(
            rx.el.button(
                "Demander un nouveau code",
                type="button",
                on_click=S.new_code,
                class_name="button button--secondary",
            )
        ),
    )


def _not_found() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Démarche introuvable", id="titre-page", tab_index=-1),
        rx.el.p("Cette démarche n'existe pas ou demande un compte."),
        rx.el.p(rx.el.a("Retour à l'accueil", href=routes.HOME)),
    )


@portal_page(routes.GUEST_START, S.page_title, on_load=S.load)
def guest_start() -> rx.Component:
    return page(after_load(rx.cond(~S.found, _not_found(), rx.cond(S.stage == "code", _code_stage(), _email_stage()))))
