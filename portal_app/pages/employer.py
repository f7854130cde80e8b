"""The employer space: règlements (home), first-login personalisation and confirmation."""

import reflex as rx

from portal_app import routes
from portal_app.components.backend import file_link
from portal_app.components.employer import loading_or, search_field, space_header
from portal_app.components.employer_access import (
    confirm_done,
    confirm_form,
    confirm_invalid,
    personalise_form,
    waiting_for_link,
)
from portal_app.components.forms import checkbox_field, error_summary, form, notice, submit_button
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.models import Role
from portal_app.states.employer import ConfirmState, MonthView, PersonaliseState, ReglementsState, RowView

R = ReglementsState


def _search_form() -> rx.Component:
    return form(
        rx.el.fieldset(
            rx.el.legend("Rechercher des règlements", class_name="search__legend"),
            rx.el.div(
                search_field("start", "Réglés à partir du", R.errors, type="date"),
                search_field("end", "Réglés jusqu'au", R.errors, type="date"),
                search_field("dossier", "N° de dossier", R.errors, spell_check=False),
                search_field("number", "N° de règlement", R.errors, input_mode="numeric"),
                class_name="search__grid",
            ),
            checkbox_field("unpointed", "Non pointés seulement", R.errors),
            rx.el.div(
                submit_button("Rechercher", "Recherche…"),
                rx.el.a(
                    "Effacer les critères",
                    href="/employeur",
                    reload_document=True,
                    class_name="button button--secondary",
                ),
                class_name="form-actions",
            ),
            class_name="fieldset",
        ),
        on_submit=R.search,
        no_validate=True,
        class_name="form search card",
        role="search",
        aria_label="Rechercher des règlements",
    )


def _row(row: RowView) -> rx.Component:
    checkbox_id = "pointer-" + row.id.to(str)
    return rx.el.li(
        rx.el.div(
            rx.el.p(
                rx.el.span(row.paid_on, class_name="reglement__date"),
                rx.el.span(" – Dossier ", row.dossier),
                rx.el.span(" – ", row.beneficiary),
                class_name="reglement__head",
            ),
            rx.el.p(row.formation, class_name="reglement__formation"),
            rx.el.p(row.detail, class_name="reglement__detail"),
            rx.cond(
                row.avis_href != "",
                file_link(
                    "Avis de virement",
                    rx.el.span(" du règlement n°", row.number, " (PDF)", class_name="sr-only"),
                    href=row.avis_href,
                    class_name="reglement__avis",
                ),
            ),
            class_name="reglement__main",
        ),
        rx.el.div(
            rx.el.p(row.amount, class_name="reglement__amount"),
            rx.el.div(
                rx.el.input(
                    id=checkbox_id,
                    type="checkbox",
                    checked=row.pointed,
                    on_change=lambda checked: R.toggle_pointed(row.id, checked),
                    class_name="checkbox__input",
                ),
                rx.el.label(
                    "Pointé",
                    rx.el.span(" : règlement n°", row.number, class_name="sr-only"),
                    html_for=checkbox_id,
                    class_name="checkbox__label",
                ),
                class_name="checkbox",
            ),
            class_name="reglement__side",
        ),
        class_name=rx.cond(row.pointed, "reglement reglement--pointed", "reglement"),
    )


def _month(month: MonthView) -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.h3(month.label, id=month.heading_id),
            rx.el.p(month.count, " – total ", rx.el.strong(month.total), class_name="month__total"),
            class_name="month__head",
        ),
        rx.el.ul(rx.foreach(month.rows, _row), class_name="reglements"),
        aria_labelledby=month.heading_id,
        class_name="month",
    )


def _results() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.h2("Vos règlements", class_name="results__title"),
            rx.cond(
                R.months.length() > 0,
                file_link("Exporter (Excel)", href=R.export_href, class_name="button button--secondary"),
            ),
            class_name="results__head",
        ),
        rx.el.p(R.summary, class_name="results__summary", aria_live="polite", id="resultats-resume"),
        rx.cond(
            R.months.length() > 0,
            rx.foreach(R.months, _month),
            notice(
                rx.cond(
                    R.has_any,
                    rx.el.p("Aucun règlement ne correspond à votre recherche. Modifiez ou effacez les critères."),
                    rx.el.p("Vous n'avez encore reçu aucun règlement."),
                ),
                kind="info",
            ),
        ),
    )


@portal_page(routes.EMPLOYER, "Règlements — Espace employeur — Portail", role=Role.EMPLOYER, on_load=R.load)
def employeur() -> rx.Component:
    return page(
        loading_or(
            R.ready,
            space_header(R.company_name, R.siret, "/employeur"),
            rx.el.p(
                "Les règlements que l'agence vous a versés, regroupés par mois. Cochez « Pointé » "
                "quand vous avez rapproché un règlement de vos comptes : c'est enregistré aussitôt.",
            ),
            error_summary(R.error_items),
            _search_form(),
            _results(),
        ),
        width="wide",
    )


# ---------------------------------------------------------------- personalisation

P = PersonaliseState


@portal_page(
    routes.EMPLOYER_PERSONALISE,
    rx.cond(P.stage == "confirm", page_title("Consultez votre messagerie"), page_title("Personnalisez votre accès")),
    role=Role.EMPLOYER,
    onboarding_open=True,
    on_load=P.load,
)
def personnalisation() -> rx.Component:
    return page(
        rx.match(
            P.stage,
            ("personalise", personalise_form()),
            ("confirm", waiting_for_link()),
            rx.el.p("Chargement…", class_name="loading", role="status"),
        )
    )


# ---------------------------------------------------------------- confirmation

C = ConfirmState


@portal_page(
    routes.EMPLOYER_CONFIRMATION,
    rx.match(
        C.outcome,
        ("done", page_title("Votre espace est prêt")),
        ("", page_title("Confirmez l'accès à votre espace")),
        ("valid", page_title("Confirmez l'accès à votre espace")),
        page_title("Lien plus valable", "Espace employeur"),
    ),
    on_load=C.load,
)
def confirmation() -> rx.Component:
    return page(
        rx.match(
            C.outcome,
            ("", rx.el.p("Chargement…", class_name="loading", role="status")),
            ("valid", confirm_form()),
            ("done", confirm_done()),
            confirm_invalid(),
        )
    )
