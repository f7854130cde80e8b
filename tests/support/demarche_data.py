"""Complete, valid answers for the shipped démarches, shared by unit and end-to-end tests."""

from __future__ import annotations

PTP = "projet-transition-professionnelle"
VALID_SIRET = "73282932000074"
OTHER_SIRET = "44306184100047"
VALID_NIR = "295109912611193"


def ptp_answers() -> dict:
    return {
        "nom_naissance": "Martin",
        "prenoms": "Camille",
        "date_naissance": "1990-04-12",
        "nir": VALID_NIR,
        "email": "camille.martin@exemple.fr",
        "telephone": "06 12 34 56 78",
        "adresse.line": "12 rue des Lilas",
        "adresse.postal_code": "75011",
        "adresse.city": "Paris",
        "employeur_nom": "Boulangerie Dupain",
        "employeur_siret": VALID_SIRET,
        "contrat": "cdi",
        "date_embauche": "2015-09-01",
        "anciennete_mois": "120",
        "poste": "Vendeuse",
        "temps_travail": "plein",
        "metier_vise": "Infirmière",
        "motivations": "Je souhaite prendre soin des autres.",
        "enquete_metier": "non",
        "accompagnement_cep": "oui",
        "formation_intitule": "Diplôme d'État d'infirmier",
        "organisme_nom": "IFSI de Paris",
        "organisme_siret": OTHER_SIRET,
        "certification": "rncp",
        "date_debut": "2027-09-01",
        "date_fin": "2030-07-01",
        "duree_heures": "4200",
        "modalite": "distance",
        "cout_pedagogique": "8 450,00",
        "salaire_brut": "2100",
        "demande_remuneration": "oui",
        "autorisation_absence": "non",
        "frais_annexes": "non",
    }


def attestation_answers() -> dict:
    return {"type_attestation": "fin_formation", "mode_reception": "email", "email": "camille@exemple.fr"}


def unique_siret() -> str:
    """A fresh 14-digit SIRET with a valid Luhn key, never La Poste's SIREN (it starts with 8): the
    database refuses a SIRET twice, and one end-to-end session shares one database."""
    import random

    while True:
        body = "8" + "".join(random.choice("0123456789") for _ in range(12))
        for check in "0123456789":
            digits = body + check
            total = 0
            for position, char in enumerate(reversed(digits)):
                n = int(char)
                if position % 2:
                    n = n * 2 - 9 if n > 4 else n * 2
                total += n
            if total % 10 == 0:
                return digits
