import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.models import Role
from portal_app.states.notifications import NotificationsState
from portal_app.states.session import SessionState

S = NotificationsState


def _item(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            rx.cond(
                item.unread,
                rx.el.span("Non lue", class_name="tag tag--blue"),
                rx.el.span("Lue", class_name="tag tag--grey"),
            ),
            " ",
            rx.el.span(item.kind_label, " — ", item.at, class_name="muted"),
        ),
        rx.el.p(rx.el.a(item.text, href=item.href)),
        rx.cond(
            item.unread,
            rx.el.button(
                "Marquer comme lue",
                rx.el.span(" : ", item.text, class_name="sr-only"),
                type="button",
                on_click=S.mark_read(item.id),
                class_name="link-button",
            ),
        ),
        class_name=rx.cond(item.unread, "card notification notification--unread", "card notification"),
    )


@portal_page(routes.NOTIFICATIONS, "Notifications — Portail", role=Role.BENEFICIARY, on_load=NotificationsState.load)
def notifications_page() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Notifications"),
                rx.el.p(
                    "Vous choisissez dans ",
                    rx.el.a("Mon compte", href="/mon-compte"),
                    " les e-mails que vous recevez en plus de ces notifications.",
                ),
                rx.cond(
                    S.items.length() > 0,  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
                    rx.fragment(
                        rx.cond(
                            SessionState.unread_notifications > 0,
                            rx.el.p(
                                rx.el.button(
                                    "Tout marquer comme lu",
                                    type="button",
                                    on_click=S.mark_all_read,
                                    class_name="button button--secondary",
                                )
                            ),
                        ),
                        rx.el.ul(rx.foreach(S.items, _item), class_name="notification-list"),
                    ),
                    rx.cond(S.loaded, rx.el.p("Vous n'avez aucune notification.", class_name="card")),
                ),
            )
        ),
    )
