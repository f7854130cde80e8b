import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.backend import file_link
from portal_app.components.dossier import dossier_header
from portal_app.components.forms import checkbox_field, error_summary, form, notice, submit_button
from portal_app.components.franceconnect import fcplus_step
from portal_app.components.headings import heading
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.models import Role
from portal_app.pages.draft import not_found
from portal_app.states.filing_assurance import FilingAssuranceState
from portal_app.states.recap import SWORN_FIELD, RecapState
from portal_app.states.session import SessionState


def status_tag(label: Var, colour: Var) -> rx.Component:
    return rx.el.span(label, class_name="tag tag--" + colour)


def _row(row: Var) -> rx.Component:
    return rx.el.div(
        rx.el.dt(row.label, class_name="summary-list__key"),
        rx.el.dd(
            rx.cond(
                row.missing,
                rx.el.span(row.value, " ", rx.el.span("(à compléter)", class_name="summary-list__missing")),
                row.value,
            ),
            class_name=rx.cond(
                row.value == "Non renseigné", "summary-list__value summary-list__value--empty", "summary-list__value"
            ),
        ),
        class_name="summary-list__row",
    )


def _piece(piece: Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(piece.label, class_name="recap-pieces__label"),
        rx.cond(
            piece.attached,
            rx.cond(
                piece.href != "",
                file_link("Télécharger ", piece.name, href=piece.href, download=piece.name),
                rx.el.span(piece.name),
            ),
            rx.el.span(
                rx.cond(
                    piece.missing,
                    rx.el.span("Manquant", class_name="tag tag--orange"),
                    rx.el.span("Non fourni", class_name="tag tag--grey"),
                ),
            ),
        ),
        rx.cond(piece.attached, rx.el.span(" (", piece.size_label, ")", class_name="muted")),
    )


def _pieces() -> rx.Component:
    return rx.el.ul(rx.foreach(RecapState.pieces, _piece), class_name="recap-pieces")


def _step(step: Var) -> rx.Component:
    return recap_step(step, _pieces(), RecapState.pieces_step)


def recap_step(step: Var, pieces: rx.Component, pieces_step: Var, level: int = 2) -> rx.Component:
    """One step of the recap; `pieces` is drawn under the pieces step (the designers' preview
    lists sample pieces, having no dossier, and nests the recap under its own heading: `level`)."""
    return rx.el.section(
        rx.el.div(
            heading(level, step.number.to_string(), ". ", step.title, class_name="recap-step__title"),
            rx.cond(~step.complete, rx.el.span("Incomplète", class_name="tag tag--orange")),
            rx.cond(
                RecapState.editable,
                rx.el.a(
                    "Modifier",
                    rx.el.span(" : ", step.title, class_name="sr-only"),
                    href=step.edit_href,
                    class_name="recap-step__edit",
                ),
            ),
            class_name="recap-step__head",
        ),
        rx.cond(
            step.rows.length() > 0,  # type: ignore[attr-defined]  # Reflex: a field of a foreach item is a Var
            rx.el.dl(rx.foreach(step.rows, _row), class_name="summary-list"),
        ),
        rx.cond(step.code == pieces_step, pieces),
        id="recap-" + step.code,
        tab_index=-1,
        class_name=rx.cond(step.complete, "recap-step", "recap-step recap-step--incomplete"),
    )


def _submit_form() -> rx.Component:
    return form(
        rx.el.h2("Déclaration sur l'honneur"),
        checkbox_field(SWORN_FIELD, RecapState.sworn_statement, RecapState.errors, value="oui"),
        rx.el.div(submit_button("Déposer mon dossier", "Dépôt en cours…"), class_name="form-actions"),
        on_submit=RecapState.submit,
        class_name="form recap-submit",
    )


def _history() -> rx.Component:
    return rx.cond(
        ~RecapState.editable | RecapState.reopened,
        rx.el.div(
            rx.el.h2("Historique"),
            rx.el.ul(
                rx.foreach(
                    RecapState.history,
                    lambda item: rx.el.li(
                        rx.el.strong(item.label),
                        " — ",
                        item.at,
                        rx.cond(item.motivation != "", rx.el.span(" — motif : ", item.motivation)),
                    ),
                ),
                class_name="history",
            ),
        ),
    )


def _recap() -> rx.Component:
    return rx.fragment(
        rx.cond(
            RecapState.editable,
            rx.fragment(
                rx.el.p(
                    RecapState.title,
                    rx.cond(RecapState.for_whom != "", rx.el.span(" ", RecapState.for_whom, class_name="for-whom")),
                    class_name="caption",
                ),
                rx.el.h1("Vérifiez vos réponses avant de déposer votre dossier"),
            ),
            dossier_header(RecapState.number, RecapState.title),
        ),
        rx.el.p("Statut : ", status_tag(RecapState.status_label, RecapState.status_colour), class_name="recap-status"),
        rx.cond(
            RecapState.reopened,
            notice(
                rx.el.p("Votre dossier a été réouvert : modifiez vos réponses, puis déposez-le de nouveau."),
                kind="warning",
            ),
        ),
        error_summary(RecapState.error_items, title="Votre dossier ne peut pas encore être déposé"),
        rx.cond(
            RecapState.editable & ~RecapState.complete,
            notice(
                rx.el.p("Certaines étapes sont incomplètes : utilisez les liens « Modifier » pour les compléter."),
                kind="warning",
            ),
        ),
        rx.foreach(RecapState.steps, _step),
        rx.cond(RecapState.editable, rx.fragment(fcplus_step(), _submit_form())),
        _history(),
        rx.cond(~SessionState.guest, rx.el.p(rx.el.a("Retour à mes démarches", href="/demarches"))),
    )


@portal_page(
    routes.RECAP,
    RecapState.page_title,
    role=Role.BENEFICIARY,
    guest_open=True,
    on_load=[RecapState.load, FilingAssuranceState.load],
)
def dossier_recap() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.cond(
                    ~RecapState.found,
                    not_found(),
                    rx.cond(RecapState.ready, _recap(), rx.el.p("Chargement…", class_name="loading", role="status")),
                )
            )
        ),
    )
