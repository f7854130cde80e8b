import reflex as rx

from portal_app.components.layout import page, protected
from portal_app.states.session import SessionState


@rx.page(route="/demarches", title="Mes démarches — Portail", on_load=SessionState.guard_beneficiary)
def mes_demarches() -> rx.Component:
    return page(
        protected(
            rx.el.h1("Mes démarches"),
            rx.el.p("Bonjour ", SessionState.display_name, "."),
            rx.el.div(
                rx.el.p("Vous n'avez pas encore de démarche en cours."),
                rx.el.a("Commencer une démarche", href="/demarches/nouvelle", class_name="button button--primary"),
                class_name="card",
            ),
        ),
        width="wide",
    )
