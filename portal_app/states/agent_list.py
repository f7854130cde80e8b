"""Back office: the list of filed dossiers, filtered and paged. Agents only, checked on every event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import reflex as rx

from portal_app import routes
from portal_app.components.status_badge import glyph
from portal_app.domain.backoffice import views
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.wording import count_label
from portal_app.models import Role, User
from portal_app.states.guard import requires


@dataclass
class Row:
    id: int
    number: str
    demarche_title: str
    status_label: str
    status_colour: str
    status_icon: str
    beneficiary: str
    submitted: str
    href: str
    for_whom: str


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


class AgentListState(rx.State):
    rows: list[Row] = []
    total: int = 0
    total_label: str = ""  # "1 dossier", "12 dossiers"
    page: int = 1
    pages: int = 1
    demarche: str = ""
    status: str = ""
    number: str = ""
    name: str = ""
    filed_from: str = ""
    filed_to: str = ""
    demarche_options: list[list[str]] = []
    status_options: list[list[str]] = []
    loaded: bool = False

    def _search(self) -> None:
        found = views.search_dossiers(
            views.Filters(
                demarche=self.demarche,
                status=self.status,
                number=self.number,
                name=self.name,
                filed_from=_day(self.filed_from),
                filed_to=_day(self.filed_to),
            ),
            page=self.page,
        )
        self.rows = [
            Row(
                r.id,
                r.number,
                r.demarche_title,
                r.status_label,
                r.status_colour,
                glyph(r.status_icon),
                r.beneficiary,
                paris_datetime(r.submitted_at) if r.submitted_at else "",
                routes.agent_dossier(r.id),
                r.for_whom,
            )
            for r in found.rows
        ]
        self.total, self.pages, self.page = found.total, found.pages, found.page
        self.total_label = count_label(found.total, "dossier")
        self.loaded = True

    @rx.event
    @requires(Role.AGENT)
    def load(self, _user: User):
        self.demarche_options = [[code, title] for code, title in views.demarche_choices()]
        self.status_options = [[code, label] for code, label in views.status_choices()]
        self._search()
        return

    @rx.event
    @requires(Role.AGENT)
    def apply(self, _user: User, form: dict):
        self.demarche = str(form.get("demarche", ""))
        self.status = str(form.get("status", ""))
        self.number = str(form.get("number", ""))[:40]
        self.name = str(form.get("name", ""))[:100]
        self.filed_from = str(form.get("filed_from", ""))
        self.filed_to = str(form.get("filed_to", ""))
        self.page = 1
        self._search()
        return None

    @rx.event
    @requires(Role.AGENT)
    def reset_filters(self, _user: User):
        self.demarche = self.status = self.number = self.name = self.filed_from = self.filed_to = ""
        self.page = 1
        self._search()
        return rx.call_script("document.getElementById('filtres-dossiers')?.reset()")

    @rx.event
    @requires(Role.AGENT)
    def go(self, _user: User, page: int):
        self.page = max(1, int(page))
        self._search()
        return None
