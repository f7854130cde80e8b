"""Mes démarches offers the dossiers made without an account with the holder's confirmed
address: "Rattacher ces dossiers à mon compte" (domain/guests/attach.py)."""

from __future__ import annotations

import reflex as rx

from portal_app.domain.core.wording import count_label
from portal_app.domain.guests import attach
from portal_app.models import Role, User
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires
from portal_app.states.my_dossiers import MyDossiersState


class GuestAttachState(rx.State):
    # "Demande d'attestation, ATT-2026-000003" per dossier offered.
    offered: list[str] = []
    attached: str = ""

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self.attached = ""
        self.offered = [
            f"{found.title}, {found.number}" if found.number else f"{found.title} (brouillon)"
            for found in attach.pending(user.id)
        ]

    @rx.event
    @requires(Role.BENEFICIARY)
    def attach(self, user: User):
        moved = attach.attach(user.id)
        self.offered = []
        what = count_label(moved, "dossier rattaché", "dossiers rattachés")
        self.attached = f"{what} à votre compte." if moved else "Aucun dossier à rattacher."
        # The list below draws them now.
        return [MyDossiersState.load, focus_soon("rattachement")]
