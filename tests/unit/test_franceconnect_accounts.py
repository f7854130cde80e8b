"""FranceConnect's effects on accounts, without the network: trips spent once and only by their
browser, the eIDAS 2 freshness rule, unlinking, certified fields kept by profile updates."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.tokens import hash_token
from portal_app.domain.franceconnect import assurance, onboarding, trips
from portal_app.models import FranceConnectLogin, LoginSession, User
from portal_app.models.base import utcnow
from tests.support.users import PASSWORD


def _session(user: User, acr: str, age: timedelta = timedelta(0)) -> str:
    with session_scope() as db:
        raw = trips.open_fc_session(db, db.get(User, user.id), "id.token.hint", acr, "")
        login = db.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(raw))).one()
        login.fc_authenticated_at = utcnow() - age
        db.add(login)
    return raw


def test_eidas2_needs_that_level_in_this_session_less_than_ten_minutes_ago(make_user):
    user = make_user()
    assert assurance.satisfied(_session(user, "eidas2"), "eidas2")
    assert not assurance.satisfied(_session(user, "eidas1"), "eidas2")
    assert not assurance.satisfied(_session(user, "eidas2", timedelta(minutes=11)), "eidas2")
    assert not assurance.satisfied(None, "eidas2")
    assert assurance.satisfied(None, "")


def test_logout_hands_back_the_id_token_hint_once_the_session_ended(make_user):
    user = make_user()
    raw = _session(user, "eidas1")
    assert accounts.logout(raw) == "id.token.hint"
    # The logout route right after the button's event: the session is ended, the hint still given.
    assert accounts.logout(raw) == "id.token.hint"


def _trip(temp_db, state: str, browser_key: str) -> None:
    with Session(temp_db) as db:
        db.add(
            FranceConnectLogin(
                state_hash=hash_token(state),
                browser_key_hash=hash_token(browser_key),
                nonce="n",
                code_verifier="v",
                level="fc",
            )
        )
        db.commit()


def test_a_state_is_spent_once_and_only_by_the_browser_that_left(temp_db):
    _trip(temp_db, "s" * 43, "key")
    assert trips._spend("s" * 43, "another browser") is None
    assert trips._spend("s" * 43, "key") is not None
    assert trips._spend("s" * 43, "key") is None
    assert trips._spend("", "key") is None


def test_an_old_state_is_refused(temp_db):
    _trip(temp_db, "o" * 43, "key")
    with Session(temp_db) as db:
        trip = db.exec(select(FranceConnectLogin)).one()
        trip.created_at = utcnow() - timedelta(minutes=11)
        db.add(trip)
        db.commit()
    assert trips._spend("o" * 43, "key") is None


def test_unlink_needs_a_password_and_the_right_one(make_user, temp_db):
    user = make_user(fc_sub="fc-sub-1")
    assert onboarding.unlink(user.id, "Pas-le-bon-2024!") == "Le mot de passe est incorrect."
    assert onboarding.unlink(user.id, PASSWORD) is None
    with Session(temp_db) as db:
        assert db.get(User, user.id).fc_sub is None
    without = make_user("sans@exemple.fr", fc_sub="fc-sub-2")
    with Session(temp_db) as db:
        row = db.get(User, without.id)
        row.password_hash = ""
        db.add(row)
        db.commit()
    assert "Choisissez d'abord un mot de passe" in onboarding.unlink(without.id, "")


def test_profile_updates_keep_what_franceconnect_certified(make_user, temp_db):
    user = make_user(fc_sub="fc-sub-3", birth_name="DUBOIS", first_names="Angela")
    form = {"birth_name": "Autre", "first_names": "Autre", "usage_name": "Leroy", "phone": "0612345678"}
    assert accounts.update_profile(user.id, form).ok
    with Session(temp_db) as db:
        fresh = db.get(User, user.id)
    assert (fresh.birth_name, fresh.first_names, fresh.usage_name) == ("DUBOIS", "Angela", "Leroy")
