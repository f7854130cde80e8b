import reflex as rx

from portal_app import routes
from portal_app.components.forms import form, notice, submit_button
from portal_app.components.layout import after_load, page
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.states.franceconnect_link import FranceConnectLinkState as S


def _ready() -> rx.Component:
    return rx.fragment(
        rx.el.p(
            "Votre identité FranceConnect, ",
            rx.el.strong(S.full_name),
            ", sera reliée au compte ",
            rx.el.strong(S.email),
            ". Vous pourrez ensuite vous y connecter avec FranceConnect ; votre identité y sera certifiée.",
        ),
        form(
            rx.el.div(submit_button("Relier mon compte", "Liaison…"), class_name="form-actions"),
            on_submit=S.link,
            key="fc-link-confirm",
        ),
    )


def _problem() -> rx.Component:
    return rx.fragment(
        notice(rx.el.p(S.problem), kind="error", role="alert"),
        rx.el.p(rx.el.a("Aller à la page de connexion", href=routes.LOGIN)),
    )


@portal_page(
    routes.FC_LINK,
    rx.cond(
        S.outcome == "problem",
        page_title("Lien non valable", "Relier votre compte à FranceConnect"),
        page_title("Relier votre compte à FranceConnect"),
    ),
    guests_only=True,
    on_load=S.load,
)
def franceconnect_link() -> rx.Component:
    return page(
        rx.el.h1("Relier votre compte à FranceConnect"),
        after_load(rx.match(S.outcome, ("ready", _ready()), ("problem", _problem()), rx.fragment())),
    )
