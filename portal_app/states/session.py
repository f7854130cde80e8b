"""Who is calling: every protected handler asks here, server side, on every event."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from urllib.parse import quote

import reflex as rx

from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core.navigation import home_for
from portal_app.domain.core.wording import plural
from portal_app.domain.dossiers import notifications
from portal_app.domain.employer import onboarding
from portal_app.models import User

PERSONALISE_PATH = "/employeur/personnalisation"


def session_token(state: rx.State) -> str | None:
    # The cookie header of the websocket handshake: HttpOnly, so page scripts never saw it.
    header = state.router.headers.cookie or ""
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel else None


def current_user(state: rx.State, roles: tuple[str, ...] = (), *, unconfirmed_employer: bool = False) -> User | None:
    user = accounts.current_user(session_token(state))
    if user is None or (roles and user.role not in roles):
        return None
    # Until it has personalised and confirmed its account, an employer may use nothing but
    # the personalisation handlers, which alone pass unconfirmed_employer=True.
    if user.role == "employer" and not unconfirmed_employer and not onboarding.ready(user.id):
        return None
    return user


def current_path(state: rx.State) -> str:
    url = state.router.url
    # The static server answers /page with a redirect to /page/: keep the short form.
    path = url.path.rstrip("/") or "/"
    return f"{path}?{url.query}" if url.query else path


def to_login(state: rx.State, reason: str = "expiree"):
    """Send the visitor to /connexion, to come back here afterwards."""
    # A signed-in employer refused only for want of personalisation goes there, not to the login.
    user = accounts.current_user(session_token(state))
    if user is not None and user.role == "employer" and not onboarding.ready(user.id):
        return rx.redirect(PERSONALISE_PATH)
    return rx.redirect(f"/connexion?motif={reason}&suite={quote(current_path(state), safe='')}")


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


class SessionState(rx.State):
    """What the header shows about the visitor; never trusted for access decisions."""

    signed_in: bool = False
    display_name: str = ""
    role: str = ""
    ready: bool = False
    # The bell's count, refreshed on every page load of a signed-in visitor.
    unread_notifications: int = 0

    @rx.var
    def unread_words(self) -> str:
        """What follows the bell's count for a screen reader: " non lue" or " non lues"."""
        return " " + plural(self.unread_notifications, "non lue", "non lues")

    def _show(self, user: User | None) -> None:
        self.signed_in = user is not None
        self.display_name = user.display_name if user else ""
        self.role = user.role if user else ""
        self.unread_notifications = notifications.unread_count(user.id) if user else 0
        self.ready = True

    @rx.event
    def refresh_bell(self):
        user = current_user(self)
        self.unread_notifications = notifications.unread_count(user.id) if user else 0

    @rx.event
    def load_visitor(self):
        """on_load of public pages."""
        self._show(current_user(self, unconfirmed_employer=True))

    @rx.event
    def load_guest_page(self):
        """on_load of /connexion and /inscription: a signed-in visitor goes to their space."""
        user = current_user(self, unconfirmed_employer=True)
        self._show(user)
        if user is not None:
            return rx.redirect(home_for(user.role))
        return None

    @rx.event
    def guard_beneficiary(self):
        return self._guard(("beneficiary",))

    @rx.event
    def guard_any(self):
        return self._guard(())

    @rx.event
    def guard_agent(self):
        return self._guard(("agent",))

    @rx.event
    def guard_employer(self):
        return self._guard(("employer",))

    def _guard(self, roles: tuple[str, ...]):
        self.ready = False
        user = accounts.current_user(session_token(self))
        if user is None:
            self._show(None)
            return to_login(self)
        if roles and user.role not in roles:
            self._show(user)
            return rx.redirect(home_for(user.role))
        self._show(user)
        if (
            user.role == "employer"
            and current_path(self).rstrip("/") != PERSONALISE_PATH
            and not onboarding.ready(user.id)
        ):
            return rx.redirect(PERSONALISE_PATH)
        return None

    @rx.event
    def logout(self):
        accounts.logout(session_token(self))
        self._show(None)
        return full_load("/_portal/session/end")
