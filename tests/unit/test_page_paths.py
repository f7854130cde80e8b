"""A static page is answered at its own address (no 307 to the trailing slash: one round trip
less before a phone can draw it), through Starlette's static files as the production build is."""

from __future__ import annotations

from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from portal_app.api.page_paths import page_paths, serve_pages_in_place
from portal_app.page_shells import shell_path, with_shells


def client(tmp_path, routes):
    for folder in ("porte-documents", "connexion", "ailleurs"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_text(f"<h1>{folder}</h1>")
    app = serve_pages_in_place(StaticFiles(directory=tmp_path, html=True), routes)
    return TestClient(app, follow_redirects=False)


def test_a_registered_page_is_served_at_its_address(tmp_path):
    web = client(tmp_path, ["/porte-documents", "/connexion"])
    answer = web.get("/porte-documents?motif=x")
    assert answer.status_code == 200 and answer.text == "<h1>porte-documents</h1>"
    assert web.head("/connexion").status_code == 200
    # With its slash, as before.
    assert web.get("/connexion/").text == "<h1>connexion</h1>"


def test_anything_else_is_left_to_the_static_files(tmp_path):
    web = client(tmp_path, ["/porte-documents"])
    # Not a registered page: the static files' own answer (their redirect) is unchanged.
    assert web.get("/ailleurs").status_code == 307


def test_only_reading_a_page_is_rewritten():
    seen = []

    async def app(scope, receive, send):
        seen.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    web = TestClient(serve_pages_in_place(app, ["/porte-documents"]))
    web.post("/porte-documents")
    web.get("/porte-documents/x")
    web.get("/porte-documents")
    assert seen == [("POST", "/porte-documents"), ("GET", "/porte-documents/x"), ("GET", "/porte-documents/")]


def test_only_static_routes_are_rewritten():
    routes = ["/", "404", "/porte-documents", "/demarches/dossier/[dossier_id]", "/mon-compte/email"]
    assert page_paths(routes) == {"/porte-documents", "/mon-compte/email"}


def test_any_address_of_a_dynamic_route_is_answered_with_its_shell():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    routes = ["/demarches", "/demarches/dossier/[dossier_id]", "/demarches/dossier/[dossier_id]/suivi"]
    web = TestClient(serve_pages_in_place(app, routes))
    for path in ("/demarches/dossier/42", "/demarches/dossier/42/suivi", "/demarches", "/demarches/dossier/42/x"):
        web.get(path)
    web.get("/demarches/dossier/42.js")  # a file, not a page
    assert seen == [
        "/demarches/dossier/_/",
        "/demarches/dossier/_/suivi/",
        "/demarches/",
        "/demarches/dossier/42/x",
        "/demarches/dossier/42.js",
    ]


def test_react_router_prerenders_the_shells_in_a_production_build_only():
    shells = [shell_path("demarches/dossier/[dossier_id]"), shell_path("/agent/dossiers/[id]")]
    assert shells == ["/demarches/dossier/_", "/agent/dossiers/_"]
    production = 'export default {"ssr": false, "prerender": true, "build": "build"};'
    assert with_shells(production, shells) == (
        'export default {"ssr": false, "prerender": async ({ getStaticPaths }) => '
        '[...getStaticPaths(), ...["/demarches/dossier/_", "/agent/dossiers/_"]], "build": "build"};'
    )
    development = 'export default {"ssr": false};'
    assert with_shells(development, shells) == development
