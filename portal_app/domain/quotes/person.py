"""The person's side: ask a provider for a quote, close its link, refuse, accept, withdraw.

Each function is one unit of work on a dossier the caller owns and may still edit
(drafts.editable_in: NotFound, Locked otherwise); a request id from another dossier is
refused as not found. The answer is None when done, else the French message to show.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portal_app import routes
from portal_app.domain.accounts.login import check_password, current_password_problem
from portal_app.domain.accounts.users import link
from portal_app.domain.core import mail, tokens
from portal_app.domain.core.dates import paris_long
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import email_error, normalize_email, normalize_siret, siret_error, today_in_france
from portal_app.domain.core.wording import duration
from portal_app.domain.dossiers.demarche import Demarche
from portal_app.domain.dossiers.drafts import NotFound, _owned, demarche_of, editable_in, owner_can_edit
from portal_app.domain.franceconnect import assurance
from portal_app.domain.quotes import filing
from portal_app.domain.quotes import workflow as w
from portal_app.models import Dossier, QuoteRequest, QuoteVersion, User
from portal_app.models.base import utcnow
from portal_app.settings import get_settings

MAX_OPEN_REQUESTS = 5
MSG_EXPIRED = "Ce devis n'est plus valable (date de validité dépassée) : demandez une nouvelle version à l'organisme."
MSG_NEWER = (
    "L'organisme vient d'envoyer une nouvelle version de ce devis : lisez-la ci-dessous avant de l'accepter "
    "ou de la refuser."
)


def _seen(version, version_id: int | None) -> bool:
    """The person answers the version their page showed: a revision sent meanwhile is read first.
    None (the command line, tests) answers the latest."""
    return version_id is None or version.id == version_id


def _quoting(db: Session, user_id: int, dossier_id: int) -> tuple[Dossier, Demarche]:
    dossier, demarche = editable_in(db, user_id, dossier_id)
    if demarche.quotes is None:
        raise NotFound(f"{demarche.code} takes no quote")
    return dossier, demarche


def _request_in(db: Session, dossier: Dossier, request_id: int) -> QuoteRequest:
    request = db.get(QuoteRequest, request_id) if isinstance(request_id, int) else None
    if request is None or request.dossier_id != dossier.id:
        raise NotFound(f"quote request {request_id}")
    return request


def _owned_request(
    db: Session, user_id: int, dossier_id: int, request_id: int
) -> tuple[QuoteRequest, Dossier, Demarche]:
    dossier, demarche = _quoting(db, user_id, dossier_id)
    return _request_in(db, dossier, request_id), dossier, demarche


def request_quote(user_id: int, dossier_id: int, data: dict) -> dict[str, str]:
    """Ask a provider for a quote; its link goes by mail. Errors by field, empty when sent."""
    name = " ".join(str(data.get("provider_name", "")).split())
    siret = normalize_siret(str(data.get("provider_siret", "")))
    email = normalize_email(str(data.get("provider_email", "")))
    errors: dict[str, str] = {}
    if not name:
        errors["provider_name"] = "Indiquez la raison sociale de l'organisme de formation."
    elif len(name) > 200:
        errors["provider_name"] = "La raison sociale compte 200 caractères au plus."
    if problem := siret_error(siret):
        errors["provider_siret"] = problem
    if problem := email_error(email):
        errors["provider_email"] = problem
    with session_scope() as db:
        dossier, _demarche = _quoting(db, user_id, dossier_id)
        open_requests = db.exec(
            select(QuoteRequest).where(
                QuoteRequest.dossier_id == dossier.id, QuoteRequest.status.in_(w.OPEN_TO_PROVIDER)
            )  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).all()
        if len(open_requests) >= MAX_OPEN_REQUESTS:
            errors["provider_name"] = f"Vous avez déjà {MAX_OPEN_REQUESTS} demandes en cours : annulez-en une d'abord."
        if errors:
            return errors
        answers = dossier.answers or {}
        raw, now = tokens.new_token(), utcnow()
        request = QuoteRequest(
            dossier_id=dossier.id,
            owner_id=user_id,
            provider_name=name,
            provider_siret=siret,
            provider_email=email,
            wished_title=str(answers.get("formation_intitule", ""))[:200],
            wished_start=str(answers.get("date_debut", ""))[:10],
            wished_end=str(answers.get("date_fin", ""))[:10],
            wished_hours=str(answers.get("duree_heures", ""))[:10],
            token_hash=tokens.hash_token(raw),
            token_expires_at=now + w.TOKEN_TTL,
            status=w.REQUESTED,
            created_at=now,
        )
        db.add(request)
        db.flush()
        w.record(db, request, w.PERSON, "requested", f"{name} ({email})")
        owner = db.get(User, user_id)
        person = " ".join(part for part in (owner.first_names, owner.usage_name or owner.birth_name) if part)
        mail.queue(
            db,
            email,
            "quote_request",
            person=person or "Une personne",
            provider=name,
            wished=request.wished_title or "à préciser avec la personne",
            quote_link=link(routes.QUOTE_PROVIDER, raw),
            valid_for=duration(w.TOKEN_TTL),
        )
        w.tell_person(
            db,
            request,
            "Votre demande de devis est envoyée",
            f"Nous avons transmis votre demande de devis à {name}. Vous serez prévenu(e) par e-mail de sa réponse.",
        )
    return {}


def revoke(user_id: int, dossier_id: int, request_id: int) -> str | None:
    with session_scope() as db:
        request, _dossier, _demarche = _owned_request(db, user_id, dossier_id, request_id)
        if request.status not in w.OPEN_TO_PROVIDER:
            return "Cette demande ne peut plus être annulée."
        request.status, request.revoked_at = w.REVOKED, utcnow()
        db.add(request)
        w.record(db, request, w.PERSON, "revoked")
        w.tell_provider(
            db,
            request,
            "Demande de devis annulée",
            "La personne a annulé sa demande de devis : le lien reçu ne fonctionne plus.",
        )
    return None


def refuse(
    user_id: int, dossier_id: int, request_id: int, reason: str = "", version_id: int | None = None
) -> str | None:
    reason = " ".join(str(reason or "").split())[:1000]
    with session_scope() as db:
        request, _dossier, _demarche = _owned_request(db, user_id, dossier_id, request_id)
        version = w.latest_version(db, request.id)
        if request.status != w.QUOTED or version is None:
            return "Ce devis ne peut plus être refusé."
        if not _seen(version, version_id):
            return MSG_NEWER
        version.refused_at, version.refusal_reason = utcnow(), reason
        request.status = w.REFUSED
        db.add_all([version, request])
        w.record(db, request, w.PERSON, "refused", f"version {version.number}" + (f" : {reason}" if reason else ""))
        w.tell_provider(
            db,
            request,
            "Votre devis a été refusé",
            f"La personne a refusé la version {version.number} de votre devis"
            + (f" pour ce motif : {reason}" if reason else "")
            + ". Vous pouvez lui proposer une version révisée avec votre lien.",
        )
    return None


MSG_FCPLUS = (
    "Pour accepter ce devis, confirmez d'abord votre identité avec FranceConnect+ "
    "(moins de 10 minutes avant), puis confirmez l'acceptation."
)
FCPLUS_LEVEL = "eidas2"


def accepts_with_fcplus(user: User) -> bool:
    """Acceptance asks a fresh strong identification: FranceConnect+ at eIDAS 2, as filing an
    `assurance="eidas2"` démarche does, when it is configured and the account is linked to
    FranceConnect; else the password typed again."""
    return user.franceconnect_linked and get_settings().franceconnect_plus is not None


def accept(
    user_id: int,
    dossier_id: int,
    request_id: int,
    password: str,
    tab: str = "",
    session_token: str | None = None,
    version_id: int | None = None,
) -> str | None:
    """Accept the latest version, the one the page showed, after a fresh identification (bcrypt:
    call it in a thread)."""
    try:
        return _accept(user_id, dossier_id, request_id, password, tab, session_token, version_id)
    except filing.NotFiled as refusal:
        return str(refusal)


def _identification_problem(
    db: Session, user: User, password: str, tab: str, session_token: str | None
) -> tuple[str | None, str]:
    """Why the person is not identified afresh (None when they are), and how they were."""
    if accepts_with_fcplus(user):
        if not assurance.satisfied_in(db, session_token, FCPLUS_LEVEL):
            return MSG_FCPLUS, ""
        return None, "après FranceConnect+"
    return current_password_problem(check_password(db, user, password, tab)), "après saisie du mot de passe"


def _accept(
    user_id: int,
    dossier_id: int,
    request_id: int,
    password: str,
    tab: str,
    session_token: str | None,
    version_id: int | None,
) -> str | None:
    with session_scope() as db:
        request, dossier, demarche = _owned_request(db, user_id, dossier_id, request_id)
        version = w.latest_version(db, request.id)
        if request.status != w.QUOTED or version is None:
            return "Ce devis ne peut pas être accepté."
        if not _seen(version, version_id):
            return MSG_NEWER
        if version.valid_until < today_in_france():
            return MSG_EXPIRED
        others = db.exec(
            select(QuoteRequest).where(QuoteRequest.dossier_id == dossier.id, QuoteRequest.status.in_(w.HOLDS_ANSWERS))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).first()
        if others is not None:
            return "Vous avez déjà accepté un autre devis pour ce dossier : rétractez-vous d'abord."
        problem, how = _identification_problem(db, db.get(User, user_id), password, tab, session_token)
        if problem:
            return problem
        now = utcnow()
        request.status, request.accepted_version_id, request.accepted_at = w.ACCEPTED, version.id, now
        request.withdrawal_ends_at = now + timedelta(days=demarche.quotes.withdrawal_days)
        db.add(request)
        filing.fill_dossier(db, dossier, demarche, request, version)
        w.record(db, request, w.PERSON, "accepted", f"version {version.number}, {how}")
        until = paris_long(request.withdrawal_ends_at)
        w.tell_person(
            db,
            request,
            "Vous avez accepté un devis de formation",
            f"Vous avez accepté le devis de {request.provider_name}. Vous pouvez vous rétracter jusqu'au {until}.",
        )
        w.tell_provider(
            db,
            request,
            "Votre devis est accepté",
            f"La personne a accepté la version {version.number} de votre devis. "
            f"Elle peut se rétracter jusqu'au {until} ; vous serez prévenu(e) à la fin de ce délai.",
        )
    return None


def withdraw(user_id: int, dossier_id: int, request_id: int) -> str | None:
    """The withdrawal right holds whatever became of the dossier: filed during the period, it
    keeps the answers it was filed with, and the agency reads the withdrawal in its history."""
    with session_scope() as db:
        dossier = _owned(db, user_id, dossier_id)
        request = _request_in(db, dossier, request_id)
        if request.status != w.ACCEPTED:
            return "Le délai de rétractation de ce devis est terminé."
        filed = not owner_can_edit(dossier)
        version = db.get(QuoteVersion, request.accepted_version_id) if request.accepted_version_id else None
        if not filed and version is not None:
            filing.unfile(db, dossier, demarche_of(dossier), request, version)
        # The quote is open again: the person may accept it again or the provider revise it.
        request.status, request.accepted_version_id = w.QUOTED, None
        request.accepted_at = request.withdrawal_ends_at = None
        db.add(request)
        w.record(db, request, w.PERSON, "withdrawn", "après le dépôt du dossier" if filed else "")
        after = (
            "Votre dossier est déjà déposé : écrivez à votre conseiller depuis la page du dossier pour lui dire "
            "comment vous souhaitez poursuivre."
            if filed
            else "Les informations de la formation sont de nouveau modifiables dans votre dossier."
        )
        w.tell_person(
            db,
            request,
            "Vous vous êtes rétracté(e)",
            f"Votre acceptation du devis de {request.provider_name} est annulée. {after}",
        )
        w.tell_provider(
            db,
            request,
            "La personne s'est rétractée",
            "La personne a annulé son acceptation de votre devis, dans son délai de rétractation.",
        )
    return None
