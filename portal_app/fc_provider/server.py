"""authlib's authorization server, wired to in-memory stores: clients, codes, access tokens.

The provider forgets everything on restart: a tester signs in again, as after FranceConnect's
own session ends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin
from authlib.oidc.core.grants import OpenIDCode
from joserfc import jwt
from joserfc.jwk import ECKey

from portal_app.fc_provider.identities import BY_SUB, Identity, pairwise_sub

SCOPES = (
    "openid",
    "given_name",
    "family_name",
    "birthdate",
    "gender",
    "birthplace",
    "birthcountry",
    "email",
    "preferred_username",
)
ACR_LEVELS = ("eidas1", "eidas2", "eidas3")
CODE_LIFETIME = 60
TOKEN_LIFETIME = 60


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_post", "client_secret_basic")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class AuthCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    identity: Identity
    nonce: str
    acr: str
    code_challenge: str
    code_challenge_method: str
    auth_time: int = field(default_factory=lambda: int(time.time()))
    expires_at: float = field(default_factory=lambda: time.time() + CODE_LIFETIME)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return self.acr

    def get_amr(self):
        return ["pwd"]


@dataclass
class Grant:
    """What an access token gives the userinfo endpoint."""

    identity: Identity
    scope: str
    client_id: str
    expires_at: float


@dataclass
class Store:
    issuer: str
    clients: dict[str, Client]
    key: ECKey = field(
        default_factory=lambda: ECKey.generate_key("P-256", parameters={"kid": "fc-dev-1"}, private=True)
    )
    codes: dict[str, AuthCode] = field(default_factory=dict)
    tokens: dict[str, Grant] = field(default_factory=dict)
    identities: dict[str, Identity] = field(default_factory=lambda: dict(BY_SUB))
    # Codes already traded: a second use is refused as invalid_grant like any unknown code.
    used_codes: set[str] = field(default_factory=set)


def granted_acr(requested: str, identity: Identity) -> str:
    """The level FranceConnect answers: what was asked, when the identity's provider reaches it."""
    asked = max((v for v in requested.split() if v in ACR_LEVELS), key=ACR_LEVELS.index, default="eidas1")
    return asked if ACR_LEVELS.index(identity.eidas) >= ACR_LEVELS.index(asked) else identity.eidas


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        identity: Identity = request.user
        self.server.store.codes[code] = AuthCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            identity=identity,
            nonce=data.get("nonce", ""),
            acr=granted_acr(data.get("acr_values", ""), identity),
            code_challenge=data.get("code_challenge", ""),
            code_challenge_method=data.get("code_challenge_method", ""),
        )

    def query_authorization_code(self, code, client):
        item = self.server.store.codes.get(code)
        if item is None or item.client_id != client.client_id or item.expires_at < time.time():
            return None
        return item

    def delete_authorization_code(self, authorization_code):
        self.server.store.codes.pop(authorization_code.code, None)
        self.server.store.used_codes.add(authorization_code.code)

    def authenticate_user(self, authorization_code):
        # The id_token and the userinfo name the person by this client's own subject.
        identity = authorization_code.identity
        return replace(identity, sub=pairwise_sub(identity.sub, authorization_code.client_id))


class Pkce(CodeChallenge):
    def get_authorization_code_challenge(self, authorization_code):
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code):
        return authorization_code.code_challenge_method


class FranceConnectIdToken(OpenIDCode):
    """The id_token as FranceConnect v2 signs it: sub, nonce, acr, amr; identity only in userinfo."""

    def __init__(self, store: Store):
        super().__init__(require_nonce=True)
        self.store = store

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in self.store.codes.values())

    def resolve_client_private_key(self, client):
        return self.store.key

    def get_client_algorithm(self, client):
        return "ES256"

    def get_encode_header(self, client):
        return {"alg": "ES256", "kid": self.store.key.kid}

    def get_client_claims(self, client):
        return {"iss": self.store.issuer, "aud": client.client_id}

    def generate_user_info(self, user, scope):
        return {"sub": user.sub}


class _Request(OAuth2Request):
    def __init__(self, method: str, url: str, headers: dict, params: dict):
        super().__init__(method, url, headers=headers)
        self.payload = BasicOAuth2Payload(params)
        self._params = params

    @property
    def args(self):
        return self._params

    @property
    def form(self):
        return self._params


class Server(AuthorizationServer):
    def __init__(self, store: Store):
        super().__init__(scopes_supported=list(SCOPES))
        self.store = store
        self.register_grant(CodeGrant, [Pkce(required=True), FranceConnectIdToken(store)])
        self.register_token_generator("authorization_code", self._bearer)

    def _bearer(self, grant_type, client, user=None, scope=None, **_options):
        return {
            "token_type": "Bearer",
            "access_token": generate_token(42),
            "expires_in": TOKEN_LIFETIME,
            "scope": scope,
        }

    def query_client(self, client_id):
        return self.store.clients.get(client_id)

    def save_token(self, token, request):
        self.store.tokens[token["access_token"]] = Grant(
            request.user, token["scope"], request.client.client_id, time.time() + TOKEN_LIFETIME
        )

    def sign_userinfo(self, claims: dict) -> str:
        return jwt.encode({"alg": "ES256", "kid": self.store.key.kid}, claims, self.store.key)

    def send_signal(self, name, *args, **kwargs):
        return None

    def create_oauth2_request(self, request) -> OAuth2Request:
        # `request` is (method, url, headers, params): the Starlette handler read the body already.
        method, url, headers, params = request
        return _Request(method, url, headers, params)

    def handle_response(self, status, body, headers):
        return status, body, headers
