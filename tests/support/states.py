"""The app's real rx.State classes, driven without a browser.

state = state_of(PiecesState)                                  # in a fresh tree, as a tab holds it
visit(state, "/demarches/dossier/[dossier_id]", dossier_id=3)   # the router data of that page
handle(state.load())                                            # handlers run on the real instance
asyncio.run(drain(state.upload([upload_file("rib.pdf", data)], "rib")))
"""

from __future__ import annotations

import asyncio
import inspect
import io
from pathlib import Path
from urllib.parse import urlencode

import reflex as rx
from reflex.constants import RouteVar
from reflex.istate.data import RouterData
from reflex.route import get_route_args

ORIGIN = "http://localhost:3000"


def state_of(state_class: type[rx.State]) -> rx.State:
    """An instance of `state_class` inside a new tree of every state (root, router, parents),
    as Reflex builds one for each tab, so handlers read and write the class's own vars."""
    root = rx.State(_reflex_internal_init=True)
    return root.get_substate(state_class.get_full_name().split("."))


def visit(state: rx.State, route: str, **params: object) -> None:
    """Give the state's tree the router data Reflex sends with an event of the page `route`
    (its pattern, e.g. "/demarches/dossier/[dossier_id]") with `params` filled in."""
    path, query = route, {}
    for name, value in params.items():
        if f"[{name}]" in path:
            path = path.replace(f"[{name}]", str(value))
        else:
            query[name] = str(value)
    router_data = {
        RouteVar.PATH: route,
        # The address as the browser has it: route arguments in the path, the rest as its query.
        RouteVar.ORIGIN: path + (f"?{urlencode(query)}" if query else ""),
        RouteVar.QUERY: {name: str(value) for name, value in params.items()},
        RouteVar.HEADERS: {"origin": ORIGIN},
    }
    # What app.add_page does for a dynamic route: the state gets a var per route argument.
    rx.State.setup_dynamic_args(get_route_args(route))
    root = state._get_root_state()
    root.router_data = router_data
    root.router = RouterData.from_router_data(router_data)


def upload_file(name: str, data: bytes) -> rx.UploadFile:
    """One file as Reflex hands it to an upload handler (its name comes from `path`)."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


async def drain(events) -> None:
    """Run an event handler that yields (an upload handler) to its end."""
    async for _ in events:
        pass


def handle(result):
    """Run what calling a handler gave to its end and return its result: a guarded handler is
    a coroutine (a plain one runs in a thread), an upload handler an async generator."""
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    if inspect.isasyncgen(result):
        return asyncio.run(drain(result))
    if inspect.isgenerator(result):
        return list(result)
    return result
