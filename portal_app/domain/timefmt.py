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
