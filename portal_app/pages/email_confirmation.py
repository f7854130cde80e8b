import reflex as rx

from portal_app import routes
from portal_app.components.forms import notice
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.email_confirmation import EmailConfirmState
from portal_app.states.session import SessionState

ASK_AGAIN = "/mon-compte#adresse-e-mail"


def _valid() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Votre adresse e-mail est modifiée"),
        notice(
            rx.el.p(
                "Votre adresse e-mail de connexion est maintenant ", rx.el.strong(EmailConfirmState.new_email), "."
            ),
            rx.el.p("Utilisez-la désormais pour vous connecter. Les connexions déjà ouvertes restent ouvertes."),
            kind="success",
        ),
        rx.el.a("Aller à mon compte", href="/mon-compte", class_name="button button--primary"),
    )


def _taken() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Votre adresse e-mail n'a pas été modifiée"),
        notice(
            rx.el.p(
                "Cette adresse est désormais utilisée par un autre compte. Votre adresse de connexion reste "
                "la même. Vous pouvez demander le changement vers une autre adresse."
            ),
            kind="warning",
        ),
        rx.el.a("Choisir une autre adresse", href=ASK_AGAIN, class_name="button button--primary"),
    )


def _invalid() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Ce lien n'est plus valable"),
        notice(
            rx.match(
                EmailConfirmState.outcome,
                (
                    "used",
                    rx.el.p(
                        "Ce lien a déjà servi : votre adresse a sans doute déjà été modifiée. Vous pouvez le vérifier dans votre compte."
                    ),
                ),
                (
                    "expired",
                    rx.el.p(
                        f"Ce lien a expiré : il est valable {validity(Purpose.EMAIL_CHANGE)} seulement. Votre adresse de connexion n'a pas changé."
                    ),
                ),
                (
                    "superseded",
                    rx.el.p("Un lien plus récent vous a été envoyé : seul le lien du dernier e-mail reçu fonctionne."),
                ),
                rx.el.p("Ce lien est incomplet ou inconnu. Vérifiez que vous avez copié l'adresse en entier."),
            ),
            kind="warning",
        ),
        rx.el.p("Si besoin, faites une nouvelle demande depuis votre compte."),
        rx.el.a("Faire une nouvelle demande", href=ASK_AGAIN, class_name="button button--primary"),
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
