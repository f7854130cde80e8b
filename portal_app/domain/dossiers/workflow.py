"""Status changes of a dossier: the ONLY code that writes Dossier.status after creation.

    change_status(actor_id, actor_role, dossier_id, target, motivation="") -> Dossier
        actor_role is "owner", "agent" or "system" (actor_id None). Checks that the démarche
        declares the move for that role (TransitionRefused, with a French message, otherwise,
        or when a required motivation is missing), writes one DossierHistory row (who, when,
        from, to, motivation) and notifies the owner (in-app now, mail once committed, per
        preferences, see notifications.py), all in one unit of work.
    change_status_in(db, dossier, ...): the same inside the caller's unit of work.
    allowed_targets(dossier, role) -> list[StatusSpec]: the moves the role may make now.
    ask_completion(agent_id, dossier_id, message) -> Dossier
        "À compléter" with the message posted in the dossier's discussion (which it opens) and
        the agent's audit entry: one unit of work.
    apply(db, dossier, ...): the bare move inside a caller's transaction, for filing.submit
        (which also sets the number and the answers; the owner's own move notifies nobody).

When the owner replies in the discussion of an "À compléter" dossier, discussion.py moves it
back with the owner's declared transition out of that status (PTP: back to instruction), in
the reply's unit of work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.dossiers.demarche import Demarche, StatusSpec, Transition
from portal_app.domain.dossiers.drafts import NotFound, Refused, demarche_of
from portal_app.domain.guests.principal import account_id, belongs
from portal_app.models import Dossier, DossierHistory, Role, User
from portal_app.models.base import utcnow

# Who acts on a dossier: its owner, an agent (the user role), or the system.
OWNER, AGENT, SYSTEM = "owner", Role.AGENT.value, "system"
# The status in which the agency waits for the owner's answer (ask_completion).
COMPLETION_STATUS = "a_completer"
MOTIVATION_MAX = 2000


class TransitionRefused(Refused):
    """The move is not declared for this role from the current status, or lacks its motivation.
    str(error) is a French sentence fit for the person who tried."""


def _label(demarche: Demarche, code: str) -> str:
    status = demarche.status(code)
    return status.label if status else code


def check_transition(demarche: Demarche, source: str, target: str, role: str, motivation: str = "") -> Transition:
    transition = demarche.transition(source, target)
    if transition is None or role not in transition.who:
        raise TransitionRefused(
            f"Un dossier « {_label(demarche, source)} » ne peut pas passer au statut « {_label(demarche, target)} »."
        )
    if transition.needs_motivation and not motivation.strip():
        raise TransitionRefused(f"Indiquez le motif du passage au statut « {_label(demarche, target)} ».")
    if len(motivation.strip()) > MOTIVATION_MAX:
        raise TransitionRefused(f"Le motif ne doit pas dépasser {MOTIVATION_MAX} caractères.")
    return transition


def allowed_targets(dossier: Dossier, role: str) -> list[StatusSpec]:
    demarche = demarche_of(dossier)
    found = []
    for transition in demarche.transitions:
        if transition.source == dossier.status and role in transition.who:
            status = demarche.status(transition.target)
            if status is not None:
                found.append(status)
    return found


def needs_motivation(dossier: Dossier, target: str) -> bool:
    transition = demarche_of(dossier).transition(dossier.status, target)
    return bool(transition and transition.needs_motivation)


def _check_actor(db: Session, actor_id: int | None, role: str, dossier: Dossier) -> None:
    if role == OWNER:
        if not belongs(db, dossier, actor_id):
            raise NotFound(str(dossier.id))  # another's dossier looks missing
    elif role == AGENT:
        actor = db.get(User, actor_id) if actor_id is not None else None
        if actor is None or actor.role != Role.AGENT or not actor.is_active:
            raise TransitionRefused("Seul un agent peut effectuer ce changement de statut.")
    elif role == SYSTEM:
        if actor_id is not None:
            raise TransitionRefused("Changement de statut réservé au système.")
    else:
        raise TransitionRefused(f"Rôle inconnu : {role!r}.")


def apply(
    db: Session,
    dossier: Dossier,
    actor_id: int | None,
    role: str,
    target: str,
    motivation: str = "",
    *,
    kind: str = "status",
    values: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> DossierHistory | None:
    """Move `dossier` to `target` in the caller's transaction and write its history row.
    With expected_version, None is returned (nothing written) if the row changed meanwhile."""
    _check_actor(db, actor_id, role, dossier)
    demarche = demarche_of(dossier)
    check_transition(demarche, dossier.status, target, role, motivation)
    now = utcnow()
    source = dossier.status
    statement = update(Dossier).where(Dossier.id == dossier.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
    if expected_version is not None:
        statement = statement.where(Dossier.version == expected_version)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
    written = (
        db.connection()
        .execute(statement.values(status=target, version=Dossier.version + 1, updated_at=now, **(values or {})))
        .rowcount
    )
    if written != 1:
        return None
    row = DossierHistory(
        dossier_id=dossier.id,
        at=now,
        actor_id=account_id(actor_id),  # a guest is no account (domain/guests/principal.py)
        kind=kind,
        from_status=source,
        to_status=target,
        motivation=motivation.strip(),
    )
    db.add(row)
    db.flush()
    db.expire(dossier)
    return row


def _get(db: Session, dossier_id) -> Dossier:
    dossier = db.get(Dossier, dossier_id) if isinstance(dossier_id, int) else None
    if dossier is None:
        raise NotFound(str(dossier_id))
    return dossier


def change_status_in(
    db: UnitOfWork, dossier: Dossier, actor_id: int | None, actor_role: str, target: str, motivation: str = ""
) -> DossierHistory:
    """A status change and its history row in the caller's unit of work; the owner is told
    (the bell with it, the mail once it commits)."""
    from portal_app.domain.dossiers import notifications  # imports mail; keep the module light to import

    kind = "reopened" if target == demarche_of(dossier).reopened_status else "status"
    row = apply(db, dossier, actor_id, actor_role, target, motivation, kind=kind)
    if row is None:  # pragma: no cover - no expected_version given
        raise Refused("concurrent change")
    notifications.notify_status(db, _get(db, dossier.id), row)
    return row


def change_status(actor_id: int | None, actor_role: str, dossier_id: int, target: str, motivation: str = "") -> Dossier:
    with session_scope() as db:
        change_status_in(db, _get(db, dossier_id), actor_id, actor_role, target, motivation)
        return _get(db, dossier_id)


def change_status_by_agent(
    agent_id: int, dossier_id: int, target: str, motivation: str = "", *, reopen: bool = False
) -> Dossier:
    """An agent's move and its audit entry ("change_status", or "reopen"), stored together or not at all."""
    from portal_app.domain.core import audit

    with session_scope() as db:
        change_status_in(db, _get(db, dossier_id), agent_id, AGENT, target, motivation)
        details = {} if reopen else {"target": target}
        audit.record(
            db,
            agent_id,
            "reopen" if reopen else "change_status",
            dossier_id=dossier_id,
            motivation=motivation.strip(),
            **details,
        )
        return _get(db, dossier_id)


def ask_completion(agent_id: int, dossier_id: int, message: str) -> Dossier:
    """The agency asks the owner for something: the message (required) goes to the discussion
    and is the motivation shown in the timeline. One notification (the status one, whose mail
    quotes the message), not two. The status, its history, the message and the audit entry
    are stored together or not at all."""
    from portal_app.domain.core import audit
    from portal_app.domain.dossiers import discussion

    if not (message or "").strip():
        raise TransitionRefused("Écrivez au demandeur ce qu'il doit compléter.")
    text = discussion.check_reply(message, has_files=False)
    with session_scope() as db:
        change_status_in(db, _get(db, dossier_id), agent_id, AGENT, COMPLETION_STATUS, message)
        discussion.add_agent_message(db, agent_id, dossier_id, text, [])
        audit.record(db, agent_id, "ask_completion", dossier_id=dossier_id, message=message.strip())
        return _get(db, dossier_id)
