"""What each submission of a dossier filed: the FiledPiece rows (which own the frozen files),
grouped by filing, in the démarche's order; the owner's and the back office's ways to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers.demarche import Demarche
from portal_app.domain.dossiers.drafts import NotFound, _owned, demarche_of
from portal_app.domain.uploads.checks import format_size
from portal_app.models import Dossier, FiledPiece
from portal_app.models.base import as_utc


def piece_rank(demarche: Demarche, code: str) -> tuple[int, str]:
    """The démarche's declared order; a code it no longer declares goes last."""
    order = [p.code for p in demarche.pieces]
    return (order.index(code), code) if code in order else (len(order), code)


@dataclass(frozen=True)
class FiledVersion:
    id: int
    code: str
    label: str
    name: str
    kind: str
    size: int
    filed_at: datetime
    sha256: str
    unchanged: bool  # the same file as in the previous filing

    @property
    def size_label(self) -> str:
        return format_size(self.size)


@dataclass(frozen=True)
class Filing:
    """What one submission filed, in the démarche's order."""

    filed_at: datetime
    pieces: tuple[FiledVersion, ...]


def label_of(demarche: Demarche | None, code: str) -> str:
    spec = next((p for p in demarche.pieces if p.code == code), None) if demarche else None
    return spec.label if spec else code


def filings_in(db: Session, dossier: Dossier, demarche: Demarche | None) -> list[Filing]:
    """Every submission's pieces, oldest first (no access check: callers do it)."""
    rows = db.exec(select(FiledPiece).where(FiledPiece.dossier_id == dossier.id).order_by(FiledPiece.id)).all()
    groups: dict[datetime, list[FiledPiece]] = {}
    for row in rows:
        groups.setdefault(as_utc(row.filed_at), []).append(row)
    result: list[Filing] = []
    previous: dict[str, str] = {}
    for filed_at in sorted(groups):
        group = sorted(
            groups[filed_at], key=lambda r: piece_rank(demarche, r.piece_code) if demarche else (0, r.piece_code)
        )
        versions = tuple(
            FiledVersion(
                row.id,
                row.piece_code,
                label_of(demarche, row.piece_code),
                row.name,
                row.kind,
                row.size,
                filed_at,
                row.sha256,
                previous.get(row.piece_code) == row.sha256 and bool(row.sha256),
            )
            for row in group
        )
        previous = {row.piece_code: row.sha256 for row in group}
        result.append(Filing(filed_at, versions))
    return result


def filings(user_id: int, dossier_id: int) -> list[Filing]:
    """The owner's view of what each submission of their dossier filed (NotFound otherwise)."""
    with session_scope() as db:
        dossier = _owned(db, user_id, dossier_id)
        return filings_in(db, dossier, demarche_of(dossier))


def frozen_piece(user_id: int, dossier_id: int, piece_code: str) -> FiledPiece | None:
    """The copy the last filing of a dossier holds for a piece, for its owner's download."""
    with session_scope() as db:
        try:
            dossier = _owned(db, user_id, dossier_id)
        except NotFound:
            return None
        last = db.exec(
            select(FiledPiece.filed_at)
            .where(FiledPiece.dossier_id == dossier.id)
            .order_by(FiledPiece.filed_at.desc())
            .limit(1)  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).first()
        if last is None:
            return None
        return db.exec(
            select(FiledPiece).where(
                FiledPiece.dossier_id == dossier.id,
                FiledPiece.filed_at == last,
                FiledPiece.piece_code == str(piece_code),
            )
        ).first()


def filed_piece_for_agent(db: Session, dossier_id: int, filed_piece_id) -> FiledPiece | None:
    """A version filed with a dossier, by id, for the back office. A FiledPiece exists only
    for a submission, so a draft's links and the porte-documents are out of reach."""
    try:
        filed_piece_id = int(filed_piece_id)
    except (TypeError, ValueError):
        return None
    row = db.get(FiledPiece, filed_piece_id)
    if row is None or row.dossier_id != dossier_id:
        return None
    dossier = db.get(Dossier, dossier_id)
    return row if dossier is not None and dossier.number is not None else None
