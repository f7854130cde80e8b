"""Account enumeration: an address with an account and one without get the same screens, the
same number of slow password operations, and leave no readable trace.

Timing is checked by counting bcrypt calls (the only slow step), never by the clock; the
figures are in bench/enumeration.py."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import select

from portal_app.domain import accounts
from portal_app.domain.accounts import LoginStatus, passwords
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.throttle import Kind
from portal_app.models import ThrottleCounter, User
from portal_app.models.base import as_utc
from portal_app.states import signup as signup_state
from portal_app.states.login import LoginState
from portal_app.states.signup import SignupState
from tests.support.demarche_data import VALID_NIR
from tests.support.outbox import outbox_mails
from tests.support.states import state_of, visit
from tests.support.users import PASSWORD

KNOWN = "camille@exemple.fr"
NEW = "dominique.nouveau@exemple.fr"
WRONG = "Pas-Le-Bon-2026!"
IP = "198.51.100.7"

pytestmark = pytest.mark.usefixtures("temp_db", "fast_hashing", "fast_dummy")


@pytest.fixture
def fast_dummy(monkeypatch):
    """The unknown address's dummy check at the tests' cost too (its real cost is in test_passwords)."""
    monkeypatch.setattr(passwords, "DUMMY_HASH", bcrypt.hashpw(b"-", bcrypt.gensalt(4)).decode("ascii"))


@pytest.fixture
def bcrypt_calls(monkeypatch):
    """Every bcrypt hash or check run, by name, in order."""
    calls: list[str] = []
    for name in ("hashpw", "checkpw"):
        real = getattr(bcrypt, name)

        def counting(*args, _real=real, _name=name):
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(bcrypt, name, counting)
    return calls


def registration(email: str) -> dict:
    return {
        "civility": "Madame",
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Dominique",
        "birth_date": "1988-02-03",
        "nir": VALID_NIR,
        "email": email,
        "phone": "",
        "password": "Une-Inscription-2026",
        "password_confirm": "Une-Inscription-2026",
        "accept_terms": "on",
        "accept_privacy": "on",
        "altcha": "résolu",
    }


def screen(state) -> dict:
    """What the visitor sees of a form state: every public var, times blurred to HH:MM."""
    shown = {name.removesuffix("_rx_state_"): value for name, value in state.dict()[state.get_full_name()].items()}
    # The sign-up page names the address it was given back: the visitor's own input.
    shown.pop("sent_to", None)
    return {
        name: re.sub(r"\d{2}:\d{2}(:\d{2})?", "HH:MM", value) if isinstance(value, str) else value
        for name, value in shown.items()
    }


# ---------------------------------------------------------------- sign-up


def test_signup_with_a_known_address_costs_and_shows_the_same_as_with_a_new_one(make_user, bcrypt_calls, monkeypatch):
    """Before: a known address skipped the password hash (20 ms against 330 ms)."""
    make_user(KNOWN)

    async def passed(*args):
        return None

    monkeypatch.setattr(signup_state, "robot_gate", passed)
    seen = {}
    for email in (KNOWN, NEW):
        bcrypt_calls.clear()
        state = state_of(SignupState)
        visit(state, "/inscription")
        state.load()
        asyncio.run(state.submit(registration(email)))
        seen[email] = (screen(state), list(bcrypt_calls), state.sent_to == email)
    assert seen[KNOWN] == seen[NEW]
    assert seen[NEW][1] == ["hashpw"], "one bcrypt hash each, the only slow step"
    # The owner of the known address is told; the new one gets its activation link.
    assert [(m["To"], m["Subject"]) for m in outbox_mails()] == [
        (KNOWN, "Vous avez déjà un compte sur Portail"),
        (NEW, "Activez votre compte Portail"),
    ]


# ---------------------------------------------------------------- login


def _age_failures(by: timedelta) -> None:
    with session_scope() as db:
        for row in db.exec(select(ThrottleCounter).where(ThrottleCounter.kind == Kind.LOGIN_FAILURES.value)).all():
            row.last_at = as_utc(row.last_at) - by
            db.add(row)


def _login_screen(identifier: str, password: str, bcrypt_calls: list[str]) -> tuple[dict, list[str]]:
    bcrypt_calls.clear()
    state = state_of(LoginState)
    visit(state, "/connexion")
    state.load()
    asyncio.run(state.submit({"identifier": identifier, "password": password}))
    return screen(state), list(bcrypt_calls)


def test_login_failures_read_the_same_for_an_unknown_address_at_every_step(make_user, bcrypt_calls):
    """Before: only an existing address ever met "réessayer à partir de", then "bloqué"."""
    make_user(KNOWN)
    unknown = "personne.inconnue@exemple.fr"
    for step in range(1, 16):
        known_screen = _login_screen(KNOWN, WRONG, bcrypt_calls)
        unknown_screen = _login_screen(unknown, WRONG, bcrypt_calls)
        assert known_screen == unknown_screen, f"failure {step}"
        assert known_screen[1] == ["checkpw"], f"failure {step}: one bcrypt check each"
        message = known_screen[0]["message"]
        assert ("réessayer à partir de HH:MM" in message) is (step >= 5), (step, message)
        assert "bloqué" not in message
        # During the wait both are refused alike, the right password too, without a bcrypt more.
        if step >= 5:
            assert _login_screen(KNOWN, PASSWORD, bcrypt_calls) == _login_screen(unknown, PASSWORD, bcrypt_calls)
        _age_failures(timedelta(hours=1))
    # The wait over, the owner gets in: nothing a stranger typed blocked the account.
    assert accounts.authenticate(KNOWN, PASSWORD, client_ip=IP).status is LoginStatus.OK


def test_failed_logins_leave_no_readable_trace_of_the_address(make_user):
    make_user(KNOWN)
    typed = ["personne.inconnue@exemple.fr", KNOWN, "employeur-inconnu"]
    for identifier in typed:
        for _ in range(6):
            accounts.authenticate(identifier, WRONG, client_ip=IP)
    with session_scope() as db:
        rows = db.exec(select(ThrottleCounter)).all()
        user = db.exec(select(User).where(User.email == KNOWN)).one()
    assert {row.kind for row in rows} >= {Kind.LOGIN_FAILURES.value}
    stored = " ".join(f"{row.kind} {row.key}" for row in rows)
    for identifier in typed:
        assert identifier.split("@")[0] not in stored
    assert IP not in stored
    # The account's own row says nothing of the failures either.
    assert not any("failed" in column for column in user.model_dump())
