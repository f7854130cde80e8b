"""Dates and times as French users read them, in Paris time."""

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_time(moment: datetime) -> str:
    """14:32:05: the seconds matter for a one-minute wait."""
    local = moment.astimezone(PARIS)
    return local.strftime("%H:%M:%S")


def paris_datetime(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return local.strftime("%d/%m/%Y à %H:%M")


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def paris_long(moment: datetime) -> str:
    """3 mars 2026 à 14 h 05 (1er for the first day of a month), as French prose writes it."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {MONTHS[local.month - 1]} {local.year} à {local.hour} h {local.minute:02d}"
