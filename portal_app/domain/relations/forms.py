"""What a relation form accepts: a natural person or a legal person, each refusal in French."""

from __future__ import annotations

from datetime import date

from portal_app.domain.core.formats import (
    MIN_BIRTH_YEAR,
    name_error,
    normalize_name,
    normalize_siret,
    parse_iso_date,
    postal_code_error,
    siret_error,
    today_in_france,
)

PERSON = "person"
COMPANY = "company"
KINDS = ((PERSON, "Une personne"), (COMPANY, "Une entreprise ou une association"))
LINKS = (("enfant", "Enfant"), ("conjoint", "Conjoint·e"), ("parent", "Parent"), ("autre", "Autre"))

PERSON_FIELDS = ("link", "birth_name", "usage_name", "first_names", "birth_date", "birthplace")
COMPANY_FIELDS = ("siret", "company_name", "address_line", "postal_code", "city", "holder_role")
# Error summary order, as the form shows the fields.
ORDER = ("kind", *PERSON_FIELDS, *COMPANY_FIELDS)


def _text(data: dict, key: str) -> str:
    return " ".join(str(data.get(key, "") or "").split())


def _name(value: str, missing: str, label: str) -> str | None:
    """name_error speaks of "votre nom": a relation's name is someone else's."""
    if not value:
        return missing
    if name_error(value):
        return f"{label} ne peut contenir que des lettres, des espaces, des tirets et des apostrophes (100 au plus)."
    return None


def _birth_date(value: str, today: date) -> str | None:
    if not value:
        return "Indiquez la date de naissance."
    born = parse_iso_date(value)
    if born is None:
        return "Indiquez une date de naissance valide."
    if born > today:
        return "La date de naissance ne peut pas être dans le futur."
    if born.year < MIN_BIRTH_YEAR:
        return f"La date de naissance ne peut pas être antérieure à {MIN_BIRTH_YEAR}."
    return None


def _limited(value: str, missing: str, limit: int, label: str) -> str | None:
    if not value:
        return missing
    if len(value) > limit:
        return f"{label} ne doit pas dépasser {limit} caractères."
    return None


def clean_person(data: dict, today: date | None = None) -> tuple[dict, dict[str, str]]:
    cleaned = {
        "link": _text(data, "link"),
        "birth_name": normalize_name(_text(data, "birth_name")),
        "usage_name": normalize_name(_text(data, "usage_name")),
        "first_names": normalize_name(_text(data, "first_names")),
        "birthplace": _text(data, "birthplace"),
    }
    problems = {
        "link": None if cleaned["link"] in dict(LINKS) else "Indiquez votre lien avec cette personne.",
        "birth_name": _name(cleaned["birth_name"], "Indiquez le nom de naissance.", "Le nom de naissance"),
        "usage_name": _name(cleaned["usage_name"], "", "Le nom d'usage") if cleaned["usage_name"] else None,
        "first_names": _name(cleaned["first_names"], "Indiquez le ou les prénoms.", "Le prénom"),
        "birth_date": _birth_date(_text(data, "birth_date"), today or today_in_france()),
        "birthplace": _limited(cleaned["birthplace"], "Indiquez le lieu de naissance.", 100, "Le lieu de naissance"),
    }
    cleaned["birth_date"] = parse_iso_date(_text(data, "birth_date"))
    return cleaned, {key: message for key, message in problems.items() if message}


def clean_company(data: dict) -> tuple[dict, dict[str, str]]:
    cleaned = {
        "siret": normalize_siret(_text(data, "siret")),
        "company_name": _text(data, "company_name"),
        "address_line": _text(data, "address_line"),
        "postal_code": "".join(_text(data, "postal_code").split()),
        "city": _text(data, "city"),
        "holder_role": _text(data, "holder_role"),
    }
    problems = {
        "siret": siret_error(cleaned["siret"]),
        "company_name": _limited(cleaned["company_name"], "Indiquez la raison sociale.", 200, "La raison sociale"),
        "address_line": _limited(cleaned["address_line"], "Indiquez le numéro et la voie.", 200, "L'adresse"),
        "postal_code": postal_code_error(cleaned["postal_code"]),
        "city": _limited(cleaned["city"], "Indiquez la commune.", 100, "Le nom de la commune"),
        "holder_role": _limited(cleaned["holder_role"], "Indiquez votre rôle dans cette structure.", 100, "Votre rôle"),
    }
    return cleaned, {key: message for key, message in problems.items() if message}


def clean(kind: str, data: dict, today: date | None = None) -> tuple[dict, dict[str, str]]:
    if kind == PERSON:
        return clean_person(data, today)
    if kind == COMPANY:
        return clean_company(data)
    return {}, {"kind": "Indiquez s'il s'agit d'une personne ou d'une entreprise."}
