import reflex as rx

from portal_app import routes
from portal_app.components.forms import form, notice, submit_button
from portal_app.components.layout import after_load, page
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.activation import ActivationState


def _resend_form() -> rx.Component:
    return rx.cond(
        ActivationState.resent,
        notice(
            rx.el.p("Si un compte attend son activation avec cette adresse, un nouveau lien vient de lui être envoyé."),
            kind="success",
        ),
        form(
            rx.el.div(
                rx.el.label("Adresse e-mail de votre compte", html_for="champ-email", class_name="field__label"),
                rx.el.input(id="champ-email", name="email", type="email", auto_complete="email", class_name="input"),
                class_name="field",
            ),
            submit_button("Recevoir un nouveau lien"),
            on_submit=ActivationState.resend,
            class_name="form",
        ),
    )


@portal_page(
    routes.ACTIVATION,
    rx.match(
        ActivationState.outcome,
        ("valid", page_title("Compte activé")),
        ("used", page_title("Lien déjà utilisé", "Activation du compte")),
        ("", page_title("Activation du compte")),
        page_title("Lien plus valable", "Activation du compte"),
    ),
    on_load=ActivationState.load,
)
def activation() -> rx.Component:
    return page(
        after_load(
            rx.match(
                ActivationState.outcome,
                (
                    "valid",
                    rx.fragment(
                        rx.el.h1("Votre compte est activé"),
                        notice(
                            rx.el.p(
                                "Merci ! Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter."
                            ),
                            kind="success",
                        ),
                        rx.cond(
                            ActivationState.duplicate,
                            notice(
                                rx.el.p(
                                    "Un autre compte utilise déjà votre numéro de sécurité sociale. Nos services vont "
                                    "réunir les deux comptes en un seul ; vous serez prévenu par e-mail. Vous n'avez rien à faire."
                                ),
                                kind="info",
                            ),
                        ),
                        rx.el.a("Se connecter", href="/connexion", class_name="button button--primary"),
                    ),
                ),
                (
                    "used",
                    rx.fragment(
                        rx.el.h1("Ce lien a déjà été utilisé"),
                        rx.el.p("Votre compte est sans doute déjà activé : essayez de vous connecter."),
                        rx.el.a("Se connecter", href="/connexion", class_name="button button--primary"),
                    ),
                ),
                (
                    "",
                    rx.el.p("Vérification du lien…", role="status"),
                ),
                rx.fragment(
                    rx.el.h1("Ce lien d'activation n'est plus valable"),
                    rx.el.p(
                        f"Il a expiré (il est valable {validity(Purpose.ACTIVATION)}) ou un lien plus récent vous a été envoyé : "
                        "seul le dernier lien reçu fonctionne. Demandez un nouveau lien ci-dessous."
                    ),
                    _resend_form(),
                ),
            )
        )
    )
