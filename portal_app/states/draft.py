"""The form of a draft: one step at a time, every change saved while it is typed.

Identity and ownership are checked on every event (@requires, then the domain refuses
another owner's dossier). Each save event carries everything it needs (the dossier comes
from the URL), so events queued while the backend restarted still land once it is back,
even in a fresh state.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reflex as rx
from reflex_base.event import Event
from reflex_base.event.context import EventContext

from portal_app import routes
from portal_app.components.forms import FormErrors, focus_error_summary
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import drafts
from portal_app.domain.dossiers.demarche import CHECKBOX
from portal_app.models import Role, User
from portal_app.models.base import as_utc
from portal_app.states import draft_scripts as js
from portal_app.states import saves_behind
from portal_app.states.draft_form import DraftForm, OwnedDossier, dossier_id_of, saved_when
from portal_app.states.draft_views import (
    step_views,
)
from portal_app.states.guard import requires

log = logging.getLogger("portal.draft")


class DraftState(DraftForm, OwnedDossier, FormErrors, rx.State):
    """The form of a draft: its handlers (its vars and drawing are DraftForm's)."""

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def pieces_changed(self, user: User):
        """Sent by the pieces step after an attach, an upload or Retirer: the stepper follows."""
        dossier_id = dossier_id_of(self)
        demarche = self._demarche()
        if not self._loaded(dossier_id) or demarche is None or demarche.step(self.step_code) is None:
            return
        before = self._pieces_missing
        self._note_pieces(user.id, dossier_id)
        if self._pieces_missing != before:
            self.steps = step_views(demarche, self._read_answers(), self._checked, self.step_code, self._pieces_missing)

    # ------------------------------------------------------------ loading

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def load(self, user: User):
        """on_load, also after every reconnection of the websocket."""
        dossier_id = dossier_id_of(self)
        dossier = self._owned(user.id)
        if dossier is None:
            return None
        if not drafts.owner_can_edit(dossier):
            return rx.redirect(routes.recap(dossier_id))
        demarche = drafts.demarche_of(dossier)
        params = self.router.url.query_parameters
        wanted = str(params.get("etape", ""))
        step = wanted if demarche.step(wanted) else (dossier.current_step or demarche.steps[0].code)
        same_page = self._loaded(dossier_id) and self.step_code == step
        if same_page and dossier.version != self._version:
            # Reloaded or reconnected: the inputs keep what this tab shows, tell if it is old.
            self.changed_elsewhere = True
        self.found = True
        self._absorb(dossier)
        self._note_pieces(user.id, dossier_id)
        self.back_to_recap = params.get("retour") == "recapitulatif"
        if not same_page:
            self.ready = False
            self.fields = []
            self.changed_elsewhere = False
            self.step_code = step
            self._clear_errors()
        else:
            # The same step drawn again: the inputs stay, the stepper follows what changed
            # meanwhile (a step checked on the way to the recap, a piece given elsewhere).
            self.steps = step_views(demarche, self._read_answers(), self._checked, step, self._pieces_missing)
        # Values typed while offline, or before a reload, wait in the browser: merge them first.
        return rx.call_script(js.read_pending(dossier_id), callback=DraftState.replay)

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def replay(self, user: User, pending: Any):
        dossier_id = dossier_id_of(self)
        if dossier_id != self.dossier_ref:
            return None
        values = pending if isinstance(pending, dict) else {}
        saved: dict[str, Any] = {}
        try:
            for key, value in values.items():
                try:
                    result = drafts.save_answer(user.id, dossier_id, str(key), value)
                except drafts.Refused:
                    log.warning("dossier %s: pending value for %r refused", dossier_id, key)
                    continue
                saved[str(key)] = value
                self._answers, self._version = result.answers, result.version
                self.saved_at = saved_when(result.saved_at)
            dossier = drafts.set_step(user.id, dossier_id, self.step_code)
        except drafts.Locked:
            return self._locked(dossier_id)
        except drafts.NotFound:
            self.found = False
            return None
        self._checked = list(dossier.checked_steps or [])
        first_time = not self.ready
        if first_time or saved:
            # Inputs already drawn and not typed in since show the new values (React updates
            # an untouched uncontrolled input's default); those typed in already show them.
            self._render(self._shown_errors() if first_time else dict(self.errors))
        self.ready = True
        events = [self._after_render(focus_heading=False)]
        if saved:
            events.insert(0, rx.call_script(js.confirm_saved(dossier_id, saved)))
        return events

    # ------------------------------------------------------------ saving

    async def _save(self, user: User, key: str, value: Any):
        dossier_id = dossier_id_of(self)
        loaded = self._loaded(dossier_id)
        demarche = self._demarche()
        # An answer that changes the pieces asked waits for its commit: the pieces are read
        # from the stored answers.
        if loaded and demarche is not None and not demarche.controls_pieces(key):
            prepared = drafts.prepare_known(user.id, dossier_id, {key: value}, self._known())
            if prepared is not None:
                token = self.router.session.client_token
                saves_behind.start(token, _write_behind(EventContext.get(), token, prepared, user.id, key, value))
                self._took(prepared.result, key)
                return None
        try:
            # The commit waits for the disk: in a thread, so other tabs' events go on meanwhile
            # (this tab's next event waits for this one: Reflex holds its state until we return).
            result = await asyncio.to_thread(
                drafts.save_answer, user.id, dossier_id, key, value, known=self._known() if loaded else None
            )
        except drafts.NotFound:
            self.found = False
            return None
        except drafts.Locked:
            return self._locked(dossier_id)
        except drafts.Refused:
            log.warning("dossier %s: value for %r refused", dossier_id, key)
            return None
        confirm = rx.call_script(js.confirm_saved(dossier_id, {key: value}))
        if not loaded:
            self.saved_at = saved_when(result.saved_at)
            return confirm
        if demarche is not None and demarche.controls_pieces(key):
            # The answer changes which pieces are asked: read them again, off the event loop.
            await asyncio.to_thread(self._note_pieces, user.id, dossier_id)
        self._took(result, key)
        return confirm

    def _back_to(self, dossier_id: int, sure_version: int) -> None:
        """A save answered at once did not land (saves_behind.doubt): the tab goes back to the
        version it surely knew, keeping its answers (that version's and its own since). A tab
        gone to another draft meanwhile reads that one anew (load)."""
        if self.dossier_ref == dossier_id:
            self._version = sure_version

    def _took(self, result: drafts.SaveResult, key: str) -> None:
        """The tab holds a saved answer: its version, and what the answer changes on the page."""
        self.saved_at = saved_when(result.saved_at)
        if result.changed_elsewhere:
            self.changed_elsewhere = True
        self._answers, self._version = result.answers, result.version
        if key in self.values:
            # Kept current so that a reload of this tab draws the input with it.
            self.values = {**self.values, key: result.answers.get(key, "")}
        self._refresh_after_save(key)

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def resync(self, user: User, key: str, changed_elsewhere: bool):
        """Sent by a save written behind (_write_behind) that did not find the draft as this tab
        knew it: the tab takes the stored draft as the save's event used to, told if another tab
        or device changed it (its inputs keep what they show until "Afficher les dernières
        valeurs")."""
        dossier_id = dossier_id_of(self)
        if not self._loaded(dossier_id):
            return None
        dossier = self._owned(user.id)
        if dossier is None:
            return None
        if not drafts.owner_can_edit(dossier):
            return self._locked(dossier_id)
        answers = dict(dossier.answers or {})
        self._took(drafts.SaveResult(dossier.version, as_utc(dossier.updated_at), changed_elsewhere, answers), key)
        return None

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    async def save_field(self, user: User, key: str, value: str):
        return await self._save(user, str(key), "" if value is None else str(value))

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    async def toggle_option(self, user: User, key: str, option: str, checked: bool):
        dossier_id = dossier_id_of(self)
        if self._loaded(dossier_id):
            current = self._read_answers().get(key)
        else:
            try:
                current = (await asyncio.to_thread(drafts.get_owned, user.id, dossier_id)).answers.get(key)
            except drafts.NotFound:
                self.found = False
                return None
        ticked = [v for v in (current if isinstance(current, list) else []) if v != option]
        if checked:
            ticked.append(option)
        demarche = self._demarche()
        spec = demarche.field_named(key) if demarche else None
        if spec is not None:
            ticked = [code for code, _ in spec.choices if code in ticked]
        return await self._save(user, str(key), ticked)

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    async def check_version(self, user: User):
        """On focus of a field: has another tab or device changed the draft meanwhile?"""
        dossier_id = dossier_id_of(self)
        if not self._loaded(dossier_id):
            return None
        try:
            dossier = await asyncio.to_thread(drafts.get_owned, user.id, dossier_id)
        except drafts.NotFound:
            self.found = False
            return None
        if not drafts.owner_can_edit(dossier):
            return self._locked(dossier_id)
        if dossier.version != self._version:
            self.changed_elsewhere = True
        return None

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def reload_latest(self, user: User):
        dossier_id = dossier_id_of(self)
        try:
            dossier = drafts.get_owned(user.id, dossier_id)
        except drafts.NotFound:
            self.found = False
            return None
        if not drafts.owner_can_edit(dossier):
            return self._locked(dossier_id)
        self._absorb(dossier)
        self._generation += 1  # a new key remounts the inputs with the latest values
        self.changed_elsewhere = False
        self._render(self._shown_errors())
        return self._after_render(focus_heading=True)

    # ------------------------------------------------------------ moving between steps

    def _go(self, user_id: int, dossier_id: int, code: str, checked: str | None = None):
        try:
            dossier = drafts.set_step(user_id, dossier_id, code, checked=checked)
        except drafts.Locked:
            return self._locked(dossier_id)
        except (drafts.NotFound, drafts.Refused):
            return None
        self._checked = list(dossier.checked_steps or [])
        self.step_code = code
        self._note_pieces(user_id, dossier_id)
        self._render(self._shown_errors())
        return self._after_render(focus_heading=True)

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def go_to_step(self, user: User, code: str):
        dossier_id = dossier_id_of(self)
        demarche = self._demarche()
        if not self._loaded(dossier_id) or demarche is None or demarche.step(code) is None:
            return None
        return self._go(user.id, dossier_id, code)

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def previous_step(self, user: User):
        dossier_id = dossier_id_of(self)
        demarche = self._demarche()
        if not self._loaded(dossier_id) or demarche is None:
            return None
        index = demarche.step_index(self.step_code)
        return self._go(user.id, dossier_id, demarche.steps[max(index - 1, 0)].code)

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def continue_step(self, user: User, form: dict):
        """Save what the form holds (an answer typed just before pressing Enter may not have
        been sent yet), check the step, then go on; errors keep every value typed."""
        dossier_id = dossier_id_of(self)
        demarche = self._demarche()
        step = demarche.step(self.step_code) if demarche else None
        if not self._loaded(dossier_id) or demarche is None or step is None:
            return None
        values = {}
        for key, value in (form or {}).items():
            spec = demarche.field_for_key(str(key))
            # Only what this tab changed: an input it never touched may show an answer another
            # tab has replaced since, which must not come back.
            if spec is not None and spec.kind != CHECKBOX and isinstance(value, str) and value != self.values.get(key):
                values[str(key)] = value
        try:
            if values:
                result = drafts.save_answers(user.id, dossier_id, values, self._version)
                self._answers, self._version = result.answers, result.version
                self.saved_at = saved_when(result.saved_at)
                self.changed_elsewhere = self.changed_elsewhere or result.changed_elsewhere
            errors = rules.validate_step(demarche, step, self._read_answers())
            index = demarche.step_index(step.code)
            last = index == len(demarche.steps) - 1
            target = step.code if errors or self.back_to_recap or last else demarche.steps[index + 1].code
            dossier = drafts.set_step(user.id, dossier_id, target, checked=step.code)
        except drafts.Locked:
            return self._locked(dossier_id)
        except drafts.NotFound:
            self.found = False
            return None
        self._checked = list(dossier.checked_steps or [])
        self._note_pieces(user.id, dossier_id)
        confirm = rx.call_script(js.confirm_saved(dossier_id, values))
        if errors:
            self._render(errors)
            return [confirm, self._after_render(focus_heading=False), focus_error_summary()]
        if self.back_to_recap or last:
            return [confirm, rx.redirect(routes.recap(dossier_id))]
        self.step_code = target
        self._render(self._shown_errors())
        return [confirm, self._after_render(focus_heading=True)]


async def _write_behind(
    ctx: EventContext, token: str, prepared: drafts.Prepared, user_id: int, key: str, value: Any
) -> None:
    """The write of a save answered at once (saves_behind.py): the confirmation that lets the
    browser forget the value leaves after the commit; a draft that moved meanwhile goes through
    the full save, then the tab reads it again."""
    dossier_id = prepared.dossier_id
    resync: bool | None = None
    try:
        result = await asyncio.to_thread(drafts.write_prepared, prepared)
        if result is None:
            result = await asyncio.to_thread(
                drafts.save_answer, user_id, dossier_id, key, value, prepared.known.version
            )
            resync = result.changed_elsewhere
    except drafts.Refused:
        log.warning("dossier %s: value for %r refused", dossier_id, key)
        resync = False
    except drafts.DossierError:
        resync = False  # filed or gone meanwhile: the tab finds out by reading it again
    except Exception:
        # The browser keeps the value (no confirmation) and sends it again at its next load.
        log.exception("dossier %s: the save of %r failed", dossier_id, key)
        resync = False
    else:
        await ctx.emit_event(*Event.from_event_type(rx.call_script(js.confirm_saved(dossier_id, {key: value}))))
    if resync is not None:
        saves_behind.doubt(token, dossier_id, prepared.known.version)
        await ctx.enqueue(*Event.from_event_type(DraftState.resync(key, resync)))
