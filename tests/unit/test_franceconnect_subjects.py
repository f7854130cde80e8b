"""FranceConnect and FranceConnect+ give one person two subjects (two clients): the account keeps
one per client; a first FranceConnect+ step-up is recognised by the certified pivot identity."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session

from portal_app.domain.core.db import session_scope
from portal_app.domain.core.tokens import hash_token
from portal_app.domain.franceconnect import trips
from portal_app.domain.franceconnect.client import Authentication, Level
from portal_app.domain.franceconnect.identity import certify, same_person
from portal_app.domain.franceconnect.onboarding import Step, attach
from portal_app.models import FranceConnectLogin, User

PIVOT = {
    "given_name": "Karim",
    "family_name": "HADDAD",
    "birthdate": "1978-11-30",
    "gender": "male",
    "birthplace": "13055",
    "birthcountry": "99100",
}


def _linked(make_user, temp_db, email: str = "karim@exemple.fr", **subjects) -> User:
    user = make_user(email)
    with Session(temp_db) as db:
        row = db.get(User, user.id)
        certify(row, {**PIVOT, "sub": subjects.pop("fc_sub", "fc-karim")})
        for name, value in subjects.items():
            setattr(row, name, value)
        db.add(row)
        db.commit()
        db.refresh(row)
        return row


def _recognised(user_id: int, claims: dict) -> bool:
    with session_scope() as db:
        return trips._recognised(db, db.get(User, user_id), Level.FCPLUS, claims)


def _fresh(temp_db, user_id: int) -> User:
    with Session(temp_db) as db:
        return db.get(User, user_id)


def test_a_first_franceconnect_plus_is_recognised_by_the_certified_identity_then_by_its_subject(make_user, temp_db):
    user = _linked(make_user, temp_db)
    assert _recognised(user.id, {**PIVOT, "sub": "plus-karim", "birthdate": "1978-11-30"})
    assert _fresh(temp_db, user.id).fcplus_sub == "plus-karim"
    assert _recognised(user.id, {**PIVOT, "sub": "plus-karim"})
    # Known for FranceConnect+ now: another subject, even with the same identity, is someone else's.
    assert not _recognised(user.id, {**PIVOT, "sub": "plus-other"})


def test_another_person_is_not_recognised_and_nothing_is_kept(make_user, temp_db):
    user = _linked(make_user, temp_db)
    assert not _recognised(user.id, {**PIVOT, "sub": "plus-twin", "birthdate": "1978-12-01"})
    assert not _recognised(user.id, {**PIVOT, "sub": "plus-twin", "given_name": "Karima", "gender": "female"})
    assert _fresh(temp_db, user.id).fcplus_sub is None


def test_a_franceconnect_plus_subject_is_one_accounts(make_user, temp_db):
    _linked(make_user, temp_db, "autre@exemple.fr", fc_sub="fc-other", fcplus_sub="plus-karim")
    user = _linked(make_user, temp_db)
    assert not _recognised(user.id, {**PIVOT, "sub": "plus-karim"})


def test_the_pivot_identity_is_compared_without_case_or_spacing(make_user, temp_db):
    user = _linked(make_user, temp_db)
    assert same_person(user, {**PIVOT, "family_name": " haddad ", "given_name": "KARIM"})
    assert not same_person(user, {**PIVOT, "birthplace": "75056"})


def _trip(temp_db, level: Level, claims: dict) -> FranceConnectLogin:
    with Session(temp_db) as db:
        trip = FranceConnectLogin(
            state_hash=hash_token(f"state-{level}-{claims['sub']}"),
            browser_key_hash=hash_token("key"),
            nonce="n",
            code_verifier="v",
            level=level.value,
            status="returned",
            identity=json.dumps(claims),
        )
        db.add(trip)
        db.commit()
        db.refresh(trip)
        db.expunge(trip)
        return trip


def test_sign_in_looks_the_subject_up_for_the_client_it_came_through(make_user, temp_db):
    user = _linked(make_user, temp_db, fcplus_sub="plus-karim")
    auth = Authentication({**PIVOT, "sub": "fc-karim"}, "id.token", "eidas2", 0)
    # FranceConnect's subject reaching us through FranceConnect+ names nobody there.
    assert trips._sign_in(_trip(temp_db, Level.FCPLUS, auth.claims), auth, "").outcome is trips.Outcome.CONFIRM
    plus = Authentication({**PIVOT, "sub": "plus-karim"}, "id.token", "eidas2", 0)
    signed = trips._sign_in(_trip(temp_db, Level.FCPLUS, plus.claims), plus, "")
    assert signed.outcome is trips.Outcome.SIGNED_IN
    assert user.birth_date == date(1978, 11, 30)


def test_linking_through_franceconnect_plus_keeps_that_clients_subject(make_user, temp_db):
    user = make_user("karim@exemple.fr")
    trip = _trip(temp_db, Level.FCPLUS, {**PIVOT, "sub": "plus-karim"})
    with session_scope() as db:
        assert attach(db, db.get(User, user.id), db.get(FranceConnectLogin, trip.id)).step is Step.SIGNED_IN
    fresh = _fresh(temp_db, user.id)
    assert (fresh.fcplus_sub, fresh.fc_sub, fresh.franceconnect_linked) == ("plus-karim", None, True)


def test_a_password_accounts_first_franceconnect_plus_binds_it_to_that_person(make_user, temp_db):
    """Without a certified identity, the first step-up certifies one: a second person's
    FranceConnect+ no longer passes on this account."""
    user = make_user("mot-de-passe@exemple.fr")
    assert _recognised(user.id, {**PIVOT, "sub": "plus-karim"})
    bound = _fresh(temp_db, user.id)
    assert (bound.fcplus_sub, bound.first_names, bound.birth_name) == ("plus-karim", "Karim", "HADDAD")
    assert bound.franceconnect_linked
    assert not _recognised(user.id, {**PIVOT, "sub": "plus-someone-else", "given_name": "Inès", "gender": "female"})
    assert not _recognised(user.id, {**PIVOT, "sub": "plus-karim-2"})
