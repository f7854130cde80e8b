"""The owner's filed dossier, read-only: its summary, the timeline of its statuses, and the answers
with the pieces filed."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.backend import file_link
from portal_app.components.dossier import answer_list
from portal_app.components.forms import notice
from portal_app.components.status_badge import status_badge
from portal_app.states.dossier_page import DossierPageState

S = DossierPageState


def summary_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Résumé", id="resume"),
        rx.el.dl(
            rx.el.div(
                rx.el.dt("Statut", class_name="summary-list__key"),
                rx.el.dd(
                    status_badge(S.status_label, S.status_colour, S.status_icon), class_name="summary-list__value"
                ),
                class_name="summary-list__row",
            ),
            rx.el.div(
                rx.el.dt("Déposé le", class_name="summary-list__key"),
                rx.el.dd(
                    rx.cond(S.submitted_on != "", S.submitted_on, "Pas encore déposé"), class_name="summary-list__value"
                ),
                class_name="summary-list__row",
            ),
            rx.el.div(
                rx.el.dt("Prochaine étape", class_name="summary-list__key"),
                rx.el.dd(S.next_step, id="prochaine-etape", class_name="summary-list__value"),
                class_name="summary-list__row",
            ),
            class_name="summary-list",
        ),
        rx.cond(
            S.editable,
            rx.el.p(
                rx.el.a(
                    "Modifier mon dossier",
                    href="/demarches/dossier/" + S.dossier_ref.to_string(),
                    class_name="button button--primary",
                )
            ),
        ),
        rx.cond(
            S.can_be_reopened,
            notice(
                rx.el.p("Votre dossier a été déposé : il n'est plus modifiable."),
                rx.el.p(
                    "Si une information est inexacte ou a changé, appelez-nous au 09 70 00 00 00 (du lundi au vendredi, "
                    "de 9 h à 17 h, prix d'un appel local) ou écrivez-nous en indiquant votre numéro de dossier. "
                    "Nous pourrons réouvrir votre dossier : vous recevrez alors un e-mail, vous le modifierez, "
                    "puis vous le déposerez de nouveau."
                ),
                kind="info",
            ),
        ),
    )


def timeline_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Historique", id="historique"),
        rx.el.ol(
            rx.foreach(
                S.timeline,
                lambda item: rx.el.li(
                    rx.el.p(
                        status_badge(item.label, item.colour, item.icon), " ", rx.el.span(item.at, class_name="muted")
                    ),
                    rx.cond(
                        item.motivation != "",
                        rx.el.p(item.motivation_label, item.motivation, class_name="timeline__motivation"),
                    ),
                    class_name="timeline__item",
                ),
            ),
            class_name="timeline",
        ),
    )


def _filed_piece(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(item.label, class_name="recap-pieces__label"),
        file_link("Télécharger ", item.name, href=item.href, download=item.name),
        rx.el.span(" (", item.size, ")", class_name="muted"),
    )


def filed_pieces_list() -> rx.Component:
    return rx.cond(
        S.filed_pieces.length() > 0,  # type: ignore[attr-defined]
        rx.fragment(
            rx.el.p("Pièces déposées le ", S.pieces_filed_on, " :", class_name="muted"),
            rx.el.ul(rx.foreach(S.filed_pieces, _filed_piece), class_name="recap-pieces"),
        ),
        rx.el.p("Aucune pièce justificative n'a encore été déposée.", class_name="muted"),
    )


def _step(step: Var) -> rx.Component:
    return rx.el.div(
        rx.el.h3(step.number.to_string(), ". ", step.title),
        rx.cond(step.code == S.pieces_step, filed_pieces_list()),
        answer_list(step.rows),
    )


def answers_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Réponses", id="reponses"),
        rx.el.details(
            rx.el.summary("Afficher vos réponses"),
            rx.foreach(S.steps, _step),
            class_name="answers",
        ),
    )
