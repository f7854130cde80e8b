"""Start the provider: `python -m portal_app.cli fc-provider --port P [--portal-url URL]`."""

from __future__ import annotations

# Development credentials: this provider only ever runs on a developer's or a test's machine.
CLIENTS = {
    "PORTAL_FC": ("portail-dev-fc", "dev-secret-franceconnect"),
    "PORTAL_FCPLUS": ("portail-dev-fcplus", "dev-secret-franceconnect-plus"),
}


def portal_env(issuer: str) -> dict[str, str]:
    """The settings that point the portal at this provider."""
    env = {}
    for prefix, (client_id, secret) in CLIENTS.items():
        env.update({f"{prefix}_ISSUER": issuer, f"{prefix}_CLIENT_ID": client_id, f"{prefix}_CLIENT_SECRET": secret})
    return env


def make_app(issuer: str, portal_urls: list[str], test_hooks: bool = False):
    # Imported here: `make run` reads portal_env() in a process of its own before starting the
    # portal, and should not pay for authlib, Starlette and uvicorn there.
    from portal_app.fc_provider.app import build_app
    from portal_app.fc_provider.faults import FaultyServer, FaultyStore, control_routes
    from portal_app.fc_provider.server import Client, Server, Store

    clients = {
        client_id: Client(
            client_id,
            secret,
            tuple(f"{url.rstrip('/')}/_portal/franceconnect/callback" for url in portal_urls),
            tuple(f"{url.rstrip('/')}/_portal/franceconnect/logout" for url in portal_urls),
        )
        for client_id, secret in CLIENTS.values()
    }
    if test_hooks:
        server = FaultyServer(FaultyStore(issuer, clients))
        return build_app(server, control_routes(server))
    return build_app(Server(Store(issuer, clients)))


def serve(port: int, portal_urls: list[str], test_hooks: bool = False) -> None:
    import uvicorn

    issuer = f"http://localhost:{port}"
    for name, value in portal_env(issuer).items():
        print(f"{name}={value}", flush=True)
    uvicorn.run(make_app(issuer, portal_urls, test_hooks), host="127.0.0.1", port=port, log_level="warning")
