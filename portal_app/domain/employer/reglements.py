"""Règlements (payments to employers): CSV import by the agency, search, monthly totals, pointing.

CSV accepted by `python -m portal_app.cli import-reglements FILE.csv` (also documented in README):
  - UTF-8 (a BOM is fine) or Windows-1252, as spreadsheets save it; separator ";" (or "," or tab);
  - a header line naming these columns, in any order:
      siret;date;dossier;nom;prenom;formation;reglement;heures;debut;fin;montant
    siret: the employer's SIRET (its account must exist); date: date of the règlement;
    dossier: dossier number; nom, prenom: the beneficiary; formation: its title;
    reglement: règlement number (digits, unique); heures: hours paid; debut, fin: period paid;
    montant: amount in euros;
  - dates as JJ/MM/AAAA (or AAAA-MM-JJ); numbers with a comma or a dot and at most 2 decimals,
    thousands may be separated by spaces ("5 529,88").
Every line is checked first; one bad line and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import normalize_siret, siret_error
from portal_app.domain.core.money import from_hundredths, parse_decimal, to_hundredths
from portal_app.models import EmployerAccount, Reglement
from portal_app.models.base import utcnow

COLUMNS = ("siret", "date", "dossier", "nom", "prenom", "formation", "reglement", "heures", "debut", "fin", "montant")
MAX_LINES = 50_000
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
_DOSSIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}")
_NUMBER = re.compile(r"[0-9]{1,20}")
MAX_AMOUNT = Decimal("10000000")
MAX_HOURS = Decimal("10000")


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


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


# ---------------------------------------------------------------- import


@dataclass
class RejectedLine:
    line: int
    errors: list[str]


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[RejectedLine] = field(default_factory=list)
    file_error: str = ""
    reglement_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.rejected

    def lines(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        return [f"Ligne {item.line} : " + " ".join(item.errors) for item in self.rejected]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What a French spreadsheet saves as "CSV" on Windows.
        return data.decode("cp1252", errors="replace")


def _header_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in folded if not unicodedata.combining(c)).strip().lower()


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _parse_line(row: dict[str, str]) -> tuple[dict, list[str]]:
    errors: list[str] = []
    values: dict = {}
    siret = normalize_siret(row.get("siret", ""))
    problem = siret_error(siret)
    if problem:
        errors.append(f"SIRET « {siret} » : {problem}")
    values["siret"] = siret
    for key, label, target in (
        ("date", "date du règlement", "paid_on"),
        ("debut", "début de période", "period_start"),
        ("fin", "fin de période", "period_end"),
    ):
        day = parse_date(row.get(key, ""))
        if day is None:
            errors.append(f"{label[0].upper() + label[1:]} « {_clean(row.get(key))} » illisible : écrivez JJ/MM/AAAA.")
        values[target] = day
    if values["period_start"] and values["period_end"] and values["period_start"] > values["period_end"]:
        errors.append("La période finit avant de commencer.")
    dossier = _clean(row.get("dossier"))
    if not _DOSSIER.fullmatch(dossier):
        errors.append(f"Numéro de dossier « {dossier} » invalide (lettres, chiffres, - / . _, 30 caractères au plus).")
    values["dossier_number"] = dossier
    for key, label, target, limit in (
        ("nom", "Nom du bénéficiaire", "beneficiary_last_name", 100),
        ("prenom", "Prénom du bénéficiaire", "beneficiary_first_name", 100),
        ("formation", "Formation", "formation", 200),
    ):
        text = _clean(row.get(key))
        if not text:
            errors.append(f"{label} manquant.")
        elif len(text) > limit:
            errors.append(f"{label} trop long ({limit} caractères au plus).")
        values[target] = text
    number = _clean(row.get("reglement"))
    if not _NUMBER.fullmatch(number):
        errors.append(f"Numéro de règlement « {number} » invalide (chiffres seulement).")
    values["number"] = number
    for key, label, target, limit in (
        ("heures", "Heures payées", "hours", MAX_HOURS),
        ("montant", "Montant", "amount", MAX_AMOUNT),
    ):
        amount = parse_decimal(row.get(key, ""))
        if amount is None:
            errors.append(
                f"{label} « {_clean(row.get(key))} » illisible : un nombre avec 2 décimales au plus, par exemple 1 234,56."
            )
        elif amount <= 0 or amount >= limit:
            errors.append(f"{label} « {_clean(row.get(key))} » hors limites.")
        values[target] = amount
    return values, errors


def read_csv(data: bytes) -> tuple[list[tuple[int, dict]], ImportReport]:
    """Parse and check every line, without touching the database."""
    report = ImportReport()
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        report.file_error = "Le fichier est vide."
        return [], report
    keys = [_header_key(name) for name in header]
    missing = [name for name in COLUMNS if name not in keys]
    if missing:
        report.file_error = (
            "Ligne 1 : colonnes manquantes : "
            + ", ".join(missing)
            + ". L'en-tête attendu est : "
            + ";".join(COLUMNS)
            + "."
        )
        return [], report
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(parsed) + len(report.rejected) >= MAX_LINES:
            report.file_error = f"Le fichier dépasse {MAX_LINES} lignes : découpez-le."
            return [], report
        if len(cells) != len(header):
            report.rejected.append(RejectedLine(line, [f"{len(cells)} colonnes au lieu de {len(header)}."]))
            continue
        values, errors = _parse_line(dict(zip(keys, cells, strict=True)))
        number = values["number"]
        if number and number in seen:
            errors.append(f"Le règlement n°{number} figure déjà ligne {seen[number]}.")
        seen.setdefault(number, line)
        if errors:
            report.rejected.append(RejectedLine(line, errors))
        else:
            parsed.append((line, values))
    if not parsed and not report.rejected:
        report.file_error = "Le fichier ne contient aucun règlement."
    return parsed, report


def import_reglements(
    data: bytes, on_created: Callable[[Session, Reglement, EmployerAccount], None] | None = None
) -> ImportReport:
    """All the lines or none. on_created (e.g. filing the avis de virement) runs in the same unit of work."""
    parsed, report = read_csv(data)
    if report.file_error:
        return report
    with session_scope() as db:
        accounts = {a.siret: a for a in db.exec(select(EmployerAccount)).all()}
        numbers = [values["number"] for _, values in parsed]
        existing = set()
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            existing |= set(db.exec(select(Reglement.number).where(Reglement.number.in_(chunk))).all())  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        for line, values in parsed:
            errors = []
            if values["siret"] not in accounts:
                errors.append(
                    f"Aucun compte employeur pour le SIRET {values['siret']} : créez-le d'abord (create-employer)."
                )
            if values["number"] in existing:
                errors.append(f"Le règlement n°{values['number']} est déjà importé.")
            if errors:
                report.rejected.append(RejectedLine(line, errors))
        if report.rejected:
            report.rejected.sort(key=lambda item: item.line)
            return report
        now = utcnow()
        for _, values in parsed:
            account = accounts[values["siret"]]
            reglement = Reglement(
                employer_id=account.user_id,
                number=values["number"],
                paid_on=values["paid_on"],
                dossier_number=values["dossier_number"],
                beneficiary_last_name=values["beneficiary_last_name"],
                beneficiary_first_name=values["beneficiary_first_name"],
                formation=values["formation"],
                hours_centi=to_hundredths(values["hours"]),
                period_start=values["period_start"],
                period_end=values["period_end"],
                amount_cents=to_hundredths(values["amount"]),
                imported_at=now,
            )
            db.add(reglement)
            db.flush()
            if on_created is not None:
                on_created(db, reglement, account)
            report.reglement_ids.append(reglement.id)
        report.imported = len(parsed)
    return report


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
        dossier=_clean(str(data.get("dossier", "") or ""))[:30],
        number=_clean(str(data.get("number", "") or ""))[:20],
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
