"""Security headers on every HTTP response (pages, assets, our routes).

Pages get a Content-Security-Policy computed from the page itself: the production build serves
static HTML whose inline scripts (theme, scroll restoration, React Router's hydration data) are
fixed at build time, so each one is allowed by its SHA-256 and no other inline script runs.
Reflex runs `rx.call_script` through `eval` in its state.js, hence 'unsafe-eval' until those
calls are gone; styles stay 'unsafe-inline' because emotion and Radix write style tags.

Redirects that Starlette builds from the request's Host header (the static files' trailing
slash) are put back on PORTAL_BASE_URL, and the server banner is blanked: Granian adds
`server: granian` unless the app already sent a server header, and has no setting to drop it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from urllib.parse import urlsplit, urlunsplit

import anyio

from portal_app.settings import get_settings

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), microphone=(), payment=()"),
    (b"server", b""),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")

_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC_ATTRIBUTE = re.compile(rb"\ssrc\s*=", re.IGNORECASE)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP sources for every inline script of a page, in order, without repeats."""
    hashes: list[str] = []
    for match in _INLINE_SCRIPT.finditer(html):
        if _SRC_ATTRIBUTE.search(match.group(1)):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def page_policy(html: bytes, base_url: str) -> str:
    parts = urlsplit(base_url)
    websocket = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    script_sources = " ".join(["'self'", "'unsafe-eval'", *inline_script_hashes(html)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_sources}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {websocket}",
            # The ALTCHA widget solves its proof of work in workers it starts from blob: URLs.
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _decoded(body: bytes, encoding: bytes) -> bytes | None:
    if encoding in (b"", b"identity") or not body:  # no body: a HEAD request
        return body
    if encoding == b"gzip":
        try:
            return zlib.decompress(body, wbits=zlib.MAX_WBITS | 16)
        except zlib.error:
            return None
    # Another pre-compression (rxconfig keeps gzip only): no hashes, the page fails closed.
    return None


def _on_base_url(location: bytes, host: bytes | None, base_url: str) -> bytes:
    """An absolute Location naming the request's own Host, moved onto PORTAL_BASE_URL."""
    target = urlsplit(location.decode("latin-1"))
    if not target.netloc or host is None or target.netloc.lower() != host.decode("latin-1").lower():
        return location
    base = urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, target.path, target.query, target.fragment)).encode("latin-1")


def with_security_headers(app, base_url: str | None = None):
    base_url = base_url or get_settings().base_url
    fixed = [*SECURITY_HEADERS, *([HSTS] if base_url.startswith("https://") else [])]

    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        host = dict(scope.get("headers", [])).get(b"host")
        start: dict | None = None
        chunks: list[bytes] = []

        def finish_start(message: dict, body: bytes | None) -> dict:
            headers = []
            for name, value in message.get("headers", []):
                if name.lower() == b"location":
                    value = _on_base_url(value, host, base_url)
                headers.append((name, value))
            present = {name.lower() for name, _ in headers}
            headers += [(name, value) for name, value in fixed if name not in present]
            if body is not None and b"content-security-policy" not in present:
                encoding = dict((name.lower(), value) for name, value in headers).get(b"content-encoding", b"")
                html = _decoded(body, encoding.strip().lower())
                policy = page_policy(html or b"", base_url)
                headers.append((b"content-security-policy", policy.encode()))
            return {**message, "headers": headers}

        async def send_with_headers(message):
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict((name.lower(), value) for name, value in message.get("headers", [])).get(
                    b"content-type", b""
                )
                if content_type.lower().startswith(b"text/html"):
                    # The policy names the page's scripts: hold the head until the body is read.
                    start = message
                    return
                return await send(finish_start(message, None))
            if start is not None and message["type"] == "http.response.pathsend":
                # Granian lets Starlette hand it a file path; a page is small, read it here.
                message = {"type": "http.response.body", "body": await anyio.Path(message["path"]).read_bytes()}
            if start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks)
                await send(finish_start(start, body))
                return await send({"type": "http.response.body", "body": body})
            await send(message)

        return await app(scope, receive, send_with_headers)

    return middleware
