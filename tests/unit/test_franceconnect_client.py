"""The portal's FranceConnect client against the development provider, run in this process
(uvicorn in a thread) with its test hooks: every check of the id_token and the userinfo fails
when the provider misbehaves, and passes when it does not."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from joserfc.jwk import ECKey

from portal_app import settings as settings_module
from portal_app.domain.franceconnect import client
from portal_app.domain.franceconnect.client import Level, Refused
from portal_app.fc_provider.identities import pairwise_sub
from portal_app.fc_provider.run import CLIENTS, make_app
from portal_app.settings import OidcClient
from tests.support.process import free_port

PORTAL = "http://localhost:3999"
REDIRECT = f"{PORTAL}/_portal/franceconnect/callback"


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    issuer = f"http://localhost:{port}"
    app = make_app(issuer, [PORTAL], test_hooks=True)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the provider did not start"
        time.sleep(0.05)
    yield app, issuer
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def store(provider):
    app, _ = provider
    # The FaultyServer behind the routes: its store holds keys, identities and armed faults.
    server = app.state.oidc_server
    server.store.armed.clear()
    client._providers.clear()
    client._keys.clear()
    return server.store


def registration(issuer: str, level: Level = Level.FC) -> OidcClient:
    return OidcClient(issuer, *CLIENTS["PORTAL_FCPLUS" if level is Level.FCPLUS else "PORTAL_FC"])


def sign_in(issuer: str, sub: str, level: Level = Level.FC, *, verifier: str | None = None):
    """Authorize as `sub`, trade the code with the client; the Authentication (or Refused)."""
    reg = registration(issuer, level)
    state, nonce, real_verifier = client.new_secret(), client.new_secret(), client.new_secret()
    url = client.authorization_url(reg, level, state=state, nonce=nonce, verifier=real_verifier, redirect_uri=REDIRECT)
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    answer = httpx.post(url.split("?")[0], data={**query, "identity": sub, "action": "continue"})
    back = parse_qs(urlsplit(answer.headers["location"]).query)
    assert back["state"] == [state]
    return client.authenticate(
        reg, level, code=back["code"][0], verifier=verifier or real_verifier, nonce=nonce, redirect_uri=REDIRECT
    )


def test_the_request_carries_state_nonce_pkce_and_the_level(provider, store):
    _, issuer = provider
    url = client.authorization_url(
        registration(issuer, Level.FCPLUS),
        Level.FCPLUS,
        state=client.new_secret(),
        nonce=client.new_secret(),
        verifier=client.new_secret(),
        redirect_uri=REDIRECT,
    )
    query = parse_qs(urlsplit(url).query)
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["code_challenge_method"] == ["S256"] and query["acr_values"] == ["eidas2"]
    assert "birthplace" in query["scope"][0] and "preferred_username" in query["scope"][0]


def test_a_true_answer_gives_the_identity_from_the_signed_userinfo(provider, store):
    auth = sign_in(provider[1], "fc-demo-pierre-mercier")
    assert auth.claims["family_name"] == "MERCIER"
    assert auth.claims["birthplace"] == "" and auth.claims["birthcountry"] == "99134"
    assert auth.acr == "eidas1" and auth.id_token.count(".") == 2


def test_franceconnect_plus_gets_eidas2_for_an_identity_that_reaches_it(provider, store):
    auth = sign_in(provider[1], "fc-demo-karim-haddad", Level.FCPLUS)
    assert auth.acr == "eidas2"


def test_a_lower_level_than_asked_is_refused(provider, store):
    with pytest.raises(Refused, match="acr"):
        sign_in(provider[1], "fc-demo-angela-dubois", Level.FCPLUS)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("other_key", "bad signature"),
        ("wrong_aud", "claims"),
        ("wrong_nonce", "claims"),
        ("tampered_userinfo", "bad signature"),
        ("expired_code", "token: 400"),
    ],
)
def test_a_misbehaving_provider_is_refused(provider, store, fault, reason):
    store.armed.add(fault)
    with pytest.raises(Refused) as refused:
        sign_in(provider[1], "fc-demo-angela-dubois")
    assert refused.value.reason.startswith(reason), refused.value.reason


def test_eidas2_asked_but_eidas1_answered_is_refused(provider, store):
    store.armed.add("lower_acr")
    with pytest.raises(Refused, match="acr"):
        sign_in(provider[1], "fc-demo-karim-haddad", Level.FCPLUS)


def test_a_code_traded_twice_is_refused(provider, store):
    _, issuer = provider
    reg = registration(issuer)
    state, nonce, verifier = client.new_secret(), client.new_secret(), client.new_secret()
    url = client.authorization_url(reg, Level.FC, state=state, nonce=nonce, verifier=verifier, redirect_uri=REDIRECT)
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    answer = httpx.post(url.split("?")[0], data={**query, "identity": "fc-demo-angela-dubois"})
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    client.authenticate(reg, Level.FC, code=code, verifier=verifier, nonce=nonce, redirect_uri=REDIRECT)
    with pytest.raises(Refused, match="invalid_grant"):
        client.authenticate(reg, Level.FC, code=code, verifier=verifier, nonce=nonce, redirect_uri=REDIRECT)


def test_pkce_a_code_without_its_verifier_is_refused(provider, store):
    with pytest.raises(Refused, match="token: 400"):
        sign_in(provider[1], "fc-demo-angela-dubois", verifier=client.new_secret())


def test_a_rotated_key_is_fetched_once_then_used(provider, store):
    sign_in(provider[1], "fc-demo-angela-dubois")  # caches the JWKS
    store.key = ECKey.generate_key("P-256", parameters={"kid": f"rotated-{time.time()}"}, private=True)
    assert sign_in(provider[1], "fc-demo-angela-dubois").claims["sub"] == pairwise_sub(
        "fc-demo-angela-dubois", CLIENTS["PORTAL_FC"][0]
    )


def test_each_client_gets_its_own_subject_for_one_person(provider, store):
    plain = sign_in(provider[1], "fc-demo-karim-haddad").claims
    plus = sign_in(provider[1], "fc-demo-karim-haddad", Level.FCPLUS).claims
    assert plain["sub"] != plus["sub"]
    assert plus["sub"] == pairwise_sub("fc-demo-karim-haddad", CLIENTS["PORTAL_FCPLUS"][0])
    assert (plain["family_name"], plain["birthdate"]) == (plus["family_name"], plus["birthdate"])


def test_discovery_naming_another_issuer_is_refused(provider, store):
    _, issuer = provider
    lying = OidcClient(issuer.replace("localhost", "127.0.0.1"), "x", "y")
    with pytest.raises(Refused, match="another issuer"):
        client.provider(lying)


def test_logout_goes_to_the_provider_that_issued_the_token(provider, store, monkeypatch):
    _, issuer = provider
    for prefix in ("PORTAL_FC", "PORTAL_FCPLUS"):
        client_id, secret = CLIENTS[prefix]
        monkeypatch.setenv(f"{prefix}_ISSUER", issuer)
        monkeypatch.setenv(f"{prefix}_CLIENT_ID", client_id)
        monkeypatch.setenv(f"{prefix}_CLIENT_SECRET", secret)
    settings_module.get_settings.cache_clear()
    try:
        assert client.issued_by(sign_in(issuer, "fc-demo-karim-haddad", Level.FCPLUS).id_token) is Level.FCPLUS
        assert client.issued_by(sign_in(issuer, "fc-demo-karim-haddad").id_token) is Level.FC
        assert client.issued_by("not a token") is Level.FC
    finally:
        settings_module.get_settings.cache_clear()
