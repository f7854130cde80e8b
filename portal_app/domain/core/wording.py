"""Counts and durations in French words: "0 dossier", "1 dossier", "2 dossiers", "1 heure".

French puts 0 and 1 in the singular. Every count and every validity period shown to a person
goes through here, so one rule holds on every page and in every mail.
"""

from __future__ import annotations

from datetime import timedelta


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word agreeing with count: plural("dossier", ...) → "dossier" or "dossiers".
    plural_form for the irregular ones ("message non lu" → "messages non lus")."""
    if abs(count) < 2:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def count_label(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "3 dossiers", "1 document déplacé" (pass the plural of a phrase that has several words)."""
    return f"{count} {plural(count, singular, plural_form)}"


_UNITS = ((timedelta(days=1), "jour"), (timedelta(hours=1), "heure"), (timedelta(minutes=1), "minute"))


def duration(length: timedelta) -> str:
    """A validity period in the largest unit that divides it exactly: 60 minutes is "1 heure",
    48 hours stay "48 heures" (people count a two-day link in hours), 7 days is "7 jours"."""
    for unit, word in _UNITS:
        if length >= unit and length % unit == timedelta(0):
            if word == "jour" and length < timedelta(days=3):
                continue
            return count_label(length // unit, word)
    seconds = int(length.total_seconds())
    return count_label(seconds, "seconde")
