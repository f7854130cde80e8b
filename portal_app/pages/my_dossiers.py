"""Mes démarches: the owner's dossiers with their status and the next thing to do.

One <table> in the DOM: a table on a desktop, each row drawn as a card on a phone (CSS), so
the two never disagree and tests find one row per dossier."""

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.confirm_panel import confirm_panel
from portal_app.components.forms import notice, select_field
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.components.status_badge import status_badge
from portal_app.models import Role
from portal_app.states.guest_attach import GuestAttachState
from portal_app.states.my_dossiers import FILTERS, MyDossiersState
from portal_app.states.session import SessionState

S = MyDossiersState


def _confirm() -> rx.Component:
    return rx.cond(
        S.confirm_id != 0,
        confirm_panel(
            rx.el.p(
                rx.el.strong("Supprimer définitivement ce brouillon ?"),
                " Vos réponses seront effacées ; cette action ne peut pas être annulée.",
            ),
            confirm_label="Oui, supprimer le brouillon",
            on_confirm=S.delete(S.confirm_id),
            on_cancel=S.cancel_delete,
            class_name="notice notice--warning dossier-row__confirm",
            id="confirmer-suppression-" + S.confirm_id.to_string(),
            aria_label="Confirmer la suppression",
            tab_index=-1,
        ),
    )


def _cell(label: str, *children, class_name: str = "") -> rx.Component:
    return rx.el.td(
        *children, custom_attrs={"data-label": label}, class_name=f"dossier-table__cell {class_name}".strip()
    )


def _row(row: Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            rx.el.a(row.title, href=row.href, class_name="dossier-row__title"),
            rx.cond(row.for_whom != "", rx.el.span(row.for_whom, class_name="dossier-row__for")),
            scope="row",
            class_name="dossier-table__cell dossier-table__title",
        ),
        _cell("Numéro", rx.cond(row.number != "", row.number, rx.el.span("Pas encore déposé", class_name="muted"))),
        _cell("Statut", status_badge(row.status_label, row.status_colour, row.status_icon)),
        _cell("Mise à jour", row.updated),
        _cell(
            "Prochaine étape",
            row.next_step,
            rx.cond(
                row.expires_on != "",
                rx.el.span(" · Sera supprimé le ", row.expires_on, class_name="expiry-marker"),
            ),
            rx.cond(
                row.unread > 0,
                rx.el.span(
                    " · ",
                    row.unread_label,
                    class_name="unread-marker",
                ),
            ),
        ),
        _cell(
            "Actions",
            rx.el.div(
                rx.el.a(
                    row.action,
                    rx.el.span(" : ", row.title, class_name="sr-only"),
                    href=row.href,
                    class_name="button button--primary button--small",
                ),
                rx.cond(
                    row.deletable,
                    rx.el.button(
                        "Supprimer",
                        rx.el.span(" le brouillon : ", row.title, class_name="sr-only"),
                        type="button",
                        on_click=S.ask_delete(row.id),
                        class_name="button button--secondary button--small",
                    ),
                ),
                class_name="dossier-table__actions",
            ),
        ),
        class_name="dossier-row",
    )


def _filters() -> rx.Component:
    return rx.el.div(
        rx.el.nav(
            rx.el.ul(
                *[
                    rx.el.li(
                        rx.el.button(
                            label,
                            " (",
                            S.counts[code].to_string(),
                            ")",
                            type="button",
                            on_click=S.set_filter(code),
                            id=f"filtre-{code}",
                            aria_pressed=rx.cond(S.filter == code, "true", "false"),
                            class_name=rx.cond(S.filter == code, "filter filter--on", "filter"),
                        )
                    )
                    for code, label in FILTERS
                ],
                class_name="filters",
            ),
            aria_label="Filtrer mes démarches",
        ),
        rx.el.form(
            rx.el.div(
                rx.el.label("Rechercher (numéro ou démarche)", html_for="recherche", class_name="field__label"),
                rx.el.input(
                    id="recherche",
                    name="recherche",
                    type="search",
                    default_value=S.query,
                    max_length=100,
                    class_name="input",
                ),
                class_name="field",
            ),
            select_field(
                "tri",
                "Trier par",
                [
                    rx.el.option("Mise à jour la plus récente", value="recent"),
                    rx.el.option("Mise à jour la plus ancienne", value="ancien"),
                ],
                id="tri",
                default_value=rx.cond(S.oldest_first, "ancien", "recent"),
            ),
            rx.el.button("Rechercher", type="submit", class_name="button button--secondary"),
            on_submit=S.search,
            # Filters read from the URL or cleared: the inputs are drawn again with them.
            key=S.form_key.to_string(),
            class_name="dashboard-search",
        ),
        class_name="dashboard-tools",
    )


