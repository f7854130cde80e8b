"""The notifications list (/notifications): newest first, mark one or all as read."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app import routes
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.dossiers import notifications
from portal_app.models import Role, User
from portal_app.models.base import as_utc
from portal_app.states.guard import requires
from portal_app.states.session import SessionState


@dataclass
class NotificationView:
    id: int
    text: str
    at: str
    href: str
    unread: bool
    kind_label: str


class NotificationsState(rx.State):
    items: list[NotificationView] = []
    loaded: bool = False

    def _reload(self, user_id: int) -> None:
        self.items = [
            NotificationView(
                n.id or 0,
                n.text,
                paris_datetime(as_utc(n.created_at)),
                routes.dossier_page(n.dossier_id) + ("#discussion" if n.kind == notifications.MESSAGE else "")
                if n.dossier_id
                else routes.MY_DOSSIERS,
                n.read_at is None,
                "Message" if n.kind == notifications.MESSAGE else "Statut",
            )
            for n in notifications.list_for(user_id)
        ]
        self.loaded = True

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self._reload(user.id)
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    def mark_read(self, user: User, notification_id: int):
        notifications.mark_read(user.id, int(notification_id))
        self._reload(user.id)
        return SessionState.refresh_bell

    @rx.event
    @requires(Role.BENEFICIARY)
    def mark_all_read(self, user: User):
        notifications.mark_read(user.id)
        self._reload(user.id)
        return SessionState.refresh_bell
