import reflex as rx

from portal_app import routes
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.states.session import SessionState


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
        rx.el.h2("Suivre une demande sans compte"),
        rx.el.p(
            "Vous avez un numéro de dossier ? ",
            rx.el.a("Suivez votre demande avec votre adresse e-mail et ce numéro", href="/suivi"),
            ".",
        ),
    )
