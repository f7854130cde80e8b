"""What the sign-up form must contain, checked all at once."""

from __future__ import annotations

from datetime import date

from portal_app.domain.accounts.passwords import password_error
from portal_app.domain.core.formats import (
    birth_date_error,
    email_error,
    name_error,
    normalize_email,
    normalize_phone,
    phone_error,
)
from portal_app.domain.core.nir import nir_error, normalize_nir

CIVILITIES = {"Madame": "Madame", "Monsieur": "Monsieur"}

# Order of the form: the error summary lists errors in this order.
FIELD_ORDER = (
    "civility",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "nir",
    "email",
    "phone",
    "password",
    "password_confirm",
    "accept_terms",
    "accept_privacy",
    "altcha",
)


def _ticked(value) -> bool:
    return value in (True, "on", "true", "1", 1)


def person_names(data: dict) -> tuple[str, ...]:
    return tuple(
        part
        for key in ("birth_name", "usage_name", "first_names")
        for part in str(data.get(key, "")).replace("-", " ").split()
    )


def password_pair_errors(data: dict, email: str, names: tuple[str, ...]) -> dict[str, str]:
    errors: dict[str, str] = {}
    password = str(data.get("password", ""))
    problem = password_error(password, email=email, names=names)
    if problem:
        errors["password"] = problem
    confirm = str(data.get("password_confirm", ""))
    if not confirm:
        errors["password_confirm"] = "Confirmez votre mot de passe."
    elif confirm != password:
        errors["password_confirm"] = "Les deux mots de passe ne sont pas identiques."
    return errors


def validate_registration(data: dict) -> dict[str, str]:
    """Field name → French message, for every problem at once (anti-robot check apart)."""
    errors: dict[str, str] = {}
    if data.get("civility") not in CIVILITIES:
        errors["civility"] = "Indiquez votre civilité."
    for key, label in (("birth_name", "nom de naissance"), ("first_names", "prénom")):
        problem = name_error(str(data.get(key, "")), label)
        if problem:
            errors[key] = problem
    if str(data.get("usage_name", "")).strip():
        problem = name_error(str(data["usage_name"]), "nom d'usage")
        if problem:
            errors["usage_name"] = problem
    problem = birth_date_error(str(data.get("birth_date", "")))
    if problem:
        errors["birth_date"] = problem
    problem = nir_error(str(data.get("nir", "")))
    if problem:
        errors["nir"] = problem
    problem = email_error(str(data.get("email", "")))
    if problem:
        errors["email"] = problem
    if str(data.get("phone", "")).strip():
        problem = phone_error(str(data["phone"]))
        if problem:
            errors["phone"] = problem
    email = normalize_email(str(data.get("email", "")))
    errors.update(password_pair_errors(data, email, person_names(data)))
    if not _ticked(data.get("accept_terms")):
        errors["accept_terms"] = "Acceptez les conditions générales d'utilisation pour créer votre compte."
    if not _ticked(data.get("accept_privacy")):
        errors["accept_privacy"] = "Acceptez la politique de confidentialité pour créer votre compte."
    return errors


def cleaned_identity(data: dict) -> dict:
    """The stored form of a valid registration's identity fields."""
    phone = str(data.get("phone", "")).strip()
    return {
        "civility": CIVILITIES[data["civility"]],
        "birth_name": " ".join(str(data["birth_name"]).split()),
        "usage_name": " ".join(str(data.get("usage_name", "")).split()),
        "first_names": " ".join(str(data["first_names"]).split()),
        "birth_date": date.fromisoformat(str(data["birth_date"])),
        "nir": normalize_nir(str(data["nir"])),
        "email": normalize_email(str(data["email"])),
        "phone": normalize_phone(phone) if phone else "",
    }
