"""A dossier's status: text, an icon and a colour token together, so the status is never told
by colour alone (RGAA 3.1). Icons are decorative (aria-hidden): the text says it all."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

# StatusSpec.icon names drawn by CSS masks (assets/portal.css, .icon--<name>): no icon font
# to download, and no emoji a system may lack.
ICONS = ("pencil", "send", "hourglass", "alert", "check", "x", "archive")


def glyph(icon: str) -> str:
    """The CSS icon name for a StatusSpec.icon."""
    return icon if icon in ICONS else "dot"


def icon(name: Var | str) -> rx.Component:
    return rx.el.span(aria_hidden="true", class_name="icon icon--" + name)


def status_badge(label: Var | str, colour: Var | str, icon_name: Var | str) -> rx.Component:
    """icon_name: from glyph(), computed server side with the label."""
    return rx.el.span(
        icon(icon_name),
        rx.el.span(label),
        class_name="tag status-badge tag--" + colour,
    )
