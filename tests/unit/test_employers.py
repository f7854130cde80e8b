"""Employer accounts: provisional credentials, first-login personalisation, confirmation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.accounts import LoginStatus
from portal_app.domain.core.tokens import TokenState
from portal_app.domain.employer import credentials as employer_credentials
from portal_app.domain.employer import onboarding
from portal_app.domain.employer.onboarding import Stage
from portal_app.models import EmployerAccount, User
from tests.support.outbox import outbox_mails, text

SIRET = "73282932000074"
NEW_PASSWORD = "Boulange-Rie-2026!"


@pytest.fixture
def db(temp_db, fast_hashing):
    return temp_db


def credentials(msg) -> tuple[str, str]:
    body = text(msg)
    return (
        re.search(r"Identifiant provisoire : (\S+)", body)[1],
        re.search(r"Mot de passe provisoire : (\S+)", body)[1],
    )


def new_employer(email="contact@boulangerie.fr", siret=SIRET) -> tuple[str, str]:
    created = onboarding.create_employer("Boulangerie Dupont SARL", siret, email)
    assert created.errors == {}
    assert created.mailed
    return credentials(outbox_mails()[-1])


def user_of(engine, login: str) -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.login == login)).one()


def test_creation_mails_provisional_credentials_stored_hashed(db):
    identifier, password = new_employer()
    msg = outbox_mails()[-1]
    assert msg["To"] == "contact@boulangerie.fr"
    assert "Boulangerie Dupont SARL" in text(msg)
    assert "/connexion" in text(msg)
    user = user_of(db, identifier)
    assert user.role == "employer"
    assert password not in user.password_hash and user.password_hash.startswith("$2b$")
    assert user.password_expires_at is not None
    assert accounts.authenticate(identifier, password, client_ip="198.51.100.7").status is LoginStatus.OK
    # Upper case typed at login still finds the identifier.
    assert accounts.authenticate(identifier.upper(), password, client_ip="198.51.100.7").status is LoginStatus.OK


@pytest.mark.parametrize(
    ("name", "siret", "email", "field"),
    [
        ("", SIRET, "a@b.fr", "company_name"),
        ("ACME", "73282932000075", "a@b.fr", "siret"),
        ("ACME", "1234", "a@b.fr", "siret"),
        ("ACME", SIRET, "pas-une-adresse", "email"),
    ],
)
def test_creation_is_validated(db, name, siret, email, field):
    assert field in onboarding.create_employer(name, siret, email).errors


def test_one_account_per_siret(db):
    new_employer()
    assert "siret" in onboarding.create_employer("Autre", SIRET, "autre@exemple.fr").errors


def test_provisional_password_dies_after_seven_days(db):
    identifier, password = new_employer()
    with Session(db) as s:
        user = s.exec(select(User).where(User.login == identifier)).one()
        user.password_expires_at = user.password_expires_at - timedelta(days=7, seconds=1)
        s.add(user)
        s.commit()
    assert accounts.authenticate(identifier, password, client_ip="198.51.100.7").status is LoginStatus.PASSWORD_EXPIRED
    # A wrong password says nothing about the expiry.
    assert (
        accounts.authenticate(identifier, "Autre-Chose-2026!", client_ip="198.51.100.7").status is LoginStatus.INVALID
    )


def test_expiry_is_seven_days(db):
    identifier, _ = new_employer()
    user = user_of(db, identifier)
    with Session(db) as s:
        account = s.exec(select(EmployerAccount).where(EmployerAccount.user_id == user.id)).one()
    lifetime = user.password_expires_at - account.created_at
    assert timedelta(days=7) - timedelta(seconds=5) < lifetime <= timedelta(days=7)


def test_personalisation_then_confirmation(db):
    identifier, password = new_employer()
    user = user_of(db, identifier)
    assert onboarding.view(user.id).stage is Stage.PERSONALISE
    assert not onboarding.ready(user.id)

    result = onboarding.personalise(
        user.id, {"identifier": "Boulangerie-Dupont", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert result.ok, result.errors
    assert onboarding.view(user.id).stage is Stage.CONFIRM
    assert not onboarding.ready(user.id)
    # The provisional credentials are dead at once, the new ones work (identifier lower-cased).
    assert accounts.authenticate(identifier, password, client_ip="198.51.100.7").status is LoginStatus.INVALID
    assert accounts.authenticate("boulangerie-dupont", password, client_ip="198.51.100.7").status is LoginStatus.INVALID
    assert accounts.authenticate("Boulangerie-Dupont", NEW_PASSWORD, client_ip="198.51.100.7").status is LoginStatus.OK
    assert user_of(db, "boulangerie-dupont").password_expires_at is None

    msg = outbox_mails()[-1]
    body = text(msg)
    assert f"Ancien identifiant : {identifier}" in body
    assert "Nouvel identifiant : boulangerie-dupont" in body
    link = re.search(r"(http://\S+/employeur/confirmation\?jeton=\S+)", body)[1]
    raw = link.split("jeton=")[1]

    assert onboarding.confirmation_state(raw) is TokenState.VALID
    wrong = onboarding.confirm(raw, {"password": password, "accept_privacy": "on"})
    assert set(wrong.errors) == {"password"}
    no_privacy = onboarding.confirm(raw, {"password": NEW_PASSWORD})
    assert set(no_privacy.errors) == {"accept_privacy"}
    assert onboarding.confirm(raw, {"password": NEW_PASSWORD, "accept_privacy": "on"}).ok
    assert onboarding.ready(user.id)
    # Single use.
    assert onboarding.confirm(raw, {"password": NEW_PASSWORD, "accept_privacy": "on"}).state is TokenState.USED
    # Once only: personalising again is refused.
    again = onboarding.personalise(
        user.id, {"identifier": "autre-nom", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert not again.ok


def test_personalisation_rules(db):
    identifier, password = new_employer()
    user = user_of(db, identifier)
    other_id, _ = new_employer("autre@exemple.fr", "44202128000015")
    cases = {
        "identifier": [
            {"identifier": "", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
            {"identifier": "abc", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
            {"identifier": "nom@exemple.fr", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
            {"identifier": identifier, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
            {"identifier": other_id, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        ],
        "password": [
            {"identifier": "dupont-sarl", "password": "Court!1", "password_confirm": "Court!1"},
            # 12 characters, 3 kinds, but no capital: the old employer rule still applies.
            {"identifier": "dupont-sarl", "password": "boulangerie-2026", "password_confirm": "boulangerie-2026"},
            # 12 characters, 3 kinds, but no special character.
            {"identifier": "dupont-sarl", "password": "Boulangerie2026", "password_confirm": "Boulangerie2026"},
            {"identifier": "dupont-sarl", "password": password, "password_confirm": password},
        ],
        "password_confirm": [
            {"identifier": "dupont-sarl", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "x"},
        ],
    }
    for field_name, datas in cases.items():
        for data in datas:
            result = onboarding.personalise(user.id, data)
            assert field_name in result.errors, (data, result.errors)
    assert onboarding.view(user.id).stage is Stage.PERSONALISE


def test_employer_checklist_contains_the_old_rules():
    keys = [check.key for check in employer_credentials.employer_password_checks("")]
    assert {"min_length", "categories", "capital", "special"} <= set(keys)
    assert all(check.ok for check in employer_credentials.employer_password_checks(NEW_PASSWORD))


def test_resend_confirmation_keeps_only_the_newest_link(db):
    identifier, _ = new_employer()
    user = user_of(db, identifier)
    onboarding.personalise(
        user.id, {"identifier": "dupont-sarl", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    first = re.search(r"jeton=(\S+)", text(outbox_mails()[-1]))[1]
    assert onboarding.resend_confirmation(user.id)
    second = re.search(r"jeton=(\S+)", text(outbox_mails()[-1]))[1]
    assert onboarding.confirmation_state(first) is TokenState.SUPERSEDED
    assert onboarding.confirmation_state(second) is TokenState.VALID


def test_forgotten_password_from_the_identifier(db):
    identifier, password = new_employer()
    user = user_of(db, identifier)
    onboarding.personalise(
        user.id, {"identifier": "dupont-sarl", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    accounts.request_password_reset("dupont-sarl", client_ip="198.51.100.7")
    first = re.search(r"jeton=(\S+)", text(outbox_mails()[-1]))[1]
    accounts.request_password_reset("DUPONT-SARL", client_ip="198.51.100.7")
    raw = re.search(r"jeton=(\S+)", text(outbox_mails()[-1]))[1]
    assert accounts.reset_token_state(first) is TokenState.SUPERSEDED
    assert employer_credentials.reset_needs_identifier(raw)
    assert employer_credentials.reset_identifier_error(raw, "autre-nom")
    assert employer_credentials.reset_identifier_error(raw, " Dupont-SARL ") is None
    assert "password" in employer_credentials.reset_password_errors(
        raw, {"password": "boulangerie-2026", "password_confirm": "boulangerie-2026"}
    )
    assert accounts.reset_password(raw, {"password": "Nouveau-Pain-2027!", "password_confirm": "Nouveau-Pain-2027!"}).ok
    assert accounts.reset_token_state(raw) is TokenState.USED
    assert accounts.authenticate("dupont-sarl", "Nouveau-Pain-2027!", client_ip="198.51.100.7").status is LoginStatus.OK


def test_reset_revives_an_expired_provisional_account(db):
    identifier, _ = new_employer()
    with Session(db) as s:
        user = s.exec(select(User).where(User.login == identifier)).one()
        user.password_expires_at = user.created_at
        s.add(user)
        s.commit()
    accounts.request_password_reset(identifier, client_ip="198.51.100.7")
    raw = re.search(r"jeton=(\S+)", text(outbox_mails()[-1]))[1]
    assert accounts.reset_password(raw, {"password": "Nouveau-Pain-2027!", "password_confirm": "Nouveau-Pain-2027!"}).ok
    assert accounts.authenticate(identifier, "Nouveau-Pain-2027!", client_ip="198.51.100.7").status is LoginStatus.OK
    # Still to personalise: the space stays closed.
    assert onboarding.view(user_of(db, identifier).id).stage is Stage.PERSONALISE


def test_beneficiary_is_not_an_employer(make_user):
    user = make_user("b@exemple.fr")
    assert onboarding.view(user.id) is None
    assert not onboarding.ready(user.id)