def _table() -> rx.Component:
    return rx.el.table(
        rx.el.caption("Mes dossiers", class_name="sr-only"),
        rx.el.thead(
            rx.el.tr(
                *[
                    rx.el.th(text, scope="col")
                    for text in ("Démarche", "Numéro", "Statut", "Mise à jour", "Prochaine étape", "Actions")
                ]
            )
        ),
        rx.el.tbody(rx.foreach(S.shown, _row)),
        class_name="dossier-table",
    )


def _clear_button() -> rx.Component:
    return rx.el.button(
        "Effacer les filtres",
        type="button",
        on_click=S.clear_filters,
        class_name="button button--secondary button--small",
    )


def _empty() -> rx.Component:
    return rx.el.div(
        rx.el.p("Vous n'avez pas encore de démarche en cours."),
        rx.el.p(rx.el.a("Découvrir les démarches proposées", href="/demarches/nouvelle")),
        class_name="card empty-state",
    )


def _guest_dossiers() -> rx.Component:
    """Dossiers made without an account with this address (domain/guests/attach.py)."""
    return rx.fragment(
        rx.cond(
            GuestAttachState.attached != "",
            notice(rx.el.p(GuestAttachState.attached), kind="success", id="rattachement", tab_index=-1),
        ),
        rx.cond(
            GuestAttachState.offered.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.section(
                rx.el.h2("Vos démarches faites sans compte", id="titre-rattachement"),
                rx.el.p("Avec l'adresse e-mail de votre compte, vous avez fait ces démarches sans compte :"),
                rx.el.ul(rx.foreach(GuestAttachState.offered, lambda label: rx.el.li(label)), class_name="steps-list"),
                rx.el.p("Rattachées à votre compte, vous les suivez ici comme vos autres démarches."),
                rx.el.button(
                    "Rattacher ces dossiers à mon compte",
                    type="button",
                    on_click=GuestAttachState.attach,
                    class_name="button button--primary",
                ),
                aria_labelledby="titre-rattachement",
                class_name="notice notice--info",
            ),
        ),
    )


@portal_page(
    routes.MY_DOSSIERS,
    "Mes démarches — Portail",
    role=Role.BENEFICIARY,
    # The offer above the list first: arriving after the rows, it would push them down.
    on_load=(GuestAttachState.load, MyDossiersState.load),
)
def mes_demarches() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Mes démarches"),
                rx.el.p("Bonjour ", SessionState.display_name, "."),
                _guest_dossiers(),
                rx.cond(
                    S.message != "",
                    notice(rx.el.p(S.message), id="message-demarches", tab_index=-1),
                ),
                rx.el.p(
                    rx.el.a("Commencer une démarche", href="/demarches/nouvelle", class_name="button button--primary")
                ),
                rx.cond(
                    S.rows.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                    rx.fragment(
                        _filters(),
                        _confirm(),
                        rx.el.div(
                            rx.el.p(S.shown_label, role="status", class_name="muted"),
                            rx.cond(S.filtered & (S.shown.length() > 0), _clear_button()),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                            class_name="dashboard-count",
                        ),
                        rx.cond(
                            S.shown.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                            _table(),
                            rx.el.div(
                                rx.el.p("Aucun dossier ne correspond à ces filtres."),
                                _clear_button(),
                                id="aucun-resultat",
                                class_name="card empty-state",
                            ),
                        ),
                    ),
                    # Until its rows are read, the page says so, and the footer is not drawn
                    # (assets/portal.css): drawn, it was pushed down as the rows arrived, a layout
                    # shift (issue 18). `loaded` is never set back: a reconnection, which runs the
                    # loads again, redraws nothing.
                    rx.cond(S.loaded, _empty(), rx.el.p("Chargement…", class_name="loading", role="status")),
                ),
            )
        ),
        width="wide",
    )
