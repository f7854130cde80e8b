"""The categories of an employer's documents, as data: what each asks (dossier, label, period)
and who files it."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal_app.models import Role

REQUIRED, OPTIONAL = "required", "optional"
FILED_BY = {
    "agency": "l'agence",
    Role.EMPLOYER.value: "vous",
    "training_body": "l'organisme de formation",
    Role.BENEFICIARY.value: "le salarié",
}


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    instructions: str
    # field name (dossier, label, period) -> REQUIRED or OPTIONAL; absent: not asked.
    fields: dict[str, str] = field(default_factory=dict)
    # Filed by the agency or its partners (training body, beneficiary): never offered to the employer.
    agency_only: bool = False


CATEGORIES: tuple[Category, ...] = (
    Category(
        "avis_virement",
        "Avis de virement",
        "Déposé par l'agence à chaque règlement : vous n'avez rien à faire.",
        {"dossier": REQUIRED, "label": OPTIONAL, "period": REQUIRED},
        agency_only=True,
    ),
    Category(
        "attestation_presence",
        "Attestation de présence en formation",
        "Déposée par l'organisme de formation chaque mois.",
        {"dossier": REQUIRED, "period": REQUIRED, "label": OPTIONAL},
        agency_only=True,
    ),
    Category(
        "convention",
        "Convention de financement",
        "Établie par l'agence.",
        {"label": OPTIONAL, "dossier": OPTIONAL},
        agency_only=True,
    ),
    Category(
        "attestation_salaire",
        "Attestation de salaire",
        "L'attestation des salaires versés au salarié pendant sa formation, datée et signée. "
        "Indiquez le dossier du salarié et la période couverte.",
        {"dossier": REQUIRED, "period": REQUIRED, "label": OPTIONAL},
    ),
    Category(
        "bulletin_salaire",
        "Bulletin de salaire",
        "Le bulletin de salaire du mois concerné. Indiquez le dossier du salarié et le mois (du premier au dernier jour).",
        {"dossier": REQUIRED, "period": REQUIRED, "label": OPTIONAL},
    ),
    Category(
        "contrat_travail",
        "Contrat de travail",
        "Le contrat de travail du salarié, ou son avenant, toutes pages comprises.",
        {"dossier": REQUIRED, "label": OPTIONAL},
    ),
    Category(
        "justificatif_absence",
        "Justificatif d'absence",
        "Un justificatif d'absence du salarié pendant sa formation (arrêt maladie, congé…). Indiquez la période d'absence.",
        {"dossier": REQUIRED, "period": REQUIRED, "label": OPTIONAL},
    ),
    Category(
        "autre",
        "Autre",
        "Tout autre document utile à l'agence. Donnez-lui un libellé clair ; "
        "sans dossier, il sera rangé dans vos documents généraux.",
        {"label": REQUIRED, "dossier": OPTIONAL, "period": OPTIONAL},
    ),
)
BY_KEY = {category.key: category for category in CATEGORIES}
EMPLOYER_CATEGORIES = tuple(category for category in CATEGORIES if not category.agency_only)
