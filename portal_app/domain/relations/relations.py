"""Mes relations: listed, added, edited and deleted by their owner only; copied into dossiers.

Every function takes the acting user's id and treats another owner's relation exactly like a
missing one (NotFound): a guessed id reveals nothing. Each function is one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from portal_app.domain.core.db import session_scope
from portal_app.domain.relations.forms import COMPANY, LINKS, PERSON, clean
from portal_app.models import Dossier, Relation
from portal_app.models.base import utcnow

IN_USE = (
    "Vous ne pouvez pas supprimer cette relation : un brouillon de démarche est fait pour elle. "
    "Déposez ou supprimez d'abord ce brouillon."
)


class NotFound(Exception):
    """Missing, or not this user's: the same answer for both."""


class InUse(Exception):
    """A draft names the relation: deleting it would leave the draft for no one."""


@dataclass
class SaveResult:
    errors: dict[str, str] = field(default_factory=dict)
    relation: Relation | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def owned_in(db: Session, user_id: int, relation_id: int) -> Relation:
    relation = db.get(Relation, relation_id) if isinstance(relation_id, int) and relation_id > 0 else None
    if relation is None or relation.owner_id != user_id:
        raise NotFound(str(relation_id))
    return relation


def get_owned(user_id: int, relation_id: int) -> Relation:
    with session_scope() as db:
        return owned_in(db, user_id, relation_id)


