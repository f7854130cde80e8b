"""The frame of every page: skip link, header with the account menu, main, footer."""

from __future__ import annotations

import reflex as rx

from portal_app.components.anchors import in_page_link
from portal_app.models import Role
from portal_app.states.session import SessionState

FOOTER_LINKS = (
    ("Mentions légales", "/mentions-legales"),
    ("Données personnelles", "/donnees-personnelles"),
    ("Accessibilité : partiellement conforme", "/accessibilite"),
    ("Gestion des cookies", "/cookies"),
)


def _menu_links(session) -> rx.Component:
    return rx.cond(
        session.signed_in,
        rx.el.ul(
            rx.match(
                session.role,
                (Role.AGENT.value, rx.el.li(rx.el.a("Back office", href="/agent"))),
                (Role.EMPLOYER.value, rx.el.li(rx.el.a("Mon espace employeur", href="/employeur"))),
                rx.fragment(
                    rx.el.li(rx.el.a("Mes démarches", href="/demarches")),
                    rx.el.li(rx.el.a("Porte-documents", href="/porte-documents")),
                ),
            ),
            rx.el.li(rx.el.a("Mon compte", href="/mon-compte")),
            rx.el.li(
                rx.el.button(
                    "Se déconnecter",
                    type="button",
                    on_click=session.logout,
                    class_name="link-button",
                )
            ),
            class_name="nav__list",
        ),
        rx.el.ul(
            rx.el.li(rx.el.a("Se connecter", href="/connexion")),
            rx.el.li(rx.el.a("Créer un compte", href="/inscription")),
            class_name="nav__list",
        ),
    )


def bell(session=SessionState) -> rx.Component:
    """The notifications link: a count in text (never a dot alone), spoken as a sentence."""
    count = session.unread_notifications
    return rx.cond(
        session.signed_in & (session.role == Role.BENEFICIARY.value),
        rx.el.a(
            rx.el.span(aria_hidden="true", class_name="icon icon--bell bell__icon"),
            rx.el.span("Notifications", class_name="bell__label"),
            rx.cond(
                count > 0,
                rx.el.span(
                    rx.el.span(count.to_string(), class_name="bell__count"),
                    rx.el.span(session.unread_words, class_name="sr-only"),
                ),
            ),
            href="/notifications",
            id="cloche",
            class_name="bell",
        ),
    )


def header(session=SessionState) -> rx.Component:
    """session: the visitor's SessionState, or any object with the same vars and logout (the
    designers' gallery draws the header signed in and out from sample values)."""
    return rx.el.header(
        rx.el.div(
            rx.el.a(
                rx.el.span("Portail", class_name="brand__name"),
                rx.el.span("Transitions professionnelles", class_name="brand__tagline"),
                href="/",
                class_name="brand",
                aria_label="Portail, accueil",
            ),
            bell(session),
            # Phone: a disclosure menu. Desktop: the same links inline (CSS shows one of the two).
            # Its button says what it is ("Menu"); who is signed in is said to screen readers
            # there and written in full at the top of the opened panel (a name cut short by
            # the narrow screen would name nobody). Escape and link clicks: assets/portal.js.
            rx.el.details(
                rx.el.summary(
                    "Menu",
                    rx.cond(
                        session.signed_in,
                        rx.el.span(", connecté·e en tant que ", session.display_name, class_name="sr-only"),
                    ),
                    class_name="nav__toggle",
                ),
                rx.el.nav(
                    rx.cond(
                        session.signed_in,
                        rx.el.p(
                            rx.el.span("Connecté·e en tant que", class_name="nav__user-label"),
                            rx.el.span(session.display_name, class_name="nav__user-name"),
                            class_name="nav__user",
                        ),
                    ),
                    _menu_links(session),
                    aria_label="Menu principal",
                    class_name="nav",
                ),
                class_name="nav__details",
            ),
            rx.el.nav(
                rx.cond(
                    session.signed_in,
                    rx.el.p(session.display_name, class_name="nav-inline__user"),
                ),
                _menu_links(session),
                aria_label="Menu principal",
                class_name="nav-inline",
            ),
            class_name="header__inner",
        ),
        class_name="header",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.el.div(
            rx.el.p("Portail — l'espace personnel des transitions professionnelles", class_name="footer__brand"),
            rx.el.ul(
                *[rx.el.li(rx.el.a(text, href=href)) for text, href in FOOTER_LINKS],
                class_name="footer__links",
            ),
            class_name="footer__inner",
        ),
        class_name="footer",
    )


def page(*children, width: str = "narrow") -> rx.Component:
    """width: narrow (forms), wide (tables, back office). Either way the content starts at the
    left edge of the header's frame (.frame), under the brand.

    Focus moves to the page's <h1> when the page changes (assets/portal.js): every page has one."""
    return rx.el.div(
        in_page_link("Aller au contenu", href="#contenu", class_name="skip-link"),
        header(),
        rx.el.main(
            rx.el.div(rx.el.div(*children, class_name=f"container container--{width}"), class_name="frame"),
            id="contenu",
            tab_index=-1,
            class_name="main",
        ),
        footer(),
        class_name="site",
    )


def protected(*children) -> rx.Component:
    """Content drawn only once the server has checked the session (no flash of private page)."""
    return rx.cond(
        SessionState.ready & (SessionState.signed_in | SessionState.guest),
        rx.fragment(*children),
        rx.el.p("Chargement…", class_name="loading", role="status"),
    )


def after_load(*children) -> rx.Component:
    """Content drawn once the page's on_load handlers have run. Reflex keeps each tab's state,
    so a reload would otherwise flash the previous step (e.g. "consultez votre messagerie")."""
    return rx.cond(
        rx.State.is_hydrated,
        rx.fragment(*children),
        rx.el.p("Chargement…", class_name="loading", role="status"),
    )
