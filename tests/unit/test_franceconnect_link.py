"""Linking a FranceConnect identity to an existing account by a mailed link: the same answer
whatever the address, a link bound to the browser that came back, single use, nothing half done."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select

from portal_app.domain.core.tokens import hash_token
from portal_app.domain.franceconnect import link_mail, onboarding
from portal_app.domain.franceconnect.onboarding import Step
from portal_app.models import FranceConnectLogin, OutgoingMail, User

CLAIMS = {
    "sub": "fc-sub-link",
    "given_name": "Inès Marie",
    "family_name": "FONTAINE",
    "birthdate": "1988-06-12",
    "gender": "female",
    "birthplace": "33063",
    "birthcountry": "99100",
    "email": "ines@fc.exemple.fr",
}


def _returned_trip(engine, browser_key: str = "key", claims: dict = CLAIMS) -> int:
    with Session(engine) as db:
        trip = FranceConnectLogin(
            state_hash=hash_token(browser_key + "-state"),
            browser_key_hash=hash_token(browser_key),
            nonce="n",
            code_verifier="v",
            level="fc",
            status="returned",
            identity=json.dumps(claims),
        )
        db.add(trip)
        db.commit()
        return trip.id


def _without_password(engine, user: User) -> User:
    with Session(engine) as db:
        row = db.get(User, user.id)
        row.password_hash = ""
        db.add(row)
        db.commit()
    return user


def _mails(engine, to: str) -> list[OutgoingMail]:
    with Session(engine) as db:
        return list(db.exec(select(OutgoingMail).where(OutgoingMail.recipient == to)).all())


def _token_in(row: OutgoingMail) -> str:
    return parse_qs(urlsplit(json.loads(row.context_json)["link"]).query)["jeton"][0]


def test_another_address_answers_the_same_with_or_without_an_account(make_user, temp_db):
    _without_password(temp_db, make_user("compte@exemple.fr"))
    _returned_trip(temp_db, "key-a")
    _returned_trip(temp_db, "key-b")
    with_account = onboarding.confirm("key-a", "compte@exemple.fr", True)
    without = onboarding.confirm("key-b", "libre@exemple.fr", True)
    assert with_account == without == onboarding.StepResult(Step.MAILED)
    assert [row.template for row in _mails(temp_db, "compte@exemple.fr")] == ["franceconnect_link"]
    assert [row.template for row in _mails(temp_db, "libre@exemple.fr")] == ["activation"]


def test_the_mailed_link_links_only_in_the_browser_that_came_back_and_only_once(make_user, temp_db):
    user = _without_password(temp_db, make_user("compte@exemple.fr"))
    _returned_trip(temp_db)
    assert onboarding.confirm("key", "compte@exemple.fr", True).step is Step.MAILED
    raw = _token_in(_mails(temp_db, "compte@exemple.fr")[0])
    assert link_mail.preview("another browser", raw).problem == link_mail.OTHER_BROWSER
    assert link_mail.redeem(None, raw).message == link_mail.OTHER_BROWSER
    shown = link_mail.preview("key", raw)
    assert (shown.problem, shown.full_name, shown.email) == ("", "Inès Marie FONTAINE", "compte@exemple.fr")
    assert link_mail.redeem("key", raw).step is Step.SIGNED_IN
    with Session(temp_db) as db:
        linked = db.get(User, user.id)
        trip = db.exec(select(FranceConnectLogin)).one()
    assert linked.fc_sub == "fc-sub-link" and linked.birth_name == "FONTAINE"
    assert (trip.status, trip.user_id) == ("ready", user.id)
    assert link_mail.redeem("key", raw).message == "Ce lien a déjà servi."
    assert link_mail.preview("key", "made-up").problem == link_mail.EXPIRED_LINK


def test_a_refused_link_changes_nothing_and_stays_usable(make_user, temp_db):
    make_user("autre@exemple.fr", fc_sub="fc-sub-link")  # the identity is already someone's
    user = _without_password(temp_db, make_user("compte@exemple.fr"))
    _returned_trip(temp_db)
    onboarding.confirm("key", "compte@exemple.fr", True)
    raw = _token_in(_mails(temp_db, "compte@exemple.fr")[0])
    assert link_mail.redeem("key", raw).message == onboarding.ALREADY_LINKED
    with Session(temp_db) as db:
        assert db.get(User, user.id).fc_sub is None
    assert link_mail.preview("key", raw).problem == ""


def test_the_password_step_can_mail_the_link_instead(make_user, temp_db):
    _without_password(temp_db, make_user(CLAIMS["email"]))
    _returned_trip(temp_db)
    assert onboarding.confirm("key", CLAIMS["email"], True).step is Step.PASSWORD
    assert link_mail.request_link("key", "10.0.0.1") is True
    assert link_mail.request_link("no trip here", "10.0.0.1") is False
    assert [row.template for row in _mails(temp_db, CLAIMS["email"])] == ["franceconnect_link"]


def test_an_employer_or_agent_address_is_told_by_mail_never_linked(make_user, temp_db):
    make_user("agent@exemple.fr", role="agent")
    _returned_trip(temp_db)
    assert onboarding.confirm("key", "agent@exemple.fr", True).step is Step.MAILED
    assert [row.template for row in _mails(temp_db, "agent@exemple.fr")] == ["franceconnect_refused"]


def test_mailed_links_are_counted_per_address(make_user, temp_db):
    _without_password(temp_db, make_user(CLAIMS["email"]))
    _returned_trip(temp_db)
    onboarding.confirm("key", CLAIMS["email"], True)
    for _ in range(5):
        assert link_mail.request_link("key", "10.0.0.2")
    assert len(_mails(temp_db, CLAIMS["email"])) == 3


def test_the_return_addresses_come_from_the_settings_never_from_the_request(monkeypatch):
    from portal_app import settings as settings_module
    from portal_app.api import franceconnect as routes_module

    monkeypatch.setenv("PORTAL_BASE_URL", "https://portail.example.fr/")
    monkeypatch.delenv("PORTAL_BACKEND_URL", raising=False)
    settings_module.get_settings.cache_clear()
    try:
        assert routes_module.callback_uri() == "https://portail.example.fr/_portal/franceconnect/callback"
        monkeypatch.setenv("PORTAL_BACKEND_URL", "http://localhost:8000")
        settings_module.get_settings.cache_clear()
        assert routes_module.callback_uri() == "http://localhost:8000/_portal/franceconnect/callback"
    finally:
        settings_module.get_settings.cache_clear()
