"""Checks of one answer by field kind, and reusable validators for démarche declarations.

Every message is French, names the field by its label and says how to fix the answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from portal_app.domain.core.formats import (
    email_error,
    parse_iso_date,
    phone_error,
    postal_code_error,
    siret_error,
    today_in_france,
)
from portal_app.domain.core.nir import nir_error
from portal_app.domain.dossiers import demarche as d

MIN_YEAR, MAX_YEAR = 1900, 2100


def quoted(label: str) -> str:
    return f"« {label} »"


def parse_amount(value: str) -> Decimal | None:
    """'1 234,50 €' -> Decimal('1234.50'); None when it is not an amount in euros."""
    text = re.sub(r"[\s\u00a0\u202f€]", "", value or "").replace(",", ".")
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]{1,2})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        return None


def parse_integer(value: str) -> int | None:
    text = re.sub(r"[\s\u00a0\u202f]", "", value or "")
    return int(text) if re.fullmatch(r"-?[0-9]{1,9}", text) else None


def parse_date(value: str) -> date | None:
    day = parse_iso_date(value)
    return day if day is not None and MIN_YEAR <= day.year <= MAX_YEAR else None


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return not str(value).strip()


def missing_message(spec: d.FieldSpec) -> str:
    if spec.missing:
        return spec.missing
    if spec.kind in d.CHOICE_KINDS:
        return f"Choisissez une réponse pour {quoted(spec.label)}."
    return f"Renseignez {quoted(spec.label)}."


def _range_error(spec: d.FieldSpec, number: float) -> str | None:
    low, high = spec.min_value, spec.max_value
    unit = f" {spec.unit}" if spec.unit else ""
    if low is not None and high is not None and not low <= number <= high:
        return f"{quoted(spec.label)} doit être compris entre {low:g} et {high:g}{unit}."
    if low is not None and number < low:
        return f"{quoted(spec.label)} doit être d'au moins {low:g}{unit}."
    if high is not None and number > high:
        return f"{quoted(spec.label)} ne doit pas dépasser {high:g}{unit}."
    return None


def kind_error(spec: d.FieldSpec, value: Any) -> str | None:
    """The check every answer of this kind gets, once it is not empty."""
    kind = spec.kind
    if kind in (d.TEXT, d.LONG_TEXT):
        limit = spec.limit or 0
        if len(str(value).strip()) > limit:
            return f"{quoted(spec.label)} ne doit pas dépasser {limit} caractères."
        return None
    if kind == d.EMAIL:
        return email_error(str(value))
    if kind == d.PHONE:
        return phone_error(str(value))
    if kind == d.SIRET:
        return siret_error(str(value))
    if kind == d.NIR:
        return nir_error(str(value))
    if kind == d.DATE:
        if parse_date(str(value)) is None:
            return f"Indiquez une date valide pour {quoted(spec.label)}, par exemple 15/09/2027."
        return None
    if kind == d.NUMBER:
        number = parse_integer(str(value))
        if number is None:
            return f"Indiquez un nombre entier pour {quoted(spec.label)}, sans virgule, par exemple 12."
        return _range_error(spec, number)
    if kind == d.AMOUNT:
        amount = parse_amount(str(value))
        if amount is None:
            return f"Indiquez un montant en euros pour {quoted(spec.label)}, par exemple 1 250,50."
        return _range_error(spec, float(amount))
    if kind in (d.SELECT, d.RADIO, d.YES_NO):
        allowed = {code for code, _ in spec.choices}
        return None if str(value) in allowed else f"Choisissez une des réponses proposées pour {quoted(spec.label)}."
    if kind == d.CHECKBOX:
        allowed = {code for code, _ in spec.choices}
        values = value if isinstance(value, (list, tuple)) else [value]
        return (
            None
            if all(str(v) in allowed for v in values)
            else f"Cochez une des réponses proposées pour {quoted(spec.label)}."
        )
    return None


def address_errors(spec: d.FieldSpec, parts: Mapping[str, str]) -> dict[str, str]:
    """Errors keyed by part key ("adresse.city"). An optional address is all or nothing."""
    line, postal, city = (str(parts.get(part, "") or "").strip() for part, _ in d.ADDRESS_PARTS)
    keys = dict(zip((part for part, _ in d.ADDRESS_PARTS), spec.keys, strict=True))
    errors: dict[str, str] = {}
    if not spec.required and not (line or postal or city):
        return errors
    if not line:
        errors[keys["line"]] = f"Indiquez le numéro et la voie pour {quoted(spec.label)}."
    elif len(line) > 200:
        errors[keys["line"]] = "Le numéro et la voie ne doivent pas dépasser 200 caractères."
    if not postal:
        errors[keys["postal_code"]] = f"Indiquez le code postal pour {quoted(spec.label)}."
    else:
        problem = postal_code_error(postal)
        if problem:
            errors[keys["postal_code"]] = problem
    if not city:
        errors[keys["city"]] = f"Indiquez la commune pour {quoted(spec.label)}."
    elif len(city) > 100:
        errors[keys["city"]] = "Le nom de la commune ne doit pas dépasser 100 caractères."
    return errors


# ---------------------------------------------------------------- reusable validators


def date_after(other: str, other_label: str, *, strictly: bool = True) -> d.Validator:
    """This date comes after the date answered in `other` (when that one is valid)."""

    @d.reading(other)
    def check(value: Any, answers: Mapping[str, Any]) -> str | None:
        mine, theirs = parse_date(str(value)), parse_date(str(answers.get(other, "") or ""))
        if mine is None or theirs is None:
            return None
        if mine < theirs or (strictly and mine == theirs):
            return f"La date doit être postérieure à {other_label.lower()}."
        return None

    return check


def date_not_in_future(label: str) -> d.Validator:
    @d.reading()
    def check(value: Any, _answers: Mapping[str, Any]) -> str | None:
        day = parse_date(str(value))
        if day is not None and day > today_in_france():
            return f"{quoted(label)} ne peut pas être dans le futur."
        return None

    return check
