import reflex as rx

from portal_app import demarches as registry
from portal_app import routes
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.states.session import SessionState


def _without_account() -> rx.Component:
    """The démarches anyone may file without an account (Demarche.guest, domain/guests)."""
    offered = [demarche for demarche in registry.all_demarches() if demarche.guest]
    if not offered:
        return rx.fragment()
    return rx.cond(
        SessionState.signed_in,
        rx.fragment(),
        rx.fragment(
            rx.el.h2("Faire une démarche sans compte"),
            rx.el.ul(
                *[
                    rx.el.li(
                        rx.el.a(demarche.title, href=routes.guest_start(demarche.code)),
                        " : ",
                        demarche.description,
                    )
                    for demarche in offered
                ]
            ),
        ),
    )


@portal_page(routes.HOME, "Portail — votre espace personnel")
def home() -> rx.Component:
    return page(
        rx.el.h1("Votre espace personnel"),
        rx.el.p(
            "Préparez et suivez vos démarches de transition professionnelle, déposez vos justificatifs "
            "et échangez avec nos conseillers.",
            class_name="lead",
        ),
        rx.cond(
            SessionState.signed_in,
            rx.el.div(
                rx.el.a("Voir mes démarches", href="/demarches", class_name="button button--primary"),
                class_name="form-actions",
            ),
            rx.el.div(
                rx.el.a("Se connecter", href="/connexion", class_name="button button--primary"),
                rx.el.a("Créer un compte", href="/inscription", class_name="button button--secondary"),
                class_name="form-actions",
            ),
        ),
        _without_account(),
        rx.el.h2("Suivre une demande sans compte"),
        rx.el.p(
            "Vous avez un numéro de dossier ? ",
            rx.el.a("Suivez votre demande avec votre adresse e-mail et ce numéro", href="/suivi"),
            ".",
        ),
    )
