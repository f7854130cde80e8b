"""Form field validators (French error message or None) and normalisers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# --- E-mail -----------------------------------------------------------------

EMAIL_MAX = 254
# Deliberately simpler than RFC 5322: quoted local parts and IP domains are
# legal but only ever typed by mistake on a public form.
_EMAIL = re.compile(
    r"(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59}))"
)


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def email_error(value: str) -> str | None:
    email = normalize_email(value)
    if not email:
        return "Indiquez votre adresse e-mail."
    if len(email) > EMAIL_MAX:
        return f"L'adresse e-mail ne doit pas dépasser {EMAIL_MAX} caractères."
    match = _EMAIL.fullmatch(email)
    if not match or len(match["local"]) > 64:
        return "Indiquez une adresse e-mail valide, par exemple nom@exemple.fr."
    return None


# --- Phone ------------------------------------------------------------------

# Overseas departments share the national plan: +262 692… is dialled 0692… in France.
_COUNTRY_CODES = ("33", "262", "590", "594", "596")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/]")
MSG_PHONE = "Indiquez un numéro de téléphone français valide, par exemple 06 12 34 56 78."


def _national_digits(value: str) -> str | None:
    """'+33 6 12 34 56 78' -> '0612345678', or None if not a French number."""
    compact = _PHONE_SEPARATORS.sub("", value or "").replace("(0)", "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        for code in _COUNTRY_CODES:
            if compact[1:].startswith(code):
                compact = "0" + compact[1 + len(code) :]
                break
        else:
            return None
    if re.fullmatch(r"0[1-9][0-9]{8}", compact):
        return compact
    return None


def normalize_phone(value: str) -> str:
    """'+33612345678' -> '06 12 34 56 78'; invalid input is returned stripped."""
    digits = _national_digits(value)
    if digits is None:
        return (value or "").strip()
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def phone_error(value: str) -> str | None:
    if not (value or "").strip():
        return "Indiquez votre numéro de téléphone."
    return None if _national_digits(value) else MSG_PHONE


# --- Names ------------------------------------------------------------------

NAME_MAX = 100
# Letters (any alphabet, accents included) joined by spaces, hyphens, apostrophes.
_NAME = re.compile(r"[^\W\d_]+(?:[ '’-]+[^\W\d_]+)*")


def normalize_name(value: str) -> str:
    # NFC so that "é" typed as e + accent counts as one letter.
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def name_error(value: str, label: str = "nom") -> str | None:
    name = normalize_name(value)
    if not name:
        return f"Indiquez votre {label}."
    if len(name) > NAME_MAX:
        return f"Votre {label} ne doit pas dépasser {NAME_MAX} caractères."
    if not _NAME.fullmatch(name):
        return f"Votre {label} ne peut contenir que des lettres, des espaces, des tirets et des apostrophes."
    return None


# --- Birth date -------------------------------------------------------------

MIN_BIRTH_YEAR = 1900
MIN_AGE = 16


def today_in_france() -> date:
    # The server may run in UTC: around midnight, the French date is what counts.
    try:
        return datetime.now(ZoneInfo("Europe/Paris")).date()
    except ZoneInfoNotFoundError:
        return date.today()


def parse_iso_date(value: str) -> date | None:
    text = (value or "").strip()
    # fromisoformat alone would also accept "19800514" or "1980-W20-3".
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_error(value: str, today: date | None = None) -> str | None:
    if not (value or "").strip():
        return "Indiquez votre date de naissance."
    birth = parse_iso_date(value)
    if birth is None:
        return "Indiquez une date de naissance valide."
    today = today or today_in_france()
    if birth > today:
        return "La date de naissance ne peut pas être dans le futur."
    if birth.year < MIN_BIRTH_YEAR:
        return f"La date de naissance ne peut pas être antérieure à {MIN_BIRTH_YEAR}."
    if age_on(birth, today) < MIN_AGE:
        return f"Vous devez avoir au moins {MIN_AGE} ans."
    return None


# --- Postal code ------------------------------------------------------------


def postal_code_error(value: str) -> str | None:
    code = "".join((value or "").split())
    if not code:
        return "Indiquez votre code postal."
    if not re.fullmatch(r"[0-9]{5}", code):
        return "Le code postal doit comporter 5 chiffres, par exemple 75001."
    return None


# --- SIRET ------------------------------------------------------------------

# La Poste's establishments are numbered in sequence: their SIRET cannot all
# pass Luhn, INSEE checks that the sum of the digits is a multiple of 5 instead.
LA_POSTE_SIREN = "356000000"


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def siret_error(value: str) -> str | None:
    siret = normalize_siret(value)
    if not siret:
        return "Indiquez le numéro SIRET."
    if not re.fullmatch(r"[0-9]{14}", siret):
        return "Le numéro SIRET doit comporter 14 chiffres."
    # La Poste's establishments sum to a multiple of 5; its head office (35600000000048) follows
    # Luhn like everyone else.
    la_poste_ok = siret.startswith(LA_POSTE_SIREN) and sum(map(int, siret)) % 5 == 0
    if not (la_poste_ok or _luhn_ok(siret)):
        return "Le numéro SIRET n'est pas valide : vérifiez votre saisie."
    return None


# The largest id a database integer column holds (PostgreSQL bigint, SQLite integer).
MAX_RECORD_ID = 2**63 - 1


def record_id(raw: object) -> int | None:
    """The id a URL names, or None when it names none: a database driver overflows past 2^63 - 1."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_RECORD_ID else None
