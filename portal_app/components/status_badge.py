"""A dossier's status: text, an icon and a colour token together, so the status is never told
by colour alone (RGAA 3.1). Icons are decorative (aria-hidden): the text says it all."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

# StatusSpec.icon -> a glyph every system font has; no icon font to download.
ICONS = {
    "pencil": "✎",
    "send": "➜",
    "hourglass": "◐",  # ⧗ is missing from common fonts (drawn as a box)
    "alert": "!",
    "check": "✓",
    "x": "✕",
    "archive": "■",
}


def glyph(icon: str) -> str:
    return ICONS.get(icon, "•")


def status_badge(label: Var | str, colour: Var | str, icon: Var | str) -> rx.Component:
    """icon: a glyph (see glyph()), computed server side with the label."""
    return rx.el.span(
        rx.el.span(icon, aria_hidden="true", class_name="status-badge__icon"),
        rx.el.span(label),
        class_name="tag status-badge tag--" + colour,
    )
