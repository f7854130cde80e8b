"""The agent's view of a dossier's training quotes: who did what, when (domain/quotes/views.history)."""

from __future__ import annotations

import reflex as rx

from portal_app.states.agent_dossier import AgentDossierState as S


def quote_history_section() -> rx.Component:
    return rx.cond(
        S.quote_history.length() > 0,  # type: ignore[attr-defined]  # a Var of a list at run time (ArrayVar)
        rx.el.section(
            rx.el.h2("Devis de formation"),
            rx.el.ol(
                rx.foreach(
                    S.quote_history,
                    lambda row: rx.el.li(
                        rx.el.p(rx.el.strong(row[2]), " — ", row[3], rx.el.span(" — ", row[0], class_name="muted")),
                        rx.el.p(row[1], rx.cond(row[4] != "", rx.el.span(" : ", row[4]))),
                        class_name="timeline__item",
                    ),
                ),
                class_name="timeline",
            ),
            id="historique-devis",
        ),
    )
