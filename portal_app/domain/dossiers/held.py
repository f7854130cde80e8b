"""Answers a draft shows but does not let the person change, and why: given by an accepted
quote (domain/quotes/held.py), or the holder's own identity as FranceConnect certified it.

One mechanism for both: the form draws a held field in a disabled fieldset named by its
reason, and drafts.save_answers skips a held key whatever an event sends."""

from __future__ import annotations

from sqlmodel import Session

from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers.demarche import ADDRESS, Demarche, Step
from portal_app.domain.quotes.held import held_answers
from portal_app.models import Dossier, User

QUOTE = "Donnée du devis accepté, non modifiable"
CERTIFIED = "Informations transmises par FranceConnect"
# The profile keys (FieldSpec.prefill) FranceConnect certifies (franceconnect/onboarding.certify);
# each is also the User column holding it (the birth place: two, its name prefilled).
CERTIFIED_PREFILLS = frozenset({"civility", "birth_name", "first_names", "birth_date", "birthplace"})


def _certified_value(owner: User, key: str) -> object:
    # The birth place is two codes (a commune in France, else a country); the draft shows its name.
    return owner.birthplace or owner.birth_country if key == "birthplace" else getattr(owner, key)


def _certified(db: Session, dossier: Dossier, demarche: Demarche) -> dict[str, str]:
    """The holder's own draft of a FranceConnect account: its prefilled certified identity.
    A draft for a relation is about someone else: nothing is certified there."""
    if dossier.relation_id is not None:
        return {}
    owner = db.get(User, dossier.owner_id) if dossier.owner_id is not None else None
    if owner is None or not owner.franceconnect_linked:
        return {}
    return {
        spec.name: CERTIFIED
        for spec in demarche.fields
        if spec.kind != ADDRESS and spec.prefill in CERTIFIED_PREFILLS and _certified_value(owner, spec.prefill)
    }


def held_reasons(db: Session, dossier: Dossier, demarche: Demarche) -> dict[str, str]:
    """Answer key -> why the person cannot change it; a key missing is editable."""
    reasons = _certified(db, dossier, demarche)
    reasons.update(dict.fromkeys(held_answers(db, dossier.id or 0, demarche), QUOTE))
    return reasons


def may_hold(demarche: Demarche, step: Step) -> bool:
    """Whether a step can show a held field at all (the form reads the dossier only then)."""
    if demarche.quotes is not None and demarche.quotes.step == step.code:
        return True
    return any(spec.prefill in CERTIFIED_PREFILLS for spec in step.fields)


def step_reasons(dossier_id: int, demarche: Demarche) -> dict[str, str]:
    with session_scope() as db:
        dossier = db.get(Dossier, dossier_id)
        return held_reasons(db, dossier, demarche) if dossier is not None else {}
