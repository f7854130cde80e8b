"""What a quote must say, checked from the provider's form; amounts, totals and what changed.

Pure functions: no database here. Money is Decimal, stored in hundredths (core/money.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from portal_app.domain.core.formats import parse_iso_date, postal_code_error
from portal_app.domain.core.money import euros, from_hundredths, parse_decimal, to_hundredths
from portal_app.models import QuoteVersion

MAX_PRICE = Decimal(1_000_000)
MAX_HOURS = 5000
TEXT_LIMITS = {"title": 200, "location_line": 200, "location_city": 100}
# France compétences codes: RNCP35185, RS5487 (a space or dash after the prefix is tolerated).
_CERTIFICATION = re.compile(r"(RNCP|RS) ?-?([0-9]{3,6})")

# The provider's form, in its order: (name, label).
FORM_FIELDS = (
    ("title", "Intitulé de la formation"),
    ("certification_code", "Code de la certification (RNCP ou RS)"),
    ("start_date", "Date de début"),
    ("end_date", "Date de fin"),
    ("hours_training", "Heures en centre de formation"),
    ("hours_company", "Heures en entreprise"),
    ("location_line", "Lieu : numéro et voie"),
    ("location_postal_code", "Lieu : code postal"),
    ("location_city", "Lieu : commune"),
    ("price_teaching", "Coût pédagogique (euros TTC)"),
    ("price_extra", "Frais annexes (euros TTC)"),
    ("valid_until", "Devis valable jusqu'au"),
)
LABELS = dict(FORM_FIELDS)


def certification_code(value: str) -> str | None:
    """'rncp 35185' -> 'RNCP35185'; None when it is not an RNCP or RS code."""
    match = _CERTIFICATION.fullmatch(re.sub(r"\s+", " ", (value or "").strip().upper()))
    return f"{match.group(1)}{match.group(2)}" if match else None


@dataclass(frozen=True)
class QuoteTerms:
    """A checked quote, ready to be stored as a QuoteVersion."""

    title: str
    certification_code: str
    start_date: date
    end_date: date
    hours_training: int
    hours_company: int
    location_line: str
    location_postal_code: str
    location_city: str
    price_teaching: Decimal
    price_extra: Decimal
    valid_until: date

    def columns(self) -> dict[str, Any]:
        values = dict(self.__dict__)
        values["price_teaching"] = to_hundredths(self.price_teaching)
        values["price_extra"] = to_hundredths(self.price_extra)
        return values


def _hours(text: str, label: str, errors: dict[str, str], name: str) -> int:
    compact = re.sub(r"[\s\u00a0]", "", text)
    if not re.fullmatch(r"[0-9]{1,5}", compact) or int(compact) > MAX_HOURS:
        errors[name] = f"{label} : indiquez un nombre entier d'heures, de 0 à {MAX_HOURS}."
        return 0
    return int(compact)


def _price(text: str, label: str, errors: dict[str, str], name: str) -> Decimal:
    value = parse_decimal(text.replace("€", ""))
    if value is None or value < 0 or value > MAX_PRICE:
        errors[name] = f"{label} : indiquez un montant en euros, par exemple 8 450,00."
        return Decimal(0)
    return value


def check_terms(data: dict[str, Any], today: date) -> tuple[QuoteTerms | None, dict[str, str]]:
    """(terms, {}) when the provider's form is complete and consistent, else (None, errors by field)."""
    raw = {name: str(data.get(name, "") or "").strip() for name, _ in FORM_FIELDS}
    errors: dict[str, str] = {}
    for name, label in FORM_FIELDS:
        if not raw[name]:
            errors[name] = f"Indiquez « {label} »."
    for name, limit in TEXT_LIMITS.items():
        if len(raw[name]) > limit:
            errors[name] = f"{LABELS[name]} : {limit} caractères au plus."
    code = certification_code(raw["certification_code"])
    if raw["certification_code"] and code is None:
        errors["certification_code"] = "Le code doit être de la forme RNCP35185 ou RS5487."
    dates = {}
    for name in ("start_date", "end_date", "valid_until"):
        dates[name] = parse_iso_date(raw[name])
        if raw[name] and dates[name] is None:
            errors[name] = f"{LABELS[name]} : indiquez une date valide."
    if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
        errors["end_date"] = "La date de fin doit être après la date de début."
    if dates["valid_until"] and dates["valid_until"] < today:
        errors["valid_until"] = "La date de validité du devis est déjà passée."
    postal = postal_code_error(raw["location_postal_code"]) if raw["location_postal_code"] else None
    if postal:
        errors["location_postal_code"] = postal
    hours = {
        name: _hours(raw[name], LABELS[name], errors, name) for name in ("hours_training", "hours_company") if raw[name]
    }
    if hours.get("hours_training", 1) + hours.get("hours_company", 0) == 0:
        errors["hours_training"] = "La formation doit compter au moins une heure."
    prices = {
        name: _price(raw[name], LABELS[name], errors, name) for name in ("price_teaching", "price_extra") if raw[name]
    }
    if errors:
        return None, errors
    return QuoteTerms(
        title=raw["title"],
        certification_code=code or "",
        start_date=dates["start_date"],
        end_date=dates["end_date"],
        hours_training=hours["hours_training"],
        hours_company=hours["hours_company"],
        location_line=raw["location_line"],
        location_postal_code=raw["location_postal_code"],
        location_city=raw["location_city"],
        price_teaching=prices["price_teaching"],
        price_extra=prices["price_extra"],
        valid_until=dates["valid_until"],
    ), {}


