"""The steps of a démarche with their state; on a phone, one line that opens the list."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.states.draft import DraftState


def _item(step: Var, source) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            rx.el.span(step.number.to_string(), class_name="stepper__number", aria_hidden="true"),
            rx.el.span(
                rx.el.span("Étape ", step.number.to_string(), " : ", class_name="sr-only"),
                step.title,
                class_name="stepper__title",
            ),
            rx.el.span(step.state_label, class_name="stepper__state"),
            type="button",
            on_click=source.go_to_step(step.code),
            aria_current=rx.cond(step.current, "step", None),
            class_name="stepper__link",
        ),
        class_name="stepper__item stepper__item--" + step.state + rx.cond(step.current, " stepper__item--current", ""),
    )


def _list(extra_class: str, source) -> rx.Component:
    return rx.el.ol(
        rx.foreach(source.steps, lambda step: _item(step, source)), class_name=f"stepper__list {extra_class}"
    )


def stepper(source=DraftState) -> rx.Component:
    """source: the draft's state, or any object with the same vars and go_to_step (the
    designers' gallery and preview draw it from sample steps)."""
    return rx.el.nav(
        # Phone: "Étape 2 sur 5 — La formation", the full list one tap away.
        rx.el.details(
            rx.el.summary(
                "Étape ",
                source.step_number.to_string(),
                " sur ",
                source.step_count.to_string(),
                " — ",
                source.step_title,
                class_name="stepper__summary",
            ),
            _list("", source),
            class_name="stepper__compact",
        ),
        _list("stepper__list--full", source),
        aria_label="Étapes de la démarche",
        class_name="stepper",
    )
