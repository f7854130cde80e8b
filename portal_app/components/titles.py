"""Page titles (<title>): the most specific words first, the site last, errors announced first."""

from __future__ import annotations

SITE = "Portail"


def page_title(*parts: str, error: bool = False) -> str:
    """page_title("Dossier PTP-2026-000001") -> "Dossier PTP-2026-000001 — Portail"."""
    words = " — ".join([part for part in parts if part] + [SITE])
    return f"Erreur : {words}" if error else words
