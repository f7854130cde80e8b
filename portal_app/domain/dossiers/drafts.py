"""Dossiers and their drafts: created prefilled, saved answer by answer, listed, deleted.
Filing them (number, submission, reopening) is in filing.py.

Every function takes the acting user's id and treats another owner's dossier exactly like a
missing one (NotFound), so a guessed id reveals nothing. Each function is one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, false, or_, update
from sqlmodel import Session, select

from portal_app import demarches as registry
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import held
from portal_app.domain.dossiers.demarche import ADDRESS, ADDRESS_PARTS, Demarche
from portal_app.domain.franceconnect.places import place_name
from portal_app.domain.guests.principal import belongs, is_guest
from portal_app.domain.relations import relations
from portal_app.models import Dossier, DossierHistory, DossierPiece, User
from portal_app.models.base import as_utc, utcnow

# Optimistic writes retry this many times when another tab wrote in between.
MAX_ATTEMPTS = 20


class DossierError(Exception):
    pass


class NotFound(DossierError):
    """Missing, or not this user's: the same answer for both."""


class Locked(DossierError):
    """The owner may not change the dossier in its current status."""


class Refused(DossierError):
    """The action is not allowed (unknown démarche, wrong role, forbidden transition...)."""


# ---------------------------------------------------------------- reading


def demarche_of(dossier: Dossier) -> Demarche:
    demarche = registry.get(dossier.demarche_code)
    if demarche is None:
        raise NotFound(f"démarche {dossier.demarche_code!r} is no longer declared")
    return demarche


def owner_can_edit(dossier: Dossier) -> bool:
    status = demarche_of(dossier).status(dossier.status)
    return bool(status and status.owner_can_edit)


def _real_id(dossier_id: object) -> bool:
    return isinstance(dossier_id, int) and dossier_id > 0


def _belonging(db: Session, dossier: Any, user_id: int, dossier_id: int) -> Any:
    """The dossier (an ORM object or a row of its columns) if it is this user's, else NotFound."""
    if dossier is None or not belongs(db, dossier, user_id):
        raise NotFound(str(dossier_id))
    return dossier


def _owned(db: Session, user_id: int, dossier_id: int) -> Dossier:
    return _belonging(db, db.get(Dossier, dossier_id) if _real_id(dossier_id) else None, user_id, dossier_id)


def get_owned(user_id: int, dossier_id: int) -> Dossier:
    with session_scope() as db:
        return _owned(db, user_id, dossier_id)


