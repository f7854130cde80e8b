"""The draft form's vars and drawing: what DraftState (states/draft.py) shows of a draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from portal_app import demarches as registry
from portal_app import routes
from portal_app.components.forms import field_id
from portal_app.components.titles import page_title
from portal_app.domain.core.dates import PARIS
from portal_app.domain.core.formats import record_id
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import drafts, held, pieces
from portal_app.domain.dossiers.demarche import Demarche
from portal_app.domain.relations.relations import for_whom_suffix
from portal_app.models import Dossier
from portal_app.models.base import as_utc
from portal_app.states import draft_scripts as js
from portal_app.states.draft_views import (
    FieldView,
    StepView,
    field_views,
    piece_labels,
    refreshed_step_views,
    step_values,
    step_views,
)


def saved_when(moment: datetime) -> str:
    """Today: "à 14:32"; for a draft left another day: "le 24/11/2026 à 14:32"."""
    local = moment.astimezone(PARIS)
    if local.date() == datetime.now(PARIS).date():
        return local.strftime("à %H:%M")
    return local.strftime("le %d/%m/%Y à %H:%M")


def _unproxied(value: Any) -> Any:
    """A state var itself, not Reflex's change-tracking proxy around it, whose every read costs:
    for reading only (the draft's vars are replaced, never changed in place)."""
    return getattr(value, "__wrapped__", value)


def dossier_id_of(state: rx.State) -> int:
    raw = state.dossier_id  # type: ignore[attr-defined]  # the route arg: Reflex adds it to rx.State
    return record_id(raw) or 0


class OwnedDossier(rx.State, mixin=True):
    """A page about one of the visitor's dossiers, the one the URL's dossier_id names."""

    found: bool = True
    ready: bool = False
    dossier_ref: int = 0
    title: str = ""
    number: str = ""
    # "pour Léa Martin" when the dossier is for one of the holder's relations, else "".
    for_whom: str = ""

    def _owned(self, user_id: int) -> Dossier | None:
        """The URL's dossier if it is this user's; otherwise the page says it is not found."""
        try:
            return drafts.get_owned(user_id, dossier_id_of(self))
        except drafts.NotFound:
            self.found, self.ready, self.dossier_ref = False, True, 0
            return None

    def _name_dossier(self, dossier: Dossier) -> Demarche:
        """Fill what every such page says of the dossier; its démarche, for the rest."""
        demarche = drafts.demarche_of(dossier)
        self.found = True
        self.dossier_ref = dossier.id or 0
        self.title = demarche.title
        self.number = dossier.number or ""
        self.for_whom = for_whom_suffix(dossier.for_whom).strip()
        return demarche


class DraftForm(rx.State, mixin=True):
    """What the form page shows of a draft, and how it is drawn again after each change."""

    steps: list[StepView] = []
    step_code: str = ""
    step_number: int = 0
    step_count: int = 0
    step_title: str = ""
    step_help: str = ""
    shows_pieces: bool = False
    pieces: list[str] = []
    is_first_step: bool = True
    is_last_step: bool = False
    fields: list[FieldView] = []
    # The stored answer of each input of the step: what an input shows when it is drawn.
    values: dict[str, str | list[str]] = {}
    form_key: str = ""
    saved_at: str = ""
    changed_elsewhere: bool = False
    back_to_recap: bool = False
    reopened: bool = False

    _demarche_code: str = ""
    _answers: dict[str, Any] = {}
    _checked: list[str] = []
    _version: int = 0
    _generation: int = 0
    # A required piece is missing: the pieces step is not complete (the stepper says so).
    _pieces_missing: bool = False

    # ------------------------------------------------------------ helpers

    def _demarche(self) -> Demarche | None:
        return registry.get(self._demarche_code)

    def _read_answers(self) -> dict[str, Any]:
        """The answers themselves, for reading: Reflex hands a state's dict out wrapped in a proxy
        that tracks changes, and every read through it costs (the stepper's check of every step
        after each save was most of a save's time on the event loop, issue 18). The dict is only
        ever replaced, never changed in place."""
        return _unproxied(self._answers)

    def _known(self) -> drafts.Known:
        """What this tab holds of its draft: a save finding it unchanged writes at once."""
        return drafts.Known(self._version, self._demarche_code, self._read_answers())

    def _loaded(self, dossier_id: int) -> bool:
        return self.ready and self.found and self.dossier_ref == dossier_id

    def _absorb(self, dossier: Dossier) -> None:
        self.dossier_ref = dossier.id or 0
        self._demarche_code = dossier.demarche_code
        self.for_whom = for_whom_suffix(dossier.for_whom).strip()  # OwnedDossier's, beside this mixin
        self._answers = dict(dossier.answers or {})
        self._checked = list(dossier.checked_steps or [])
        self._version = dossier.version
        self.reopened = dossier.status == drafts.demarche_of(dossier).reopened_status
        self.saved_at = saved_when(as_utc(dossier.updated_at))

    def _render(self, errors: dict[str, str] | None = None) -> None:
        demarche = self._demarche()
        step = demarche.step(self.step_code) if demarche else None
        if demarche is None or step is None:
            self.found = False
            return
        # A field hidden by a new answer is not checked: its old error goes with it.
        visible = {key for spec in rules.visible_fields(demarche, step, self._read_answers()) for key in spec.keys}
        errors = {key: message for key, message in (errors or {}).items() if key in visible}
        index = demarche.step_index(step.code)
        self.title = demarche.title
        self.step_number = index + 1
        self.step_count = len(demarche.steps)
        self.step_title = step.title
        self.step_help = step.help
        self.shows_pieces = step.shows_pieces
        self.pieces = piece_labels(demarche, self._read_answers()) if step.shows_pieces else []
        self.is_first_step = index == 0
        self.is_last_step = index == len(demarche.steps) - 1
        self.fields = field_views(demarche, step, self._read_answers(), errors)
        if held.may_hold(demarche, step):
            reasons = held.step_reasons(self.dossier_ref, demarche)
            for view in self.fields:
                keys = [view.key] + [part.key for part in view.parts]
                view.held = next((reasons[key] for key in keys if key in reasons), "")
        self.values = step_values(step, self._read_answers())
        self.steps = step_views(demarche, self._read_answers(), self._checked, step.code, self._pieces_missing)
        self.form_key = f"{self.dossier_ref}-{step.code}-{self._generation}"
        self.errors = dict(errors)
        self.error_items = [[field_id(key), message] for key, message in errors.items()]

    def _shown_errors(self) -> dict[str, str]:
        """A step already checked shows its errors as soon as it is displayed again."""
        demarche = self._demarche()
        step = demarche.step(self.step_code) if demarche else None
        if demarche is None or step is None or step.code not in self._checked:
            return {}
        return rules.validate_step(demarche, step, self._read_answers())

    def _step_url(self) -> str:
        url = f"{routes.draft(self.dossier_ref)}?etape={self.step_code}"
        return url + ("&retour=recapitulatif" if self.back_to_recap else "")

    @rx.var
    def page_title(self) -> str:
        """The page's <title> (rx.page): the step and the démarche, errors first."""
        if not self.found:
            return page_title("Dossier introuvable")
        if not self.step_title:
            return page_title("Votre démarche")
        step = f"Étape {self.step_number} sur {self.step_count} : {self.step_title}"
        return page_title(step, self.title, error=bool(self.errors))

    def _after_render(self, focus_heading: bool):
        return rx.call_script(js.after_render(focus_heading=focus_heading, url=self._step_url()))

    def _refresh_after_save(self, key: str) -> None:
        """Redraw only what a new answer can change: conditional fields, a corrected error,
        the state of the steps. The inputs are uncontrolled: their text is never redrawn."""
        demarche = self._demarche()
        step = demarche.step(self.step_code) if demarche else None
        if demarche is None or step is None:
            return
        name = key.partition(".")[0]
        shown = [k for k in self.errors if k.partition(".")[0] == name]
        if shown:
            spec = demarche.field_named(name)
            still = rules.field_errors(spec, self._read_answers()) if spec else {}
            errors = {k: v for k, v in self.errors.items() if k.partition(".")[0] != name or k in still}
            # Only clear what was corrected: new errors wait for "Continuer".
            errors.update({k: still[k] for k in shown if k in still})
        else:
            errors = dict(self.errors)
        if demarche.controls_fields(key) or errors != self.errors:
            self._render(errors)
        else:
            steps = refreshed_step_views(
                demarche,
                _unproxied(self.steps),
                self._read_answers(),
                self._checked,
                self._pieces_missing,
                key,
            )
            if steps is not None:
                self.steps = steps
            if step.shows_pieces:
                self.pieces = piece_labels(demarche, self._read_answers())

    def _note_pieces(self, user_id: int, dossier_id: int) -> None:
        try:
            self._pieces_missing = bool(pieces.missing_labels(user_id, dossier_id))
        except drafts.NotFound:
            self._pieces_missing = False

    def _locked(self, dossier_id: int):
        return [rx.call_script(js.drop_pending(dossier_id)), rx.redirect(routes.recap(dossier_id))]
