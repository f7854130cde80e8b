"""The live password checklist shown while the user types."""

import reflex as rx
from reflex.vars import Var


def password_checklist(checks: Var, list_id: str = "regles-mot-de-passe") -> rx.Component:
    """checks: list of {label, ok} dicts kept by the state as the user types."""
    return rx.el.div(
        rx.el.p("Votre mot de passe doit contenir :", class_name="field__hint"),
        rx.el.ul(
            rx.foreach(
                checks,
                lambda check: rx.el.li(
                    check["label"],
                    rx.el.span(rx.cond(check["ok"], " (respecté)", " (non respecté)"), class_name="sr-only"),
                    class_name=rx.cond(check["ok"], "ok", ""),
                ),
            ),
            class_name="checklist",
        ),
        id=list_id,
        # Polite: announced between keystrokes without interrupting.
        aria_live="polite",
    )
