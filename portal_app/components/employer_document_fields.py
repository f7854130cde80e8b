"""Fields of the employer's document forms (add and edit): category, dossier, period."""

from __future__ import annotations

import reflex as rx

from portal_app.components.forms import select_field, text_field
from portal_app.states.employer_documents import EmployerDocumentsState as D


def document_select(name: str, label: str, options, *, value=None, hint: str = "", **props) -> rx.Component:
    if value is not None:
        props["default_value"] = value
    return select_field(name, label, options, D.errors, hint=hint, **props)


def category_select(on_change, value=None) -> rx.Component:
    return document_select(
        "category",
        "Type de document",
        [
            rx.el.option("Choisissez un type", value="", disabled=True),
            rx.foreach(D.categories, lambda c: rx.el.option(c["label"], value=c["key"])),
        ],
        value=value if value is not None else "",
        on_change=on_change,
    )


def dossier_options(optional: bool) -> list:
    return [
        rx.el.option("Aucun dossier (document général)" if optional else "Choisissez un dossier", value=""),
        rx.foreach(D.form_dossiers, lambda d: rx.el.option(d.number + " – " + d.beneficiary, value=d.number)),
    ]


def period_fields(required, values=None) -> rx.Component:
    if values is None:
        values = {}

    def dates(optional: bool) -> rx.Component:
        # "(facultatif)" once, on the legend, rather than on each date.
        return rx.el.div(
            text_field(
                "period_start",
                "Du",
                D.errors,
                type="date",
                optional=optional,
                default_value=values.get("period_start", ""),
            ),
            text_field(
                "period_end", "Au", D.errors, type="date", optional=optional, default_value=values.get("period_end", "")
            ),
            class_name="search__grid search__grid--two period",
        )

    return rx.el.fieldset(
        rx.el.legend(rx.cond(required, "Période", "Période (facultatif)"), class_name="field__label"),
        rx.cond(required, dates(False), dates(True)),
        class_name="fieldset",
    )
