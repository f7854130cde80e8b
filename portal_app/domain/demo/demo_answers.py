"""The demo beneficiary's answers to each démarche, step by step, as she would type them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from portal_app.domain.demo.sample_files import EMPLOYER, EMPLOYER_SIRET, HIRED_ON, month_start
from portal_app.models import User


def _iso(day: date) -> str:
    return day.isoformat()


def situation(user: User, today: date) -> dict[str, Any]:
    seniority = (today.year - HIRED_ON.year) * 12 + today.month - HIRED_ON.month + 18  # 18 months before
    return {
        "adresse.line": user.address_line or "8 rue des Tanneurs",
        "adresse.postal_code": user.postal_code or "69001",
        "adresse.city": user.city or "Lyon",
        "employeur_nom": EMPLOYER,
        "employeur_siret": EMPLOYER_SIRET,
        "contrat": "cdi",
        "date_embauche": _iso(HIRED_ON),
        "anciennete_mois": str(seniority),
        "poste": "Vendeuse en boulangerie",
        "temps_travail": "plein",
    }


def web_developer(today: date) -> list[tuple[str, dict[str, Any]]]:
    start = month_start(today, 5)  # at least 120 days ahead: the absence was asked in time
    end = month_start(start, 10) - timedelta(days=1)
    return [
        (
            "projet",
            {
                "metier_vise": "Développeuse web",
                "motivations": (
                    "Depuis trois ans je gère le site et les commandes en ligne de la boulangerie, et c'est la "
                    "partie de mon travail que je préfère. J'ai suivi des cours en ligne le soir (HTML, CSS, "
                    "JavaScript) et je veux en faire mon métier. Cette formation, avec son stage de deux mois, "
                    "me donnera un titre reconnu par les employeurs de la région."
                ),
                "enquete_metier": "oui",
                "enquete_description": (
                    "J'ai passé deux jours dans une agence web de Villeurbanne et rencontré trois développeuses, "
                    "dont une en reconversion. J'ai retenu que le travail en équipe et l'apprentissage continu "
                    "comptent autant que la technique."
                ),
                "accompagnement_cep": "oui",
            },
        ),
        (
            "formation",
            {
                "formation_intitule": "Titre professionnel Développeur web et web mobile",
                "organisme_nom": "Numérica Formation Lyon",
                "organisme_siret": "84173926500012",
                "certification": "rncp",
                "code_certification": "RNCP37674",
                "date_debut": _iso(start),
                "date_fin": _iso(end),
                "duree_heures": "1190",
                "modalite": "presentiel",
                "lieu_formation.line": "24 quai Perrache",
                "lieu_formation.postal_code": "69002",
                "lieu_formation.city": "Lyon",
                "cout_pedagogique": "9 850,00",
            },
        ),
        (
            "financement",
            {
                "salaire_brut": "2 150,00",
                "demande_remuneration": "oui",
                "autorisation_absence": "oui",
                "date_demande_absence": _iso(today - timedelta(days=12)),
                "cofinancements": ["cpf"],
                "montant_cpf": "1 200,00",
                "frais_annexes": "oui",
                "montant_frais_annexes": "640,00",
            },
        ),
    ]


def electrician(today: date) -> list[tuple[str, dict[str, Any]]]:
    start = month_start(today, 4)
    end = month_start(start, 7) - timedelta(days=1)
    return [
        (
            "projet",
            {
                "metier_vise": "Électricienne du bâtiment",
                "motivations": (
                    "J'aime le travail manuel et concret. Mon frère est électricien et je l'ai aidé sur plusieurs "
                    "chantiers : je veux un métier où je vois le résultat de ma journée."
                ),
                "enquete_metier": "non",
                "accompagnement_cep": "non",
            },
        ),
        (
            "formation",
            {
                "formation_intitule": "Titre professionnel Électricien d'équipement du bâtiment",
                "organisme_nom": "Campus des métiers du bâtiment de Villeurbanne",
                "organisme_siret": "85260431700028",
                "certification": "rncp",
                "date_debut": _iso(start),
                "date_fin": _iso(end),
                "duree_heures": "875",
                "modalite": "mixte",
                "lieu_formation.line": "3 avenue Galline",
                "lieu_formation.postal_code": "69100",
                "lieu_formation.city": "Villeurbanne",
                "cout_pedagogique": "7 420,00",
            },
        ),
        (
            "financement",
            {
                "salaire_brut": "2 150,00",
                "demande_remuneration": "oui",
                "autorisation_absence": "non",
                "frais_annexes": "non",
            },
        ),
    ]


def care_assistant() -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            "projet",
            {
                "metier_vise": "Aide-soignante",
                "motivations": "J'ai accompagné ma grand-mère pendant deux ans et j'ai découvert le travail des soignants.",
                "enquete_metier": "non",
                "accompagnement_cep": "oui",
            },
        )
    ]
