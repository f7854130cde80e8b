"""Editable profile fields and mail preferences of /mon-compte."""

from __future__ import annotations

from portal_app.domain.accounts.users import FormResult
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import name_error, normalize_name, normalize_phone, phone_error, postal_code_error
from portal_app.models import User

CERTIFIED_FIELDS = ("birth_name", "first_names")
PROFILE_FIELDS = ("birth_name", "usage_name", "first_names", "phone", "address_line", "postal_code", "city")


def clean_profile(data: dict) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key, label, required in (
        # name_error writes "Indiquez votre {label}": the label carries no possessive.
        ("birth_name", "nom de naissance", True),
        ("usage_name", "nom d'usage", False),
        ("first_names", "prénom", True),
    ):
        value = normalize_name(str(data.get(key, "")))
        if required or value:
            problem = name_error(value, label)
            if problem:
                errors[key] = problem
        cleaned[key] = value
    phone = str(data.get("phone", "")).strip()
    if phone:
        problem = phone_error(phone)
        if problem:
            errors["phone"] = problem
        else:
            phone = normalize_phone(phone)
    cleaned["phone"] = phone
    address = " ".join(str(data.get("address_line", "")).split())
    # "75 001" passes postal_code_error, which ignores spaces; the column holds 5 characters.
    postal_code = "".join(str(data.get("postal_code", "")).split())
    city = " ".join(str(data.get("city", "")).split())
    if len(address) > 200:
        errors["address_line"] = "L'adresse ne doit pas dépasser 200 caractères."
    if postal_code:
        problem = postal_code_error(postal_code)
        if problem:
            errors["postal_code"] = problem
    if len(city) > 100:
        errors["city"] = "Le nom de la commune ne doit pas dépasser 100 caractères."
    if (address or postal_code or city) and not (address and postal_code and city):
        for key, message in (
            ("address_line", "Indiquez le numéro et la voie."),
            ("postal_code", "Indiquez le code postal."),
            ("city", "Indiquez la commune."),
        ):
            if not {"address_line": address, "postal_code": postal_code, "city": city}[key]:
                errors.setdefault(key, message)
    cleaned.update(address_line=address, postal_code=postal_code, city=city)
    return cleaned, errors


def update_profile(user_id: int, data: dict) -> FormResult:
    cleaned, errors = clean_profile(data)
    if errors:
        return FormResult(errors)
    with session_scope() as db:
        user = db.get(User, user_id)
        for key, value in cleaned.items():
            # FranceConnect certified these: they stay as it sent them.
            if not (user.franceconnect_linked and key in CERTIFIED_FIELDS):
                setattr(user, key, value)
        db.add(user)
    return FormResult()


def update_preferences(user_id: int, notify_status: bool, notify_messages: bool) -> None:
    with session_scope() as db:
        user = db.get(User, user_id)
        user.notify_status = bool(notify_status)
        user.notify_messages = bool(notify_messages)
        db.add(user)
