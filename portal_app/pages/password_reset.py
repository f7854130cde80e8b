import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_summary, form, notice, submit_button, text_field
from portal_app.components.layout import after_load, page
from portal_app.components.outcome import button_link, dead_link, outcome_screen
from portal_app.components.password import new_password_pair
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.password_reset import ResetState

E = ResetState.errors


def _request() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Mot de passe oublié"),
        rx.el.p(
            "Indiquez l'adresse e-mail de votre compte (ou votre identifiant employeur). Nous vous enverrons un lien pour choisir un nouveau mot de passe."
        ),
        error_summary(ResetState.error_items),
        form(
            text_field(
                "identifier",
                "Adresse e-mail ou identifiant",
                E,
                autocomplete="username",
                spell_check=False,
                auto_capitalize="none",
            ),
            rx.el.div(submit_button("Recevoir un lien"), class_name="form-actions"),
            on_submit=ResetState.request_link,
            no_validate=True,
            class_name="form",
        ),
        rx.el.p(rx.el.a("Retour à la connexion", href="/connexion")),
    )


def _sent() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Consultez votre messagerie"),
        notice(
            rx.el.p(
                "Si un compte correspond à ces informations, un e-mail vient de lui être envoyé avec un lien "
                f"pour choisir un nouveau mot de passe. Ce lien est valable {validity(Purpose.PASSWORD_RESET)} et ne sert qu'une fois."
            ),
            kind="success",
        ),
        rx.el.p("Si vous faites plusieurs demandes, seul le lien du dernier e-mail reçu fonctionne."),
        rx.el.p(rx.el.a("Retour à la connexion", href="/connexion")),
    )


def _choose() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Choisir un nouveau mot de passe"),
        error_summary(ResetState.error_items),
        form(
            rx.cond(
                ResetState.needs_identifier,
                text_field(
                    "identifier",
                    "Votre identifiant",
                    E,
                    autocomplete="username",
                    spell_check=False,
                    auto_capitalize="none",
                ),
            ),
            new_password_pair(
                E,
                ResetState.checks,
                ResetState.password_typed,
                label="Nouveau mot de passe",
                confirm_label="Confirmation du nouveau mot de passe",
            ),
            rx.el.div(submit_button("Enregistrer le mot de passe"), class_name="form-actions"),
            on_submit=ResetState.choose_password,
            no_validate=True,
            class_name="form",
        ),
    )


def _invalid() -> rx.Component:
    return dead_link(
        ResetState.link_state,
        used="Ce lien a déjà servi : chaque lien ne peut être utilisé qu'une fois.",
        expired=f"Ce lien a expiré : il est valable {validity(Purpose.PASSWORD_RESET)} seulement.",
        next_step=rx.el.button(
            "Demander un nouveau lien",
            type="button",
            on_click=ResetState.new_request,
            class_name="button button--primary",
        ),
    )


def _done() -> rx.Component:
    return outcome_screen(
        "Votre mot de passe a été modifié",
        "Vous pouvez vous connecter avec votre nouveau mot de passe. Par sécurité, toutes vos sessions ouvertes "
        "ont été fermées.",
        next_step=button_link("Se connecter", "/connexion"),
    )


@portal_page(
    routes.PASSWORD_RESET,
    rx.match(
        ResetState.step,
        ("sent", page_title("Consultez votre messagerie")),
        ("choose", page_title("Choisir un nouveau mot de passe")),
        ("invalid", page_title("Lien plus valable", "Mot de passe oublié")),
        ("done", page_title("Mot de passe modifié")),
        page_title("Mot de passe oublié"),
    ),
    on_load=ResetState.load,
)
def mot_de_passe_oublie() -> rx.Component:
    return page(
        after_load(
            rx.match(
                ResetState.step,
                ("sent", _sent()),
                ("choose", _choose()),
                ("invalid", _invalid()),
                ("done", _done()),
                _request(),
            )
        )
    )
