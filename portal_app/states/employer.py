"""Employer space: first-login personalisation, confirmation, règlements.

Every handler is declared @requires(Role.EMPLOYER): the guard also checks that the account is
past personalisation and confirmation; state vars are only what the page shows.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.domain.core.mail import mask_email
from portal_app.domain.core.money import euros, french_number
from portal_app.domain.core.wording import count_label
from portal_app.domain.employer import credentials, employer_documents, onboarding, reglements
from portal_app.domain.employer.onboarding import Stage
from portal_app.domain.employer.reglements import french_date
from portal_app.models import Role, User
from portal_app.states.guard import allowed_user, public, requires
from portal_app.states.session import SessionState


def format_siret(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret


async def show_company(state: rx.State, view: onboarding.EmployerView) -> None:
    # The header shows the company rather than the contact's address.
    session = await state.get_state(SessionState)
    session.display_name = view.company_name


class EmployerPage(rx.State, mixin=True):
    """What every page of the space shows about the employer."""

    ready: bool = False
    company_name: str = ""
    siret: str = ""

    def _show_employer(self, view: onboarding.EmployerView) -> None:
        self.company_name = view.company_name
        self.siret = format_siret(view.siret)
        self.ready = True


# ---------------------------------------------------------------- first login


class PersonaliseState(FormErrors, rx.State):
    stage: str = ""
    email_hint: str = ""
    resent: bool = False
    checks: list[dict] = credentials.employer_checklist("")
    _email: str = ""

    @rx.event
    @requires(Role.EMPLOYER, onboarding_open=True)
    async def load(self, user: User):
        self.stage = ""
        self.resent = False
        self._clear_errors()
        view = await asyncio.to_thread(onboarding.view, user.id)
        if view is None or view.stage is Stage.READY:
            return rx.redirect(routes.EMPLOYER)
        await show_company(self, view)
        self._email = view.email
        self.email_hint = mask_email(view.email)
        self.stage = view.stage.value
        return None

    @rx.event
    @requires(Role.EMPLOYER, onboarding_open=True)
    def password_typed(self, user: User, value: str):
        self.checks = credentials.employer_checklist(value, self._email)

    @rx.event
    @requires(Role.EMPLOYER, onboarding_open=True)
    def submit(self, user: User, form: dict):
        result = onboarding.personalise(user.id, form)
        if not result.ok:
            return self._set_errors(result.errors, onboarding.PERSONALISE_ORDER)
        self._clear_errors()
        self.stage = Stage.CONFIRM.value
        return rx.call_script("window.scrollTo(0, 0)")

    @rx.event
    @requires(Role.EMPLOYER, onboarding_open=True)
    def resend(self, user: User):
        self.resent = onboarding.resend_confirmation(user.id)
        return None


class ConfirmState(FormErrors, rx.State):
    # valid | used | expired | superseded | unknown | done ; "" while checking.
    outcome: str = ""
    _token: str = ""

    @rx.event
    async def load(self):
        self._clear_errors()
        self._token = self.router.url.query_parameters.get("jeton", "")
        self.outcome, view = await asyncio.to_thread(self._look)
        if view is not None:
            await show_company(self, view)

    def _look(self) -> tuple[str, Any]:
        """(the link's state, the company to show in the header or None), from a thread."""
        outcome = onboarding.confirmation_state(self._token).value
        # Only to show the company in the header; the confirmation itself needs no session.
        user = allowed_user(self, Role.EMPLOYER, onboarding_open=True)
        return outcome, onboarding.view(user.id) if user is not None else None

    @rx.event
    @public
    def submit(self, form: dict):
        # No session needed: the mailed link and the password prove who is there.
        result = onboarding.confirm(self._token, form)
        if result.state.value != "valid":
            self.outcome = result.state.value
            return None
        if result.errors:
            return self._set_errors(result.errors, ("password", "accept_privacy"))
        self._clear_errors()
        self.outcome = "done"
        return None


# ---------------------------------------------------------------- règlements


@dataclasses.dataclass
class RowView:
    id: int
    paid_on: str
    dossier: str
    beneficiary: str
    formation: str
    number: str
    detail: str
    amount: str
    pointed: bool
    avis_href: str


@dataclasses.dataclass
class MonthView:
    label: str
    heading_id: str
    total: str
    count: str
    rows: list[RowView]


def _row(line: reglements.Line, avis: dict[int, int]) -> RowView:
    detail = (
        f"Règlement n°{line.number} – {french_number(line.hours)} heures payées – "
        f"Période du {french_date(line.period_start)} au {french_date(line.period_end)}"
    )
    document_id = avis.get(line.id)
    return RowView(
        id=line.id,
        paid_on=french_date(line.paid_on),
        dossier=line.dossier_number,
        beneficiary=line.beneficiary,
        formation=line.formation,
        number=line.number,
        detail=detail,
        amount=euros(line.amount),
        pointed=line.pointed,
        avis_href=f"/_portal/employeur/documents/{document_id}" if document_id else "",
    )


def filters_query(filters: reglements.Filters) -> str:
    """The query string of the export link: the same search, re-checked by the route."""
    params = {
        "du": filters.start.isoformat() if filters.start else "",
        "au": filters.end.isoformat() if filters.end else "",
        "dossier": filters.dossier,
        "reglement": filters.number,
        "non_pointes": "1" if filters.unpointed_only else "",
    }
    return urlencode({key: value for key, value in params.items() if value})


class ReglementsState(FormErrors, EmployerPage, rx.State):
    months: list[MonthView] = []
    summary: str = ""
    searched: bool = False
    has_any: bool = False
    export_query: str = ""

    @rx.var
    def export_href(self) -> str:
        return "/_portal/employeur/reglements.xlsx" + (f"?{self.export_query}" if self.export_query else "")

    def _fill(self, employer_id: int, filters: reglements.Filters) -> None:
        lines = reglements.search(employer_id, filters)
        avis = employer_documents.avis_document_ids(employer_id, [line.id for line in lines])
        self.months = [
            MonthView(
                label=group.label[0].upper() + group.label[1:],
                heading_id=f"mois-{group.year}-{group.month:02d}",
                total=euros(group.total),
                count=count_label(len(group.lines), "règlement"),
                rows=[_row(line, avis) for line in group.lines],
            )
            for group in reglements.group_by_month(lines)
        ]
        self.summary = (
            f"{count_label(len(lines), 'règlement')} – total {euros(reglements.total(lines))}" if lines else ""
        )
        self.export_query = filters_query(filters)

    @rx.event
    @requires(Role.EMPLOYER)
    async def load(self, user: User):
        self.ready = False
        self._clear_errors()
        view = await asyncio.to_thread(onboarding.view, user.id)
        await show_company(self, view)
        self._show_employer(view)
        self.searched = False
        await asyncio.to_thread(self._fill, user.id, reglements.Filters())
        self.has_any = bool(self.months)
        return None

    @rx.event
    @requires(Role.EMPLOYER)
    def search(self, user: User, form: dict):
        filters, errors = reglements.parse_filters(form)
        if errors:
            return self._set_errors(errors, reglements.FILTER_ORDER)
        self._clear_errors()
        self.searched = True
        self._fill(user.id, filters)
        return None

    @rx.event
    @requires(Role.EMPLOYER)
    def toggle_pointed(self, user: User, reglement_id: int, checked: bool):
        if not reglements.set_pointed(user.id, int(reglement_id), bool(checked)):
            return None
        for month in self.months:
            for row in month.rows:
                if row.id == reglement_id:
                    row.pointed = bool(checked)
        self.months = list(self.months)
        return None
