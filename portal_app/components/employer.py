"""Pieces shared by the pages of the employer space."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import field_error, field_id

TABS = (("Règlements", "/employeur"), ("Documents", "/employeur/documents"))


def space_header(company_name: Var, siret: Var, current: str) -> rx.Component:
    """Title, company, and the two tabs of the space (plain links: each is its own page)."""
    return rx.fragment(
        rx.el.p("Espace employeur", class_name="eyebrow"),
        rx.el.h1(company_name),
        rx.el.p("SIRET ", siret, class_name="muted"),
        rx.el.nav(
            rx.el.ul(
                *[
                    rx.el.li(
                        rx.el.a(
                            label,
                            href=href,
                            class_name="tabs__link tabs__link--current" if href == current else "tabs__link",
                            aria_current="page" if href == current else None,
                        )
                    )
                    for label, href in TABS
                ],
                class_name="tabs__list",
            ),
            aria_label="Rubriques de l'espace employeur",
            class_name="tabs",
        ),
    )


def loading_or(ready: Var, *children) -> rx.Component:
    return rx.cond(ready, rx.fragment(*children), rx.el.p("Chargement…", class_name="loading", role="status"))


def search_field(name: str, label: str, errors: Var, **props) -> rx.Component:
    """Every criterion of a search is optional: no "(facultatif)" on each label."""
    fid = field_id(name)
    has_error = errors.contains(name)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
    return rx.el.div(
        rx.el.label(label, html_for=fid, class_name="field__label"),
        field_error(name, errors),
        rx.el.input(
            id=fid,
            name=name,
            aria_describedby=rx.cond(has_error, f"{fid}-erreur", None),
            aria_invalid=rx.cond(has_error, "true", "false"),
            class_name=rx.cond(has_error, "input input--error", "input"),
            **props,
        ),
        class_name=rx.cond(has_error, "field field--error", "field"),
    )
