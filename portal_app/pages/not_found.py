"""The page of any unknown address (Reflex's 404 route): served with HTTP status 404."""

import reflex as rx

from portal_app import routes
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title


@portal_page(routes.NOT_FOUND, page_title("Page introuvable"))
def introuvable() -> rx.Component:
    return page(
        rx.el.h1("Page introuvable"),
        rx.el.p(
            "Aucune page ne correspond à cette adresse. Elle a peut-être été mal recopiée, "
            "ou la page a été déplacée ou supprimée."
        ),
        rx.el.p("Si vous avez saisi l'adresse vous-même, vérifiez-la. Sinon, repartez de l'une de ces pages :"),
        rx.el.ul(
            rx.el.li(rx.el.a("Accueil du Portail", href="/")),
            rx.el.li(rx.el.a("Mes démarches", href="/demarches")),
            rx.el.li(rx.el.a("Suivre une demande sans compte", href="/suivi")),
        ),
    )
