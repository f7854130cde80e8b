"""Move the keyboard focus once the page has drawn what a handler changed."""

from __future__ import annotations

import json

import reflex as rx


def focus_soon(element_id: str):
    """Focus `element_id` after the next render (60 ms: the update lands first); nothing if it is gone."""
    return rx.call_script(f"setTimeout(() => document.getElementById({json.dumps(element_id)})?.focus(), 60)")
