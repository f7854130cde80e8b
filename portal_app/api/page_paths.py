"""A page's own address is answered with its prerendered page, not with a redirect or an empty shell.

The production build writes each static page as `<path>/index.html`; Starlette's static files
answer `/porte-documents` with a 307 to `/porte-documents/`. Every first load of a page (a link
in a mail, a typed address, a reload after a navigation inside the app, whose addresses have no
slash) paid that extra round trip before the page could start: on a phone's mobile network, the
largest share of the time to the first paint (issue 18, README "Benchmarks"). The request for
a registered static page is served as the folder's index instead, at the address asked for.

A dynamic route (`/demarches/dossier/[dossier_id]`) has no page of its own: Reflex 0.10.1 has
React Router prerender static routes only (`prerender: true`, no setting), and a dynamic address
got the SPA fallback, an empty body (no header, no "Chargement…" until its route module, found
only once the entry script ran, had arrived). Each now has a shell prerendered at a placeholder
address (portal_app/page_shells.py), and any address of that route is answered with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from portal_app.page_shells import shell_path


def page_paths(routes: Iterable[str]) -> frozenset[str]:
    """The addresses answered with their prerendered page: every static route but the home
    page (already a file at "/") and the not-found page."""
    return frozenset(route for route in routes if route.startswith("/") and route != "/" and "[" not in route)


def shell_patterns(routes: Iterable[str]) -> list[tuple[re.Pattern[str], str]]:
    """For each dynamic route, what its addresses look like and the folder of its shell."""
    patterns = []
    for route in sorted({route for route in routes if "[" in route}):
        segments = route.strip("/").split("/")
        pattern = "/".join("[^/.]+" if segment.startswith("[") else re.escape(segment) for segment in segments)
        patterns.append((re.compile(f"/{pattern}"), shell_path(route) + "/"))
    return patterns


def serve_pages_in_place(app, routes: Iterable[str]):
    routes = list(routes)
    pages = page_paths(routes)
    shells = shell_patterns(routes)

    def folder_of(path: str) -> str | None:
        if path in pages:
            return path + "/"
        return next((shell for pattern, shell in shells if pattern.fullmatch(path)), None)

    async def middleware(scope, receive, send):
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            folder = folder_of(scope["path"])
            if folder is not None:
                scope = {**scope, "path": folder, "raw_path": folder.encode()}
        return await app(scope, receive, send)

    return middleware
