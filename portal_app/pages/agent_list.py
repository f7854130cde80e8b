import reflex as rx

from portal_app import routes
from portal_app.components.agent_nav import agent_nav
from portal_app.components.forms import field_id, select_field
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.components.status_badge import status_badge
from portal_app.models import Role
from portal_app.states.agent_list import AgentListState as S


def _select(name: str, label: str, options, value) -> rx.Component:
    return select_field(
        name,
        label,
        [rx.el.option("Tous", value=""), rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))],
        default_value=value,
        select_class="input select",
    )


def _input(name: str, label: str, value, type: str = "text") -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=field_id(name), class_name="field__label"),
        rx.el.input(id=field_id(name), name=name, type=type, default_value=value, class_name="input"),
        class_name="field",
    )


def _filters() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            _select("demarche", "Démarche", S.demarche_options, S.demarche),
            _select("status", "Statut", S.status_options, S.status),
            _input("number", "Numéro", S.number),
            _input("name", "Nom du demandeur", S.name),
            _input("filed_from", "Déposé à partir du", S.filed_from, "date"),
            _input("filed_to", "Déposé jusqu'au", S.filed_to, "date"),
            class_name="agent-filters__grid",
        ),
        rx.el.div(
            rx.el.button("Filtrer", type="submit", class_name="button button--primary"),
            rx.el.button(
                "Effacer les filtres", type="button", on_click=S.reset_filters, class_name="button button--secondary"
            ),
            class_name="form-actions",
        ),
        id="filtres-dossiers",
        on_submit=S.apply,
        no_validate=True,
        role="search",
        aria_label="Filtrer les dossiers",
        class_name="agent-filters card",
    )


def _row(row) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.a(row.number, href=row.href), class_name="nowrap"),
        rx.el.td(row.beneficiary, rx.cond(row.for_whom != "", rx.el.span(row.for_whom, class_name="dossier-row__for"))),
        rx.el.td(row.demarche_title),
        rx.el.td(status_badge(row.status_label, row.status_colour, row.status_icon)),
        rx.el.td(row.submitted, class_name="nowrap"),
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(
                S.total_label,
                " — page ",
                S.page.to_string(),
                " sur ",
                S.pages.to_string(),
                class_name="data-table__caption",
            ),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th("Numéro", scope="col"),
                    rx.el.th("Demandeur", scope="col"),
                    rx.el.th("Démarche", scope="col"),
                    rx.el.th("Statut", scope="col"),
                    rx.el.th("Déposé le", scope="col"),
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="data-table",
        ),
        class_name="data-table__scroll",
        tab_index=0,
        role="region",
        aria_label="Dossiers",
    )


def _pager() -> rx.Component:
    return rx.el.nav(
        rx.el.button(
            "Page précédente",
            type="button",
            on_click=S.go(S.page - 1),
            disabled=S.page <= 1,
            class_name="button button--secondary",
        ),
        rx.el.span("Page ", S.page.to_string(), " sur ", S.pages.to_string(), class_name="pager__info"),
        rx.el.button(
            "Page suivante",
            type="button",
            on_click=S.go(S.page + 1),
            disabled=S.page >= S.pages,
            class_name="button button--secondary",
        ),
        aria_label="Pages de résultats",
        class_name="pager",
    )


@portal_page(routes.AGENT, "Back office — Dossiers — Portail", role=Role.AGENT, on_load=S.load)
def agent() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Dossiers déposés"),
                agent_nav("/agent"),
                _filters(),
                rx.cond(
                    S.total > 0,
                    rx.fragment(_table(), _pager()),
                    rx.cond(
                        S.loaded,
                        rx.el.p("Aucun dossier ne correspond à ces filtres.", role="status", class_name="card"),
                    ),
                ),
            )
        ),
        width="wide",
    )
