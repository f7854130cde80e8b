"""The agency's CSV import of règlements (payments to employers).

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
from decimal import Decimal

from sqlmodel import Session, select

from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import normalize_siret, siret_error
from portal_app.domain.core.money import parse_decimal, to_hundredths
from portal_app.domain.employer.reglements import clean_text, parse_date
from portal_app.models import EmployerAccount, Reglement
from portal_app.models.base import utcnow

COLUMNS = ("siret", "date", "dossier", "nom", "prenom", "formation", "reglement", "heures", "debut", "fin", "montant")
MAX_LINES = 50_000
_DOSSIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}")
_NUMBER = re.compile(r"[0-9]{1,20}")
MAX_AMOUNT = Decimal("10000000")
MAX_HOURS = Decimal("10000")


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
            errors.append(
                f"{label[0].upper() + label[1:]} « {clean_text(row.get(key))} » illisible : écrivez JJ/MM/AAAA."
            )
        values[target] = day
    if values["period_start"] and values["period_end"] and values["period_start"] > values["period_end"]:
        errors.append("La période finit avant de commencer.")
    dossier = clean_text(row.get("dossier"))
    if not _DOSSIER.fullmatch(dossier):
        errors.append(f"Numéro de dossier « {dossier} » invalide (lettres, chiffres, - / . _, 30 caractères au plus).")
    values["dossier_number"] = dossier
    for key, label, target, limit in (
        ("nom", "Nom du bénéficiaire", "beneficiary_last_name", 100),
        ("prenom", "Prénom du bénéficiaire", "beneficiary_first_name", 100),
        ("formation", "Formation", "formation", 200),
    ):
        text = clean_text(row.get(key))
        if not text:
            errors.append(f"{label} manquant.")
        elif len(text) > limit:
            errors.append(f"{label} trop long ({limit} caractères au plus).")
        values[target] = text
    number = clean_text(row.get("reglement"))
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
                f"{label} « {clean_text(row.get(key))} » illisible : un nombre avec 2 décimales au plus, par exemple 1 234,56."
            )
        elif amount <= 0 or amount >= limit:
            errors.append(f"{label} « {clean_text(row.get(key))} » hors limites.")
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
