"""The designers' pages, added to the app only in development (`make run`, `reflex run`): the
component gallery (/_galerie) and a preview of each démarche (/_apercu/<code>).

The production build (`make serve`: `reflex export --env prod`, then portal_app/serve.py, as the
e2e tests drive it) sets REFLEX_ENV_MODE=prod before it imports the app, so these pages are never
compiled into a production build: they are not hidden, they do not exist there.
"""

from __future__ import annotations

import reflex as rx
from reflex_base import constants
from reflex_base.environment import environment

from portal_app import demarches as registry
from portal_app import routes
from portal_app.components.titles import page_title
from portal_app.states.session import SessionState


def in_development() -> bool:
    return environment.REFLEX_ENV_MODE.get() == constants.Env.DEV


def add_designer_pages(app: rx.App) -> None:
    if not in_development():
        return
    # Imported here: a production build does not even load their code.
    from portal_app.pages.gallery import gallery
    from portal_app.pages.preview import preview_page

    app.add_page(
        gallery,
        route=routes.GALLERY,
        title=page_title("Galerie des composants"),
        on_load=SessionState.load_visitor,
    )
    for demarche in registry.all_demarches():
        app.add_page(
            preview_page(demarche),
            route=routes.preview(demarche.code),
            title=page_title(f"Aperçu : {demarche.title}"),
            on_load=SessionState.load_visitor,
        )
