"""Who may run an event handler: one decorator, checked server side on every event.

    @rx.event
    @requires(Role.BENEFICIARY)
    def save(self, user: User, form: dict): ...

The guard resolves the signed-in user once per event and passes it as the handler's first
argument after self. Reflex sees the handler without that argument, so event specs
(`on_submit=State.save`, `State.toggle(3)`) are written exactly as before.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import reflex as rx

from portal_app.domain import accounts
from portal_app.domain.accounts import session_cache
from portal_app.domain.accounts.sessions import token_from_cookie_header
from portal_app.domain.core.navigation import home_for
from portal_app.domain.employer import onboarding
from portal_app.domain.guests import access as guest_access
from portal_app.models import Role, User
from portal_app.routes import EMPLOYER_PERSONALISE, LOGIN, guest_start


def session_token(state: rx.State) -> str | None:
    # The cookie header of the websocket handshake: HttpOnly, so page scripts never saw it.
    return token_from_cookie_header(state.router.headers.cookie)


def current_path(state: rx.State) -> str:
    url = state.router.url
    # The static server answers /page with a redirect to /page/: keep the short form.
    path = url.path.rstrip("/") or "/"
    return f"{path}?{url.query}" if url.query else path


def login_redirect(state: rx.State):
    """Send the visitor to the login page ("your session has expired"), to come back here afterwards."""
    return rx.redirect(f"{LOGIN}?motif=expiree&suite={quote(current_path(state), safe='')}")


def guest_token(state: rx.State) -> str | None:
    return token_from_cookie_header(state.router.headers.cookie, guest_access.COOKIE_NAME)


def check(
    state: rx.State,
    roles: tuple[Role, ...],
    *,
    onboarding_open: bool = False,
    fresh: bool = False,
    guest_open: bool = False,
):
    """(the signed-in user or None, where to send the caller instead or None when allowed);
    `fresh`: ask the database even if this worker remembers the session (a page load);
    `guest_open`: without an account session, a guest session (domain/guests) is let in as
    its principal, a beneficiary with a negative id."""
    user = accounts.current_user(session_token(state), fresh=fresh)
    if user is None and guest_open:
        user = guest_access.current(guest_token(state))
        if user is None and guest_token(state):
            # A guest whose session ended (2 hours): a new code, not a login it has no account for.
            # The route argument of the guest pages (draft, recap, confirmation): a state var.
            code = guest_access.guest_demarche_of(getattr(state, "dossier_id", None))
            if code is not None:
                return None, rx.redirect(f"{guest_start(code)}?motif=expiree")
    if user is None:
        return None, login_redirect(state)
    if roles and user.role not in roles:
        # Another role's session goes to its own home.
        return user, rx.redirect(home_for(user.role))
    # Until it has personalised and confirmed its account, an employer may use nothing but
    # the personalisation handlers and page, which alone are declared with onboarding_open=True.
    if user.role == Role.EMPLOYER and not onboarding_open and not onboarding.ready(user.id):
        return user, rx.redirect(EMPLOYER_PERSONALISE)
    return user, None


async def check_off_loop(state: rx.State, roles: tuple[Role, ...], **options: bool):
    """check() for async handlers: a session this worker remembers is answered at once, the
    database (a session to look up, an employer's stage, a guest) is asked from a thread."""
    known = session_cache.remembered(session_token(state))
    if known is not None and (known.role != Role.EMPLOYER or options.get("onboarding_open")):
        return check(state, roles, **options)
    return await asyncio.to_thread(functools.partial(check, state, roles, **options))


def allowed_user(state: rx.State, *roles: Role, onboarding_open: bool = False) -> User | None:
    """The signed-in user if `requires` would let them in, else None: for pages open to all
    that only show more to a signed-in visitor."""
    user, refusal = check(state, roles, onboarding_open=onboarding_open)
    return user if refusal is None else None


def refuse(state: rx.State, refusal):
    """A state holding personal data defines _refused() to drop it when its caller is sent away."""
    forget = getattr(state, "_refused", None)
    if forget is not None:
        forget()
    return refusal


def requires(*roles: Role, onboarding_open: bool = False, guest_open: bool = False) -> Callable[[Callable], Callable]:
    """Run the handler only for a signed-in user of one of `roles` (any role when none is given);
    `guest_open`: a guest too (the draft, recap and confirmation of a guest's dossier).

    A missing or expired session is sent to the login page with `suite=` the current path; a
    wrong role to its own home; an employer not yet ready to the personalisation page.
    Works for sync, async and async generator handlers, background ones included; a sync one
    becomes async and runs in a thread (issue 18: no database call on the event loop).
    """

    # guest_open only when set: the calls of every other handler stay as they were.
    options: dict[str, bool] = {"onboarding_open": onboarding_open, **({"guest_open": True} if guest_open else {})}

    def decorate(fn: Callable) -> Callable:
        if inspect.isasyncgenfunction(fn):

            async def guarded(self, *args, **kwargs):
                user, refusal = await check_off_loop(self, roles, **options)
                if refusal is not None:
                    yield refuse(self, refusal)
                    return
                async for update in fn(self, user, *args, **kwargs):
                    yield update

        elif inspect.iscoroutinefunction(fn):

            async def guarded(self, *args, **kwargs):
                user, refusal = await check_off_loop(self, roles, **options)
                if refusal is not None:
                    return refuse(self, refusal)
                return await fn(self, user, *args, **kwargs)

        elif inspect.isgeneratorfunction(fn):
            # Its body would run on the event loop between its yields: write it async.
            raise TypeError(f"{fn.__qualname__}: a guarded generator handler must be async")

        else:
            # A plain handler reads and writes the database: it runs in a thread, so the event
            # loop serves every other tab meanwhile. Reflex holds this tab's state lock until
            # the handler returns, so no other event of the tab touches the state in between.

            async def guarded(self, *args, **kwargs):
                user, refusal = await check_off_loop(self, roles, **options)
                if refusal is not None:
                    return refuse(self, refusal)
                return await asyncio.to_thread(fn, self, user, *args, **kwargs)

        functools.update_wrapper(guarded, fn)
        # What Reflex reads to map event arguments and their types: the handler without its
        # `user` parameter (inspect.signature stops at __signature__; __wrapped__ stays so that
        # type hints resolve in the handler's own module).
        signature = inspect.signature(fn)
        self_param, user_param, *rest = signature.parameters.values()
        guarded.__signature__ = signature.replace(parameters=[self_param, *rest])
        guarded.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != user_param.name}
        return guarded

    return decorate


def public(fn: Callable) -> Callable:
    """A plain handler open to everyone (a mailed link's token, or nothing, is its credential)
    that reads or writes the database: like a guarded one it becomes async and runs in a
    thread, so the event loop serves every other tab meanwhile. Handlers that only change the
    tab's state stay plain; async ones offload their own database work."""
    if not inspect.isfunction(fn) or inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn):
        raise TypeError(f"{fn.__qualname__}: public wraps a plain (sync, non-generator) handler")

    @functools.wraps(fn)
    async def offloaded(self, *args, **kwargs):
        return await asyncio.to_thread(fn, self, *args, **kwargs)

    return offloaded


# ---------------------------------------------------------------- pages

# Any signed-in user, whatever their role (an employer still has to be ready).
ANY_ROLE: tuple[Role, ...] = tuple(Role)


@dataclass(frozen=True)
class PageAccess:
    roles: tuple[Role, ...]
    onboarding_open: bool
    # The page's own on_load handlers: run only once the visitor is let in.
    loads: tuple
    # A guest (domain/guests) may see it: the pages of a guest's dossier.
    guest_open: bool = False


# Filled by components.portal_page.portal_page, read by SessionState.enter: route -> access.
PAGES: dict[str, PageAccess] = {}
