"""Règlements (payments to employers) as the employer sees them: search, monthly totals, pointing,
the dossiers they name. The agency's CSV import is in reglement_import.py."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import select

from portal_app.domain.core.dates import MONTHS
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.money import from_hundredths
from portal_app.models import Reglement
from portal_app.models.base import utcnow


def parse_date(text: str) -> date | None:
    text = (text or "").strip()
    match = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Line:
    id: int
    number: str
    paid_on: date
    dossier_number: str
    beneficiary: str
    formation: str
    hours: Decimal
    period_start: date
    period_end: date
    amount: Decimal
    pointed: bool


@dataclass
class MonthGroup:
    year: int
    month: int
    lines: list[Line]

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def beneficiary_name(last: str, first: str) -> str:
    return f"{last.upper()} {first}".strip()


def _line(row: Reglement) -> Line:
    return Line(
        id=row.id,
        number=row.number,
        paid_on=row.paid_on,
        dossier_number=row.dossier_number,
        beneficiary=beneficiary_name(row.beneficiary_last_name, row.beneficiary_first_name),
        formation=row.formation,
        hours=from_hundredths(row.hours_centi),
        period_start=row.period_start,
        period_end=row.period_end,
        amount=from_hundredths(row.amount_cents),
        pointed=row.pointed_at is not None,
    )


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    dossier: str = ""
    number: str = ""
    unpointed_only: bool = False


FILTER_ORDER = ("start", "end", "dossier", "number")


def parse_filters(data: dict) -> tuple[Filters, dict[str, str]]:
    """From the search form or the export link (ISO dates, as <input type=date> sends them)."""
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for key, label in (("start", "de début"), ("end", "de fin")):
        text = str(data.get(key, "") or "").strip()
        days[key] = parse_date(text) if text else None
        if text and days[key] is None:
            errors[key] = f"Indiquez une date {label} valide, par exemple 01/09/2019."
    if days["start"] and days["end"] and days["start"] > days["end"]:
        errors["end"] = "La date de fin doit être postérieure à la date de début."
    unpointed = data.get("unpointed") in (True, "on", "true", "1", 1)
    filters = Filters(
        start=days["start"],
        end=days["end"],
        dossier=clean_text(str(data.get("dossier", "") or ""))[:30],
        number=clean_text(str(data.get("number", "") or ""))[:20],
        unpointed_only=unpointed,
    )
    return filters, errors


def search(employer_id: int, filters: Filters = Filters()) -> list[Line]:
    """This employer's règlements matching the filters, newest first."""
    with session_scope() as db:
        query = select(Reglement).where(Reglement.employer_id == employer_id)
        if filters.start:
            query = query.where(Reglement.paid_on >= filters.start)
        if filters.end:
            query = query.where(Reglement.paid_on <= filters.end)
        if filters.dossier:
            query = query.where(Reglement.dossier_number.icontains(filters.dossier, autoescape=True))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        if filters.number:
            query = query.where(Reglement.number.contains(filters.number, autoescape=True))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        if filters.unpointed_only:
            query = query.where(Reglement.pointed_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        rows = db.exec(query.order_by(Reglement.paid_on.desc(), Reglement.number.desc())).all()  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        return [_line(row) for row in rows]


def group_by_month(lines: list[Line]) -> list[MonthGroup]:
    """Newest month first; lines keep their order inside a month."""
    groups: dict[tuple[int, int], MonthGroup] = {}
    for line in sorted(lines, key=lambda item: (item.paid_on, item.number), reverse=True):
        key = (line.paid_on.year, line.paid_on.month)
        groups.setdefault(key, MonthGroup(key[0], key[1], [])).lines.append(line)
    return list(groups.values())


def total(lines: list[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))


def set_pointed(employer_id: int, reglement_id: int, pointed: bool) -> bool:
    """Mark a règlement as reconciled (or not). False when it is not this employer's."""
    with session_scope() as db:
        row = db.get(Reglement, reglement_id)
        if row is None or row.employer_id != employer_id:
            return False
        row.pointed_at = utcnow() if pointed else None
        db.add(row)
        return True


# ---------------------------------------------------------------- dossiers


@dataclass(frozen=True)
class Dossier:
    """Until the démarches engine links employers to dossiers, an employer's dossiers are the
    distinct (dossier number, beneficiary) pairs of its règlements."""

    number: str
    beneficiary: str


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def dossiers_of(employer_id: int, query: str = "") -> list[Dossier]:
    with session_scope() as db:
        rows = db.exec(
            select(Reglement.dossier_number, Reglement.beneficiary_last_name, Reglement.beneficiary_first_name)
            .where(Reglement.employer_id == employer_id)
            .distinct()
        ).all()
    found = {Dossier(number, beneficiary_name(last, first)) for number, last, first in rows}
    wanted = _fold(" ".join(query.split()))
    if wanted:
        found = {
            d
            for d in found
            if wanted in _fold(d.number) or wanted in _fold(d.beneficiary) or wanted in _fold(_swap(d.beneficiary))
        }
    return sorted(found, key=lambda d: (d.beneficiary, d.number))


def _swap(name: str) -> str:
    # "DUPONT Marie" is also searched as "Marie Dupont".
    last, _, first = name.partition(" ")
    return f"{first} {last}"


def dossier_of(employer_id: int, number: str) -> Dossier | None:
    return next((d for d in dossiers_of(employer_id) if d.number == number), None)


def paid_range(lines: list[Line]) -> tuple[date, date] | None:
    if not lines:
        return None
    days = [line.paid_on for line in lines]
    return min(days), max(days)
