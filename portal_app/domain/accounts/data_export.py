""" "Télécharger mes données" (RGPD: right of access and portability): a zip of everything the
portal holds about the account, built by the job queue, mailed when ready, downloadable by its
owner for 24 hours, then deleted.

The zip: profil.json (profile and preferences), relations.json ("Mes relations"),
dossiers/<ref>/dossier.json (answers, for whom, quotes, history, messages, notifications) with the files of its discussion, its filed pieces (one folder per
filing) and its receipts, and porte-documents/ (every file of the porte-documents).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta

from sqlmodel import Session, select

from portal_app.domain.accounts.users import first_name, link
from portal_app.domain.core import filestore, mail
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.models import (
    Document,
    Dossier,
    DossierHistory,
    FiledPiece,
    FilingReceipt,
    Message,
    MessageAttachment,
    Notification,
    QuoteEvent,
    QuoteRequest,
    QuoteVersion,
    Relation,
    User,
)
from portal_app.models.base import as_utc, utcnow
from portal_app.models.data_export import DataExport

VALIDITY = timedelta(hours=24)
# An export not built after this (its task lost with a worker) is queued again.
STALE = timedelta(minutes=15)
PROFILE_FIELDS = (
    "email",
    "civility",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "nir",
    "phone",
    "created_at",
    "activated_at",
    "notify_status",
    "notify_messages",
)
RELATION_FIELDS = (
    "kind",
    "link",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "birthplace",
    "siret",
    "company_name",
    "address_line",
    "postal_code",
    "city",
    "holder_role",
    "created_at",
)
QUOTE_REQUEST_FIELDS = (
    "provider_name",
    "provider_siret",
    "provider_email",
    "wished_title",
    "wished_start",
    "wished_end",
    "wished_hours",
    "message",
    "status",
    "decline_reason",
    "accepted_at",
    "withdrawal_ends_at",
    "finalised_at",
    "created_at",
)
QUOTE_VERSION_FIELDS = (
    "number",
    "title",
    "certification_code",
    "start_date",
    "end_date",
    "hours_training",
    "hours_company",
    "location_line",
    "location_postal_code",
    "location_city",
    "price_teaching",
    "price_extra",
    "valid_until",
    "programme_name",
    "programme_sha256",
    "created_at",
    "refused_at",
    "refusal_reason",
)


def download_path(export_id: int) -> str:
    return f"/_portal/mes-donnees/{export_id}"


def _value(value: object) -> object:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    return value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else str(value)


def _row(row: object, *names: str) -> dict[str, object]:
    return {name: _value(getattr(row, name, None)) for name in names}


def _quotes(db: Session, dossier_id: int | None) -> list[dict[str, object]]:
    """The dossier's quote requests, every version and who did what (never the link's token)."""
    parts = []
    for request in db.exec(select(QuoteRequest).where(QuoteRequest.dossier_id == dossier_id).order_by(QuoteRequest.id)):
        versions = db.exec(
            select(QuoteVersion).where(QuoteVersion.request_id == request.id).order_by(QuoteVersion.number)
        )
        events = db.exec(select(QuoteEvent).where(QuoteEvent.request_id == request.id).order_by(QuoteEvent.id))
        parts.append(
            {
                **_row(request, *QUOTE_REQUEST_FIELDS),
                "versions": [_row(version, *QUOTE_VERSION_FIELDS) for version in versions],
                "history": [_row(event, "at", "actor", "kind", "detail") for event in events],
            }
        )
    return parts


def _dossier_part(db: Session, dossier: Dossier, archive: zipfile.ZipFile) -> None:
    ref = dossier.number or f"brouillon-{dossier.id}"
    base = f"dossiers/{ref}"
    history = db.exec(select(DossierHistory).where(DossierHistory.dossier_id == dossier.id)).all()
    messages = db.exec(select(Message).where(Message.dossier_id == dossier.id).order_by(Message.id)).all()
    notes = db.exec(select(Notification).where(Notification.dossier_id == dossier.id)).all()
    record = {
        **_row(dossier, "demarche_code", "number", "status", "created_at", "updated_at", "submitted_at"),
        "answers": dossier.answers,
        # Who it was filed for, when not the holder (the copy frozen at filing).
        "for_whom": dossier.for_whom,
        "quotes": _quotes(db, dossier.id),
        "history": [_row(h, "at", "kind", "from_status", "to_status", "motivation") for h in history],
        "messages": [],
        "notifications": [_row(n, "kind", "text", "created_at", "read_at") for n in notes],
    }
    for message in messages:
        files = db.exec(select(MessageAttachment).where(MessageAttachment.message_id == message.id)).all()
        names = []
        for index, attached in enumerate(files, 1):
            name = f"{base}/discussion/{message.id}-{index}-{attached.name}"
            archive.writestr(name, filestore.read(attached.stored_name))
            names.append(name)
        record["messages"].append({**_row(message, "author_role", "body", "created_at"), "files": names})
    for piece in db.exec(select(FiledPiece).where(FiledPiece.dossier_id == dossier.id)).all():
        stamp = as_utc(piece.filed_at).strftime("%Y-%m-%dT%H-%M-%S")
        archive.writestr(f"{base}/pieces/{stamp}/{piece.piece_code}-{piece.name}", filestore.read(piece.stored_name))
    for receipt in db.exec(select(FilingReceipt).where(FilingReceipt.dossier_id == dossier.id)).all():
        archive.writestr(f"{base}/attestation-de-depot-v{receipt.version}.pdf", filestore.read(receipt.stored_name))
    archive.writestr(f"{base}/dossier.json", json.dumps(record, ensure_ascii=False, indent=2))


def build_zip(db: Session, user: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        profile = _row(user, *PROFILE_FIELDS)
        archive.writestr("profil.json", json.dumps(profile, ensure_ascii=False, indent=2))
        relations = db.exec(select(Relation).where(Relation.owner_id == user.id).order_by(Relation.id))
        archive.writestr(
            "relations.json",
            json.dumps([_row(r, *RELATION_FIELDS) for r in relations], ensure_ascii=False, indent=2),
        )
        for dossier in db.exec(select(Dossier).where(Dossier.owner_id == user.id).order_by(Dossier.id)).all():
            _dossier_part(db, dossier, archive)
        other = db.exec(select(Notification).where(Notification.user_id == user.id, Notification.dossier_id.is_(None)))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        archive.writestr(
            "notifications.json",
            json.dumps([_row(n, "kind", "text", "created_at", "read_at") for n in other], ensure_ascii=False, indent=2),
        )
        for document in db.exec(select(Document).where(Document.owner_id == user.id).order_by(Document.id)).all():
            archive.writestr(f"porte-documents/{document.id}-{document.name}", filestore.read(document.stored_name))
    return buffer.getvalue()


def request_export(user_id: int) -> DataExport:
    """Queue the build, unless one is already waiting to be built (the same row then)."""
    with session_scope() as db:
        pending = db.exec(
            select(DataExport).where(DataExport.user_id == user_id, DataExport.ready_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        ).first()
        if pending is not None:
            return pending
        export = DataExport(user_id=user_id)
        db.add(export)
        db.flush()
        _enqueue_after_commit(db, export.id)
        return export


def _enqueue_after_commit(db: UnitOfWork, export_id: int) -> None:
    def hand_over() -> None:
        from portal_app.jobs import build_data_export  # the jobs package imports the domain

        build_data_export(export_id)

    db.after_commit(hand_over)


def build(export_id: int) -> None:
    """The job: build the zip, store it, mail its owner. Nothing when already built or gone."""
    with session_scope() as db:
        export = db.get(DataExport, export_id)
        user = db.get(User, export.user_id) if export is not None else None
        if export is None or export.ready_at is not None or user is None:
            return
        data = build_zip(db, user)
        stored = filestore.write(data)
        db.after_rollback(lambda: filestore.delete(stored))
        now = utcnow()
        export.stored_name, export.size, export.ready_at, export.expires_at = stored, len(data), now, now + VALIDITY
        db.add(export)
        mail.queue(
            db,
            user.email,
            "data_export_ready",
            first_name=first_name(user),
            link=link(download_path(export.id)),
        )


def ready_export(user_id: int) -> DataExport | None:
    """The user's newest zip still downloadable (Mon compte lists it: a mail link opened after
    the session expired leads there once signed in again)."""
    with session_scope() as db:
        return db.exec(
            select(DataExport)
            .where(DataExport.user_id == user_id, DataExport.expires_at > utcnow())  # type: ignore[operator]  # SQLModel types a class column as its value, not as SQL
            .order_by(DataExport.expires_at.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        ).first()


def export_for(user_id: int, export_id: int) -> bytes | None:
    """The zip, for its owner while it is valid; None otherwise."""
    with session_scope() as db:
        export = db.get(DataExport, export_id) if isinstance(export_id, int) else None
        if export is None or export.user_id != user_id or not export.stored_name:
            return None
        if as_utc(export.expires_at) <= utcnow():
            return None
        stored = export.stored_name
    return filestore.read(stored)


def clean_up(now: datetime | None = None) -> int:
    """The periodic job: expired exports deleted with their files; lost builds queued again."""
    now = now or utcnow()
    with session_scope() as db:
        expired = db.exec(select(DataExport).where(DataExport.expires_at < now)).all()  # type: ignore[operator]  # SQLModel types a class column as its value, not as SQL
        names = [export.stored_name for export in expired if export.stored_name]
        for export in expired:
            db.delete(export)
        if names:
            db.after_commit(lambda: filestore.delete(*names))
        stale = db.exec(
            select(DataExport.id).where(DataExport.ready_at.is_(None), DataExport.requested_at < now - STALE)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        ).all()
        for export_id in stale:
            _enqueue_after_commit(db, export_id)
        return len(expired)


def purge_user_exports(db: UnitOfWork, user_id: int) -> None:
    """Account deletion: the rows in the caller's transaction, the files once it commits."""
    rows = db.exec(select(DataExport).where(DataExport.user_id == user_id)).all()
    names = [row.stored_name for row in rows if row.stored_name]
    for row in rows:
        db.delete(row)
    db.flush()
    if names:
        db.after_commit(lambda: filestore.delete(*names))
