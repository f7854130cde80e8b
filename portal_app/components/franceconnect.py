"""The FranceConnect button, drawn as the State's guidelines describe it (dark blue block, the
logo, "S'identifier avec FranceConnect", the "Qu'est-ce que FranceConnect ?" link under it,
an "ou" separator before the email form), with our own CSS and SVG: nothing fetched elsewhere.

Shown only when PORTAL_FC_* are set (decided when the pages are built).
"""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.backend import backend_href
from portal_app.components.forms import notice
from portal_app.settings import get_settings
from portal_app.states.filing_assurance import FilingAssuranceState as A

# The FranceConnect mark, simplified: a white hexagon with the tricolour stripe (its colours are
# tokens of assets/portal.css, .fc-logo__*).
_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 46" width="40" height="46" aria-hidden="true" focusable="false">'
    '<path class="fc-logo__white" d="M20 1 38.5 11.5v23L20 45 1.5 34.5v-23z"/>'
    '<path class="fc-logo__blue" d="M11 16h8v14h-8z"/>'
    '<path class="fc-logo__white fc-logo__edge" d="M19 16h6v14h-6z" stroke-width=".5"/>'
    '<path class="fc-logo__red" d="M25 16h5v14h-5z"/></svg>'
)


def enabled() -> bool:
    return get_settings().franceconnect is not None


def franceconnect_button(href: str | rx.Var = routes.FC_LEAVE, label: str = "FranceConnect") -> rx.Component:
    """A real page load to our backend route, which leaves for the provider."""
    return rx.el.div(
        rx.el.a(
            rx.html(_LOGO, class_name="fc-button__logo"),
            rx.el.span(
                rx.el.span("S'identifier avec", class_name="fc-button__login"),
                rx.el.span(label, class_name="fc-button__brand"),
                class_name="fc-button__text",
            ),
            href=backend_href(href),
            reload_document=True,
            class_name="fc-button",
        ),
        rx.el.p(
            rx.el.a(
                f"Qu'est-ce que {label} ?",
                href=routes.FC_ABOUT,
                target="_blank",
                rel="noopener",
                title=f"Qu'est-ce que {label} ? - nouvelle fenêtre",
            ),
            class_name="fc-about",
        ),
        class_name="fc-block",
    )


def franceconnect_choice(intro: str) -> rx.Component:
    """The button first, then "ou" before the email form; nothing when FranceConnect is not configured."""
    if not enabled():
        return rx.fragment()
    return rx.el.section(
        rx.el.h2("FranceConnect", class_name="sr-only"),
        rx.el.p(intro),
        franceconnect_button(),
        rx.el.p("ou", class_name="fc-separator"),
        aria_label="Se connecter avec FranceConnect",
    )


def fcplus_step() -> rx.Component:
    """On the recap of a démarche asking for eIDAS 2: why, and the FranceConnect+ button."""
    return rx.cond(
        A.message != "",
        rx.el.div(
            rx.cond(A.problem != "", notice(rx.el.p(A.problem), kind="error", role="alert")),
            notice(rx.el.p(A.message), kind="warning"),
            rx.cond(A.needed, franceconnect_button(href=A.leave_href, label="FranceConnect+")),
            id="franceconnect-plus",
            tab_index=-1,
        ),
    )
