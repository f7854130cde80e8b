import reflex as rx

from portal_app import routes
from portal_app.components.layout import page
from portal_app.components.outcome import button_link, dead_link, outcome_screen
from portal_app.components.portal_page import portal_page
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.email_confirmation import EmailConfirmState
from portal_app.states.session import SessionState

ASK_AGAIN = "/mon-compte#adresse-e-mail"


def _valid() -> rx.Component:
    return outcome_screen(
        "Votre adresse e-mail est modifiée",
        rx.el.p("Votre adresse e-mail de connexion est maintenant ", rx.el.strong(EmailConfirmState.new_email), "."),
        "Utilisez-la désormais pour vous connecter. Les connexions déjà ouvertes restent ouvertes.",
        next_step=button_link("Aller à mon compte", "/mon-compte"),
    )


def _taken() -> rx.Component:
    return outcome_screen(
        "Votre adresse e-mail n'a pas été modifiée",
        "Cette adresse est désormais utilisée par un autre compte. Votre adresse de connexion reste "
        "la même. Vous pouvez demander le changement vers une autre adresse.",
        kind="warning",
        next_step=button_link("Choisir une autre adresse", ASK_AGAIN),
    )


def _invalid() -> rx.Component:
    return dead_link(
        EmailConfirmState.outcome,
        used="Ce lien a déjà servi : votre adresse a sans doute déjà été modifiée. Vous pouvez le vérifier dans "
        "votre compte.",
        expired=f"Ce lien a expiré : il est valable {validity(Purpose.EMAIL_CHANGE)} seulement. Votre adresse de "
        "connexion n'a pas changé.",
        superseded="Un lien plus récent vous a été envoyé : seul le lien du dernier e-mail reçu fonctionne.",
        note="Si besoin, faites une nouvelle demande depuis votre compte.",
        next_step=button_link("Faire une nouvelle demande", ASK_AGAIN),
    )


# Confirm first, so that the header of a signed-in visitor shows the account as it now is.
@portal_page(
    routes.EMAIL_CONFIRMATION,
    "Confirmation de l'adresse e-mail — Portail",
    on_load=[EmailConfirmState.confirm, SessionState.load_visitor],
)
def confirmation_email() -> rx.Component:
    return page(
        rx.match(
            EmailConfirmState.outcome,
            ("", rx.el.p("Vérification du lien…", role="status")),
            ("valid", _valid()),
            ("taken", _taken()),
            _invalid(),
        )
    )
