"""Mes démarches: drafts and filed dossiers of the user, resume or delete a draft."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app.domain import dossiers
from portal_app.domain.timefmt import paris_datetime
from portal_app.models import Dossier
from portal_app.models.base import as_utc
from portal_app.states.draft_views import form_href
from portal_app.states.session import current_user, to_login


@dataclass
class DossierRow:
    id: int
    title: str
    number: str
    status_label: str
    status_colour: str
    updated: str
    href: str
    action: str
    deletable: bool


def _row(dossier: Dossier) -> DossierRow:
    demarche = dossiers.demarche_of(dossier)
    status = demarche.status(dossier.status)
    editable = dossiers.owner_can_edit(dossier)
    href = form_href(dossier.id) if editable else f"{form_href(dossier.id)}/recapitulatif"
    return DossierRow(
        id=dossier.id or 0,
        title=demarche.title,
        number=dossier.number or "",
        status_label=status.label_for_owner if status else dossier.status,
        status_colour=status.colour if status else "grey",
        updated=paris_datetime(as_utc(dossier.updated_at)),
        href=href,
        action="Reprendre" if editable else "Consulter",
        deletable=dossier.number is None and dossier.status == demarche.draft_status,
    )


class MyDossiersState(rx.State):
    rows: list[DossierRow] = []
    confirm_id: int = 0
    message: str = ""
    loaded: bool = False

    def _reload(self, user_id: int) -> None:
        rows = []
        for dossier in dossiers.list_for_owner(user_id):
            try:
                rows.append(_row(dossier))
            except dossiers.NotFound:  # a démarche withdrawn from the catalogue
                continue
        self.rows = rows
        self.loaded = True

    @rx.event
    def load(self):
        user = current_user(self)
        if user is None:
            return None
        self.confirm_id = 0
        self.message = ""
        self._reload(user.id)
        return None

    @rx.event
    def ask_delete(self, dossier_id: int):
        self.confirm_id = int(dossier_id)
        self.message = ""
        return rx.call_script(
            f"setTimeout(() => {{ const e = document.getElementById('confirmer-suppression-{int(dossier_id)}'); if (e) e.focus(); }}, 60)"
        )

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    def delete(self, dossier_id: int):
        user = current_user(self)
        if user is None:
            return to_login(self)
        try:
            dossiers.delete_draft(user.id, int(dossier_id))
            self.message = "Le brouillon a été supprimé."
        except (dossiers.NotFound, dossiers.Locked):
            self.message = "Ce brouillon ne peut pas être supprimé : il a peut-être déjà été déposé ou supprimé."
        self.confirm_id = 0
        self._reload(user.id)
        return rx.call_script(
            "setTimeout(() => { const e = document.getElementById('message-demarches'); if (e) e.focus(); }, 60)"
        )
