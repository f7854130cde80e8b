"""Presenters of a dossier shared by the owner's pages (recap, dossier page) and the back office."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def dossier_header(number: Var | str, *caption, caption_class: str = "caption") -> rx.Component:
    """The line above the title (démarche, breadcrumb or way back), then "Dossier <number>",
    the number kept on one line."""
    return rx.fragment(
        rx.el.p(*caption, class_name=caption_class) if caption_class else rx.el.p(*caption),
        rx.el.h1("Dossier ", rx.el.span(number, class_name="nowrap")),
    )


def answer_list(rows: Var) -> rx.Component:
    """The answers of one step, read-only: rows of {label, value}."""
    return rx.el.dl(
        rx.foreach(
            rows,
            lambda row: rx.el.div(
                rx.el.dt(row.label, class_name="summary-list__key"),
                rx.el.dd(row.value, class_name="summary-list__value"),
                class_name="summary-list__row",
            ),
        ),
        class_name="summary-list",
    )
