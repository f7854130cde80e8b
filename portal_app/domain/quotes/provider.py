"""The provider's side, reached only through its private link: the raw token is looked up by its
hash, so one link reaches one request, never its dossier nor any other request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from portal_app.domain.core import filestore, tokens
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import today_in_france
from portal_app.domain.quotes import workflow as w
from portal_app.domain.quotes.rules import SHOWN_LABELS, changes, check_terms, form_values, shown_values
from portal_app.domain.uploads.checks import Accepted
from portal_app.models import QuoteRequest, QuoteVersion

# Why a link does not open, in the words the page shows.
MSG_UNKNOWN = "Ce lien n'est pas valide. Vérifiez que vous avez copié l'adresse complète reçue par e-mail."
MSG_EXPIRED = "Ce lien a expiré. Demandez à la personne de vous envoyer une nouvelle demande de devis."
MSG_REVOKED = "La personne a annulé cette demande de devis : ce lien ne fonctionne plus."


@dataclass(frozen=True)
class Programme:
    """A programme PDF the upload pipeline accepted and stored, not yet part of a version."""

    stored_name: str
    name: str
    size: int
    sha256: str


@dataclass
class ProviderView:
    """What the provider's page shows: never the dossier, only what the person asked."""

    request_id: int
    provider_name: str
    status: str
    status_label: str
    wished: list[tuple[str, str]]
    versions: list[dict] = field(default_factory=list)
    decline_reason: str = ""
    # The form's starting values: the latest version's, so that a revision changes what differs.
    form_values: dict[str, str] = field(default_factory=dict)

    @property
    def may_quote(self) -> bool:
        return self.status in w.OPEN_TO_PROVIDER


def _resolve(db: Session, raw: str) -> tuple[QuoteRequest | None, str]:
    """(the request this token opens, "") or (None, why not)."""
    if not raw or len(raw) > 100:
        return None, MSG_UNKNOWN
    request = db.exec(select(QuoteRequest).where(QuoteRequest.token_hash == tokens.hash_token(raw))).first()
    if request is None:
        return None, MSG_UNKNOWN
    if request.revoked_at is not None:
        return None, MSG_REVOKED
    if w.expired_token(request):
        return None, MSG_EXPIRED
    return request, ""


def _wished_day(text: str) -> str:
    try:
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def version_rows(db: Session, request: QuoteRequest) -> list[dict]:
    """Every version, newest first, with what it changed from the one before; the latest is the
    one answered, an earlier one is shown folded."""
    versions = w.versions_of(db, request.id)
    rows = []
    for index, version in enumerate(versions):
        rows.append(
            {
                "id": str(version.id),
                "number": str(version.number),
                "latest": "1" if index == len(versions) - 1 else "",
                "accepted": "1" if version.id == request.accepted_version_id else "",
                "rows": [[SHOWN_LABELS[key], value] for key, value in shown_values(version).items()],
                "changes": changes(versions[index - 1] if index else None, version),
                "refused": "1" if version.refused_at else "",
                "refusal_reason": version.refusal_reason,
                "programme": version.programme_name,
                # The person's page links it (views.person_rows); the provider has its own file.
                "programme_href": "",
            }
        )
    return rows[::-1]


def open_link(raw: str) -> tuple[ProviderView | None, str]:
    with session_scope() as db:
        request, problem = _resolve(db, raw)
        if request is None:
            return None, problem
        wished = [
            ("Formation souhaitée", request.wished_title or "Non précisée"),
            ("Début souhaité", _wished_day(request.wished_start) or "Non précisé"),
            ("Fin souhaitée", _wished_day(request.wished_end) or "Non précisée"),
            ("Durée souhaitée", f"{request.wished_hours} heures" if request.wished_hours else "Non précisée"),
        ]
        return ProviderView(
            request_id=request.id,
            provider_name=request.provider_name,
            status=request.status,
            status_label=w.STATUS_LABELS[request.status],
            wished=wished,
            versions=version_rows(db, request),
            decline_reason=request.decline_reason,
            form_values=form_values(w.latest_version(db, request.id)),
        ), ""


