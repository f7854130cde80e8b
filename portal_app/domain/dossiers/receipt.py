"""The filing receipt ("attestation de dépôt"): a PDF made at each submission (fpdf2, DejaVu Sans
embedded so that any name prints: é ç Œ ß ł ő ñ ş, Vietnamese), attached to the acknowledgement
and downloadable by the owner. A dossier filed again after a reopening gets the next version."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from portal_app.domain.core import filestore
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.nir import masked_nir
from portal_app.domain.core.pdf import FONT, clean, new_document
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers.drafts import NotFound, _owned
from portal_app.domain.dossiers.filed_pieces import label_of
from portal_app.domain.uploads.checks import format_size
from portal_app.models import Dossier, FiledPiece, FilingReceipt, User
from portal_app.models.base import as_utc
from portal_app.settings import get_settings

PORTAL_NAME = "Portail"
BLUE = (0, 0, 145)
GREY = (90, 90, 90)


def receipt_file_name(number: str, version: int) -> str:
    return f"attestation-de-depot-{number}-v{version}.pdf"


def filer_of(owner: User) -> str:
    names = " ".join(part for part in (owner.first_names, owner.usage_name or owner.birth_name) if part)
    return f"{names} ({owner.email})" if names else owner.email


def receipt_pdf(
    demarche: d.Demarche,
    dossier: Dossier,
    filer: str,
    version: int,
    pieces: list[FiledPiece],
) -> bytes:
    pdf = new_document(f"Attestation de dépôt - {dossier.number}")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    def line(text: str, size: float = 10, style: str = "", height: float = 5.5, colour=(0, 0, 0)) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, height, clean(text), align="L", new_x="LMARGIN", new_y="NEXT")

    line(PORTAL_NAME, 16, "B", 8)
    line("Transitions professionnelles", 9, colour=GREY)
    pdf.ln(8)
    line("Attestation de dépôt", 20, "B", 10, BLUE)
    pdf.ln(2)
    line(f"Démarche : {demarche.title}", 11, height=6.5)
    line(f"Dossier n° {dossier.number}", 11, "B", 6.5)
    line(f"Déposé le {paris_datetime(as_utc(dossier.submitted_at))} (heure de Paris)", 11, height=6.5)
    line(f"Déposé par : {filer}", 11, height=6.5)
    line(f"Version {version} de l'attestation de ce dossier", 9, colour=GREY)

    nir_fields = {spec.name for step in demarche.steps for spec in step.fields if spec.kind == d.NIR}
    for step in rules.recap(demarche, dossier.answers or {}):
        pdf.ln(5)
        line(step.title, 12, "B", 7, BLUE)
        for row in step.rows:
            value = masked_nir(row.value) if row.key in nir_fields else row.value
            line(f"{row.label} : {value or '—'}")

    pdf.ln(5)
    line("Pièces justificatives déposées", 12, "B", 7, BLUE)
    if not pieces:
        line("Aucune pièce jointe.")
    for piece in pieces:
        line(f"{label_of(demarche, piece.piece_code)} : {piece.name} ({format_size(piece.size)})")
        line(f"SHA-256 : {piece.sha256}", 8, height=4.5, colour=GREY)
    pdf.ln(6)
    line(
        "L'empreinte SHA-256 identifie chaque fichier tel qu'il a été déposé : "
        "un fichier modifié, même d'un caractère, a une autre empreinte.",
        8,
        height=4.5,
        colour=GREY,
    )
    return bytes(pdf.output())


def make_receipt(
    db: UnitOfWork, owner: User, dossier: Dossier, demarche: d.Demarche, pieces: list[FiledPiece]
) -> FilingReceipt:
    """In filing.submit's transaction: the next version's PDF, its file removed if the work rolls back."""
    latest = db.exec(select(func.max(FilingReceipt.version)).where(FilingReceipt.dossier_id == dossier.id)).one()
    version = (latest or 0) + 1
    data = receipt_pdf(demarche, dossier, filer_of(owner), version, pieces)
    stored = filestore.write(data)
    db.after_rollback(lambda: filestore.delete(stored))
    receipt = FilingReceipt(
        dossier_id=dossier.id,
        owner_id=owner.id,
        version=version,
        filed_at=dossier.submitted_at,
        stored_name=stored,
        size=len(data),
    )
    db.add(receipt)
    db.flush()
    return receipt


def attachment_of(receipt: FilingReceipt, number: str) -> dict[str, str]:
    """The receipt as a mail attachment (mail.queue)."""
    path = filestore.path_of(receipt.stored_name).relative_to(get_settings().files_dir)
    return {"path": str(path), "filename": receipt_file_name(number, receipt.version), "mime": "application/pdf"}


def receipts_in(db: Session, dossier_id: int) -> list[FilingReceipt]:
    return list(
        db.exec(select(FilingReceipt).where(FilingReceipt.dossier_id == dossier_id).order_by(FilingReceipt.version))
    )


def receipt_for(user_id: int, dossier_id: int, version: int) -> tuple[str, bytes] | None:
    """(file name, PDF) of one version, for the dossier's owner only; None otherwise."""
    with session_scope() as db:
        try:
            dossier = _owned(db, user_id, dossier_id)
        except NotFound:
            return None
        receipt = db.exec(
            select(FilingReceipt).where(FilingReceipt.dossier_id == dossier.id, FilingReceipt.version == version)
        ).first()
        if receipt is None:
            return None
        name = receipt_file_name(dossier.number, receipt.version)
        stored = receipt.stored_name
    return name, filestore.read(stored)


def receipt_dates(user_id: int, dossier_id: int) -> list[tuple[int, datetime]]:
    """(version, filing time) of every receipt of the owner's dossier, latest first."""
    with session_scope() as db:
        try:
            dossier = _owned(db, user_id, dossier_id)
        except NotFound:
            return []
        return [(r.version, as_utc(r.filed_at)) for r in reversed(receipts_in(db, dossier.id))]
