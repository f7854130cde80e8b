"""The screens a page shows once its form or its link has done its work: a title, a notice, the
next step. One of them, for every mailed link that no longer works."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import notice

SUPERSEDED = "Un lien plus récent vous a été envoyé : seul le dernier lien reçu fonctionne."
UNKNOWN = "Ce lien est incomplet ou inconnu. Vérifiez que vous avez copié l'adresse en entier."


def outcome_screen(title: str, *message, next_step: rx.Component, kind: str = "success") -> rx.Component:
    """Title, the message (a paragraph per string, or components) in a notice, then the next step."""
    return rx.fragment(
        rx.el.h1(title),
        notice(*[rx.el.p(part) if isinstance(part, str) else part for part in message], kind=kind),
        next_step,
    )


def dead_link(
    state: Var, *, used: str, expired: str, next_step: rx.Component, superseded: str = SUPERSEDED, note: str = ""
) -> rx.Component:
    """A mailed link that no longer works; state: "used", "expired", "superseded" or anything
    else (unknown). note: a paragraph between the notice and the next step."""
    return rx.fragment(
        rx.el.h1("Ce lien n'est plus valable"),
        notice(
            rx.match(
                state,
                ("used", rx.el.p(used)),
                ("expired", rx.el.p(expired)),
                ("superseded", rx.el.p(superseded)),
                rx.el.p(UNKNOWN),
            ),
            kind="warning",
        ),
        rx.el.p(note) if note else rx.fragment(),
        next_step,
    )


def button_link(text: str, href: str) -> rx.Component:
    return rx.el.a(text, href=href, class_name="button button--primary")