MSG_PROGRAMME_GONE = (
    "Le programme joint il y a plus de 24 heures n'est plus conservé : joignez-le de nouveau, puis envoyez le devis."
)


def keep_programme(accepted: Accepted) -> Programme:
    """What the upload pipeline keeps for a provider: only PDFs (a programme), written to the store.
    No row names it until the quote is sent: replaced, it is discarded; abandoned, the daily
    sweep of the store removes it a day later (core/stored_files.py)."""
    return Programme(filestore.write(accepted.clean_bytes), accepted.safe_name, accepted.size, accepted.sha256)


def discard_programme(programme: Programme) -> None:
    """An unsent programme the provider replaced (or will not send): its file goes at once,
    unless a version names it (never deleted from under a sent quote)."""
    with session_scope() as db:
        sent = db.exec(
            select(QuoteVersion.id).where(QuoteVersion.programme_stored_name == programme.stored_name)
        ).first()
    if sent is None:
        filestore.delete(programme.stored_name)


def send_quote(raw: str, data: dict, programme: Programme | None) -> tuple[dict[str, str], str]:
    """({}, "") when the version is stored and both sides told; else errors by field, or the link's problem."""
    terms, errors = check_terms(data, today_in_france())
    with session_scope() as db:
        request, problem = _resolve(db, raw)
        if request is None:
            return {}, problem
        if request.status not in w.OPEN_TO_PROVIDER:
            return {}, "Cette demande n'attend plus de devis."
        previous = w.latest_version(db, request.id)
        if programme is None and previous is None:
            errors["programme"] = "Joignez le programme détaillé de la formation (PDF)."
        # Made young: a sweep running now spares it (it looks again before deleting).
        elif programme is not None and not filestore.touch(programme.stored_name):
            errors["programme"] = MSG_PROGRAMME_GONE
        if errors or terms is None:
            return errors, ""
        version = QuoteVersion(
            request_id=request.id, number=(previous.number + 1) if previous else 1, **terms.columns()
        )
        source = programme or Programme(
            previous.programme_stored_name or "",
            previous.programme_name,
            previous.programme_size,
            previous.programme_sha256,
        )
        # A revision without a new file keeps the previous programme: its own copy, so versions stay independent.
        stored_name = source.stored_name if programme else filestore.copy(source.stored_name)
        version.programme_stored_name, version.programme_name = stored_name, source.name
        version.programme_size, version.programme_sha256 = source.size, source.sha256
        db.add(version)
        request.status = w.QUOTED
        db.add(request)
        db.flush()
        kind = "revised" if previous else "quoted"
        w.record(db, request, w.PROVIDER, kind, f"version {version.number}")
        w.tell_person(
            db,
            request,
            "Vous avez reçu un devis de formation" if previous is None else "Votre devis de formation a été révisé",
            f"{request.provider_name} vous a envoyé la version {version.number} de son devis. "
            "Consultez-la dans votre dossier pour l'accepter ou la refuser.",
        )
        w.tell_provider(
            db, request, "Votre devis est envoyé", f"La version {version.number} de votre devis est transmise."
        )
    return {}, ""


def decline(raw: str, reason: str) -> tuple[dict[str, str], str]:
    reason = " ".join(str(reason or "").split())
    if not reason:
        return {"reason": "Indiquez le motif pour que la personne puisse s'adresser à un autre organisme."}, ""
    if len(reason) > 1000:
        return {"reason": "Le motif compte 1 000 caractères au plus."}, ""
    with session_scope() as db:
        request, problem = _resolve(db, raw)
        if request is None:
            return {}, problem
        if request.status not in w.OPEN_TO_PROVIDER:
            return {}, "Cette demande n'attend plus de devis."
        request.status, request.decline_reason = w.DECLINED, reason
        db.add(request)
        w.record(db, request, w.PROVIDER, "declined", reason)
        w.tell_person(
            db,
            request,
            "L'organisme ne donne pas suite à votre demande de devis",
            f"{request.provider_name} ne donne pas suite à votre demande de devis, pour ce motif : {reason}",
        )
    return {}, ""
