"""Mes démarches: drafts and filed dossiers of the user, resume or delete a draft."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from portal_app import routes
from portal_app.components.status_badge import glyph
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.formats import record_id
from portal_app.domain.core.wording import count_label
from portal_app.domain.dossiers import discussion, drafts, expiry, workflow
from portal_app.domain.relations import relations
from portal_app.models import Dossier, Role, User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires


@dataclass
class DossierRow:
    id: int
    title: str
    number: str
    for_whom: str  # "pour Léa Martin", "" for the holder's own dossier
    status_label: str
    status_colour: str
    status_icon: str
    updated: str
    updated_key: str  # ISO, for sorting
    href: str
    action: str
    next_step: str  # what the owner has to do, in words
    group: str  # en_cours | brouillons | terminees
    unread: int
    unread_label: str  # "1 message non lu", "2 messages non lus"
    deletable: bool
    expires_on: str = ""  # "12 mars 2027" once within the expiry warning window, else ""


def _next_step(dossier: Dossier, demarche, status, awaits_reply: bool) -> str:
    if dossier.status == demarche.draft_status:
        return "Compléter votre dossier"
    if dossier.status == demarche.reopened_status:
        return "Modifier puis déposer de nouveau votre dossier"
    if dossier.status == workflow.COMPLETION_STATUS or awaits_reply:
        return "Répondre à l'agence"
    if status is not None and status.terminal:
        return "Consulter la décision"
    return "Rien à faire : l'agence examine votre dossier"


def _row(dossier: Dossier, unread: int = 0, expires_on: str = "") -> DossierRow:
    demarche = drafts.demarche_of(dossier)
    status = demarche.status(dossier.status)
    editable = drafts.owner_can_edit(dossier)
    filed = dossier.number is not None
    awaits = filed and discussion.awaits_reply(dossier.owner_id, dossier.id)
    if not filed:
        href = routes.draft(dossier.id)
    elif dossier.status == workflow.COMPLETION_STATUS or awaits:
        href = routes.dossier_page(dossier.id) + "#discussion"
    else:
        href = routes.dossier_page(dossier.id)
    group = "brouillons" if not filed else ("terminees" if status is not None and status.terminal else "en_cours")
    return DossierRow(
        id=dossier.id or 0,
        title=demarche.title,
        number=dossier.number or "",
        for_whom=relations.for_whom_suffix(dossier.for_whom).strip(),
        status_label=status.label_for_owner if status else dossier.status,
        status_colour=status.colour if status else "grey",
        status_icon=glyph(status.icon if status else ""),
        updated=paris_datetime(as_utc(dossier.updated_at)),
        updated_key=as_utc(dossier.updated_at).isoformat(),
        href=href,
        action="Reprendre" if not filed else ("Modifier" if editable else "Consulter"),
        next_step=_next_step(dossier, demarche, status, awaits),
        group=group,
        unread=unread,
        unread_label=count_label(unread, "message non lu", "messages non lus"),
        deletable=dossier.number is None and dossier.status == demarche.draft_status,
        expires_on=expires_on,
    )


FILTERS = (("en_cours", "En cours"), ("brouillons", "Brouillons"), ("terminees", "Terminées"), ("toutes", "Toutes"))


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows, read from and written to its URL: a reload keeps it in sight,
    a plain visit to /demarches shows everything."""

    statut: str = "toutes"
    q: str = ""
    oldest_first: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Filters:
        statut = str(params.get("statut", ""))
        return cls(
            statut=statut if statut in dict(FILTERS) else "toutes",
            q=" ".join(str(params.get("q", "")).split())[:100],
            oldest_first=params.get("tri") == "ancien",
        )

    def url(self) -> str:
        query = {
            key: value
            for key, value in (
                ("statut", "" if self.statut == "toutes" else self.statut),
                ("q", self.q),
                ("tri", "ancien" if self.oldest_first else ""),
            )
            if value
        }
        return routes.MY_DOSSIERS + ("?" + urlencode(query) if query else "")


