"""Training quotes: amounts, the provider's token (expiry, revocation, reach), the acceptance and its
withdrawal period with a moved clock."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from portal_app import settings as settings_module
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import today_in_france
from portal_app.domain.core.tokens import hash_token
from portal_app.domain.dossiers import drafts
from portal_app.domain.dossiers.drafts import NotFound
from portal_app.domain.franceconnect import trips
from portal_app.domain.quotes import person, provider, rules, views
from portal_app.domain.quotes import workflow as w
from portal_app.domain.quotes.period import finalise_due_acceptances
from portal_app.domain.uploads.checks import Accepted
from portal_app.models import (
    Document,
    Dossier,
    DossierPiece,
    LoginSession,
    QuoteEvent,
    QuoteRequest,
    QuoteVersion,
    User,
)
from portal_app.models.base import utcnow
from tests.support.outbox import outbox_mails, text
from tests.support.pdf_builder import document
from tests.support.quotes import quote_terms
from tests.support.users import PASSWORD

PTP = "projet-transition-professionnelle"
# A SIRET that passes the Luhn check.
SIRET = "73282932000074"


def terms(**changes) -> dict[str, str]:
    # Typed loosely, as a provider may: the code in lower case with a space, cents after a comma.
    return quote_terms(**{"certification_code": "rncp 37674", "price_teaching": "8 450,50", **changes})


def provider_link() -> str:
    """The raw token of the last request mail, as the provider clicks it."""
    mail = next(m for m in reversed(outbox_mails()) if "devis" in m["Subject"] and "Demande" in m["Subject"])
    return re.search(r"jeton=([A-Za-z0-9_\-%]+)", text(mail)).group(1)


def programme() -> provider.Programme:
    data = document()
    return provider.keep_programme(
        Accepted(kind="pdf", clean_bytes=data, safe_name="programme.pdf", sha256="0" * 64, size=len(data))
    )


@pytest.fixture
def dossier(make_user):
    user = make_user()
    return drafts.create_draft(user.id, PTP)


def ask(dossier, email="contact@formation.fr") -> tuple[int, str]:
    errors = person.request_quote(
        dossier.owner_id,
        dossier.id,
        {"provider_name": "École du Web", "provider_siret": SIRET, "provider_email": email},
    )
    assert errors == {}
    with session_scope() as db:
        request = db.exec(select(QuoteRequest).order_by(QuoteRequest.id.desc())).first()
    return request.id, provider_link()


# ---------------------------------------------------------------- amounts and checks


def test_amounts_are_decimals_written_the_french_way():
    checked, errors = rules.check_terms(terms(), today_in_france())
    assert errors == {}
    assert checked.price_teaching == Decimal("8450.50") and checked.price_extra == Decimal("320")
    assert checked.certification_code == "RNCP37674"
    version = QuoteVersion(request_id=1, number=1, **checked.columns())
    assert version.price_teaching == 845050
    assert rules.total(version) == Decimal("8770.50")
    shown = rules.shown_values(version)
    assert shown["total"] == "8\u00a0770,50\u00a0€"
    assert shown["price_extra"] == "320,00\u00a0€"
    # 0.1 + 0.2 in floats is not 0.3; in hundredths it is.
    cents, _ = rules.check_terms(terms(price_teaching="0,10", price_extra="0,20"), today_in_france())
    assert rules.total(QuoteVersion(request_id=1, number=1, **cents.columns())) == Decimal("0.30")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("certification_code", "RNCP", "RNCP35185"),
        ("certification_code", "ABC123", "RNCP35185"),
        ("price_teaching", "8 450,555", "montant"),
        ("price_teaching", "-5", "montant"),
        ("hours_training", "12,5", "entier"),
        ("end_date", "2000-01-01", "après la date de début"),
        ("valid_until", "2000-01-01", "déjà passée"),
        ("location_postal_code", "7500", "code postal"),
        ("title", "", "Indiquez"),
    ],
)
def test_a_wrong_quote_value_is_refused_in_french(field, value, message):
    checked, errors = rules.check_terms(terms(**{field: value}), today_in_france())
    assert checked is None
    assert message.lower() in errors[field].lower()


def test_rs_codes_are_accepted():
    assert rules.certification_code("RS 5487") == "RS5487"
    assert rules.certification_code("rncp-35185") == "RNCP35185"
    assert rules.certification_code("RNCP35185X") is None


# ---------------------------------------------------------------- the provider's link


def test_request_checks_the_provider_and_mails_a_link_stored_hashed(dossier):
    errors = person.request_quote(
        dossier.owner_id, dossier.id, {"provider_name": "", "provider_siret": "12345678901234", "provider_email": "x"}
    )
    assert set(errors) == {"provider_name", "provider_siret", "provider_email"}
    request_id, raw = ask(dossier)
    with session_scope() as db:
        request = db.get(QuoteRequest, request_id)
        assert request.token_hash != raw and raw not in request.token_hash
        assert request.token_expires_at - request.created_at == timedelta(days=30)
    view, problem = provider.open_link(raw)
    assert problem == "" and view.request_id == request_id and view.may_quote


def test_an_expired_link_opens_nothing(dossier):
    request_id, raw = ask(dossier)
    with session_scope() as db:
        request = db.get(QuoteRequest, request_id)
        request.token_expires_at = utcnow() - timedelta(seconds=1)
        db.add(request)
    assert provider.open_link(raw) == (None, provider.MSG_EXPIRED)
    assert provider.send_quote(raw, terms(), programme()) == ({}, provider.MSG_EXPIRED)


def test_a_revoked_link_opens_nothing_and_the_provider_is_told(dossier):
    request_id, raw = ask(dossier)
    assert person.revoke(dossier.owner_id, dossier.id, request_id) is None
    assert provider.open_link(raw) == (None, provider.MSG_REVOKED)
    assert provider.decline(raw, "Plus de place") == ({}, provider.MSG_REVOKED)
    assert outbox_mails()[-1]["Subject"] == "Demande de devis annulée"


def test_a_provider_link_reaches_its_own_request_only(dossier, make_user):
    request_id, raw = ask(dossier)
    other_user = make_user("dominique@exemple.fr")
    other_dossier = drafts.create_draft(other_user.id, PTP)
    other_id, other_raw = ask(other_dossier, email="autre@formation.fr")
    assert provider.send_quote(raw, terms(), programme()) == ({}, "")
    with session_scope() as db:
        assert [v.request_id for v in db.exec(select(QuoteVersion)).all()] == [request_id]
    # The view carries what the person asked, never the dossier's answers or owner.
    view, _ = provider.open_link(other_raw)
    assert view.request_id == other_id and view.versions == []
    assert "camille" not in repr(view).lower()
    # Unknown, truncated or altered tokens open nothing.
    for wrong in ("", raw[:-1], raw + "A", "x" * 500):
        assert provider.open_link(wrong) == (None, provider.MSG_UNKNOWN)
    # A person cannot act on a request of another dossier either.
    with pytest.raises(NotFound):
        person.revoke(dossier.owner_id, dossier.id, other_id)
    with pytest.raises(NotFound):
        person.revoke(other_user.id, other_dossier.id, request_id)


# ---------------------------------------------------------------- versions, acceptance, withdrawal


def test_full_exchange_with_a_moved_clock(dossier):
    request_id, raw = ask(dossier)
    errors, problem = provider.send_quote(raw, terms(), None)
    assert problem == "" and "programme" in errors["programme"]
    assert provider.send_quote(raw, terms(), programme()) == ({}, "")
    assert person.refuse(dossier.owner_id, dossier.id, request_id, "Trop cher") is None
    # The revision keeps the programme and says what changed.
    assert provider.send_quote(raw, terms(price_teaching="7 900"), None) == ({}, "")
    rows = views.person_rows(dossier.owner_id, dossier.id)
    latest, first = rows[0]["versions"]
    assert latest["number"] == "2" and latest["programme"] == "programme.pdf"
    assert "Coût pédagogique : 8\u00a0450,50\u00a0€ → 7\u00a0900,00\u00a0€" in latest["changes"]
    assert first["refused"] and first["refusal_reason"] == "Trop cher"

    assert person.accept(dossier.owner_id, dossier.id, request_id, "mauvais") == "Le mot de passe est incorrect."
    assert person.accept(dossier.owner_id, dossier.id, request_id, PASSWORD) is None
    with session_scope() as db:
        stored = db.get(Dossier, dossier.id)
        assert stored.answers["cout_pedagogique"] == "7900.00"
        assert stored.answers["organisme_siret"] == SIRET
        assert stored.answers["lieu_formation.city"] == "Paris"
        assert stored.answers["duree_heures"] == "980"
        pieces = {row.piece_code: db.get(Document, row.document_id) for row in db.exec(select(DossierPiece)).all()}
        assert pieces["devis"].kind == "pdf" and pieces["devis"].name.startswith("devis-")
        assert pieces["programme"].name == "programme.pdf"
        held = views.history(db, dossier.id)
    assert [row["what"] for row in held] == [
        "Devis demandé",
        "Devis envoyé",
        "Devis refusé",
        "Devis révisé",
        "Devis accepté",
    ]
    assert held[-1]["who"] == "Le bénéficiaire"
    # The provider cannot revise an accepted quote.
    assert provider.send_quote(raw, terms(), None) == ({}, "Cette demande n'attend plus de devis.")

    assert person.withdraw(dossier.owner_id, dossier.id, request_id) is None
    assert outbox_mails()[-1]["Subject"] == "La personne s'est rétractée"
    assert person.accept(dossier.owner_id, dossier.id, request_id, PASSWORD) is None

    with session_scope() as db:
        assert finalise_due_acceptances(db, utcnow() + timedelta(days=13)) == 0
    with session_scope() as db:
        assert finalise_due_acceptances(db, utcnow() + timedelta(days=14, seconds=1)) == 1
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.FINAL
        assert db.exec(select(QuoteEvent).order_by(QuoteEvent.id.desc())).first().actor == w.SYSTEM
    subjects = [m["Subject"] for m in outbox_mails()[-2:]]
    assert subjects == ["Votre acceptation du devis est définitive", "L'acceptation de votre devis est définitive"]
    assert (
        person.withdraw(dossier.owner_id, dossier.id, request_id) == "Le délai de rétractation de ce devis est terminé."
    )


def test_an_expired_quote_cannot_be_accepted(dossier):
    request_id, raw = ask(dossier)
    assert provider.send_quote(raw, terms(), programme()) == ({}, "")
    with session_scope() as db:
        version = db.exec(select(QuoteVersion)).first()
        version.valid_until = date.today() - timedelta(days=2)
        db.add(version)
    assert person.accept(dossier.owner_id, dossier.id, request_id, PASSWORD) == person.MSG_EXPIRED
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.QUOTED


def test_provider_declines_with_a_reason(dossier):
    request_id, raw = ask(dossier)
    errors, _ = provider.decline(raw, "  ")
    assert "motif" in errors["reason"]
    assert provider.decline(raw, "Session complète") == ({}, "")
    assert views.person_rows(dossier.owner_id, dossier.id)[0]["decline_reason"] == "Session complète"
    assert "Session complète" in text(outbox_mails()[-1])


def test_account_deletion_takes_the_quotes_and_the_programme_files(dossier):
    from portal_app.domain import accounts
    from portal_app.domain.core import filestore

    request_id, raw = ask(dossier)
    assert provider.send_quote(raw, terms(), programme()) == ({}, "")
    assert person.accept(dossier.owner_id, dossier.id, request_id, PASSWORD) is None
    with session_scope() as db:
        stored = db.exec(select(QuoteVersion)).first().programme_stored_name
    assert filestore.path_of(stored).exists()
    assert accounts.delete_account(dossier.owner_id, PASSWORD).ok
    with session_scope() as db:
        assert db.exec(select(QuoteRequest)).all() == []
        assert db.exec(select(QuoteVersion)).all() == []
        assert db.exec(select(QuoteEvent)).all() == []
    assert not filestore.path_of(stored).exists()
    assert provider.open_link(raw) == (None, provider.MSG_UNKNOWN)


def _fc_session(user_id: int, acr: str, age: timedelta = timedelta(0)) -> str:
    """A login session of this account through FranceConnect at `acr`, `age` ago."""
    with session_scope() as db:
        raw = trips.open_fc_session(db, db.get(User, user_id), "id.token.hint", acr, "")
        login = db.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(raw))).one()
        login.fc_authenticated_at = utcnow() - age
        db.add(login)
    return raw


def test_acceptance_asks_a_fresh_franceconnect_plus_when_it_is_configured(dossier, monkeypatch):
    with session_scope() as db:
        user = db.get(User, dossier.owner_id)
        user.fc_sub = "fc-sub-quote"
        db.add(user)
    request_id, raw = ask(dossier)
    assert provider.send_quote(raw, terms(), programme()) == ({}, "")
    with session_scope() as db:
        # FranceConnect+ not configured: the password, as for any account.
        assert not person.accepts_with_fcplus(db.get(User, dossier.owner_id))
    for name, value in (("ISSUER", "https://fcplus.exemple.fr"), ("CLIENT_ID", "id"), ("CLIENT_SECRET", "secret")):
        monkeypatch.setenv(f"PORTAL_FCPLUS_{name}", value)
    settings_module.get_settings.cache_clear()

    def accept(token: str | None) -> str | None:
        return person.accept(dossier.owner_id, dossier.id, request_id, PASSWORD, session_token=token)

    # The right password is not enough now; neither is FranceConnect (eidas1) or a stale FranceConnect+.
    assert accept(None) == person.MSG_FCPLUS
    assert accept(_fc_session(dossier.owner_id, "eidas1")) == person.MSG_FCPLUS
    assert accept(_fc_session(dossier.owner_id, "eidas2", timedelta(minutes=11))) == person.MSG_FCPLUS
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.QUOTED
    assert accept(_fc_session(dossier.owner_id, "eidas2")) is None
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.ACCEPTED
        events = db.exec(select(QuoteEvent).where(QuoteEvent.request_id == request_id)).all()
    assert "après FranceConnect+" in events[-1].detail
