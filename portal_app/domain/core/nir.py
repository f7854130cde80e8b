"""French social security number (NIR): normalisation, check and display."""

from __future__ import annotations

import re

LENGTH = 15

MSG_EMPTY = "Indiquez votre numéro de sécurité sociale."
MSG_LENGTH = "Le numéro de sécurité sociale doit comporter 15 caractères (13 chiffres et une clé de 2 chiffres)."
MSG_CHARS = "Le numéro de sécurité sociale ne doit contenir que des chiffres (ou 2A / 2B pour la Corse)."
MSG_FIRST_DIGIT = "Le numéro de sécurité sociale doit commencer par 1, 2, 3, 4, 7 ou 8."
MSG_KEY = "La clé du numéro de sécurité sociale ne correspond pas : vérifiez votre saisie."

# Department (positions 6-7) may be 2A / 2B for Corsica; everything else is digits.
_SHAPE = re.compile(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}")
# 1/2: born in France; 3/4: provisional numbers; 7/8: temporary numbers (foreigners).
_FIRST_DIGITS = frozenset("123478")
# The key is computed as if Corsica had kept its former numbers.
_CORSICA = {"2A": "19", "2B": "18"}


def normalize_nir(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper()


def nir_key(body: str) -> int:
    """Key of the 13-character body (department may be 2A / 2B)."""
    department = body[5:7]
    digits = body[:5] + _CORSICA.get(department, department) + body[7:]
    return 97 - int(digits) % 97


def nir_error(raw: str) -> str | None:
    nir = normalize_nir(raw)
    if not nir:
        return MSG_EMPTY
    if len(nir) != LENGTH:
        return MSG_LENGTH
    if not _SHAPE.fullmatch(nir):
        return MSG_CHARS
    if nir[0] not in _FIRST_DIGITS:
        return MSG_FIRST_DIGIT
    if nir_key(nir[:13]) != int(nir[13:]):
        return MSG_KEY
    return None


def format_nir(nir: str) -> str:
    """'295109912611193' -> '2 95 10 99 126 111 93'; anything else is returned normalised."""
    value = normalize_nir(nir)
    if len(value) != LENGTH:
        return value
    groups = (value[0], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13], value[13:])
    return " ".join(groups)


def masked_nir(nir: str) -> str:
    """'• •• •• •• ••• 111 93': the last digits only (order number and key), enough for the
    person to recognise theirs, nothing of their sex, birth date or birthplace. The one way a
    NIR is shown outside its own form (Mon compte, every mail)."""
    formatted = format_nir(nir)
    groups = formatted.split(" ")
    if len(groups) != 7:
        return "•" * len(formatted) if formatted else ""
    return " ".join(["•" * len(g) for g in groups[:5]] + groups[5:])


# A NIR written anywhere in a text, spaced or not (Corsica's 2A / 2B included).
_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[1-478](?: ?[0-9]){4} ?(?:[0-9] ?[0-9]|2 ?[AB])(?: ?[0-9]){8}(?![0-9A-Za-z])")


def mask_nirs_in(text: str) -> str:
    """Every valid NIR (its key checked) in a free text, masked with masked_nir."""

    def mask(match: re.Match) -> str:
        return masked_nir(match.group(0)) if nir_error(match.group(0)) is None else match.group(0)

    return _IN_TEXT.sub(mask, text)
