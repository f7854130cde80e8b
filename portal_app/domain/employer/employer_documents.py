"""An employer's documents: categories as data, visibility, and the avis de virement.

Visibility: the default list shows only the documents tied to no dossier; a dossier (one of the
employer's, see reglements.dossiers_of) shows every document filed on it, whoever filed it.
The employer edits or deletes only what it filed itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from portal_app.domain.core import filestore
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.employer.document_categories import (
    BY_KEY,
    EMPLOYER_CATEGORIES,
    FILED_BY,
    REQUIRED,
)
from portal_app.domain.employer.reglements import dossier_of, french_date, parse_date
from portal_app.models import EmployerAccount, EmployerDocument, Reglement, Role
from portal_app.models.base import utcnow

FIELD_ORDER = ("category", "dossier", "label", "period_start", "period_end", "file")


def category_label(key: str) -> str:
    category = BY_KEY.get(key)
    return category.label if category else key


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class DocumentView:
    id: int
    category: str
    category_label: str
    label: str
    period: str
    period_start: str  # ISO, for the edit form
    period_end: str
    dossier_number: str
    beneficiary_name: str
    filed_by: str
    filed_by_label: str
    file_name: str
    kind: str
    size: int
    created_on: str
    editable: bool


def _period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"du {french_date(start)} au {french_date(end)}"
    if start:
        return f"à partir du {french_date(start)}"
    if end:
        return f"jusqu'au {french_date(end)}"
    return ""


def _view(row: EmployerDocument) -> DocumentView:
    return DocumentView(
        id=row.id,
        category=row.category,
        category_label=category_label(row.category),
        label=row.label,
        period=_period_text(row.period_start, row.period_end),
        period_start=row.period_start.isoformat() if row.period_start else "",
        period_end=row.period_end.isoformat() if row.period_end else "",
        dossier_number=row.dossier_number,
        beneficiary_name=row.beneficiary_name,
        filed_by=row.filed_by,
        filed_by_label=FILED_BY.get(row.filed_by, row.filed_by),
        file_name=row.file_name,
        kind=row.kind,
        size=row.size,
        created_on=french_date(row.created_at.date()),
        editable=row.filed_by == Role.EMPLOYER,
    )


def general_documents(employer_id: int) -> list[DocumentView]:
    """Documents tied to no dossier and no beneficiary: the default list."""
    with session_scope() as db:
        rows = db.exec(
            select(EmployerDocument)
            .where(
                EmployerDocument.employer_id == employer_id,
                EmployerDocument.dossier_number == "",
                EmployerDocument.beneficiary_name == "",
            )
            .order_by(EmployerDocument.created_at.desc(), EmployerDocument.id.desc())  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).all()
        return [_view(row) for row in rows]


def dossier_documents(employer_id: int, dossier_number: str) -> list[DocumentView]:
    """Every document of one of this employer's dossiers, whoever filed it."""
    if dossier_of(employer_id, dossier_number) is None:
        return []
    with session_scope() as db:
        rows = db.exec(
            select(EmployerDocument)
            .where(EmployerDocument.employer_id == employer_id, EmployerDocument.dossier_number == dossier_number)
            .order_by(EmployerDocument.created_at.desc(), EmployerDocument.id.desc())  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).all()
        return [_view(row) for row in rows]


def get_document(employer_id: int, document_id: int) -> EmployerDocument | None:
    """The row, only when it is this employer's."""
    with session_scope() as db:
        row = db.get(EmployerDocument, document_id)
        if row is None or row.employer_id != employer_id:
            return None
        return row


def avis_document_ids(employer_id: int, reglement_ids: list[int]) -> dict[int, int]:
    """règlement id -> id of its avis de virement."""
    if not reglement_ids:
        return {}
    with session_scope() as db:
        rows = db.exec(
            select(EmployerDocument.reglement_id, EmployerDocument.id).where(
                EmployerDocument.employer_id == employer_id,
                EmployerDocument.reglement_id.in_(reglement_ids),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            )
        ).all()
        return {reglement_id: document_id for reglement_id, document_id in rows}


# ---------------------------------------------------------------- filing


