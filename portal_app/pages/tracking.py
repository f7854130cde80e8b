import reflex as rx

from portal_app import routes
from portal_app.components.altcha import altcha_widget
from portal_app.components.forms import (
    email_field,
    error_summary,
    form,
    notice,
    submit_button,
    text_field,
)
from portal_app.components.layout import after_load, page
from portal_app.components.portal_page import portal_page
from portal_app.components.status_badge import status_badge
from portal_app.states.tracking import TrackingState

E = TrackingState.errors


def _form() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Suivre une demande"),
        rx.el.p(
            "Consultez l'état d'un dossier déposé sans vous connecter : indiquez l'adresse e-mail de votre compte "
            "(ou celle confirmée par un code pour une démarche sans compte) et le numéro du dossier, qui figure dans l'accusé de réception.",
        ),
        rx.cond(
            TrackingState.expired,
            notice(
                rx.el.p("Votre consultation a expiré. Refaites une recherche pour voir le suivi à jour."), kind="info"
            ),
        ),
        rx.cond(
            TrackingState.message != "",
            notice(rx.el.p(TrackingState.message), kind="error", id="message-suivi", tab_index=-1, role="alert"),
        ),
        error_summary(TrackingState.error_items),
        form(
            email_field(E),
            text_field(
                "number",
                "Numéro du dossier",
                E,
                hint="Par exemple : PTP-2026-000042",
                width="input--medium",
                auto_capitalize="characters",
                spell_check=False,
            ),
            altcha_widget(E),
            rx.el.div(submit_button("Voir le suivi", "Recherche en cours…"), class_name="form-actions"),
            on_submit=TrackingState.submit,
        ),
        rx.el.p(
            "Vous avez un compte ? ",
            rx.el.a("Connectez-vous", href="/connexion"),
            " pour voir tout le détail de vos démarches.",
        ),
    )


def _step(step) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(step.label), rx.el.span(" — ", step.date, class_name="muted")),
        rx.cond(step.motivation != "", rx.el.p("Motif : ", step.motivation, class_name="timeline__motivation")),
        class_name="timeline__item",
    )


def _view() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Suivi de votre demande"),
        rx.el.dl(
            rx.el.dt("Démarche"),
            rx.el.dd(
                TrackingState.demarche_title,
                rx.cond(TrackingState.for_whom != "", rx.el.span(" ", TrackingState.for_whom, class_name="for-whom")),
            ),
            rx.el.dt("Numéro"),
            rx.el.dd(TrackingState.number),
            rx.el.dt("État"),
            rx.el.dd(
                status_badge(TrackingState.status_label, TrackingState.status_colour, TrackingState.status_icon),
                id="etat-dossier",
            ),
            class_name="definition card",
        ),
        rx.el.h2("Historique"),
        rx.el.ol(rx.foreach(TrackingState.timeline, _step), class_name="timeline"),
        notice(
            rx.el.p(
                "Cette consultation reste ouverte jusqu'à ",
                TrackingState.valid_until,
                ". Pour le détail de votre dossier et vos échanges avec nos services, ",
                rx.el.a("connectez-vous", href="/connexion"),
                ".",
            ),
            kind="info",
        ),
        rx.el.div(
            rx.el.button(
                "Actualiser", type="button", on_click=TrackingState.refresh, class_name="button button--secondary"
            ),
            rx.el.button(
                "Suivre une autre demande",
                type="button",
                on_click=TrackingState.new_search,
                class_name="button button--secondary",
            ),
            class_name="form-actions",
        ),
    )


@portal_page(routes.TRACKING, "Suivre une demande — Portail", on_load=TrackingState.load)
def suivi() -> rx.Component:
    return page(after_load(rx.cond(TrackingState.found, _view(), _form())))
