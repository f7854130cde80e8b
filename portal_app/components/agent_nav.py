"""The back office's own sections, under the header."""

from __future__ import annotations

import reflex as rx

SECTIONS = (("Dossiers", "/agent"), ("Comptes", "/agent/comptes"))


def agent_nav(current: str) -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            *[
                rx.el.li(rx.el.a(text, href=href, aria_current="page" if href == current else None))
                for text, href in SECTIONS
            ],
            class_name="section-nav",
        ),
        aria_label="Back office",
    )
