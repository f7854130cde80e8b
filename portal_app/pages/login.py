import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_summary, form, notice, submit_button, text_field
from portal_app.components.franceconnect import franceconnect_choice
from portal_app.components.layout import page
from portal_app.components.password import password_field
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.states.login import LoginState


def _messages() -> rx.Component:
    return rx.fragment(
        rx.cond(LoginState.info != "", notice(rx.el.p(LoginState.info), kind="info")),
        rx.cond(
            LoginState.message != "",
            notice(
                rx.el.p(LoginState.message),
                rx.cond(
                    LoginState.offer_resend,
                    rx.el.button(
                        "Recevoir un nouveau lien d'activation",
                        type="button",
                        on_click=LoginState.resend_activation,
                        class_name="button button--secondary",
                    ),
                ),
                kind="error",
                role="alert",
                id="message-connexion",
            ),
        ),
        rx.cond(
            LoginState.resend_done,
            notice(
                rx.el.p(
                    "Si votre compte attend son activation, un nouveau lien vient de vous être envoyé. Seul le dernier lien reçu fonctionne."
                ),
                kind="success",
            ),
        ),
    )


@portal_page(
    routes.LOGIN,
    rx.cond(LoginState.error_items.length() > 0, page_title("Se connecter", error=True), page_title("Se connecter")),
    guests_only=True,
    on_load=LoginState.load,
)
def connexion() -> rx.Component:
    return page(
        rx.el.h1("Se connecter"),
        _messages(),
        franceconnect_choice("Connectez-vous ou créez votre compte avec l'identité de l'un de vos services publics :"),
        error_summary(LoginState.error_items),
        form(
            text_field(
                "identifier",
                "Adresse e-mail ou identifiant",
                LoginState.errors,
                autocomplete="username",
                hint="Employeurs : votre identifiant personnalisé.",
                spell_check=False,
                auto_capitalize="none",
            ),
            password_field("password", "Mot de passe", LoginState.errors, autocomplete="current-password"),
            rx.el.p(rx.el.a("Mot de passe oublié ?", href="/mot-de-passe-oublie")),
            rx.el.div(submit_button("Se connecter", "Connexion…"), class_name="form-actions"),
            on_submit=LoginState.submit,
            class_name="form",
            no_validate=True,
            aria_describedby=rx.cond(LoginState.message != "", "message-connexion", None),
        ),
        rx.el.h2("Vous n'avez pas de compte ?"),
        rx.el.p(rx.el.a("Créer un compte", href="/inscription", class_name="button button--secondary")),
    )
