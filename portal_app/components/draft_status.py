"""The discreet "Brouillon enregistré à 14:32" line, read out by screen readers.

Online and saved: React writes the time of the last change of the draft. Typing: draft_autosave.js shows "Enregistrement…"
until the server confirms (no event per keystroke for that). Offline: Reflex's own
connection errors switch to the offline message.
"""

from __future__ import annotations

import reflex as rx
from reflex.components.core.banner import has_connection_errors

from portal_app.states.draft import DraftState

OFFLINE = "Hors connexion : vos saisies seront enregistrées au retour de la connexion."


def draft_status() -> rx.Component:
    return rx.el.div(
        rx.cond(has_connection_errors, rx.el.span(OFFLINE, class_name="draft-status__offline")),
        rx.el.span("Enregistrement…", id="etat-brouillon-en-cours", class_name="draft-status__saving", hidden=True),
        rx.el.span(
            "Brouillon enregistré ",
            DraftState.saved_at,
            id="etat-brouillon-enregistre",
            class_name="draft-status__saved",
        ),
        id="etat-brouillon",
        role="status",
        class_name="draft-status",
    )
