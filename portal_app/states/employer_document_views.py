"""What the employer documents page shows of each document and dossier (plain rows for Reflex)."""

from __future__ import annotations

import dataclasses

from portal_app.domain.employer import employer_documents as docs
from portal_app.domain.uploads.checks import format_size


@dataclasses.dataclass
class DocView:
    id: int
    title: str
    category: str
    label: str
    period: str
    filed_by: str
    created_on: str
    file: str
    href: str
    editable: bool
    dossier: str


@dataclasses.dataclass
class DossierView:
    number: str
    beneficiary: str


def document_row(view: docs.DocumentView) -> DocView:
    return DocView(
        id=view.id,
        title=view.label or view.category_label,
        category=view.category_label,
        label=view.label,
        period=view.period,
        filed_by=view.filed_by_label,
        created_on=view.created_on,
        file=f"{view.file_name} ({format_size(view.size)})",
        href=f"/_portal/employeur/documents/{view.id}",
        editable=view.editable,
        dossier=f"{view.dossier_number} – {view.beneficiary_name}" if view.dossier_number else "",
    )
