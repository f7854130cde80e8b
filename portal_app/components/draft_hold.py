"""The draft form stays on screen, and its inputs mounted, while the server rebuilds its state.

After a backend restart the tab's server state starts afresh: the reconnection's hydrate sends
its defaults (session not checked yet, form not ready, no fields), then the page's on_load and
the replay of the browser's copies draw the form again, about 400 ms later. Drawn from those
vars as they come, the form was replaced by "Chargement…" meanwhile: the input under the
user's fingers went away with its focus, and the keys typed then were lost.

So the vars that decide whether the form is drawn, which inputs it has, their React keys and
their first values are read through `held`: while the server's view is being rebuilt, the
browser keeps drawing what it last drew on this page; the live values take over as soon as the server's form is ready again.
A first visit has nothing held and shows "Chargement…" as before; once on_load has run, a
dossier the server no longer finds is never held.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars import Var, VarData

from portal_app.states.draft import DraftState
from portal_app.states.session import SessionState

# The server's view of the page is being rebuilt: from the reconnection's snapshot until the
# page's on_load has run (the state a restarted backend read back from disk may be seconds old,
# another step's), then until the replay has drawn the step (DraftState.load resets it).
REBUILDING = ~rx.State.is_hydrated | (DraftState.found & (~SessionState.ready | ~DraftState.ready))


# Kept in the page's own code rather than in assets/draft_autosave.js: that script loads
# asynchronously, and a form last drawn before it arrived would have nothing held.
_HOLD = (
    "((name, live, rebuilding) => {"
    # Prerendered (portal_app/page_shells.py) there is no window and nothing drawn yet.
    " if (typeof window === 'undefined') return live;"
    " const drawn = (window.__portailDrawn = window.__portailDrawn || {});"
    # The path without the trailing slash the page may have been loaded with: the step's
    # replaceState drops it.
    " const path = window.location.pathname.replace(/\\/+$/, '');"
    " if (!rebuilding) { drawn[name] = { path: path, value: live }; return live; }"
    " const last = drawn[name];"
    " return last && last.path === path ? last.value : live;"
    " })"
)


def held(name: str, live: Var) -> Var:
    """`live` as the browser last drew it on this page while the server rebuilds its view."""
    return Var(
        _js_expr=f"{_HOLD}({json.dumps(name)}, {live!s}, {REBUILDING!s})",
        _var_type=live._var_type,
        _var_data=VarData.merge(live._get_all_var_data(), REBUILDING._get_all_var_data()),
    ).guess_type()


# Whether the form is drawn: the session checked, the dossier found and its step ready.
FORM_SHOWN = held(
    "shown", SessionState.ready & (SessionState.signed_in | SessionState.guest) & DraftState.found & DraftState.ready
)
FIELDS = held("fields", DraftState.fields)
VALUES = held("values", DraftState.values)
FORM_KEY = held("form_key", DraftState.form_key)
