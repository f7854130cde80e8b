"""A page's own address is answered with its page, not with a redirect to a trailing slash.

The production build writes each static page as `<path>/index.html`; Starlette's static files
answer `/porte-documents` with a 307 to `/porte-documents/`. Every first load of a page (a link
in a mail, a typed address, a reload after a navigation inside the app, whose addresses have no
slash) paid that extra round trip before the page could start: on a phone's mobile network, the
largest share of the time to the first paint (issue 18, README "Benchmarks"). The request for
a registered static page is served as the folder's index instead, at the address asked for.
"""

from __future__ import annotations

from collections.abc import Iterable


def page_paths(routes: Iterable[str]) -> frozenset[str]:
    """The addresses answered with their prerendered page: every static route but the home
    page (already a file at "/") and the not-found page; dynamic routes (`[id]`) have no
    prerendered file."""
    return frozenset(route for route in routes if route.startswith("/") and route != "/" and "[" not in route)


def serve_pages_in_place(app, routes: Iterable[str]):
    pages = page_paths(routes)

    async def middleware(scope, receive, send):
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and scope["path"] in pages:
            folder = scope["path"] + "/"
            scope = {**scope, "path": folder, "raw_path": folder.encode()}
        return await app(scope, receive, send)

    return middleware
