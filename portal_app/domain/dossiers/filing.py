"""Filing a dossier: its number, the submission with its acknowledgement, and the agency
handing it back to its owner for modification. One unit of work each; mails leave once it commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, select

from portal_app.domain.accounts.users import first_name
from portal_app.domain.core import mail
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.formats import today_in_france
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import notifications, pieces, receipt, workflow
from portal_app.domain.dossiers.demarche import Demarche, format_number
from portal_app.domain.dossiers.drafts import MAX_ATTEMPTS, DossierError, NotFound, Refused, demarche_of, editable_in
from portal_app.domain.dossiers.filed_pieces import label_of
from portal_app.domain.guests.principal import recipient
from portal_app.domain.relations import relations
from portal_app.models import Dossier, NumberCounter, Relation, User
from portal_app.models.base import as_utc, utcnow

SWORN_MISSING = "Cochez la case pour certifier sur l'honneur l'exactitude de vos informations."


def next_number(db: Session, prefix: str, year: int) -> str:
    """Increment the (prefix, year) counter in one statement: two submissions at the same
    instant get two numbers, on SQLite (one writer at a time) as on PostgreSQL (row lock)."""
    table = NumberCounter.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ when it makes the class
    bump = (
        update(table)
        .where(table.c.prefix == prefix, table.c.year == year)
        .values(value=table.c.value + 1)
        .returning(table.c.value)
    )
    connection = db.connection()
    value = connection.execute(bump).scalar()
    if value is None:
        dialect = connection.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        connection.execute(
            insert(table)
            .values(prefix=prefix, year=year, value=0)
            .on_conflict_do_nothing(index_elements=["prefix", "year"])
        )
        value = connection.execute(bump).scalar_one()
    return format_number(prefix, year, value)


@dataclass
class SubmitResult:
    dossier: Dossier | None = None
    # Step code -> {key: message}; "" -> the sworn statement.
    errors: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def submit(user_id: int, dossier_id: int, sworn: bool) -> SubmitResult:
    """File the dossier: every step valid and the sworn statement ticked. The number is given
    once; a reopened dossier filed again keeps it. Mails the acknowledgement."""
    for _attempt in range(MAX_ATTEMPTS):
        with session_scope() as db:
            dossier, demarche = editable_in(db, user_id, dossier_id)
            errors = rules.validate_all(demarche, dossier.answers or {})
            missing = pieces.missing_in(db, dossier, demarche)
            if missing:
                errors.setdefault(pieces.pieces_step(demarche), {})["pieces"] = pieces.missing_message(missing)
            if not sworn:
                errors[""] = {"sworn": SWORN_MISSING}
            if errors:
                return SubmitResult(dossier, errors)
            target = demarche.submitted_status
            workflow.check_transition(demarche, dossier.status, target, workflow.OWNER)
            number = dossier.number or next_number(db, demarche.number_prefix, today_in_france().year)
            cleaned = rules.clean_answers(demarche, dossier.answers or {})
            now = utcnow()
            row = workflow.apply(
                db,
                dossier,
                user_id,
                workflow.OWNER,
                target,
                kind="submitted",
                values={"number": number, "answers": cleaned, "submitted_at": now, "for_whom": _for_whom(db, dossier)},
                expected_version=dossier.version,
            )
            if row is None:
                # Another tab saved an answer meanwhile: validate again with it.
                db.rollback()
                continue
            frozen = pieces.freeze_for_submission(db, dossier, demarche, now)
            filed_pieces = [(label_of(demarche, p.piece_code), p.name) for p in frozen]
            filed = db.get(Dossier, dossier_id)
            owner = recipient(db, filed) if filed is not None else None
            attestation = receipt.make_receipt(db, owner, filed, demarche, frozen)
            _acknowledge(db, owner, filed, demarche, filed_pieces, [receipt.attachment_of(attestation, number)])
        return SubmitResult(filed)
    raise DossierError(f"dossier {dossier_id}: too many concurrent writes")


def _for_whom(db: Session, dossier: Dossier) -> dict:
    """The copy of the relation as it is at filing: frozen from now on (relations.save only
    refreshes drafts). A relation deleted since a refiling leaves the last copy."""
    relation = db.get(Relation, dossier.relation_id) if dossier.relation_id else None
    return relations.snapshot(relation) if relation is not None else dict(dossier.for_whom or {})


def _acknowledge(
    db: UnitOfWork,
    owner: User | None,
    dossier: Dossier | None,
    demarche: Demarche,
    filed_pieces: list[tuple[str, str]],
    attachments: list[dict[str, str]],
) -> None:
    """The acknowledgement lists what this submission filed (label, file name), nothing else,
    and links to the dossier page, like every other mail about a filed dossier; the filing
    receipt (PDF) is attached."""
    if owner is None or dossier is None:
        return
    mail.queue(
        db,
        owner.email,
        "dossier_submitted",
        attachments,
        first_name=first_name(owner),
        demarche_title=demarche.title,
        # " pour Léa Martin" after the title, nothing for the holder's own dossier.
        for_whom=relations.for_whom_suffix(dossier.for_whom),
        number=dossier.number,
        submitted_on=paris_datetime(as_utc(dossier.submitted_at)),
        # A guest follows it on /suivi with their address and this number.
        dossier_link=notifications.dossier_url(dossier.id) if dossier.owner_id else notifications.tracking_url(),
        recap=rules.recap_text(demarche, dossier.answers or {}, filed_pieces),
    )


# ---------------------------------------------------------------- agency actions


def find_by_number(number: str) -> Dossier | None:
    with session_scope() as db:
        return db.exec(select(Dossier).where(Dossier.number == number.strip().upper())).first()


def reopen(actor_id: int | None, dossier_id: int, motivation: str = "") -> Dossier:
    """Hand a filed dossier back to its owner for modification (workflow.change_status, which
    mails them). actor_id: an agent, or None for the system (the command line)."""
    role = workflow.SYSTEM if actor_id is None else workflow.AGENT
    try:
        dossier = workflow.change_status(actor_id, role, dossier_id, _reopened_status(dossier_id), motivation)
    except workflow.TransitionRefused as error:
        raise Refused(str(error)) from error
    return dossier


def _reopened_status(dossier_id: int) -> str:
    with session_scope() as db:
        dossier = db.get(Dossier, dossier_id) if isinstance(dossier_id, int) else None
        if dossier is None:
            raise NotFound(str(dossier_id))
        return demarche_of(dossier).reopened_status
