"""The one confirmation panel: a question, what it will do, then "confirm" and "Annuler"."""

from __future__ import annotations

import reflex as rx


def confirm_panel(
    heading: rx.Component,
    *details: rx.Component,
    confirm_label: str,
    on_confirm,
    on_cancel,
    danger: bool = True,
    class_name: str = "card card--panel card--danger",
    **props,
) -> rx.Component:
    """An alertdialog: heading names the action; props give its id and what labels it
    (aria_labelledby or aria_label). A dangerous action gets the red button."""
    confirm_class = "button button--danger" if danger else "button button--primary"
    return rx.el.div(
        heading,
        *details,
        rx.el.div(
            rx.el.button(confirm_label, type="button", on_click=on_confirm, class_name=confirm_class),
            rx.el.button("Annuler", type="button", on_click=on_cancel, class_name="button button--secondary"),
            class_name="form-actions",
        ),
        role="alertdialog",
        class_name=class_name,
        **props,
    )
