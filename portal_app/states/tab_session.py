"""A tab's server-side state belongs to the session it was made under.

Reflex keeps each tab's state under a client token that the browser keeps in sessionStorage and
presents on every websocket connection and upload: whoever presents a token gets its state, so
on its own the token is a bearer credential. A socket reconnecting with a closed tab's token
received that tab's state on hydrate (names, numbers, messages), and `POST /_upload` ran the
handler in that state, for its user.

So each tab state remembers a fingerprint of the session cookie it was made under (TabSession),
and:
- every event is checked first by SameSessionMiddleware (Reflex's app middleware, whose
  `preprocess` runs under the tab's state lock before any handler, the hydrate included, with the
  router data of the connection the event came in on): a state made under another session, or
  none, is reset to a fresh one before anything is sent;
- every upload request is checked by api/upload_session.py against `session_of_tab` before its
  body is read: its own Cookie header must hold the tab's session.
Middleware rather than an override of `hydrate`/`hydrate_and_load`: it covers every event a
hand-made client could send first, through the one documented hook.
"""

from __future__ import annotations

import reflex as rx
from reflex.middleware import Middleware

from portal_app.domain.accounts.sessions import fingerprint
from portal_app.states.guard import guest_token, session_token


class TabSession(rx.State):
    # sessions.fingerprint of the session cookie the state was made under ("" for none);
    # None until the tab's first event.
    _session: str | None = None


async def _whole_tree(root: rx.State) -> None:
    """Load every substate: the Redis manager loads only those an event needs, and a reset
    must reach them all. (The memory and disk managers hold the whole tree already.)"""
    pending = list(type(root).get_substates())
    while pending:
        state_class = pending.pop()
        await root.get_state(state_class)
        pending.extend(state_class.get_substates())


class SameSessionMiddleware(Middleware):
    async def preprocess(self, app, state, event):
        owner = await state.get_state(TabSession)
        # A guest's session (domain/guests) owns its tab like an account's does.
        current = fingerprint(session_token(state) or guest_token(state))
        if owner._session != current:
            await _whole_tree(state)
            state.reset()
            owner._session = current
        return None


async def session_of_tab(app: rx.App, client_token: str) -> str | None:
    """The fingerprint of the session a tab's state was made under (None: no event yet)."""
    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=TabSession)) as root:
        return (await root.get_state(TabSession))._session
