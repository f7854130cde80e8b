"""A filed dossier as the back office reads it: the pieces of each filing, the files of the discussion,
the history and the answers."""

from __future__ import annotations

import reflex as rx

from portal_app.components.backend import file_link
from portal_app.components.dossier import answer_list
from portal_app.states.agent_dossier import AgentDossierState as S


def answers_section() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Réponses"),
        rx.foreach(
            S.steps,
            lambda step: rx.el.section(
                rx.el.h3(step.title),
                answer_list(step.rows),
            ),
        ),
    )


def attachment_link(item) -> rx.Component:
    return rx.el.li(
        file_link(item.name, href=item.href, download=item.name),
        rx.el.span(" (", item.size, ")", class_name="muted"),
    )


def _filed_piece(item) -> rx.Component:
    return _piece_row(item, dated=True)


def _grouped_piece(item) -> rx.Component:
    # Under a "Dépôt du …" heading the date is said once, by the heading.
    return _piece_row(item, dated=False)


def _piece_row(item, dated: bool) -> rx.Component:
    return rx.el.li(
        rx.el.span(item.label, class_name="recap-pieces__label"),
        file_link(item.name, href=item.href, download=item.name, class_name="filed-piece__file"),
        rx.el.span(
            " — ",
            item.size,
            *([" — déposé le ", item.date] if dated else []),
            rx.cond(item.unchanged, " — identique au dépôt précédent", ""),
            class_name="muted",
        ),
        class_name="filed-piece",
    )


def _filing(filing) -> rx.Component:
    return rx.el.section(
        rx.el.h3(
            filing.title,
            rx.cond(filing.latest, rx.el.span(" ", rx.el.span("Le plus récent", class_name="tag tag--blue"))),
        ),
        rx.el.ul(rx.foreach(filing.pieces, _grouped_piece), class_name="recap-pieces"),
        class_name="filing",
    )


def pieces_section() -> rx.Component:
    """Every piece as filed, in the démarche's order; several filings each under its date,
    the latest first."""
    return rx.el.section(
        rx.el.h2("Pièces justificatives", id="pieces-justificatives"),
        rx.cond(
            S.filings.length() > 1,  # type: ignore[attr-defined]
            rx.fragment(
                rx.el.p(
                    "Le dossier a été déposé plusieurs fois : chaque dépôt garde les pièces qu'il contenait.",
                    class_name="muted",
                ),
                rx.foreach(S.filings, _filing),
            ),
            rx.cond(
                S.filings.length() == 1,  # type: ignore[attr-defined]
                rx.foreach(
                    S.filings, lambda f: rx.el.ul(rx.foreach(f.pieces, _filed_piece), class_name="recap-pieces")
                ),
                rx.el.p("Aucune pièce justificative n'a été déposée avec ce dossier.", class_name="muted"),
            ),
        ),
    )


def documents_section() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Documents de la discussion"),
        rx.cond(
            S.attachments.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(rx.foreach(S.attachments, attachment_link), class_name="bullets"),
            rx.el.p("Aucun document n'a été échangé dans la discussion.", class_name="muted"),
        ),
    )


def history_section() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Historique"),
        rx.el.ol(
            rx.foreach(
                S.history,
                lambda item: rx.el.li(
                    rx.el.p(rx.el.strong(item.text), rx.el.span(" — ", item.date, class_name="muted")),
                    rx.cond(
                        item.motivation != "", rx.el.p("Motif : ", item.motivation, class_name="timeline__motivation")
                    ),
                    class_name="timeline__item",
                ),
            ),
            class_name="timeline",
        ),
    )
