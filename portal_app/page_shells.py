"""A prerendered shell for each dynamic route (`/demarches/dossier/[dossier_id]`).

Reflex 0.10.1 has React Router prerender its static routes only (`prerender: true` in
react-router.config.js, no setting): a dynamic address got the SPA fallback, an empty body, and
nothing was painted before the entry script, the route's module and hydration had run (the PTP
step scored below the static pages in Lighthouse, issue 18). This plugin (rxconfig.py) has React
Router prerender each dynamic route once more at a placeholder address, `_` for each `[param]`;
api/page_paths.py answers every address of the route with it. Nothing a page draws before
hydration comes from the address (Reflex reads the route's parameters into its state once
connected), so the shell is the same whatever the id, and React hydrates it as it is.

Imported by rxconfig.py, hence by every process: reflex_base only.
"""

from __future__ import annotations

import json

from reflex_base.constants import ReactRouter
from reflex_base.plugins import Plugin

PLACEHOLDER = "_"


def shell_path(route: str) -> str:
    """The address a dynamic route's shell is prerendered at: each `[param]` segment a `_`."""
    segments = route.strip("/").split("/")
    return "/" + "/".join(PLACEHOLDER if segment.startswith("[") else segment for segment in segments)


def with_shells(config_js: str, shells: list[str]) -> str:
    """react-router.config.js prerendering `shells` beside the static paths; unchanged where
    nothing is prerendered (development)."""
    prerendered = '"prerender": true'
    if prerendered not in config_js or not shells:
        return config_js
    listed = f'"prerender": async ({{ getStaticPaths }}) => [...getStaticPaths(), ...{json.dumps(shells)}]'
    return config_js.replace(prerendered, listed)


class DynamicPageShells(Plugin):
    """Prerenders a shell for each dynamic route (rxconfig.py): React Router's config is
    written by Reflex before the compile's file edits, which is where this one goes."""

    def pre_compile(self, **context) -> None:
        shells = sorted({shell_path(page.route) for page in context["unevaluated_pages"] if "[" in page.route})
        context["add_modify_task"](ReactRouter.CONFIG_FILE, lambda config_js: with_shells(config_js, shells))
