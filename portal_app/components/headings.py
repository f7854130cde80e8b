"""A heading of a given level, for the components drawn at different depths of a page's outline
(a recap step under the page's h1, or under the designers' preview's "Récapitulatif" h2)."""

from __future__ import annotations

import reflex as rx


def heading(level: int, *children, **props) -> rx.Component:
    if level not in range(1, 7):
        raise ValueError(f"no heading of level {level}")
    return getattr(rx.el, f"h{level}")(*children, **props)
