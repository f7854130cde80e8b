import reflex as rx

from portal_app import routes
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.models import Role
from portal_app.pages.draft import not_found
from portal_app.states.recap import ConfirmationState


def _confirmation() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            rx.el.h1("Votre dossier a été déposé", class_name="panel__title"),
            rx.el.p("Votre numéro de dossier", class_name="panel__label"),
            rx.el.p(ConfirmationState.number, class_name="panel__number", id="numero-dossier"),
            class_name="panel panel--success",
        ),
        rx.el.p(
            "Votre demande « ",
            ConfirmationState.title,
            " »",
            rx.cond(
                ConfirmationState.for_whom != "", rx.el.span(" ", ConfirmationState.for_whom, class_name="for-whom")
            ),
            " a été enregistrée le ",
            ConfirmationState.submitted_on,
            ".",
        ),
        rx.el.p(
            "Un e-mail de confirmation avec le récapitulatif de vos réponses vient d'être envoyé à ",
            rx.el.strong(ConfirmationState.email),
            ". Indiquez votre numéro de dossier dans tous vos échanges avec nous.",
        ),
        rx.el.h2("Et maintenant ?"),
        rx.el.ol(
            rx.el.li("Nous vérifions que votre dossier est complet. Si un document manque, nous vous écrivons."),
            rx.el.li(
                rx.cond(
                    ConfirmationState.guest,
                    "Un conseiller étudie votre demande. Vous suivez chaque étape sur la page « Suivre une demande », "
                    "avec votre adresse e-mail et ce numéro.",
                    "Un conseiller étudie votre demande. Vous suivez chaque étape dans « Mes démarches ».",
                )
            ),
            rx.el.li("Vous recevez notre décision par e-mail."),
            class_name="steps-list",
        ),
        rx.cond(
            ConfirmationState.guest,
            rx.el.div(
                rx.el.a("Suivre ma demande", href=routes.TRACKING, class_name="button button--primary"),
                class_name="form-actions",
            ),
            rx.el.div(
                rx.el.a(
                    "Consulter mon dossier",
                    href="/demarches/dossier/" + ConfirmationState.dossier_ref.to_string() + "/suivi",
                    class_name="button button--primary",
                ),
                rx.el.a("Retour à mes démarches", href="/demarches", class_name="button button--secondary"),
                class_name="form-actions",
            ),
        ),
    )


@portal_page(
    routes.DOSSIER_FILED,
    ConfirmationState.page_title,
    role=Role.BENEFICIARY,
    guest_open=True,
    on_load=ConfirmationState.load,
)
def dossier_confirmation() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.cond(
                    ~ConfirmationState.found,
                    not_found(),
                    rx.cond(
                        ConfirmationState.ready,
                        _confirmation(),
                        rx.el.p("Chargement…", class_name="loading", role="status"),
                    ),
                )
            )
        ),
    )
