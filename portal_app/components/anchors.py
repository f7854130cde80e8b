"""A link to a place on the same page (`#id`): the skip link, an error summary, a page's contents.

`rx.el.a` is React Router's `Link` in Reflex 0.10.1: its `href` is resolved against the route
the page was prerendered for (`/connexion/`), so a page served at its own address (`/connexion`,
api/page_paths.py) kept `/connexion/#contenu` through hydration, a link to another address. A
plain `<a>` keeps the `href` as written, and the browser's own fragment navigation moves focus
to the target (React Router changes the hash without moving focus)."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.inline import A


def in_page_link(*children, href: str | rx.Var, **props) -> rx.Component:
    return A.create(*children, href=href, **props)
