import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.models import Role
from portal_app.states.catalogue import CatalogueState


def _offer(item: Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(
            "Vous avez déjà commencé cette démarche (brouillon modifié le ",
            CatalogueState.offer_updated,
            "). Voulez-vous le reprendre ?",
        ),
        rx.el.div(
            rx.el.a("Reprendre mon brouillon", href=CatalogueState.offer_href, class_name="button button--primary"),
            rx.el.button(
                "Commencer un nouveau dossier",
                type="button",
                on_click=CatalogueState.start_new(item.code),
                class_name="button button--secondary",
            ),
            class_name="form-actions",
        ),
        id="brouillon-existant",
        role="status",
        tab_index=-1,
        class_name="notice notice--info",
    )


def _card(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.h2(item.title, class_name="catalogue__title"),
        rx.el.p(item.description),
        rx.el.p(item.steps_label, " · vos réponses sont enregistrées au fil de la saisie.", class_name="muted"),
        rx.cond(
            CatalogueState.offer_code == item.code,
            _offer(item),
            rx.el.button(
                "Commencer",
                rx.el.span(" : ", item.title, class_name="sr-only"),
                type="button",
                on_click=CatalogueState.start(item.code),
                class_name="button button--primary",
            ),
        ),
        class_name="card catalogue__item",
    )


@portal_page(routes.CATALOGUE, "Commencer une démarche — Portail", role=Role.BENEFICIARY, on_load=CatalogueState.load)
def demarche_catalogue() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Commencer une démarche"),
                rx.el.p("Choisissez la démarche qui correspond à votre demande.", class_name="lead"),
                rx.el.ul(rx.foreach(CatalogueState.items, _card), class_name="catalogue"),
                rx.el.p(rx.el.a("Retour à mes démarches", href="/demarches")),
            )
        ),
    )
