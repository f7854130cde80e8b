"""Mon compte, "Mes données": ask for the zip of one's data (built by the job queue)."""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app.domain.accounts import data_export
from portal_app.domain.core.dates import paris_long
from portal_app.models import User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires

ASKED = (
    "Nous préparons vos données. Vous recevrez un e-mail dès qu'elles seront prêtes, avec un lien valable 24 heures."
)


class DataExportState(rx.State):
    export_message: str = ""
    # The ready zip, while it can be downloaded ("" when none).
    ready_link: str = ""
    ready_until: str = ""

    @rx.event
    @requires()
    async def load(self, user: User):
        self.export_message = ""
        export = await asyncio.to_thread(data_export.ready_export, user.id)
        self.ready_link = data_export.download_path(export.id) if export is not None else ""
        self.ready_until = paris_long(as_utc(export.expires_at)) if export is not None else ""

    @rx.event
    @requires()
    async def ask_export(self, user: User):
        # A database write: off the event loop.
        await asyncio.to_thread(data_export.request_export, user.id)
        self.export_message = ASKED
        return focus_soon("message-mes-donnees")
