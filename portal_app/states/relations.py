"""/mon-compte/relations: the holder's relations, added, edited and deleted on one page.

Every handler goes through the guard and passes the signed-in user's id to the domain, which
treats another owner's relation as a missing one: an id sent by a crafted event reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app import demarches as registry
from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.domain.core.formats import normalize_siret
from portal_app.domain.dossiers import drafts
from portal_app.domain.relations import forms, relations
from portal_app.models import Relation, Role, User
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires


@dataclass
class RelationItem:
    id: int
    kind: str
    name: str
    details: str  # "Enfant · née le 01/06/2012 à Lyon", "SIRET … · Gérante"


def _details(relation: Relation) -> str:
    if relation.kind == forms.COMPANY:
        return _company_details(relation)
    born = relation.birth_date.strftime("%d/%m/%Y") if relation.birth_date else ""
    return f"{dict(forms.LINKS).get(relation.link, '')} · né·e le {born} à {relation.birthplace}"


def _company_details(relation: Relation) -> str:
    siret = normalize_siret(relation.siret)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    return f"SIRET {spaced} · {relation.postal_code} {relation.city} · votre rôle : {relation.holder_role}"


def _values(relation: Relation) -> dict[str, str]:
    keys = forms.COMPANY_FIELDS if relation.kind == forms.COMPANY else forms.PERSON_FIELDS
    values = {key: str(getattr(relation, key) or "") for key in keys}
    if relation.kind == forms.PERSON and relation.birth_date is not None:
        values["birth_date"] = relation.birth_date.isoformat()
    return values


class RelationsState(FormErrors, rx.State):
    loaded: bool = False
    items: list[RelationItem] = []
    # The form on show: "" (none), "person" or "company"; editing_id 0 for a new relation.
    mode: str = ""
    editing_id: int = 0
    values: dict[str, str] = {}
    # Bumped each time the form opens: drawn again with this opening's default values.
    form_key: int = 0
    deleting_id: int = 0
    deleting_name: str = ""
    saved: str = ""
    refusal: str = ""
    # Added on the way to a démarche (catalogue "Ajouter une relation"): its code.
    then_demarche: str = ""

    def _forget(self) -> None:
        self.loaded = False
        self.items = []
        self.mode = ""
        self.editing_id = 0
        self.values = {}
        self.deleting_id = 0
        self.deleting_name = ""
        self.saved = ""
        self.refusal = ""
        self.then_demarche = ""
        self._clear_errors()

    def _refused(self) -> None:
        self._forget()

    def _list(self, user_id: int) -> None:
        self.items = [
            RelationItem(r.id, r.kind, relations.full_name(r), _details(r))  # type: ignore[arg-type]  # stored rows have an id
            for r in relations.list_for(user_id)
        ]

    def _open(self, mode: str, editing_id: int = 0, values: dict[str, str] | None = None) -> None:
        self.mode = mode
        self.editing_id = editing_id
        self.values = values or {}
        self.form_key += 1
        self.saved = ""
        self.refusal = ""
        self.deleting_id = 0
        self._clear_errors()

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self._forget()
        params = self.router.url.query_parameters
        demarche = registry.get(str(params.get("demarche", "")))
        kind = str(params.get("ajout", ""))
        self._list(user.id)
        if kind in (forms.PERSON, forms.COMPANY):
            self._open(kind)
            if demarche is not None and kind in demarche.for_whom:
                self.then_demarche = demarche.code
        self.loaded = True
        return focus_soon("formulaire-relation") if self.mode else None

    @rx.event
    @requires(Role.BENEFICIARY)
    def open_add(self, _user: User, kind: str):
        if kind not in (forms.PERSON, forms.COMPANY):
            return None
        self.then_demarche = ""
        self._open(kind)
        return focus_soon("formulaire-relation")

    @rx.event
    @requires(Role.BENEFICIARY)
    def open_edit(self, user: User, relation_id: int):
        try:
            relation = relations.get_owned(user.id, int(relation_id))
        except (relations.NotFound, TypeError, ValueError):
            self._list(user.id)
            return None
        self.then_demarche = ""
        self._open(relation.kind, relation.id or 0, _values(relation))
        return focus_soon("formulaire-relation")

    @rx.event
    @requires(Role.BENEFICIARY)
    def close_form(self, _user: User):
        self.mode = ""
        self.then_demarche = ""
        self._clear_errors()
        return focus_soon("titre-mes-relations")

    @rx.event
    @requires(Role.BENEFICIARY)
    def save(self, user: User, form_data: dict):
        self.saved = ""
        self.refusal = ""
        self.values = {key: str(value) for key, value in form_data.items() if isinstance(value, str)}
        try:
            result = relations.save(user.id, self.mode, form_data, self.editing_id or None)
        except relations.NotFound:
            self.mode = ""
            self._list(user.id)
            return None
        if not result.ok:
            return self._set_errors(result.errors, forms.ORDER)
        self._clear_errors()
        self.mode = ""
        self._list(user.id)
        if self.then_demarche and result.relation is not None:
            try:
                draft = drafts.create_draft(user.id, self.then_demarche, relation_id=result.relation.id)
            except drafts.DossierError:
                draft = None
            if draft is not None:
                return rx.redirect(routes.draft(draft.id))
        self.saved = "La relation a été enregistrée."
        return focus_soon("relation-enregistree")

    @rx.event
    @requires(Role.BENEFICIARY)
    def ask_delete(self, user: User, relation_id: int):
        try:
            relation = relations.get_owned(user.id, int(relation_id))
        except (relations.NotFound, TypeError, ValueError):
            self._list(user.id)
            return None
        self.mode = ""
        self.saved = ""
        self.refusal = ""
        self.deleting_id = relation.id or 0
        self.deleting_name = relations.full_name(relation)
        return focus_soon("confirmer-suppression-relation")

    @rx.event
    @requires(Role.BENEFICIARY)
    def cancel_delete(self, _user: User):
        self.deleting_id = 0
        return focus_soon("titre-mes-relations")

    @rx.event
    @requires(Role.BENEFICIARY)
    def confirm_delete(self, user: User):
        relation_id, self.deleting_id = self.deleting_id, 0
        try:
            relations.delete(user.id, relation_id)
            self.saved = f"{self.deleting_name} ne figure plus dans vos relations."
        except relations.InUse as in_use:
            self.refusal = str(in_use)
        except relations.NotFound:
            pass
        self._list(user.id)
        return focus_soon("relation-refusee" if self.refusal else "relation-enregistree")
