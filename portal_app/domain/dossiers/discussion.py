"""A dossier's discussion between the agency and the dossier's owner.

Only an agent opens it; the owner then replies with text and files. Files go through the upload
pipeline (uploads.pipeline: accepted before they get here, or checked here) or are picked from
the porte-documents (wallet.freeze): each attachment is its own stored copy.

    open_or_post_agent_message(agent_id, dossier_id, body, files=()) -> Message
        files: Accepted files (pipeline.ingest) or (name, bytes) pairs, checked here. Notifies the
        owner (notifications.notify_message).
    add_agent_message(db, agent_id, dossier_id, text, attachments) -> Message
        the same inside the caller's unit of work, without notification (workflow.ask_completion).
    post_owner_reply(owner_id, dossier_id, body, upload_files=(), document_ids=()) -> Message
        DiscussionError if no agent opened the discussion. A reply to an "À compléter" dossier
        sends it back with the owner's declared transition, in the same unit of work.
    thread(user_id, role, dossier_id) -> list[ThreadEntry]   role: "owner" | "agent"
    mark_read(user_id, role, dossier_id)   the other side's messages, read now
    unread_by_dossier_for_owner(owner_id) -> {dossier_id: count}   agency messages not read yet
    attachment_for(user_id, attachment_id) -> (MessageAttachment, bytes) | None
        for /_portal/pieces/{id}: the dossier's owner or any active agent, None otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from portal_app.domain.core import filestore
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.dossiers import message_files, workflow
from portal_app.domain.dossiers.drafts import NotFound, Refused, demarche_of
from portal_app.domain.uploads.checks import Accepted
from portal_app.models import Dossier, Message, MessageAttachment, Role, User
from portal_app.models.base import utcnow

AGENT, BENEFICIARY = Role.AGENT.value, Role.BENEFICIARY.value
BODY_MAX = 5000
FILES_MAX = 5


class DiscussionError(Refused):
    """str(error) is a French sentence for the person who tried."""


@dataclass(frozen=True)
class ThreadEntry:
    message: Message
    attachments: list[MessageAttachment]
    author_name: str  # "L'agence" or the owner's name: agents' names stay internal


def _dossier(db: Session, dossier_id) -> Dossier:
    dossier = db.get(Dossier, dossier_id) if isinstance(dossier_id, int) and dossier_id > 0 else None
    if dossier is None:
        raise NotFound(str(dossier_id))
    return dossier


def _is_agent(db: Session, user_id: int | None) -> bool:
    user = db.get(User, user_id) if user_id is not None else None
    return bool(user and user.role == AGENT and user.is_active)


def _readable(db: Session, user_id: int, role: str, dossier_id) -> Dossier:
    dossier = _dossier(db, dossier_id)
    if role == "owner" and dossier.owner_id == user_id:
        return dossier
    if role == AGENT and _is_agent(db, user_id):
        return dossier
    raise NotFound(str(dossier_id))


def check_reply(body: str, has_files: bool) -> str:
    """The message as it will be saved, or DiscussionError (the French reason)."""
    return _clean_body(body, has_files)


def _clean_body(body: str, has_files: bool) -> str:
    text = (body or "").strip()
    if not text and not has_files:
        raise DiscussionError("Écrivez un message ou joignez un document.")
    if len(text) > BODY_MAX:
        raise DiscussionError(f"Le message ne doit pas dépasser {BODY_MAX} caractères.")
    return text


def _add(db: UnitOfWork, dossier_id: int, author_id: int, role: str, body: str, attachments) -> Message:
    now = utcnow()
    message = Message(
        dossier_id=dossier_id,
        author_id=author_id,
        author_role=role,
        body=body,
        created_at=now,
        # One's own message is read by one's own side.
        read_by_agency_at=now if role == AGENT else None,
        read_by_owner_at=now if role == BENEFICIARY else None,
    )
    db.add(message)
    db.flush()
    for attachment in attachments:
        attachment.message_id = message.id
        db.add(attachment)
    return message


# A guest's dossier (domain/guests): no page where the guest could read or answer.
NO_ACCOUNT = (
    "Ce dossier a été déposé sans compte : le demandeur ne peut pas lire de message ici. "
    "Écrivez-lui à l'adresse e-mail indiquée."
)


def _check_agent_post(db: Session, agent_id: int, dossier_id: int) -> None:
    if not _is_agent(db, agent_id):
        raise DiscussionError("Seul un agent peut ouvrir une discussion.")
    dossier = _dossier(db, dossier_id)
    if dossier.number is None:
        raise DiscussionError("Ce dossier n'a pas encore été déposé.")
    if dossier.owner_id is None:
        raise DiscussionError(NO_ACCOUNT)


def add_agent_message(
    db: UnitOfWork, agent_id: int, dossier_id: int, text: str, attachments: list[MessageAttachment]
) -> Message:
    """`attachments` stored already (their files go if `db` rolls back)."""
    message_files.files_follow(db, attachments)
    _check_agent_post(db, agent_id, dossier_id)
    return _add(db, dossier_id, agent_id, AGENT, text, attachments)


def open_or_post_agent_message(
    agent_id: int, dossier_id: int, body: str, files: Iterable[Accepted | tuple[str, bytes]] = ()
) -> Message:
    from portal_app.domain.core import audit
    from portal_app.domain.dossiers import notifications

    files = list(files)
    if len(files) > FILES_MAX:
        raise DiscussionError(f"Joignez au plus {FILES_MAX} documents par message.")
    text = _clean_body(body, bool(files))
    with session_scope() as db:
        _check_agent_post(db, agent_id, dossier_id)  # before the files are checked and stored
    attachments = message_files.store_uploads(files, DiscussionError)
    with session_scope() as db:
        message = add_agent_message(db, agent_id, dossier_id, text, attachments)
        audit.record(db, agent_id, "message", dossier_id=dossier_id, files=len(attachments))
        notifications.notify_message(db, message)
    return message


def is_open(dossier_id: int) -> bool:
    with session_scope() as db:
        return (
            db.exec(select(Message.id).where(Message.dossier_id == dossier_id, Message.author_role == AGENT)).first()
            is not None
        )


def post_owner_reply(
    owner_id: int,
    dossier_id: int,
    body: str,
    upload_files: Iterable[tuple[str, bytes]] = (),
    document_ids: Iterable[int] = (),
) -> Message:
    upload_files, document_ids = list(upload_files), list(dict.fromkeys(document_ids))
    if len(upload_files) + len(document_ids) > FILES_MAX:
        raise DiscussionError(f"Joignez au plus {FILES_MAX} documents par message.")
    text = _clean_body(body, bool(upload_files or document_ids))
    with session_scope() as db:
        _readable(db, owner_id, "owner", dossier_id)
    if not is_open(dossier_id):
        raise DiscussionError("Vous pourrez écrire à l'agence lorsqu'elle vous aura contacté au sujet de ce dossier.")
    attachments = message_files.freeze_documents(owner_id, document_ids, DiscussionError)
    try:
        attachments += message_files.store_uploads(upload_files, DiscussionError)
    except BaseException:
        filestore.delete(*(a.stored_name for a in attachments))
        raise
    # The reply and the status it changes are one action: both are stored, or neither.
    with session_scope() as db:
        message_files.files_follow(db, attachments)
        dossier = _readable(db, owner_id, "owner", dossier_id)
        message = _add(db, dossier_id, owner_id, BENEFICIARY, text, attachments)
        if dossier.status == workflow.COMPLETION_STATUS:
            back = [
                t.target
                for t in demarche_of(dossier).transitions
                if t.source == dossier.status and workflow.OWNER in t.who
            ]
            if back:
                workflow.change_status_in(db, dossier, owner_id, workflow.OWNER, back[0])
    return message


def thread(user_id: int, role: str, dossier_id: int) -> list[ThreadEntry]:
    with session_scope() as db:
        dossier = _readable(db, user_id, role, dossier_id)
        owner = db.get(User, dossier.owner_id) if dossier.owner_id is not None else None  # None: a guest's
        messages = db.exec(
            select(Message).where(Message.dossier_id == dossier_id).order_by(Message.created_at, Message.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        ).all()
        ids = [m.id for m in messages]
        attachments = (
            db.exec(
                select(MessageAttachment).where(MessageAttachment.message_id.in_(ids)).order_by(MessageAttachment.id)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            ).all()
            if ids
            else []
        )
        by_message: dict[int, list[MessageAttachment]] = {}
        for attachment in attachments:
            by_message.setdefault(attachment.message_id, []).append(attachment)
        owner_name = owner.display_name if owner else "Le demandeur"
        return [
            ThreadEntry(m, by_message.get(m.id, []), "L'agence" if m.author_role == AGENT else owner_name)
            for m in messages
        ]


def mark_read(user_id: int, role: str, dossier_id: int) -> int:
    with session_scope() as db:
        _readable(db, user_id, role, dossier_id)
        if role == AGENT:
            statement = (
                update(Message)
                .where(
                    Message.dossier_id == dossier_id,
                    Message.author_role == BENEFICIARY,
                    Message.read_by_agency_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                )
                .values(read_by_agency_at=utcnow())
            )
        else:
            statement = (
                update(Message)
                .where(
                    Message.dossier_id == dossier_id,
                    Message.author_role == AGENT,
                    Message.read_by_owner_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                )
                .values(read_by_owner_at=utcnow())
            )
        return db.connection().execute(statement).rowcount  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL


def unread_by_dossier_for_owner(owner_id: int) -> dict[int, int]:
    with session_scope() as db:
        rows = db.exec(
            select(Message.dossier_id, func.count())
            .join(Dossier, Dossier.id == Message.dossier_id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
            .where(Dossier.owner_id == owner_id, Message.author_role == AGENT, Message.read_by_owner_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            .group_by(Message.dossier_id)
        ).all()
        return {dossier_id: count for dossier_id, count in rows}


def attachment_for(user_id: int, attachment_id) -> tuple[MessageAttachment, bytes] | None:
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        return None
    with session_scope() as db:
        attachment = db.get(MessageAttachment, attachment_id)
        message = db.get(Message, attachment.message_id) if attachment else None
        dossier = db.get(Dossier, message.dossier_id) if message else None
        if dossier is None or not (dossier.owner_id == user_id or _is_agent(db, user_id)):
            return None
    return attachment, filestore.read(attachment.stored_name)


def awaits_reply(owner_id: int, dossier_id: int) -> bool:
    """The agency's last message has no reply yet (the dashboard's "Répondre à l'agence")."""
    with session_scope() as db:
        last = db.exec(
            select(Message)
            .where(Message.dossier_id == dossier_id)
            .order_by(Message.created_at.desc(), Message.id.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        ).first()
        return bool(last and last.author_role == AGENT)


def purge_user_messages(db: Session, user_id: int) -> None:
    """Account deletion: messages stay in their dossier's record, without their author."""
    db.connection().execute(update(Message).where(Message.author_id == user_id).values(author_id=None))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
