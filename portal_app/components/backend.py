"""Links to our own HTTP routes (downloads), which live on the backend's origin."""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars import Var, VarData


def backend_href(path: Var | str) -> Var:
    """The route's URL as Reflex's own getBackendURL builds it: the page's origin in production
    (one port), the backend's port in development; same host name, so the cookie goes along."""
    path_var = Var.create(path)
    return Var(
        _js_expr=f"(getBackendURL(env.PING).origin + {path_var!s})",
        _var_type=str,
        _var_data=VarData.merge(
            VarData(imports={"$/utils/state": ["getBackendURL"], "$/env.json": ImportVar(tag="env", is_default=True)}),
            path_var._get_all_var_data(),
        ),
    )


def file_link(*children, href: Var | str, download: Var | str | bool = True, **props) -> rx.Component:
    """A download from one of our routes. Reflex renders rx.el.a as a router link: a file is a
    real request (reloadDocument), not a page of the app's router."""
    return rx.el.a(*children, href=backend_href(href), download=download, reload_document=True, **props)
