"""Names for the birth place FranceConnect certifies as codes of the INSEE's Code officiel
géographique (COG): `birthplace` a commune's 5-character code (empty when born abroad),
`birthcountry` a country's 5 digits (99100 is France).

A small table: the communes and countries of the development provider's identities and a few
large cities. The full COG (some 35,000 communes, renamed and merged every year) is not shipped:
a code it does not hold is shown as its number ("commune n° 12345"), never guessed.
"""

from __future__ import annotations

FRANCE = "99100"

COMMUNES = {
    "06088": "Nice",
    "13055": "Marseille",
    "31555": "Toulouse",
    "33063": "Bordeaux",
    "44109": "Nantes",
    "59350": "Lille",
    "67482": "Strasbourg",
    "69123": "Lyon",
    "75056": "Paris",
    "75107": "Paris 7e Arrondissement",
}

COUNTRIES = {
    "99109": "Allemagne",
    "99127": "Italie",
    "99131": "Belgique",
    "99132": "Royaume-Uni",
    "99134": "Espagne",
    "99139": "Portugal",
    "99140": "Suisse",
    "99350": "Maroc",
    "99351": "Tunisie",
    "99352": "Algérie",
}


def _department(code: str) -> str:
    # Overseas communes (971xx…) carry a 3-digit department; Corsica's are 2A and 2B.
    return code[:3] if code.startswith("97") else code[:2]


def place_name(birthplace: str, country: str) -> str:
    """ "Bordeaux (33)", "Espagne", or "" when FranceConnect gave neither."""
    if country and country != FRANCE:
        return COUNTRIES.get(country, f"Pays n° {country}")
    if not birthplace:
        return ""
    name = COMMUNES.get(birthplace, f"Commune n° {birthplace}")
    return f"{name} ({_department(birthplace)})"