# ---------------------------------------------------------------- reading a stored version


def total(version: QuoteVersion) -> Decimal:
    return from_hundredths(version.price_teaching + version.price_extra)


def shown_values(version: QuoteVersion) -> dict[str, str]:
    """Each value of a version as French readers read it (dates 14/09/2026, amounts 8 450,00 €)."""
    return {
        "title": version.title,
        "certification_code": version.certification_code,
        "start_date": version.start_date.strftime("%d/%m/%Y"),
        "end_date": version.end_date.strftime("%d/%m/%Y"),
        "hours_training": f"{version.hours_training} h",
        "hours_company": f"{version.hours_company} h",
        "location": f"{version.location_line}, {version.location_postal_code} {version.location_city}",
        "price_teaching": euros(from_hundredths(version.price_teaching)),
        "price_extra": euros(from_hundredths(version.price_extra)),
        "total": euros(total(version)),
        "valid_until": version.valid_until.strftime("%d/%m/%Y"),
    }


SHOWN_LABELS = {
    "title": "Formation",
    "certification_code": "Certification",
    "start_date": "Début",
    "end_date": "Fin",
    "hours_training": "Heures en centre",
    "hours_company": "Heures en entreprise",
    "location": "Lieu",
    "price_teaching": "Coût pédagogique",
    "price_extra": "Frais annexes",
    "total": "Total",
    "valid_until": "Valable jusqu'au",
}


def form_values(version: QuoteVersion | None) -> dict[str, str]:
    """The provider's form filled from a version, as check_terms reads it back ("8450,00",
    ISO dates): a revision changes what differs instead of typing everything again."""
    if version is None:
        return {name: "" for name, _ in FORM_FIELDS}
    values = {name: str(getattr(version, name)) for name, _ in FORM_FIELDS}
    for name in ("start_date", "end_date", "valid_until"):
        values[name] = getattr(version, name).isoformat()
    for name in ("price_teaching", "price_extra"):
        values[name] = f"{from_hundredths(getattr(version, name)):.2f}".replace(".", ",")
    return values


def changes(previous: QuoteVersion | None, version: QuoteVersion) -> list[str]:
    """What a revision changed, one French line per value: "Total : 9 000,00 € → 8 450,00 €"."""
    if previous is None:
        return []
    before, after = shown_values(previous), shown_values(version)
    return [f"{SHOWN_LABELS[key]} : {before[key]} → {after[key]}" for key in after if before[key] != after[key]]


# Values an accepted quote gives to the dossier's answers (QuoteSpec.fills names them).
def answer_values(version: QuoteVersion, provider_name: str, provider_siret: str) -> dict[str, str]:
    return {
        "title": version.title,
        "provider_name": provider_name,
        "provider_siret": provider_siret,
        "certification_code": version.certification_code,
        "certification_kind": "rs" if version.certification_code.startswith("RS") else "rncp",
        "start_date": version.start_date.isoformat(),
        "end_date": version.end_date.isoformat(),
        "hours_total": str(version.hours_training + version.hours_company),
        "location_line": version.location_line,
        "location_postal_code": version.location_postal_code,
        "location_city": version.location_city,
        "price_teaching": f"{from_hundredths(version.price_teaching):.2f}",
        "price_extra": f"{from_hundredths(version.price_extra):.2f}",
        "modality": "presentiel",
    }
