"""Who is calling, as the header shows it; pages that need a role are entered through here."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import reflex as rx

from portal_app.domain import accounts
from portal_app.domain.core.navigation import home_for
from portal_app.domain.core.wording import plural
from portal_app.domain.dossiers import notifications
from portal_app.models import User
from portal_app.states.guard import PAGES, check, session_token


def full_load(path: str):
    """A real navigation to a backend route, not the client router: the websocket must
    reconnect with the new cookie. In development the backend has its own port."""
    url = rx.config.get_config().api_url.rstrip("/") + path
    # Same host-name mapping as Reflex's getBackendURL, so the cookie lands on the page's host.
    return rx.call_script(
        f"(() => {{ const u = new URL({json.dumps(url)}); "
        "if (['localhost', '0.0.0.0'].includes(u.hostname)) u.hostname = window.location.hostname; "
        # A new Reflex client token: the next page starts from a fresh server-side state, so
        # nothing of the previous visitor's page states stays attached to this tab.
        "sessionStorage.removeItem('token'); "
        "window.location.assign(u.toString()); })()"
    )


@dataclass(frozen=True)
class Seen:
    """Who a page load found, asked in one trip to a thread: the session, the bell's count."""

    user: User | None
    refusal: Any
    # A guest (negative id, domain/guests) has no account: the header stays a visitor's,
    # and only the pages of their dossier (guest_open) draw for them.
    guest: bool
    unread: int


def _seen(state: rx.State, roles: tuple = (), *, allowed_only: bool = False, **options) -> Seen:
    """Run in a thread: the guard's check and the bell's count. `allowed_only`: a caller the
    check would refuse is shown as a visitor (guard.allowed_user), not sent anywhere."""
    user, refusal = check(state, roles, **options)
    if allowed_only and refusal is not None:
        user, refusal = None, None
    guest = user is not None and (user.id or 0) < 0
    unread = notifications.unread_count(user.id) if user is not None and not guest else 0
    return Seen(user, refusal, guest, unread)


class SessionState(rx.State):
    """What the header shows about the visitor; never trusted for access decisions."""

    signed_in: bool = False
    guest: bool = False
    display_name: str = ""
    role: str = ""
    ready: bool = False
    # The bell's count, refreshed on every page load of a signed-in visitor.
    unread_notifications: int = 0

    @rx.var
    def unread_words(self) -> str:
        """What follows the bell's count for a screen reader: " non lue" or " non lues"."""
        return " " + plural(self.unread_notifications, "non lue", "non lues")

    def _show(self, seen: Seen) -> None:
        user, self.guest = seen.user, seen.guest
        user = None if self.guest else user
        self.signed_in = user is not None
        self.display_name = user.display_name if user else ""
        self.role = user.role if user else ""
        self.unread_notifications = seen.unread
        self.ready = True

    @rx.event
    async def refresh_bell(self):
        seen = await asyncio.to_thread(_seen, self, allowed_only=True)
        self.unread_notifications = seen.unread

    @rx.event
    async def load_visitor(self):
        """on_load of public pages."""
        self._show(await asyncio.to_thread(_seen, self, allowed_only=True, onboarding_open=True))

    @rx.event
    async def load_guest_page(self):
        """on_load of /connexion and /inscription: a signed-in visitor goes to their space."""
        seen = await asyncio.to_thread(_seen, self, allowed_only=True, onboarding_open=True)
        self._show(seen)
        if seen.user is not None and not seen.guest:
            return rx.redirect(home_for(seen.user.role))
        return None

    @rx.event
    async def enter(self, route: str):
        """on_load of every page declared with a role: one check, then the page's own loads."""
        access = PAGES[route]
        self.ready = False
        # A page load asks the database afresh: what the page shows is never older than it.
        seen = await asyncio.to_thread(
            _seen,
            self,
            access.roles,
            onboarding_open=access.onboarding_open,
            fresh=True,
            guest_open=access.guest_open,
        )
        self._show(seen)
        if seen.refusal is not None:
            return seen.refusal
        return list(access.loads)

    @rx.event
    async def logout(self):
        await asyncio.to_thread(accounts.logout, session_token(self))
        self._show(Seen(None, None, False, 0))
        return full_load("/_portal/session/end")
