"""One decorator declares a page: its route, its title, who may see it and what it loads.

    @portal_page(routes.DOCUMENTS, "Porte-documents — Portail", role=Role.BENEFICIARY, on_load=S.load)
    def documents_page() -> rx.Component: ...

A page with a role is entered through SessionState.enter, which runs the same check as the
handlers' @requires and only then the page's own loads: a refused visitor is redirected once
and nothing of the page is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from portal_app.models import Role
from portal_app.states.guard import PAGES, PageAccess
from portal_app.states.session import SessionState


def portal_page(
    route: str,
    title: str | rx.Var,
    *,
    role: Role | tuple[Role, ...] | None = None,
    onboarding_open: bool = False,
    guests_only: bool = False,
    guest_open: bool = False,
    on_load=(),
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """role: who may see the page (a Role, guard.ANY_ROLE, or None for a public page);
    onboarding_open: an employer not yet ready may see it (personalisation);
    guests_only: a signed-in visitor is sent to their own space (login, signup);
    guest_open: a guest filing without an account may see it too (domain/guests);
    on_load: the page's own handlers; a public page refreshes the header first unless
    on_load names SessionState.load_visitor where it must run;
    title: the whole <title> (components.titles.page_title), or a Var of it."""
    loads = tuple(on_load) if isinstance(on_load, (list, tuple)) else (on_load,)
    if role is not None:
        roles = role if isinstance(role, tuple) else (role,)
        PAGES[route] = PageAccess(roles, onboarding_open, loads, guest_open)
        events = SessionState.enter(route)
    else:
        visitor = SessionState.load_guest_page if guests_only else SessionState.load_visitor
        # Named in on_load, the header's refresh runs where it stands (after what changes the name).
        events = list(loads) if visitor in loads else [visitor, *loads]

    def register(render: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        REGISTERED.append((render, {"route": route, "title": title, "on_load": events}))
        return render

    return register


# Added to the app once, by portal_app.py: rx.page's list is applied again on each compile, and
# `reflex run --env prod` compiles twice, which warned "Page … is being redefined" for every page.
REGISTERED: list[tuple[Callable[[], rx.Component], dict]] = []
