"""Security headers as plain ASGI: a page's CSP names its own inline scripts, HSTS under https,
redirects on PORTAL_BASE_URL whatever the Host header, no server banner."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib

from portal_app.api.headers import inline_script_hashes, with_security_headers

PAGE = (
    b"<!DOCTYPE html><html><head><script>window.a = 1;</script>"
    b'<script defer src="/portal.js"></script><script type="module">import "/x.js";</script>'
    b'</head><body><script>window.a = 1;</script><SCRIPT id="_R_">f()</SCRIPT></body></html>'
)


def sha(text: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text).digest()).decode() + "'"


def serve(app, base_url, path="/", host=b"portail.example.fr", chunked=False):
    sent = []
    scope = {"type": "http", "path": path, "method": "GET", "headers": [(b"host", host)]}

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    asyncio.run(with_security_headers(app, base_url)(scope, receive, send))
    headers = {name.decode(): value.decode() for name, value in sent[0]["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return sent[0]["status"], headers, body


def html_app(body=PAGE, encoding=None, chunks=1):
    async def app(scope, receive, send):
        data = gzip.compress(body) if encoding == b"gzip" else body
        headers = [(b"content-type", b"text/html; charset=utf-8")]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        size = -(-len(data) // chunks)
        for index in range(chunks):
            part = data[index * size : (index + 1) * size]
            await send({"type": "http.response.body", "body": part, "more_body": index < chunks - 1})

    return app


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_inline_scripts_are_hashed_once_each_external_ones_not():
    assert inline_script_hashes(PAGE) == [sha(b"window.a = 1;"), sha(b'import "/x.js";'), sha(b"f()")]


def test_a_page_gets_a_policy_naming_its_scripts():
    for encoding, chunks in ((None, 1), (b"gzip", 1), (b"gzip", 3), (None, 4)):
        status, headers, body = serve(html_app(encoding=encoding, chunks=chunks), "http://localhost:3000")
        assert status == 200 and (gzip.decompress(body) if encoding else body) == PAGE
        policy = directives(headers["content-security-policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-eval'", *inline_script_hashes(PAGE)]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert policy["connect-src"] == ["'self'", "ws://localhost:3000"]


def test_a_page_served_by_path_is_read_for_its_policy(tmp_path):
    page = tmp_path / "index.html"
    page.write_bytes(PAGE)

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.pathsend", "path": str(page)})

    _, headers, body = serve(app, "https://portail.example.fr")
    assert body == PAGE
    assert directives(headers["content-security-policy"])["script-src"][2:] == inline_script_hashes(PAGE)
    assert "wss://portail.example.fr" in headers["content-security-policy"]


def test_hsts_only_under_https():
    _, secure, _ = serve(html_app(), "https://portail.example.fr")
    assert secure["strict-transport-security"] == "max-age=31536000"
    _, plain, _ = serve(html_app(), "http://localhost:3000")
    assert "strict-transport-security" not in plain


def test_no_server_banner_and_the_usual_headers():
    _, headers, _ = serve(html_app(), "http://localhost:3000")
    assert headers["server"] == ""
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_a_route_policy_is_kept_and_other_types_get_none():
    async def app(scope, receive, send):
        headers = [(b"content-type", b"application/json")]
        if scope["path"] == "/own":
            headers = [(b"content-type", b"text/html"), (b"content-security-policy", b"sandbox")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    assert serve(app, "http://localhost:3000", "/own")[1]["content-security-policy"] == "sandbox"
    assert "content-security-policy" not in serve(app, "http://localhost:3000", "/data")[1]


def redirect_app(location: bytes):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 307, "headers": [(b"location", location)]})
        await send({"type": "http.response.body", "body": b""})

    return app


def test_redirects_built_from_the_host_header_land_on_the_base_url():
    base = "https://portail.example.fr"
    evil = redirect_app(b"http://evil.example/connexion/?suite=/x")
    assert serve(evil, base, host=b"evil.example")[1]["location"] == "https://portail.example.fr/connexion/?suite=/x"
    # Relative redirects and redirects elsewhere than the request's host are left alone.
    assert serve(redirect_app(b"/connexion/"), base, host=b"evil.example")[1]["location"] == "/connexion/"
    other = redirect_app(b"https://franceconnect.gouv.fr/x")
    assert serve(other, base, host=b"evil.example")[1]["location"] == "https://franceconnect.gouv.fr/x"


def test_a_head_request_of_a_compressed_page():
    async def app(scope, receive, send):
        headers = [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    status, headers, _ = serve(app, "http://localhost:3000")
    assert status == 200 and "object-src 'none'" in headers["content-security-policy"]
