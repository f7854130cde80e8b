"""The OpenID Connect client: discovery, authorization request, code exchange, and every check
of what comes back. Blocking network I/O: callers run it in a thread, never on the event loop.

authlib builds the PKCE challenge; joserfc verifies the id_token and the signed userinfo against
the provider's JWKS (fetched again once when a token names a key we do not have). httpx, authlib
and joserfc (with cryptography) are imported by the functions that use them, on the first
FranceConnect sign-in: an app worker that serves none does not hold them (issue 18, idle RSS;
tests/unit/test_worker_imports.py).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from portal_app.settings import OidcClient, get_settings

if TYPE_CHECKING:
    import httpx
    from joserfc.jwk import KeySet

SCOPES = "openid given_name family_name birthdate gender birthplace birthcountry email preferred_username"
ACR_ORDER = ("eidas1", "eidas2", "eidas3")
ALGORITHMS = ["ES256", "RS256"]
TIMEOUT = 10.0  # seconds, for every request to the provider


class Level(StrEnum):
    """FranceConnect (eidas1) or FranceConnect+ (eidas2, substantiel)."""

    FC = "fc"
    FCPLUS = "fcplus"

    @property
    def acr(self) -> str:
        return "eidas2" if self is Level.FCPLUS else "eidas1"


def registration(level: Level) -> OidcClient | None:
    settings = get_settings()
    return settings.franceconnect_plus if level is Level.FCPLUS else settings.franceconnect


class Refused(Exception):
    """What came back cannot be trusted; `reason` names it for the log and the tests."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    end_session_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Authentication:
    """A verified answer: the identity's claims (from the signed userinfo), the id_token (kept
    as the hint for end_session), the level reached and when."""

    claims: dict
    id_token: str
    acr: str
    auth_time: int


_lock = threading.Lock()
_providers: dict[str, Provider] = {}
_keys: dict[str, KeySet] = {}


def new_secret() -> str:
    """state, nonce and PKCE verifier: 43 URL-safe characters (FranceConnect wants 32 at least)."""
    return secrets.token_urlsafe(32)


def _get(url: str, **kwargs) -> httpx.Response:
    import httpx

    try:
        response = httpx.get(url, timeout=TIMEOUT, **kwargs)
    except httpx.HTTPError as error:
        raise Refused(f"unreachable: {error}") from error
    return response


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError as error:
        raise Refused("not JSON") from error
    if not isinstance(data, dict):
        raise Refused("not a JSON object")
    return data


def provider(client: OidcClient) -> Provider:
    with _lock:
        known = _providers.get(client.issuer)
    if known is not None:
        return known
    response = _get(f"{client.issuer}/.well-known/openid-configuration")
    if response.status_code != 200:
        raise Refused(f"discovery answered {response.status_code}")
    data = _json(response)
    if data.get("issuer") != client.issuer:
        raise Refused("discovery names another issuer")
    found = Provider(**{name: str(data.get(name, "")) for name in Provider.__dataclass_fields__})
    if not all(vars(found).values()):
        raise Refused("discovery lacks an endpoint")
    with _lock:
        _providers[client.issuer] = found
    return found


def _key_set(client: OidcClient, refresh: bool = False) -> KeySet:
    with _lock:
        known = None if refresh else _keys.get(client.issuer)
    if known is not None:
        return known
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    response = _get(provider(client).jwks_uri)
    if response.status_code != 200:
        raise Refused(f"jwks answered {response.status_code}")
    try:
        keys = KeySet.import_key_set(_json(response))
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise Refused("unreadable jwks") from error
    with _lock:
        _keys[client.issuer] = keys
    return keys


def _verified(client: OidcClient, token: str) -> dict:
    """The claims of a JWS signed by one of the provider's keys (refetching its JWKS once for a
    key we do not know: the provider may have rotated them)."""
    from joserfc import jws, jwt
    from joserfc.errors import InvalidKeyIdError, JoseError

    try:
        kid = jws.extract_compact(token.encode()).headers().get("kid")
    except (JoseError, ValueError) as error:
        raise Refused("not a signed token") from error
    keys = _key_set(client)
    if kid is not None and kid not in {key.kid for key in keys.keys}:
        keys = _key_set(client, refresh=True)
    try:
        return jwt.decode(token, keys, algorithms=ALGORITHMS).claims
    except InvalidKeyIdError as error:
        raise Refused("unknown key") from error
    except (JoseError, ValueError) as error:
        raise Refused(f"bad signature: {error}") from error


def _check(claims: dict, **options) -> None:
    from joserfc import jwt
    from joserfc.errors import JoseError

    try:
        jwt.JWTClaimsRegistry(leeway=30, **options).validate(claims)
    except JoseError as error:
        raise Refused(f"claims: {error}") from error


def authorization_url(
    client: OidcClient, level: Level, *, state: str, nonce: str, verifier: str, redirect_uri: str
) -> str:
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    query = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": state,
        "nonce": nonce,
        "acr_values": level.acr,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
        "prompt": "login consent",
    }
    return f"{provider(client).authorization_endpoint}?{urlencode(query)}"


def authenticate(
    client: OidcClient, level: Level, *, code: str, verifier: str, nonce: str, redirect_uri: str
) -> Authentication:
    """Trade the code, then verify the id_token and the signed userinfo. Raises Refused."""
    import httpx

    found = provider(client)
    try:
        response = httpx.post(
            found.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
            timeout=TIMEOUT,
        )
    except httpx.HTTPError as error:
        raise Refused(f"unreachable: {error}") from error
    if response.status_code != 200:
        raise Refused(f"token: {response.status_code} {response.text[:200]}")
    tokens = _json(response)
    id_token = str(tokens.get("id_token", ""))
    claims = _verified(client, id_token)
    _check(
        claims,
        iss={"essential": True, "value": client.issuer},
        aud={"essential": True, "value": client.client_id},
        exp={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    acr = str(claims.get("acr", ""))
    if acr not in ACR_ORDER or ACR_ORDER.index(acr) < ACR_ORDER.index(level.acr):
        raise Refused(f"acr {acr!r} below {level.acr}")
    userinfo = _get(found.userinfo_endpoint, headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"})
    if userinfo.status_code != 200 or not userinfo.headers.get("content-type", "").startswith("application/jwt"):
        raise Refused(f"userinfo: {userinfo.status_code} {userinfo.headers.get('content-type')}")
    identity = _verified(client, userinfo.text.strip())
    _check(
        identity,
        iss={"essential": True, "value": client.issuer},
        aud={"essential": True, "value": client.client_id},
        sub={"essential": True, "value": claims["sub"]},
    )
    return Authentication(identity, id_token, acr, int(claims.get("auth_time") or claims.get("iat") or 0))


def issued_by(id_token: str) -> Level:
    """Which of our registrations an id_token was issued to (its `aud`): where to log it out.
    Read without verification: it only chooses the provider the browser is sent to."""
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        audience = json.loads(jws.extract_compact(id_token.encode()).payload).get("aud")
    except (JoseError, ValueError, AttributeError):
        return Level.FC
    plus = registration(Level.FCPLUS)
    audiences = audience if isinstance(audience, list) else [audience]
    return Level.FCPLUS if plus is not None and plus.client_id in audiences else Level.FC


def logout_url(client: OidcClient, *, id_token: str, state: str, post_logout_redirect_uri: str) -> str:
    query = {"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri}
    return f"{provider(client).end_session_endpoint}?{urlencode(query)}"
