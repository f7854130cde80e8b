from datetime import date

import pytest

from portal_app.domain.core import formats
from portal_app.domain.core.formats import (
    MSG_PHONE,
    age_on,
    birth_date_error,
    email_error,
    name_error,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_siret,
    phone_error,
    postal_code_error,
    siret_error,
)

INVALID_EMAIL = "Indiquez une adresse e-mail valide, par exemple nom@exemple.fr."
TODAY = date(2025, 6, 15)


# --- E-mail -----------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "nom@exemple.fr",
        "  Jean.Dupont@Exemple.FR ",
        "jean+portail@mairie.example.gouv.fr",
        "o'neil@exemple.com",
        "a_b-c@sous-domaine.exemple.org",
        "user@xn--exmple-cva.fr",
    ],
)
def test_valid_email(email):
    assert email_error(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "nom",
        "nom@",
        "@exemple.fr",
        "nom@exemple",
        "nom@@exemple.fr",
        "nom @exemple.fr",
        "nom@exemple..fr",
        ".nom@exemple.fr",
        "nom.@exemple.fr",
        "no..m@exemple.fr",
        "nom@-exemple.fr",
        "nom@exemple.f",
        "nom@exemple.fr.",
        "nom@exemple.123",
        "nom,prenom@exemple.fr",
        "élodie@exemple.fr",
        "a" * 65 + "@exemple.fr",
    ],
)
def test_invalid_email(email):
    assert email_error(email) == INVALID_EMAIL


def test_email_empty_and_too_long():
    assert email_error("") == "Indiquez votre adresse e-mail."
    assert email_error("   ") == "Indiquez votre adresse e-mail."
    too_long = "a@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "." + "e" * 70 + ".fr"
    assert len(too_long) > 254
    assert "254 caractères" in email_error(too_long)


def test_normalize_email():
    assert normalize_email("  Jean.Dupont@Exemple.FR ") == "jean.dupont@exemple.fr"


# --- Phone ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_valid_mobile_phone(phone):
    assert phone_error(phone) is None
    assert normalize_phone(phone) == "06 12 34 56 78"


def test_landline_and_overseas():
    assert normalize_phone("01 23 45 67 89") == "01 23 45 67 89"
    assert normalize_phone("+262 692 12 34 56") == "06 92 12 34 56"
    assert normalize_phone("+590690123456") == "06 90 12 34 56"


@pytest.mark.parametrize(
    "phone",
    [
        "061234567",  # 9 digits
        "06123456789",  # 11 digits
        "6 12 34 56 78",  # missing leading 0
        "00 12 34 56 78",
        "+33 06 12 34 56 78",
        "+44 20 7946 0958",  # not French
        "06 12 34 56 7a",
        "téléphone",
    ],
)
def test_invalid_phone(phone):
    assert phone_error(phone) == MSG_PHONE


def test_phone_empty_and_invalid_normalisation():
    assert phone_error("  ") == "Indiquez votre numéro de téléphone."
    assert normalize_phone(" 12 ") == "12"


# --- Names ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Dupont", "Jean-Pierre", "D'Artagnan", "N’Diaye", "Le Bris", "Éloïse", "Müller", "Ø"],
)
def test_valid_name(name):
    assert name_error(name, "nom") is None


@pytest.mark.parametrize("name", ["Jean2", "Dupont!", "-", "'", "Jean_Pierre", "@lice", "Jean-"])
def test_invalid_name(name):
    assert name_error(name, "prénom") == (
        "Votre prénom ne peut contenir que des lettres, des espaces, des tirets et des apostrophes."
    )


def test_name_empty_and_length():
    assert name_error("  ", "prénom") == "Indiquez votre prénom."
    assert name_error("a" * 100, "nom") is None
    assert name_error("a" * 101, "nom") == "Votre nom ne doit pas dépasser 100 caractères."


def test_decomposed_accents_are_letters():
    decomposed = "Ele\u0301onore"
    assert name_error(decomposed, "prénom") is None
    assert normalize_name(decomposed) == "El\u00e9onore"


def test_normalize_name_collapses_spaces():
    assert normalize_name("  Jean   Pierre  ") == "Jean Pierre"


# --- Birth date -------------------------------------------------------------


@pytest.mark.parametrize("value", ["1980-05-14", "1900-01-01", "2009-06-15"])
def test_valid_birth_date(value):
    assert birth_date_error(value, today=TODAY) is None


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Indiquez votre date de naissance."),
        ("14/05/1980", "Indiquez une date de naissance valide."),
        ("19800514", "Indiquez une date de naissance valide."),
        ("1980-02-30", "Indiquez une date de naissance valide."),
        ("2025-06-16", "La date de naissance ne peut pas être dans le futur."),
        ("1899-12-31", "La date de naissance ne peut pas être antérieure à 1900."),
        ("2009-06-16", "Vous devez avoir au moins 16 ans."),  # 16 tomorrow
        ("2025-06-15", "Vous devez avoir au moins 16 ans."),
    ],
)
def test_invalid_birth_date(value, message):
    assert birth_date_error(value, today=TODAY) == message


def test_birth_date_defaults_to_today():
    assert birth_date_error("1980-05-14") is None
    assert birth_date_error("2999-01-01") == "La date de naissance ne peut pas être dans le futur."


def test_age_on_leap_day():
    born = date(2008, 2, 29)
    assert age_on(born, date(2024, 2, 28)) == 15
    assert age_on(born, date(2024, 2, 29)) == 16
    assert age_on(born, date(2025, 2, 28)) == 16


# --- Postal code ------------------------------------------------------------


def test_postal_code():
    assert postal_code_error("75001") is None
    assert postal_code_error(" 97 400 ") is None
    assert postal_code_error("") == "Indiquez votre code postal."
    for bad in ("7500", "750011", "75OO1", "2A004"):
        assert postal_code_error(bad) == ("Le code postal doit comporter 5 chiffres, par exemple 75001.")


# --- SIRET ------------------------------------------------------------------

INVALID_SIRET = "Le numéro SIRET n'est pas valide : vérifiez votre saisie."


@pytest.mark.parametrize(
    "siret",
    ["73282932000074", "732 829 320 00074", "356 000 000 00048", "35600000000010"],
)
def test_valid_siret(siret):
    assert siret_error(siret) is None


@pytest.mark.parametrize("siret", ["73282932000075", "73282932000047", "35600000000011"])
def test_siret_checksum(siret):
    assert siret_error(siret) == INVALID_SIRET


def test_la_poste_rule_accepts_what_luhn_refuses():
    from portal_app.domain.core.formats import _luhn_ok

    assert not _luhn_ok("35600000000010")
    assert siret_error("35600000000010") is None
    assert siret_error("73282932000010") == INVALID_SIRET


def test_siret_shape():
    assert siret_error("") == "Indiquez le numéro SIRET."
    for bad in ("7328293200007", "732829320000744", "7328293200007A"):
        assert siret_error(bad) == "Le numéro SIRET doit comporter 14 chiffres."


def test_normalize_siret():
    assert normalize_siret(" 732 829 320 00074 ") == "73282932000074"
    assert normalize_siret("732.829.320.00074") == "73282932000074"


def test_record_id_names_only_ids_a_database_holds():
    assert formats.record_id("42") == 42 and formats.record_id(7) == 7
    assert formats.record_id(str(2**63 - 1)) == 2**63 - 1
    for raw in ("", "0", "-3", "abc", "4 2", "١٢", str(2**63), "9" * 40, None):
        assert formats.record_id(raw) is None, raw