def list_for_owner(user_id: int) -> list[Dossier]:
    with session_scope() as db:
        return list(
            db.exec(
                select(Dossier)
                .where(Dossier.owner_id == user_id)
                .order_by(Dossier.updated_at.desc(), Dossier.id.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            ).all()
        )


def drafts_of(user_id: int, demarche_code: str) -> list[Dossier]:
    """Drafts never filed of one démarche: what "Commencer" offers to resume."""
    demarche = registry.get(demarche_code)
    if demarche is None:
        return []
    with session_scope() as db:
        return list(
            db.exec(
                select(Dossier)
                .where(
                    Dossier.owner_id == user_id,
                    Dossier.demarche_code == demarche_code,
                    Dossier.status == demarche.draft_status,
                )
                .order_by(Dossier.updated_at.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            ).all()
        )


def history(user_id: int, dossier_id: int) -> list[DossierHistory]:
    with session_scope() as db:
        _owned(db, user_id, dossier_id)
        return list(
            db.exec(
                select(DossierHistory).where(DossierHistory.dossier_id == dossier_id).order_by(DossierHistory.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
            ).all()
        )


# ---------------------------------------------------------------- drafts


def profile_values(user: User) -> dict[str, str]:
    """What a new draft may take from the account (FieldSpec.prefill names these keys)."""
    return {
        "civility": user.civility,
        "birth_name": user.birth_name,
        "usage_name": user.usage_name,
        "first_names": user.first_names,
        "birth_date": user.birth_date.isoformat() if user.birth_date else "",
        # Only FranceConnect gives an account its birth place (COG codes): its name, or "".
        "birthplace": place_name(user.birthplace, user.birth_country),
        "nir": user.nir,
        "email": user.email,
        "phone": user.phone,
        "address.line": user.address_line,
        "address.postal_code": user.postal_code,
        "address.city": user.city,
    }


def prefilled_answers(demarche: Demarche, user: User, profile: dict[str, str] | None = None) -> dict[str, Any]:
    profile = profile if profile is not None else profile_values(user)
    answers: dict[str, Any] = {}
    for spec in demarche.fields:
        if not spec.prefill:
            continue
        if spec.kind == ADDRESS:
            for (part, _), key in zip(ADDRESS_PARTS, spec.keys, strict=True):
                if profile.get(f"{spec.prefill}.{part}"):
                    answers[key] = profile[f"{spec.prefill}.{part}"]
        elif profile.get(spec.prefill):
            answers[spec.name] = profile[spec.prefill]
    return answers


def create_draft(user_id: int, demarche_code: str, relation_id: int | None = None) -> Dossier:
    """A new draft for the holder, or for one of their relations (relation_id) when the
    démarche may be filed for that kind of relation (Demarche.for_whom)."""
    demarche = registry.get(demarche_code)
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None or demarche is None or user.role not in demarche.audience:
            raise Refused("this user may not file this démarche")
        profile, for_whom = profile_values(user), {}
        if relation_id is not None:
            try:
                relation = relations.owned_in(db, user_id, relation_id)
            except relations.NotFound as missing:
                raise NotFound(str(relation_id)) from missing
            if relation.kind not in demarche.for_whom:
                raise Refused(f"{demarche.code} may not be filed for a {relation.kind}")
            profile, for_whom = relations.profile_values(profile, relation), relations.snapshot(relation)
        elif "self" not in demarche.for_whom:
            raise Refused(f"{demarche.code} is filed for someone else")
        now = utcnow()
        dossier = Dossier(
            owner_id=user_id,
            demarche_code=demarche.code,
            status=demarche.draft_status,
            answers=prefilled_answers(demarche, user, profile),
            current_step=demarche.steps[0].code,
            relation_id=relation_id,
            for_whom=for_whom,
            version=1,
            created_at=now,
            updated_at=now,
        )
        db.add(dossier)
        db.flush()
        db.add(
            DossierHistory(dossier_id=dossier.id, at=now, actor_id=user_id, kind="created", to_status=dossier.status)
        )
        return dossier


def guest_draft(db: Session, email: str, demarche: Demarche) -> tuple[Dossier, bool]:
    """A guest's latest draft of this démarche (what their code resumes), or a new one with
    their confirmed address as its only prefill (domain/guests); True when new."""
    found = db.exec(
        select(Dossier)
        .where(
            Dossier.owner_id.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            Dossier.guest_email == email,
            Dossier.demarche_code == demarche.code,
            Dossier.status == demarche.draft_status,
        )
        .order_by(Dossier.updated_at.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    ).first()
    if found is not None:
        return found, False
    now = utcnow()
    dossier = Dossier(
        guest_email=email,
        demarche_code=demarche.code,
        status=demarche.draft_status,
        answers=prefilled_answers(demarche, User(email=email, password_hash=""), {"email": email}),
        current_step=demarche.steps[0].code,
        version=1,
        created_at=now,
        updated_at=now,
    )
    db.add(dossier)
    db.flush()
    db.add(DossierHistory(dossier_id=dossier.id, at=now, actor_id=None, kind="created", to_status=dossier.status))
    return dossier, True


@dataclass(frozen=True)
class SaveResult:
    version: int
    saved_at: datetime
    # The dossier had changed since the version the caller knew: another tab or device.
    changed_elsewhere: bool
    answers: dict[str, Any]


def _editable(dossier: Any, dossier_id: int) -> Demarche:
    """The démarche of a dossier its owner may still change, else Locked."""
    if not owner_can_edit(dossier):
        raise Locked(str(dossier_id))
    return demarche_of(dossier)


def editable_in(db: Session, user_id: int, dossier_id: int) -> tuple[Dossier, Demarche]:
    dossier = _owned(db, user_id, dossier_id)
    return dossier, _editable(dossier, dossier_id)


# Built once: composing the statement at each save cost as much as running it.
_columns = Dossier.__table__.c  # type: ignore[attr-defined]  # SQLModel's table
_WRITE_ANSWERS = (
    update(Dossier.__table__)  # type: ignore[arg-type]  # SQLModel's table
    .where(_columns.id == bindparam("dossier_id"), _columns.version == bindparam("known"))
    .values(answers=bindparam("merged"), version=_columns.version + 1, updated_at=bindparam("now"))
)


def _stored(demarche: Demarche, key: str, value: Any) -> Any:
    """What to store at `key`, or None when it cannot be an answer of this démarche."""
    spec = demarche.field_for_key(key)
    return rules.storable_value(spec, key, value) if spec else None


@dataclass(frozen=True)
class Known:
    """What a tab holds of its draft: the version it last read or wrote, and that version's
    démarche and answers. Every write of a dossier's answers moves its version (this module,
    quotes/filing.py, workflow.py), so a row still at `version` holds exactly `answers`."""

    version: int
    demarche_code: str
    answers: dict[str, Any]


@lru_cache(maxsize=64)
def _write_known(demarche_code: str) -> Any:
    """The UPDATE that writes a draft still as a tab knows it: at that version, of that
    démarche, its owner's (an account's: a guest's draft has none) and in a status its
    owner may change (what _belonging and _editable check on a row read first)."""
    demarche = registry.get(demarche_code)
    editable = [status.code for status in demarche.statuses if status.owner_can_edit] if demarche else []
    return _WRITE_ANSWERS.where(
        _columns.owner_id == bindparam("owner"),
        _columns.demarche_code == demarche_code,
        or_(*(_columns.status == code for code in editable)) if editable else false(),
    )


@dataclass(frozen=True)
class Prepared:
    """A save of a tab's known draft, computed and not yet written (`write_prepared`)."""

    dossier_id: int
    owner_id: int
    known: Known
    merged: dict[str, Any]
    now: datetime

    @property
    def result(self) -> SaveResult:
        """What the save gives once written."""
        return SaveResult(self.known.version + 1, self.now, False, self.merged)


def prepare_known(user_id: int, dossier_id: int, values: dict[str, Any], known: Known) -> Prepared | None:
    """The save of a tab whose draft nobody changed since (the common case: one person typing),
    computed without the database (issue 18). None when it does not apply: a guest, an answer a
    dossier may hold or refuse, or no change; the full path then decides, and refuses what it
    must."""
    demarche = registry.get(known.demarche_code)
    if demarche is None or is_guest(user_id) or not _real_id(dossier_id):
        return None
    merged = dict(known.answers)
    for key, value in values.items():
        stored = None if held.may_hold_key(demarche, key) else _stored(demarche, key, value)
        if stored is None:
            return None
        merged[key] = stored
    if merged == known.answers:
        return None
    return Prepared(dossier_id, user_id, known, merged, utcnow())


def write_prepared(prepared: Prepared) -> SaveResult | None:
    """One UPDATE, no read first; None when the row moved since the tab knew it (another tab
    wrote, it was filed or is another's): the full save then decides."""
    known = prepared.known
    params = {
        "dossier_id": prepared.dossier_id,
        "known": known.version,
        "owner": prepared.owner_id,
        "merged": prepared.merged,
        "now": prepared.now,
    }
    with session_scope() as db:
        written = db.connection().execute(_write_known(known.demarche_code), params).rowcount
    return prepared.result if written == 1 else None


def _save_known(user_id: int, dossier_id: int, values: dict[str, Any], known: Known) -> SaveResult | None:
    prepared = prepare_known(user_id, dossier_id, values, known)
    return write_prepared(prepared) if prepared is not None else None


def save_answers(
    user_id: int,
    dossier_id: int,
    values: dict[str, Any],
    known_version: int | None = None,
    known: Known | None = None,
) -> SaveResult:
    """Merge some answers into the draft, key by key: the last write of a key wins and
    keys written meanwhile by another tab are kept. A value equal to the stored one is not
    a change (the blur after a debounced save sends it again). `known`: what the tab holds
    (its version stands for known_version)."""
    if known is not None:
        result = _save_known(user_id, dossier_id, values, known)
        if result is not None:
            return result
        known_version = known.version
    for _attempt in range(MAX_ATTEMPTS):
        with session_scope() as db:
            # One statement for all it reads (held.EDITING), the ORM left out: the save is the
            # portal's most frequent event (issue 18).
            row = held.editing(db, dossier_id) if _real_id(dossier_id) else None
            found = _belonging(db, row, user_id, dossier_id)
            demarche = _editable(found, dossier_id)
            merged = dict(found.answers or {})
            reasons = held.editing_reasons(db, found, demarche)
            for key, value in values.items():
                if key in reasons:
                    continue  # given by an accepted quote or certified by FranceConnect (held.py)
                stored = _stored(demarche, key, value)
                if stored is None:
                    raise Refused(f"{key!r} is not an answer of {demarche.code}")
                merged[key] = stored
            changed_elsewhere = known_version is not None and found.version != known_version
            if merged == found.answers:
                return SaveResult(found.version, as_utc(found.updated_at), changed_elsewhere, merged)
            now = utcnow()
            written = (
                db.connection()
                .execute(
                    _WRITE_ANSWERS,
                    {"dossier_id": dossier_id, "known": found.version, "merged": merged, "now": now},
                )
                .rowcount
            )
            if written == 1:
                return SaveResult(found.version + 1, now, changed_elsewhere, merged)
    raise DossierError(f"dossier {dossier_id}: too many concurrent writes")


def save_answer(
    user_id: int, dossier_id: int, key: str, value: Any, known_version: int | None = None, known: Known | None = None
) -> SaveResult:
    return save_answers(user_id, dossier_id, {key: value}, known_version, known)


def set_step(user_id: int, dossier_id: int, step_code: str, checked: str | None = None) -> Dossier:
    """Remember where the user is (another device opens there) and which steps were checked."""
    with session_scope() as db:
        dossier, demarche = editable_in(db, user_id, dossier_id)
        if demarche.step(step_code) is None:
            raise Refused(f"unknown step {step_code!r}")
        values: dict[str, Any] = {"current_step": step_code}
        if checked and demarche.step(checked) is not None and checked not in (dossier.checked_steps or []):
            values["checked_steps"] = [*(dossier.checked_steps or []), checked]
        db.connection().execute(update(Dossier).where(Dossier.id == dossier_id).values(**values))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        db.expire(dossier)
        return db.get(Dossier, dossier_id)  # type: ignore[return-value]  # the row updated just above exists


def delete_draft(user_id: int, dossier_id: int) -> None:
    """Only a draft never filed may go: a filed dossier is part of the agency's records."""
    with session_scope() as db:
        dossier = _owned(db, user_id, dossier_id)
        if dossier.number is not None or dossier.status != demarche_of(dossier).draft_status:
            raise Locked(str(dossier_id))
        db.connection().execute(delete(DossierHistory).where(DossierHistory.dossier_id == dossier_id))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        # Never filed, so its pieces are only links: no frozen file to remove.
        db.connection().execute(delete(DossierPiece).where(DossierPiece.dossier_id == dossier_id))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        db.delete(dossier)
