"""The Reflex app: pages register themselves by import; HTTP routes come from portal_app.api."""

import reflex as rx

from portal_app.api import build_api
from portal_app.api.headers import with_security_headers
from portal_app.api.page_paths import serve_pages_in_place
from portal_app.api.request_guard import guard_requests
from portal_app.api.upload_limit import limit_upload_size
from portal_app.api.upload_session import same_session_uploads
from portal_app.components import portal_page
from portal_app.pages import (  # noqa: F401  (importing registers the pages)
    account,
    activation,
    agent_accounts,
    agent_dossier,
    agent_list,
    catalogue,
    documents,
    dossier_filed,
    dossier_page,
    draft,
    email_confirmation,
    employer,
    employer_documents,
    franceconnect,
    franceconnect_link,
    guest_start,
    home,
    legal,
    login,
    my_dossiers,
    not_found,
    notifications,
    password_reset,
    quote_provider,
    recap,
    relations,
    signup,
    tracking,
)
from portal_app.pages.designer import add_designer_pages
from portal_app.states.quote_provider import PROVIDER_UPLOADS
from portal_app.states.saves_behind import SavesSettled
from portal_app.states.tab_session import SameSessionMiddleware, session_of_tab

# Plain SQLModel tables (rx.Model is deprecated) all share SQLModel.metadata, and Reflex 0.10
# registers rx.Model, which shares it, when `reflex db` or its schema check imports reflex.model:
# every table reaches `reflex db` with no registration here. Touching rx.ModelRegistry here would
# import reflex.model, hence Alembic, into every app worker (about 11 MiB, issue 18);
# tests/unit/test_worker_imports.py checks both.
app = rx.App(
    stylesheets=["/portal.css"],
    # Our routes first, and a static page served at its own address (no 307 to its trailing
    # slash, api/page_paths.py), then security headers around everything Reflex serves, then an upload
    # only for its tab's session; around it the upload size limit, so a too-large body is refused
    # before anything reads it; outermost, the stalled-body timeout and the refusal of uploads to a
    # handler that takes no files (answered 400 whoever asks).
    api_transformer=[
        build_api(),
        lambda asgi: serve_pages_in_place(asgi, [options["route"] for _, options in portal_page.REGISTERED]),
        with_security_headers,
        lambda asgi: same_session_uploads(
            asgi, lambda client_token: session_of_tab(app, client_token), sessionless_handlers=PROVIDER_UPLOADS
        ),
        limit_upload_size,
        guard_requests,
    ],
    head_components=[
        rx.el.meta(name="theme-color", content="#000091"),
        # A plain element: rx.script goes through react-helmet, whose UNSAFE_componentWillMount
        # makes React warn on every page.
        rx.el.script(src="/portal.js", defer=True),
    ],
)

# Every event of a tab waits for the tab's draft answer still being written (saves_behind.py).
app.add_middleware(SavesSettled())
# Every event, the hydrate first, runs in a state made under the event's own session.
app.add_middleware(SameSessionMiddleware())

for render, page_options in portal_page.REGISTERED:
    app.add_page(render, **page_options)

# The gallery and the démarche previews, in development only (pages/designer.py).
add_designer_pages(app)
