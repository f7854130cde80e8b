"""Answers a draft shows but does not let the person change, and why: given by an accepted
quote (domain/quotes/held.py), or the holder's own identity as FranceConnect certified it.

One mechanism for both: the form draws a held field in a disabled fieldset named by its
reason, and drafts.save_answers skips a held key whatever an event sends."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, exists, func, or_, select
from sqlmodel import Session

from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers.demarche import ADDRESS, Demarche, FieldSpec, Step
from portal_app.domain.quotes import workflow
from portal_app.domain.quotes.held import held_answers
from portal_app.models import Dossier, QuoteRequest, User

QUOTE = "Donnée du devis accepté, non modifiable"
CERTIFIED = "Informations transmises par FranceConnect"
# The profile keys (FieldSpec.prefill) FranceConnect certifies (franceconnect/onboarding.certify);
# each is also the User column holding it (the birth place: two, its name prefilled).
CERTIFIED_PREFILLS = frozenset({"civility", "birth_name", "first_names", "birth_date", "birthplace"})


def _certified_value(owner: Any, key: str) -> object:
    # The birth place is two codes (a commune in France, else a country); the draft shows its name.
    return owner.birthplace or owner.birth_country if key == "birthplace" else getattr(owner, key)


def _certifiable(spec: FieldSpec) -> bool:
    """Whether FranceConnect certifies what fills this field (an address it does not)."""
    return spec.kind != ADDRESS and spec.prefill in CERTIFIED_PREFILLS


def _certified(owner: Any, demarche: Demarche) -> dict[str, str]:
    """`owner`: the holder of a draft that is their own (a User, or a row of EDITING's columns),
    None for a draft about someone else (a relation) or a guest's: nothing is certified there."""
    if owner is None or not owner.franceconnect_linked:
        return {}
    return {
        spec.name: CERTIFIED for spec in demarche.fields if _certifiable(spec) and _certified_value(owner, spec.prefill)
    }


# What saving an answer reads, in one statement (issue 18: a save is the portal's most frequent
# event; as ORM loads it was three queries and most of its cost): the dossier's own columns,
# its holder's certified identity, and whether a quote holds some answers.
_user = User.__table__.c  # type: ignore[attr-defined]  # SQLModel's table
_dossier = Dossier.__table__.c  # type: ignore[attr-defined]  # SQLModel's table
_quote = QuoteRequest.__table__.c  # type: ignore[attr-defined]  # SQLModel's table
EDITING = (
    select(
        _dossier.id,
        _dossier.owner_id,
        _dossier.guest_email,
        _dossier.demarche_code,
        _dossier.status,
        _dossier.answers,
        _dossier.version,
        _dossier.updated_at,
        _dossier.relation_id,
        *(_user[name] for name in sorted(CERTIFIED_PREFILLS | {"birth_country"})),
        # As User.franceconnect_linked reads it.
        or_(func.coalesce(_user.fc_sub, "") != "", func.coalesce(_user.fcplus_sub, "") != "").label(
            "franceconnect_linked"
        ),
        exists()
        # Not IN (…): its list is expanded into the SQL at every execution.
        .where(_quote.dossier_id == _dossier.id, or_(*(_quote.status == status for status in workflow.HOLDS_ANSWERS)))
        .label("quote_holds"),
    )
    .select_from(Dossier.__table__.outerjoin(User.__table__, _user.id == _dossier.owner_id))  # type: ignore[attr-defined]  # SQLModel's table
    .where(_dossier.id == bindparam("dossier_id"))
)


def editing(db: Session, dossier_id: int) -> Any:
    """The dossier's row of EDITING, or None."""
    return db.connection().execute(EDITING, {"dossier_id": dossier_id}).first()


def editing_reasons(db: Session, row: Any, demarche: Demarche) -> dict[str, str]:
    """Answer key -> why the person cannot change it (a key missing is editable), for a row of
    EDITING: the quote's answers are read only when one holds."""
    reasons = _certified(row if row.relation_id is None and row.owner_id is not None else None, demarche)
    if row.quote_holds:
        reasons.update(dict.fromkeys(held_answers(db, row.id, demarche), QUOTE))
    return reasons


def may_hold_key(demarche: Demarche, key: str) -> bool:
    """Whether a dossier of this démarche may hold the answer at `key` (editing_reasons may
    name it): a value FranceConnect certifies, or one an accepted quote gives."""
    spec = demarche.field_for_key(key)
    if spec is not None and _certifiable(spec):
        return True
    return demarche.quotes is not None and any(key == filled for _, filled in demarche.quotes.fills)


def may_hold(demarche: Demarche, step: Step) -> bool:
    """Whether a step can show a held field at all (the form reads the dossier only then)."""
    if demarche.quotes is not None and demarche.quotes.step == step.code:
        return True
    return any(spec.prefill in CERTIFIED_PREFILLS for spec in step.fields)


def step_reasons(dossier_id: int, demarche: Demarche) -> dict[str, str]:
    with session_scope() as db:
        row = editing(db, dossier_id)
        return editing_reasons(db, row, demarche) if row is not None else {}
