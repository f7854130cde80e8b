"""Test-only misbehaviour of the provider, switched on by `fc-provider --test-hooks` (never by
`make run`): a control endpoint arms one fault for the next sign-in, and adds identities, so the
e2e tests can check that the portal refuses what a broken or hostile provider would send.

The happy-path provider (server.py, app.py) knows nothing of this: the faulty classes below
override its hooks.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from joserfc.jwk import ECKey
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal_app.fc_provider.identities import Identity
from portal_app.fc_provider.server import CodeGrant, FranceConnectIdToken, Pkce, Server, Store

FAULTS = ("other_key", "wrong_aud", "wrong_nonce", "tampered_userinfo", "lower_acr", "replayed_code", "expired_code")


@dataclass
class FaultyStore(Store):
    armed: set[str] = field(default_factory=set)
    last_used_code: str = ""

    def take(self, fault: str) -> bool:
        if fault in self.armed:
            self.armed.discard(fault)
            return True
        return False


class FaultyGrant(CodeGrant):
    def save_authorization_code(self, code, request):
        super().save_authorization_code(code, request)
        if self.server.store.take("expired_code"):
            self.server.store.codes[code].expires_at = time.time() - 1

    def create_authorization_response(self, redirect_uri, grant_user):
        status, body, headers = super().create_authorization_response(redirect_uri, grant_user)
        store = self.server.store
        if grant_user is not None and store.last_used_code and store.take("replayed_code"):
            location = dict(headers)["Location"]
            parts = urlsplit(location)
            query = dict(parse_qsl(parts.query))
            query["code"] = store.last_used_code
            headers = [("Location", parts._replace(query=urlencode(query)).geturl())]
        return status, body, headers

    def delete_authorization_code(self, authorization_code):
        super().delete_authorization_code(authorization_code)
        self.server.store.last_used_code = authorization_code.code


class FaultyIdToken(FranceConnectIdToken):
    def resolve_client_private_key(self, client):
        if self.store.take("other_key"):
            # Same kid, another key: only the signature check can tell.
            return ECKey.generate_key("P-256", parameters={"kid": self.store.key.kid}, private=True)
        return super().resolve_client_private_key(client)

    def get_client_claims(self, client):
        claims = super().get_client_claims(client)
        if self.store.take("wrong_aud"):
            claims["aud"] = "un-autre-service"
        return claims

    def get_authorization_code_claims(self, authorization_code):
        claims = super().get_authorization_code_claims(authorization_code)
        if self.store.take("wrong_nonce"):
            claims["nonce"] = "n" * 43
        if self.store.take("lower_acr"):
            claims["acr"] = "eidas1"
        return claims


class FaultyServer(Server):
    def register_grant(self, *_base_grant):
        # The base provider's grant, with the faulty grant and id_token in its place.
        super().register_grant(FaultyGrant, [Pkce(required=True), FaultyIdToken(self.store)])

    def sign_userinfo(self, claims: dict) -> str:
        signed = super().sign_userinfo(claims)
        if not self.store.take("tampered_userinfo"):
            return signed
        header, _, signature = signed.split(".")
        payload = base64.urlsafe_b64encode(json.dumps({**claims, "family_name": "USURPATEUR"}).encode()).rstrip(b"=")
        return f"{header}.{payload.decode()}.{signature}"


def control_routes(server: FaultyServer) -> list[Route]:
    async def arm(request: Request) -> JSONResponse:
        fault = (await request.json()).get("fault", "")
        if fault not in FAULTS:
            return JSONResponse({"error": f"unknown fault {fault!r}"}, status_code=400)
        server.store.armed.add(fault)
        return JSONResponse({"armed": sorted(server.store.armed)})

    async def add_identity(request: Request) -> JSONResponse:
        identity = Identity(**await request.json())
        server.store.identities[identity.sub] = identity
        return JSONResponse({"sub": identity.sub})

    async def reset(request: Request) -> JSONResponse:
        server.store.armed.clear()
        return JSONResponse({"armed": []})

    return [
        Route("/_test/faults", arm, methods=["POST"]),
        Route("/_test/faults/reset", reset, methods=["POST"]),
        Route("/_test/identities", add_identity, methods=["POST"]),
    ]
