"""The app's real rx.State classes, driven without a browser.

state = state_of(DocumentsState)   # a substate of a fresh root State, as a tab holds it
state.load()                       # handlers run on the real instance, with its real vars
"""

from __future__ import annotations

import io
from pathlib import Path

import reflex as rx


def state_of(state_class: type[rx.State]) -> rx.State:
    """An instance of `state_class` inside a new tree of every state (root, router, parents),
    as Reflex builds one for each tab, so handlers read and write the class's own vars."""
    root = rx.State(_reflex_internal_init=True)
    return root.get_substate(state_class.get_full_name().split("."))


def upload_file(name: str, data: bytes) -> rx.UploadFile:
    """One file as Reflex hands it to an upload handler (its name comes from `path`)."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


async def drain(events) -> None:
    """Run an event handler that yields (an upload handler) to its end."""
    async for _ in events:
        pass
