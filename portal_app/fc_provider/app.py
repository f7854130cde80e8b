"""The provider's HTTP face (Starlette): discovery, JWKS, authorize, token, userinfo, end_session."""

from __future__ import annotations

import html
import time
from urllib.parse import urlencode

from authlib.oauth2 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from portal_app.fc_provider.server import SCOPES, Server


async def _oauth_request(request: Request) -> tuple:
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({key: str(value) for key, value in (await request.form()).items()})
    return request.method, str(request.url), dict(request.headers), params


def _answer(status: int, body, headers) -> Response:
    headers = dict(headers)
    if "Location" in headers:
        return RedirectResponse(headers["Location"], status_code=302)
    return JSONResponse(body, status_code=status, headers=headers)


def discovery(server: Server, request: Request) -> JSONResponse:
    issuer = server.store.issuer
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/api/v2/authorize",
            "token_endpoint": f"{issuer}/api/v2/token",
            "userinfo_endpoint": f"{issuer}/api/v2/userinfo",
            "end_session_endpoint": f"{issuer}/api/v2/session/end",
            "jwks_uri": f"{issuer}/api/v2/jwks",
            "scopes_supported": list(SCOPES),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "acr_values_supported": ["eidas1", "eidas2", "eidas3"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "userinfo_signing_alg_values_supported": ["ES256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_parameter_supported": False,
        }
    )


def jwks(server: Server, request: Request) -> JSONResponse:
    return JSONResponse(KeySet([server.store.key]).as_dict(private=False))


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>FranceConnect de développement</title>"
        "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5}"
        "label{display:block;padding:.5rem;border:1px solid #666;margin:.5rem 0;border-radius:4px}"
        "button{font-size:1rem;padding:.6rem 1rem;margin:.5rem .5rem 0 0}</style></head>"
        f"<body><main>{body}</main></body></html>",
        status_code=status,
    )


async def authorize(server: Server, request: Request) -> Response:
    oauth_request = await _oauth_request(request)
    try:
        grant = server.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        if error.redirect_uri:
            return _answer(*server.handle_error_response(oauth_request, error))
        return _page(
            f"<h1>Demande refusée</h1><p>{html.escape(error.error)} : {html.escape(error.description or '')}</p>", 400
        )
    if request.method == "GET":
        return _identity_picker(server, request, grant)
    params = oauth_request[3]
    chosen = None if params.get("action") == "cancel" else server.store.identities.get(params.get("identity", ""))
    return _answer(*server.create_authorization_response(oauth_request, grant_user=chosen, grant=grant))


def _identity_picker(server: Server, request: Request, grant) -> HTMLResponse:
    hidden = "".join(
        f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
        for k, v in request.query_params.items()
    )
    choices = "".join(
        f"<label><input type='radio' name='identity' value='{html.escape(i.sub)}'{' checked' if n == 0 else ''}> "
        f"{html.escape(i.label or i.given_name + ' ' + i.family_name)} ({html.escape(i.eidas)})</label>"
        for n, i in enumerate(server.store.identities.values())
    )
    asked = html.escape(grant.request.payload.data.get("acr_values", "eidas1"))
    return _page(
        "<h1>FranceConnect de développement</h1>"
        f"<p>Niveau demandé : {asked}. Choisissez l'identité avec laquelle vous connecter.</p>"
        f"<form method='post'>{hidden}<fieldset><legend>Identités de démonstration</legend>{choices}</fieldset>"
        "<button type='submit' name='action' value='continue'>Continuer</button>"
        "<button type='submit' name='action' value='cancel'>Annuler et revenir au service</button></form>"
    )


async def token(server: Server, request: Request) -> Response:
    return _answer(*server.create_token_response(await _oauth_request(request)))


def userinfo_claims(server: Server, grant) -> dict:
    scopes = set(grant.scope.split())
    claims = {k: v for k, v in grant.identity.claims().items() if k == "sub" or k in scopes}
    now = int(time.time())
    return {**claims, "iss": server.store.issuer, "aud": grant.client_id, "iat": now, "exp": now + 60}


def userinfo(server: Server, request: Request) -> Response:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    grant = server.store.tokens.get(value) if scheme.lower() == "bearer" else None
    if grant is None or grant.expires_at < time.time():
        return JSONResponse({"error": "invalid_token"}, status_code=401)
    return Response(server.sign_userinfo(userinfo_claims(server, grant)), media_type="application/jwt")


def end_session(server: Server, request: Request) -> Response:
    """RP-initiated logout: the id_token_hint must be one we signed, the return address one the
    client registered; the state goes back unchanged."""
    params = request.query_params
    try:
        hint = jwt.decode(params.get("id_token_hint", ""), server.store.key, algorithms=["ES256"])
    except (JoseError, ValueError):
        return _page("<h1>Déconnexion refusée</h1><p>id_token_hint invalide.</p>", 400)
    client = server.store.clients.get(str(hint.claims.get("aud", "")))
    target = params.get("post_logout_redirect_uri", "")
    if client is None or target not in client.post_logout_redirect_uris:
        return _page("<h1>Déconnexion refusée</h1><p>post_logout_redirect_uri inconnue.</p>", 400)
    return RedirectResponse(f"{target}?{urlencode({'state': params.get('state', '')})}", status_code=302)


def build_app(server: Server, extra_routes: list[Route] | None = None) -> Starlette:
    def bound(handler):
        async def endpoint(request: Request):
            answer = handler(server, request)
            return await answer if hasattr(answer, "__await__") else answer

        return endpoint

    app = Starlette(
        routes=[
            Route("/.well-known/openid-configuration", bound(discovery)),
            Route("/api/v2/jwks", bound(jwks)),
            Route("/api/v2/authorize", bound(authorize), methods=["GET", "POST"]),
            Route("/api/v2/token", bound(token), methods=["POST"]),
            Route("/api/v2/userinfo", bound(userinfo)),
            Route("/api/v2/session/end", bound(end_session)),
            *(extra_routes or []),
        ]
    )
    # The tests reach the provider's store (keys, identities) through the app.
    app.state.oidc_server = server
    return app
