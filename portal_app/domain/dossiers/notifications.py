"""Telling the owner of a dossier what happened to it: an in-app notification (the bell),
always, and a mail if their /mon-compte preferences allow it (User.notify_status for status
changes, User.notify_messages for the agency's messages). Account-security mails do not go
through here and cannot be turned off.

    notify_status(db, dossier, history_row)   in a status change's unit of work
    notify_message(db, message)               in an agency message's unit of work
        The in-app notification is stored with the action; the mail leaves once it commits.
    unread_count(user_id) -> int;  list_for(user_id, limit=50) -> list[Notification]
    mark_read(user_id, notification_id=None)  one notification, or all of them (None)

The owner's own moves (submitting) notify nobody: the submission has its acknowledgement mail.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from portal_app import routes
from portal_app.domain.accounts.users import first_name
from portal_app.domain.core import mail
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.dossiers.drafts import demarche_of
from portal_app.domain.guests.principal import recipient
from portal_app.domain.relations.relations import for_whom_suffix
from portal_app.models import Dossier, DossierHistory, Message, Notification, Role, User
from portal_app.models.base import utcnow
from portal_app.settings import get_settings

log = logging.getLogger("portal.notifications")

STATUS, MESSAGE = "status", "message"


def dossier_url(dossier_id: int) -> str:
    return get_settings().base_url + routes.dossier_page(dossier_id)


def _edit_link(db: Session, dossier: Dossier) -> str:
    """Where the owner modifies a reopened dossier: its form, or for a guest a fresh resume
    link (domain/guests), the only way back into it without an account."""
    from portal_app.domain.guests.access import resume_link  # it imports the dossiers package
    from portal_app.domain.guests.codes import guest_for

    guest = guest_for(db, dossier.guest_email or "") if dossier.owner_id is None else None
    if guest is not None:
        return resume_link(db, guest, dossier)
    return get_settings().base_url + routes.draft(dossier.id)


def tracking_url() -> str:
    """Where a guest follows a dossier: /suivi, with the address and the number."""
    return get_settings().base_url + routes.TRACKING


def _number(dossier: Dossier) -> str:
    return dossier.number or f"n° {dossier.id}"


def _add(db: UnitOfWork, user_id: int, kind: str, dossier_id: int | None, text: str) -> None:
    db.add(Notification(user_id=user_id, kind=kind, dossier_id=dossier_id, text=text[:500]))


def notify_status(db: UnitOfWork, dossier: Dossier, history_row: DossierHistory) -> None:
    if history_row.actor_id is not None and history_row.actor_id == dossier.owner_id:
        return
    if dossier.owner_id is None and history_row.kind == "submitted":
        return  # a guest's own filing: the acknowledgement tells them
    demarche = demarche_of(dossier)
    status = demarche.status(history_row.to_status)
    label = status.label_for_owner if status else history_row.to_status
    number = _number(dossier)
    if dossier.owner_id is not None:
        _add(db, dossier.owner_id, STATUS, dossier.id, f"Dossier {number} : {label}.")
    # A guest has no bell nor preferences: the mail to the address they confirmed is all.
    owner = recipient(db, dossier)
    if owner is None or not owner.notify_status or not owner.is_active:
        return
    motivation = history_row.motivation.strip()
    if history_row.to_status == demarche.reopened_status:
        mail.queue(
            db,
            owner.email,
            "dossier_reopened",
            first_name=first_name(owner),
            number=number,
            demarche_title=demarche.title,
            for_whom=for_whom_suffix(dossier.for_whom),
            motivation_text=f"Motif : {motivation}" if motivation else "",
            dossier_link=_edit_link(db, dossier),
        )
        return
    mail.queue(
        db,
        owner.email,
        "status_changed",
        first_name=first_name(owner),
        number=number,
        demarche_title=demarche.title,
        for_whom=for_whom_suffix(dossier.for_whom),
        status_label=label,
        motivation_text=f"Message de l'agence : {motivation}" if motivation else "",
        dossier_link=dossier_url(dossier.id) if dossier.owner_id else tracking_url(),
    )


def notify_message(db: UnitOfWork, message: Message) -> None:
    """A new agency message: the owner is told (the owner's replies go to the agents' queue)."""
    if message.author_role != Role.AGENT:
        return
    dossier = db.get(Dossier, message.dossier_id)
    # A guest has no discussion page to read it on: only account holders are told.
    owner = db.get(User, dossier.owner_id) if dossier and dossier.owner_id else None
    if dossier is None or owner is None:
        return
    number = _number(dossier)
    _add(db, owner.id, MESSAGE, dossier.id, f"Nouveau message de l'agence sur le dossier {number}.")
    if not owner.notify_messages or not owner.is_active:
        return
    mail.queue(
        db,
        owner.email,
        "new_message",
        first_name=first_name(owner),
        number=number,
        demarche_title=demarche_of(dossier).title,
        dossier_link=dossier_url(dossier.id) + "#discussion",
    )


def unread_count(user_id: int) -> int:
    with session_scope() as db:
        return db.exec(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        ).one()


def list_for(user_id: int, limit: int = 50) -> list[Notification]:
    with session_scope() as db:
        return list(
            db.exec(
                select(Notification)
                .where(Notification.user_id == user_id)
                .order_by(Notification.created_at.desc(), Notification.id.desc())
                .limit(limit)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            ).all()
        )


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all) read; how many changed."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    if notification_id is not None:
        statement = statement.where(Notification.id == int(notification_id))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
    with session_scope() as db:
        return db.connection().execute(statement.values(read_at=utcnow())).rowcount


def mark_read_for_dossier(user_id: int, dossier_id: int) -> int:
    """Opening a dossier page reads its notifications."""
    with session_scope() as db:
        return (
            db.connection()
            .execute(
                update(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.dossier_id == dossier_id,
                    Notification.read_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                )
                .values(read_at=utcnow())
            )
            .rowcount
        )


def purge_user_notifications(db: Session, user_id: int) -> None:
    db.connection().execute(delete(Notification).where(Notification.user_id == user_id))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
