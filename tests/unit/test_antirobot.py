"""The ALTCHA check: a solved challenge passes once; anything else gets a French message."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import timedelta

import pytest
from altcha import Challenge, Payload, solve_challenge
from sqlmodel import Session, select
from starlette.requests import Request

from portal_app.domain.core import antirobot
from portal_app.models import UsedChallenge
from portal_app.models.base import utcnow


@pytest.fixture
def easy(monkeypatch):
    """A tiny proof of work: the checks are the same, the solving takes milliseconds."""
    monkeypatch.setattr(antirobot, "COST", 10)
    monkeypatch.setattr(antirobot, "COUNTER_MIN", 0)
    monkeypatch.setattr(antirobot, "COUNTER_MAX", 50)


def solved(challenge: dict) -> str:
    """What the widget posts: base64 of {challenge, solution}."""
    parsed = Challenge.from_dict(challenge)
    solution = solve_challenge(parsed, timeout=30)
    assert solution is not None
    return Payload(parsed, solution).to_base64()


def decode(payload: str) -> dict:
    return json.loads(base64.b64decode(payload))


def encode(data: dict) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def test_challenge_is_signed_deterministic_and_expires_in_ten_minutes(temp_db):
    challenge = antirobot.new_challenge()
    params = challenge["parameters"]
    assert params["algorithm"] == "PBKDF2/SHA-256"
    assert params["cost"] == antirobot.COST
    assert challenge["signature"] and params["keySignature"]
    assert abs(params["expiresAt"] - (time.time() + 600)) < 5
    # Two challenges never share nonce, salt or signature.
    other = antirobot.new_challenge()
    assert other["parameters"]["nonce"] != params["nonce"]
    assert other["signature"] != challenge["signature"]


def test_real_parameters_are_solvable(temp_db):
    # The production difficulty, solved once in Python: the numbers stay honest.
    assert antirobot.verify(solved(antirobot.new_challenge())) is None


def test_accepted_once_then_refused(temp_db, easy):
    payload = solved(antirobot.new_challenge())
    assert antirobot.verify(payload) is None
    assert antirobot.verify(payload) == antirobot.MSG_REFUSED
    with Session(temp_db) as db:
        assert len(db.exec(select(UsedChallenge)).all()) == 1


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_asks_to_tick_the_box(temp_db, value):
    assert antirobot.verify(value) == antirobot.MSG_MISSING
    assert "Je ne suis pas un robot" in antirobot.MSG_MISSING


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["solution"].update(derivedKey="00" * 32),
        # (The counter itself is not checked: the signed derived key is the proof of work.)
        lambda d: d["challenge"]["parameters"].update(expiresAt=d["challenge"]["parameters"]["expiresAt"] + 3600),
        lambda d: d["challenge"]["parameters"].update(cost=1),
        lambda d: d["challenge"]["parameters"].pop("keySignature"),
        lambda d: d["challenge"].update(signature="0" * 64),
        lambda d: d["challenge"].pop("signature"),
    ],
)
def test_tampered_payload_refused(temp_db, easy, tamper):
    data = decode(solved(antirobot.new_challenge()))
    tamper(data)
    assert antirobot.verify(encode(data)) == antirobot.MSG_REFUSED


@pytest.mark.parametrize(
    "payload",
    [
        "not base64 at all!",
        encode({"challenge": None, "solution": None, "test": True}),  # the widget's test mode
        encode({"algorithm": "SHA-256", "challenge": "ab", "number": 1, "salt": "x", "signature": "y"}),  # v1
        "A" * (antirobot.MAX_PAYLOAD_LENGTH + 1),
    ],
)
def test_garbage_refused(temp_db, payload):
    assert antirobot.verify(payload) == antirobot.MSG_REFUSED


def test_expired_refused(temp_db, easy):
    payload = solved(antirobot.new_challenge(expires_at=utcnow() - timedelta(seconds=5)))
    assert antirobot.verify(payload) == antirobot.MSG_REFUSED


def test_signed_with_another_secret_refused(temp_db, easy, monkeypatch):
    payload = solved(antirobot.new_challenge())
    monkeypatch.setattr(antirobot, "_secret", lambda purpose: "another-" + purpose)
    assert antirobot.verify(payload) == antirobot.MSG_REFUSED


def test_expired_rows_are_purged(temp_db, easy):
    with Session(temp_db) as db:
        db.add(UsedChallenge(key="old", expires_at=utcnow() - timedelta(hours=1)))
        db.add(UsedChallenge(key="live", expires_at=utcnow() + timedelta(minutes=5)))
        db.commit()
    assert antirobot.verify(solved(antirobot.new_challenge())) is None
    with Session(temp_db) as db:
        keys = {row.key for row in db.exec(select(UsedChallenge)).all()}
    assert "old" not in keys and "live" in keys and len(keys) == 2


def test_challenge_route_is_not_cached(temp_db):
    from portal_app.api import build_api

    route = next(r for r in build_api().routes if getattr(r, "path", "") == "/_portal/altcha/challenge")
    assert route.methods >= {"GET"}
    request = Request({"type": "http", "method": "GET", "path": route.path, "headers": [], "query_string": b""})
    response = asyncio.run(route.endpoint(request))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")
    assert set(json.loads(response.body)) == {"parameters", "signature"}
