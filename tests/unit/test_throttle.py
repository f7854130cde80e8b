"""Mail flooding: the mails a stranger can trigger are throttled per address and per IP, in the
database (every worker sees the same counts), and the screen says the same when they are."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import func, select

from portal_app.domain import accounts
from portal_app.domain.core import steady, throttle
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.throttle import LIMITS, Kind
from portal_app.models import ThrottleCounter
from portal_app.models.base import utcnow
from portal_app.states.password_reset import ResetState
from tests.support.demarche_data import VALID_NIR
from tests.support.outbox import outbox_mails
from tests.support.states import handle, state_of, visit
from tests.support.users import PASSWORD

IP = "198.51.100.7"
OTHER_IP = "203.0.113.9"

pytestmark = pytest.mark.usefixtures("temp_db", "fast_hashing")


def mails_to(address: str) -> list[str]:
    return [str(m["Subject"]) for m in outbox_mails() if m["To"] == address]


def registration(email: str) -> dict:
    return {
        "civility": "Monsieur",
        "birth_name": "Petit",
        "first_names": "Sacha",
        "birth_date": "1991-06-07",
        "nir": VALID_NIR,
        "email": email,
        "password": "Encore-Une-Fois-2026",
        "password_confirm": "Encore-Une-Fois-2026",
        "accept_terms": "on",
        "accept_privacy": "on",
    }


def test_twenty_reset_requests_for_one_address_send_three_mails_and_the_same_screen(make_user, monkeypatch):
    """Before: one address received 20 reset mails in a row."""
    monkeypatch.setattr(steady, "FLOOR_SECONDS", 0)
    make_user("camille@exemple.fr")
    screens = set()
    for _ in range(20):
        state = state_of(ResetState)
        visit(state, "/mot-de-passe-oublie")
        handle(state.load())
        asyncio.run(state.request_link({"identifier": "camille@exemple.fr"}))
        screens.add((state.step, tuple(state.error_items)))
    assert screens == {("sent", ())}
    assert len(mails_to("camille@exemple.fr")) == LIMITS[Kind.RESET_MAIL].per_address == 3


def test_reset_requests_from_one_ip_across_many_addresses_are_capped(make_user):
    """Before: one machine could have a reset mailed to every address it knew."""
    addresses = [f"personne{n}@exemple.fr" for n in range(30)]
    for address in addresses:
        make_user(address)
        accounts.request_password_reset(address, client_ip=IP)
    sent = sum(len(mails_to(address)) for address in addresses)
    assert sent == LIMITS[Kind.RESET_MAIL].per_ip == 20
    # Unknown addresses count as much as real ones: probing cannot tell them apart by the cap.
    make_user("derniere@exemple.fr")
    accounts.request_password_reset("derniere@exemple.fr", client_ip=IP)
    assert mails_to("derniere@exemple.fr") == []
    # Someone else, elsewhere, is not silenced by that machine.
    accounts.request_password_reset("derniere@exemple.fr", client_ip=OTHER_IP)
    assert len(mails_to("derniere@exemple.fr")) == 1


def test_unknown_addresses_use_up_the_ip_allowance_too(make_user):
    for n in range(LIMITS[Kind.RESET_MAIL].per_ip):
        accounts.request_password_reset(f"inconnu{n}@exemple.fr", client_ip=IP)
    make_user("camille@exemple.fr")
    accounts.request_password_reset("camille@exemple.fr", client_ip=IP)
    assert mails_to("camille@exemple.fr") == []


def test_activation_resends_are_throttled_per_address():
    email = "sacha.petit@exemple.fr"
    assert accounts.register(registration(email), client_ip=IP).ok
    for _ in range(10):
        accounts.resend_activation(email, client_ip=IP)
    # The first link, then three more at most.
    assert len(mails_to(email)) == 1 + LIMITS[Kind.ACTIVATION_MAIL].per_address


def test_account_exists_mails_are_throttled_per_address(make_user):
    make_user("camille@exemple.fr")
    for _ in range(10):
        assert accounts.register(registration("camille@exemple.fr"), client_ip=IP).ok
    assert mails_to("camille@exemple.fr") == ["Vous avez déjà un compte sur Portail"] * 3


def test_account_exists_mails_of_email_changes_are_throttled_too(make_user):
    make_user("camille@exemple.fr")
    other = make_user("dominique@exemple.fr", nir="")
    for _ in range(6):
        accounts.request_email_change(other.id, {"new_email": "camille@exemple.fr", "password": PASSWORD}, client_ip=IP)
    assert len(mails_to("camille@exemple.fr")) == LIMITS[Kind.ACCOUNT_EXISTS_MAIL].per_address


def test_unlock_mails_from_one_ip_across_many_accounts_are_capped(make_user):
    addresses = [f"cible{n}@exemple.fr" for n in range(25)]
    for address in addresses:
        make_user(address, nir="")
        for _ in range(5):  # the 5th failure starts the wait and mails the owner
            accounts.authenticate(address, "Pas-Le-Bon-2026!", client_ip=IP)
    sent = sum(len(mails_to(address)) for address in addresses)
    assert sent == LIMITS[Kind.UNLOCK_MAIL].per_ip


def test_requests_sent_at_once_by_several_workers_are_counted_once_each(make_user):
    make_user("camille@exemple.fr")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: accounts.request_password_reset("camille@exemple.fr", client_ip=IP), range(12)))
    assert len(mails_to("camille@exemple.fr")) == 3
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(ThrottleCounter)).one() == 2  # the address and the IP


def test_the_window_passes_and_old_counters_are_purged(make_user):
    make_user("camille@exemple.fr")
    for _ in range(5):
        accounts.request_password_reset("camille@exemple.fr", client_ip=IP)
    assert len(mails_to("camille@exemple.fr")) == 3
    with session_scope() as db:
        for row in db.exec(select(ThrottleCounter)).all():
            row.window_start = utcnow() - timedelta(days=2)
            db.add(row)
    accounts.request_password_reset("camille@exemple.fr", client_ip=IP)
    assert len(mails_to("camille@exemple.fr")) == 4
    with session_scope() as db:
        rows = db.exec(select(ThrottleCounter)).all()
        assert [row.count for row in rows] == [1, 1], "the old rows went, new ones started"
        assert throttle.allow(db, Kind.RESET_MAIL, address="x@exemple.fr", ip=IP)
