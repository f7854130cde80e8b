"""The files of a discussion message: uploads checked then stored, or copies frozen from the
porte-documents. Written before the message's unit of work, they go if it rolls back."""

from __future__ import annotations

from collections.abc import Iterable

from portal_app.domain.core import filestore
from portal_app.domain.core.db import UnitOfWork
from portal_app.domain.documents import wallet
from portal_app.domain.uploads import pipeline
from portal_app.domain.uploads.checks import Accepted
from portal_app.domain.uploads.checks import Refused as FileRefused
from portal_app.models import MessageAttachment


def store_uploads(files: Iterable[Accepted | tuple[str, bytes]], refused: type[Exception]) -> list[MessageAttachment]:
    """Validate every file first: one refused file refuses the message (`refused`, nothing stored)."""
    accepted = []
    for item in files:
        result = item if isinstance(item, Accepted) else pipeline.check(*item)
        if isinstance(result, FileRefused):
            raise refused(result.message)
        accepted.append(result)
    return [
        MessageAttachment(
            name=item.safe_name,
            kind=item.kind,
            size=item.size,
            sha256=item.sha256,
            stored_name=filestore.write(item.clean_bytes),
        )
        for item in accepted
    ]


def freeze_documents(owner_id: int, document_ids: Iterable[int], refused: type[Exception]) -> list[MessageAttachment]:
    """A copy of each chosen porte-documents file; one gone refuses them all (copies deleted)."""
    attachments: list[MessageAttachment] = []
    for document_id in document_ids:
        frozen = wallet.freeze(owner_id, document_id)
        if frozen is None:
            filestore.delete(*(a.stored_name for a in attachments))
            raise refused("Un des documents choisis n'existe plus dans votre porte-documents.")
        attachments.append(
            MessageAttachment(
                name=frozen.name,
                kind=frozen.kind,
                size=frozen.size,
                sha256=frozen.sha256,
                stored_name=frozen.stored_name,
                source_document_id=frozen.source_document_id,
            )
        )
    return attachments


def files_follow(db: UnitOfWork, attachments: list[MessageAttachment]) -> None:
    """The attachments' files were written before this unit of work: they go if it rolls back."""
    names = [a.stored_name for a in attachments]
    if names:
        db.after_rollback(lambda: filestore.delete(*names))