class MyDossiersState(rx.State):
    rows: list[DossierRow] = []
    filter: str = "toutes"
    query: str = ""
    oldest_first: bool = False
    # Changed when the filters are set from outside the form: its inputs are drawn again.
    form_key: int = 0
    confirm_id: int = 0
    message: str = ""
    loaded: bool = False

    def _reload(self, user_id: int) -> None:
        rows = []
        unread = discussion.unread_by_dossier_for_owner(user_id)
        dossiers = drafts.list_for_owner(user_id)
        deletion_dates = expiry.shown_deletion_dates(dossiers)
        for dossier in dossiers:
            try:
                rows.append(_row(dossier, unread.get(dossier.id, 0), deletion_dates.get(dossier.id, "")))
            except drafts.NotFound:  # a démarche withdrawn from the catalogue
                continue
        self.rows = rows
        self.loaded = True

    @rx.var
    def shown(self) -> list[DossierRow]:
        """The filter, the search (number or title, any case) and the sort, applied."""
        wanted = self.query.strip().lower()
        rows = [
            row
            for row in self.rows
            if (self.filter == "toutes" or row.group == self.filter)
            and (not wanted or wanted in row.number.lower() or wanted in row.title.lower())
        ]
        return sorted(rows, key=lambda row: row.updated_key, reverse=not self.oldest_first)

    @rx.var
    def shown_label(self) -> str:
        shown = count_label(len(self.shown), "dossier affiché", "dossiers affichés")
        # "sur N" only when the filters hide some: "3 dossiers affichés sur 3" says nothing.
        return f"{shown} sur {len(self.rows)}" if self.filtered else shown

    @rx.var
    def counts(self) -> dict[str, int]:
        found = {code: 0 for code, _ in FILTERS}
        for row in self.rows:
            found[row.group] = found.get(row.group, 0) + 1
        found["toutes"] = len(self.rows)
        return found

    @rx.var
    def filtered(self) -> bool:
        """Some dossiers may be left out (the sort alone leaves none out)."""
        return self.filter != "toutes" or self.query != ""

    def _filters(self) -> Filters:
        return Filters(self.filter, self.query, self.oldest_first)

    def _apply(self, filters: Filters) -> None:
        self.filter, self.query, self.oldest_first = filters.statut, filters.q, filters.oldest_first

    def _show_in_url(self):
        # replaceState, not a navigation: no history entry per change, no on_load again.
        # Reflex reads the live query string into each event's router data.
        return rx.call_script(
            f"window.history.replaceState(window.history.state, '', {json.dumps(self._filters().url())})"
        )

    @rx.event
    @requires(Role.BENEFICIARY)
    def set_filter(self, _user: User, value: str):
        statut = str(value) if str(value) in dict(FILTERS) else "toutes"
        self._apply(dataclasses.replace(self._filters(), statut=statut))
        return self._show_in_url()

    @rx.event
    @requires(Role.BENEFICIARY)
    def search(self, _user: User, form: dict):
        form = form or {}
        self._apply(
            Filters.from_query(
                {"statut": self.filter, "q": str(form.get("recherche", "")), "tri": str(form.get("tri", ""))}
            )
        )
        return self._show_in_url()

    @rx.event
    @requires(Role.BENEFICIARY)
    def clear_filters(self, _user: User):
        self._apply(Filters())
        self.form_key += 1
        return [
            self._show_in_url(),
            focus_soon("filtre-toutes"),
        ]

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self.confirm_id = 0
        self.message = ""
        params = self.router.url.query_parameters
        self._apply(Filters.from_query(params))
        self.form_key += 1
        if expiry.KEEP_PARAMETER in params:
            # The warning mail's "Conserver mon brouillon" link.
            kept = expiry.keep(user.id, record_id(params.get(expiry.KEEP_PARAMETER)) or 0)
            self.message = (
                f"Votre brouillon est conservé. Sans modification, il sera supprimé le {expiry.day_of(kept)}."
                if kept
                else "Ce brouillon n'existe plus ou a déjà été déposé."
            )
        self._reload(user.id)
        return focus_soon("message-demarches") if self.message else None

    @rx.event
    def ask_delete(self, dossier_id: int):
        self.confirm_id = int(dossier_id)
        self.message = ""
        return focus_soon(f"confirmer-suppression-{int(dossier_id)}")

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    @requires(Role.BENEFICIARY)
    def delete(self, user: User, dossier_id: int):
        try:
            drafts.delete_draft(user.id, int(dossier_id))
            self.message = "Le brouillon a été supprimé."
        except (drafts.NotFound, drafts.Locked):
            self.message = "Ce brouillon ne peut pas être supprimé : il a peut-être déjà été déposé ou supprimé."
        self.confirm_id = 0
        self._reload(user.id)
        return focus_soon("message-demarches")
