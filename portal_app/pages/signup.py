import reflex as rx

from portal_app import routes
from portal_app.components.altcha import altcha_widget
from portal_app.components.forms import (
    EMAIL_FORMAT,
    checkbox_field,
    email_field,
    error_summary,
    form,
    notice,
    phone_field,
    radio_group,
    submit_button,
    text_field,
)
from portal_app.components.franceconnect import franceconnect_choice
from portal_app.components.layout import after_load, page
from portal_app.components.password import new_password_pair
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.signup import SignupState

E = SignupState.errors


def _identity() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.h2("Votre identité"), class_name="legend-heading"),
        radio_group("civility", "Civilité", [("Madame", "Madame"), ("Monsieur", "Monsieur")], E),
        text_field(
            "birth_name",
            "Nom de naissance",
            E,
            autocomplete="family-name",
            on_blur=lambda v: SignupState.name_typed("birth_name", v),
        ),
        text_field(
            "usage_name",
            "Nom d'usage",
            E,
            optional=True,
            hint="Par exemple le nom d'époux ou d'épouse, s'il est différent du nom de naissance.",
            on_blur=lambda v: SignupState.name_typed("usage_name", v),
        ),
        text_field(
            "first_names",
            "Prénom(s)",
            E,
            autocomplete="given-name",
            hint="Tous vos prénoms, dans l'ordre de l'état civil.",
            on_blur=lambda v: SignupState.name_typed("first_names", v),
        ),
        text_field("birth_date", "Date de naissance", E, type="date", autocomplete="bday", width="input--medium"),
        text_field(
            "nir",
            "Numéro de sécurité sociale",
            E,
            hint="15 caractères, clé comprise, tel qu'il figure sur votre carte Vitale. Exemple : 2 95 10 99 126 111 93",
            input_mode="text",
            auto_capitalize="characters",
            spell_check=False,
            max_length=21,
            width="input--medium",
        ),
        class_name="fieldset",
    )


def _contact() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.h2("Vos coordonnées"), class_name="legend-heading"),
        email_field(E, hint=f"Elle vous servira à vous connecter. {EMAIL_FORMAT}", on_blur=SignupState.email_typed),
        phone_field(E),
        class_name="fieldset",
    )


def _password() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.h2("Votre mot de passe"), class_name="legend-heading"),
        new_password_pair(
            E,
            SignupState.checks,
            SignupState.password_typed,
            label="Mot de passe",
            confirm_label="Confirmation du mot de passe",
        ),
        class_name="fieldset",
    )


def _consents() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.h2("Vos accords"), class_name="legend-heading"),
        checkbox_field(
            "accept_terms",
            rx.fragment(
                "J'ai lu et j'accepte les ",
                rx.el.a("conditions générales d'utilisation", href="/conditions-generales", target="_blank"),
                " (nouvelle fenêtre)",
            ),
            E,
        ),
        checkbox_field(
            "accept_privacy",
            rx.fragment(
                "J'ai lu et j'accepte la ",
                rx.el.a("politique de confidentialité", href="/donnees-personnelles", target="_blank"),
                " (nouvelle fenêtre)",
            ),
            E,
        ),
        altcha_widget(E),
        class_name="fieldset",
    )


def _form() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Créer votre compte"),
        franceconnect_choice(
            "Créez votre compte en quelques secondes avec FranceConnect : votre identité est transmise par un service public."
        ),
        rx.el.p("Tous les champs sont obligatoires, sauf ceux marqués « (facultatif) ».", class_name="muted"),
        error_summary(SignupState.error_items),
        form(
            _identity(),
            _contact(),
            _password(),
            _consents(),
            rx.el.div(submit_button("Créer mon compte", "Création en cours…"), class_name="form-actions"),
            on_submit=SignupState.submit,
            no_validate=True,
            class_name="form",
        ),
        rx.el.p("Vous avez déjà un compte ? ", rx.el.a("Se connecter", href="/connexion")),
    )


def _done() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Consultez votre messagerie"),
        notice(
            rx.el.p(
                "Si cette adresse peut être utilisée, un e-mail vient d'être envoyé à ",
                rx.el.strong(SignupState.sent_to),
                f". Il contient un lien pour activer votre compte, valable {validity(Purpose.ACTIVATION)}.",
            ),
            kind="success",
        ),
        rx.el.p("Pensez à regarder dans vos courriers indésirables. L'e-mail peut mettre quelques minutes à arriver."),
        rx.cond(
            SignupState.resent,
            notice(rx.el.p("Un nouveau lien vient d'être envoyé. Seul le dernier lien reçu fonctionne."), kind="info"),
            rx.el.p(
                rx.el.button(
                    "Renvoyer le lien d'activation",
                    type="button",
                    on_click=SignupState.resend,
                    class_name="button button--secondary",
                )
            ),
        ),
        rx.el.p(rx.el.a("Aller à la page de connexion", href="/connexion")),
    )


@portal_page(
    routes.SIGNUP,
    rx.cond(
        SignupState.done,
        page_title("Consultez votre messagerie"),
        rx.cond(
            SignupState.error_items.length() > 0,
            page_title("Créer un compte", error=True),
            page_title("Créer un compte"),
        ),
    ),
    guests_only=True,
    on_load=SignupState.load,
)
def inscription() -> rx.Component:
    return page(after_load(rx.cond(SignupState.done, _done(), _form())))