@dataclass
class Outcome:
    errors: dict[str, str] = field(default_factory=dict)
    document_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_fields(employer_id: int, data: dict, categories=EMPLOYER_CATEGORIES) -> tuple[dict, dict[str, str]]:
    """Check the category's declared fields; returns (values for the row, errors)."""
    errors: dict[str, str] = {}
    category = next((c for c in categories if c.key == data.get("category")), None)
    if category is None:
        return {}, {"category": "Choisissez le type de document."}
    values: dict = {
        "category": category.key,
        "dossier_number": "",
        "beneficiary_name": "",
        "label": "",
        "period_start": None,
        "period_end": None,
    }
    wanted = category.fields
    if "dossier" in wanted:
        number = str(data.get("dossier", "") or "").strip()
        if number:
            dossier = dossier_of(employer_id, number)
            if dossier is None:
                errors["dossier"] = "Choisissez un dossier de la liste."
            else:
                values["dossier_number"], values["beneficiary_name"] = dossier.number, dossier.beneficiary
        elif wanted["dossier"] == REQUIRED:
            errors["dossier"] = "Choisissez le dossier auquel ce document se rapporte."
    if "label" in wanted:
        label = " ".join(str(data.get("label", "") or "").split())
        if len(label) > 200:
            errors["label"] = "Le libellé ne doit pas dépasser 200 caractères."
        elif not label and wanted["label"] == REQUIRED:
            errors["label"] = "Donnez un libellé à ce document, par exemple « Attestation URSSAF 2025 »."
        values["label"] = label
    if "period" in wanted:
        for key, text in (("period_start", "de début"), ("period_end", "de fin")):
            raw = str(data.get(key, "") or "").strip()
            day = parse_date(raw) if raw else None
            if raw and day is None:
                errors[key] = f"Indiquez une date {text} valide."
            elif not raw and wanted["period"] == REQUIRED:
                errors[key] = f"Indiquez la date {text} de la période."
            values[key] = day
        if values["period_start"] and values["period_end"] and values["period_start"] > values["period_end"]:
            errors["period_end"] = "La fin de la période doit suivre son début."
    return values, errors


def add_document(employer_id: int, values: dict, accepted, filed_by: str = Role.EMPLOYER.value) -> int:
    """accepted: the upload pipeline's Accepted (kind, clean_bytes, safe_name, sha256, size)."""
    key = filestore.write(accepted.clean_bytes)
    try:
        with session_scope() as db:
            row = EmployerDocument(
                employer_id=employer_id,
                filed_by=filed_by,
                storage_key=key,
                file_name=accepted.safe_name,
                kind=accepted.kind,
                size=accepted.size,
                sha256=accepted.sha256,
                **values,
            )
            db.add(row)
            db.flush()
            return row.id
    except BaseException:
        filestore.delete(key)
        raise


def update_document(employer_id: int, document_id: int, values: dict, accepted=None) -> bool:
    """Change an employer-filed document, and its file when a new one is given."""
    new_key = filestore.write(accepted.clean_bytes) if accepted is not None else None
    old_key = None
    with session_scope() as db:
        row = db.get(EmployerDocument, document_id)
        if row is None or row.employer_id != employer_id or row.filed_by != Role.EMPLOYER:
            if new_key:
                filestore.delete(new_key)
            return False
        for key, value in values.items():
            setattr(row, key, value)
        if accepted is not None:
            old_key = row.storage_key
            row.storage_key, row.file_name, row.kind = new_key, accepted.safe_name, accepted.kind
            row.size, row.sha256 = accepted.size, accepted.sha256
        row.updated_at = utcnow()
        db.add(row)
    if old_key:
        filestore.delete(old_key)
    return True


def delete_document(employer_id: int, document_id: int) -> bool:
    with session_scope() as db:
        row = db.get(EmployerDocument, document_id)
        if row is None or row.employer_id != employer_id or row.filed_by != Role.EMPLOYER:
            return False
        key = row.storage_key
        db.delete(row)
    filestore.delete(key)
    return True


def read_file(row: EmployerDocument) -> bytes:
    return filestore.read(row.storage_key)


def category_choices() -> list[dict[str, str]]:
    """What the add and edit forms need to know of each category the employer may choose."""
    return [
        {
            "key": c.key,
            "label": c.label,
            "instructions": c.instructions,
            "dossier": c.fields.get("dossier", ""),
            "label_field": c.fields.get("label", ""),
            "period": c.fields.get("period", ""),
        }
        for c in EMPLOYER_CATEGORIES
    ]


def purge_employer(db: UnitOfWork, user_id: int) -> None:
    """Account deletion: the employer's documents (files too), règlements and account row."""
    keys = []
    for row in db.exec(select(EmployerDocument).where(EmployerDocument.employer_id == user_id)).all():
        keys.append(row.storage_key)
        db.delete(row)
    db.flush()
    for row in db.exec(select(Reglement).where(Reglement.employer_id == user_id)).all():
        db.delete(row)
    for row in db.exec(select(EmployerAccount).where(EmployerAccount.user_id == user_id)).all():
        db.delete(row)
    db.flush()
    if keys:
        db.after_commit(lambda: filestore.delete(*keys))
