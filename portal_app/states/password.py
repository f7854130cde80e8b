from __future__ import annotations

import reflex as rx

from portal_app.domain.accounts.passwords import checklist_rows, password_checks
from portal_app.domain.core.formats import normalize_email


def checklist(password: str, email: str = "", names: tuple[str, ...] = ()) -> list[dict]:
    return checklist_rows(password_checks(password, email=email, names=names), typed=bool(password))


class PasswordChecklist(rx.State, mixin=True):
    """Live password rules; the email and names typed elsewhere in the form count too."""

    checks: list[dict] = checklist("")
    _password: str = ""
    _rule_email: str = ""
    _rule_names: dict[str, str] = {}

    def _refresh(self) -> None:
        names = tuple(part for value in self._rule_names.values() for part in value.replace("-", " ").split())
        self.checks = checklist(self._password, self._rule_email, names)

    @rx.event
    def password_typed(self, value: str):
        self._password = value
        self._refresh()

    @rx.event
    def email_typed(self, value: str):
        self._rule_email = normalize_email(value)
        self._refresh()

    @rx.event
    def name_typed(self, key: str, value: str):
        self._rule_names = {**self._rule_names, key: value}
        self._refresh()


class PasswordVisibility(rx.State):
    """Which password inputs of the tab show their text, by input id. A toggle in the browser
    alone would not hold: React sets an input's type again at each redraw of the form."""

    shown: list[str] = []

    @rx.event
    def toggle(self, fid: str):
        self.shown = [f for f in self.shown if f != fid] if fid in self.shown else [*self.shown, fid]

    @rx.event
    def hide(self, fid: str):
        # A field appearing (page load, another page with the same field) starts hidden.
        if fid in self.shown:
            self.shown = [f for f in self.shown if f != fid]