def list_for(user_id: int, kinds: tuple[str, ...] = (PERSON, COMPANY)) -> list[Relation]:
    with session_scope() as db:
        return list(
            db.exec(
                select(Relation)
                .where(Relation.owner_id == user_id, Relation.kind.in_(kinds))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
                .order_by(Relation.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
            ).all()
        )


def _drafts_naming(db: Session, relation_id: int) -> list[Dossier]:
    """Dossiers never filed that are for this relation (a filed one has its frozen copy)."""
    return list(
        db.exec(select(Dossier).where(Dossier.relation_id == relation_id, Dossier.number.is_(None))).all()  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    )


def save(user_id: int, kind: str, data: dict, relation_id: int | None = None) -> SaveResult:
    """Add a relation (relation_id None) or edit one of the user's. An edited relation's kind
    stays: a person does not become a company. Drafts made for it follow the change."""
    with session_scope() as db:
        relation = owned_in(db, user_id, relation_id) if relation_id is not None else None
        kind = relation.kind if relation is not None else kind
        cleaned, errors = clean(kind, data)
        if errors:
            return SaveResult(errors)
        now = utcnow()
        if relation is None:
            relation = Relation(owner_id=user_id, kind=kind, created_at=now)
        for key, value in cleaned.items():
            setattr(relation, key, value)
        relation.updated_at = now
        db.add(relation)
        db.flush()
        for draft in _drafts_naming(db, relation.id):
            draft.for_whom = snapshot(relation)
            db.add(draft)
        return SaveResult(relation=relation)


def delete(user_id: int, relation_id: int) -> None:
    """Refused while a draft is for the relation; filed dossiers keep their frozen copy."""
    with session_scope() as db:
        relation = owned_in(db, user_id, relation_id)
        if _drafts_naming(db, relation_id):
            raise InUse(IN_USE)
        db.connection().execute(
            update(Dossier).where(Dossier.relation_id == relation_id).values(relation_id=None)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        )
        db.delete(relation)


# ---------------------------------------------------------------- in dossiers


def full_name(relation: Relation) -> str:
    if relation.kind == COMPANY:
        return relation.company_name
    return " ".join(part for part in (relation.first_names, relation.usage_name or relation.birth_name) if part)


def description(relation: Relation) -> str:
    """ "Léa Martin (enfant)", "Atelier Dupont (SIRET 732 829 320 00074)"."""
    if relation.kind == COMPANY:
        siret = relation.siret
        spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret
        return f"{relation.company_name} (SIRET {spaced})"
    return f"{full_name(relation)} ({dict(LINKS).get(relation.link, 'autre').lower()})"


def snapshot(relation: Relation) -> dict[str, Any]:
    """What a dossier keeps of its relation: frozen at filing, whatever becomes of the relation."""
    values: dict[str, Any] = {"kind": relation.kind, "name": full_name(relation), "description": description(relation)}
    keys = ("link", "birth_name", "usage_name", "first_names", "birthplace")
    if relation.kind == COMPANY:
        keys = ("siret", "company_name", "address_line", "postal_code", "city", "holder_role")
    values.update({key: getattr(relation, key) for key in keys})
    if relation.kind == PERSON and relation.birth_date is not None:
        values["birth_date"] = relation.birth_date.isoformat()
    return values


def for_whom_name(for_whom: dict[str, Any] | None) -> str:
    """Whom a dossier is for, or "" when it is for its account holder."""
    return str((for_whom or {}).get("name", ""))


def for_whom_suffix(for_whom: dict[str, Any] | None) -> str:
    """ " pour Léa Martin" where a sentence names a dossier, "" for the holder's own."""
    name = for_whom_name(for_whom)
    return f" pour {name}" if name else ""


def for_whom_public(for_whom: dict[str, Any] | None) -> str:
    """What /suivi, which shows nothing personal, says: "pour Léa M." (first name, initial),
    "pour Atelier Dupont" (a company's name is public), "" for the holder's own dossier."""
    values = for_whom or {}
    if not values.get("name"):
        return ""
    if values.get("kind") == COMPANY:
        return f"pour {values['name']}"
    first = str(values.get("first_names", "")).split(" ")[0]
    last = str(values.get("usage_name") or values.get("birth_name") or "")
    return f"pour {first} {last[:1]}.".replace(" .", "") if last else f"pour {first}"


_SNAPSHOT_LABELS = (
    ("link", "Lien avec le demandeur"),
    ("birth_name", "Nom de naissance"),
    ("usage_name", "Nom d'usage"),
    ("first_names", "Prénom(s)"),
    ("birth_date", "Date de naissance"),
    ("birthplace", "Lieu de naissance"),
    ("company_name", "Raison sociale"),
    ("siret", "SIRET"),
    ("address", "Adresse"),
    ("holder_role", "Rôle du demandeur"),
)


def snapshot_rows(for_whom: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The frozen copy as (label, value) rows, for the agency's view of the dossier."""
    values = {key: str(value) for key, value in (for_whom or {}).items() if value}
    if "link" in values:
        values["link"] = dict(LINKS).get(values["link"], values["link"])
    if "birth_date" in values:
        values["birth_date"] = "/".join(reversed(values["birth_date"].split("-")))
    if values.get("kind") == COMPANY:
        values["address"] = (
            f"{values.get('address_line', '')}, {values.get('postal_code', '')} {values.get('city', '')}"
        )
    return [(label, values[key]) for key, label in _SNAPSHOT_LABELS if key in values]


# The holder's identity never fills a draft made for someone else.
HOLDER_IDENTITY = ("civility", "birth_name", "usage_name", "first_names", "birth_date", "birthplace", "nir")


def profile_values(holder: dict[str, str], relation: Relation) -> dict[str, str]:
    """What a new draft for this relation is filled with (FieldSpec.prefill keys, as
    drafts.profile_values): the holder's contact details, the relation's identity and address."""
    values = {key: value for key, value in holder.items() if key not in HOLDER_IDENTITY}
    values.update(_relation_values(relation))
    return values


def _relation_values(relation: Relation) -> dict[str, str]:
    if relation.kind == COMPANY:
        return {
            "address.line": relation.address_line,
            "address.postal_code": relation.postal_code,
            "address.city": relation.city,
            "company_name": relation.company_name,
            "siret": relation.siret,
        }
    return {
        "birth_name": relation.birth_name,
        "usage_name": relation.usage_name,
        "first_names": relation.first_names,
        "birth_date": relation.birth_date.isoformat() if relation.birth_date else "",
        "birthplace": relation.birthplace,
    }
