"""A dossier status as a tag: its text always, an icon beside it (colour is never the only cue)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

# StatusSpec.icon names -> a character every system font has.
ICONS = {"pencil": "✎", "send": "➤", "hourglass": "◐", "alert": "!", "check": "✓", "x": "✕", "archive": "▪"}


def status_badge(label: Var | str, colour: Var | str, icon: Var | str = "") -> rx.Component:
    glyph = rx.match(icon, *ICONS.items(), "•") if isinstance(icon, Var) else ICONS.get(icon, "•")
    return rx.el.span(
        rx.el.span(glyph, aria_hidden="true", class_name="tag__icon"),
        label,
        class_name="tag tag--" + colour,
    )
