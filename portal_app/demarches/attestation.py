"""Demande d'attestation: two short steps, and proof that the engine is generic."""

from __future__ import annotations

from portal_app.demarches._common import (
    AGENCY,
    AGENT,
    BROUILLON,
    DEPOSE,
    EN_INSTRUCTION,
    OWNER,
    REOUVERT,
    reopen_transitions,
)
from portal_app.domain.core.formats import today_in_france
from portal_app.domain.dossiers.demarche import (
    ADDRESS,
    EMAIL,
    LONG_TEXT,
    RADIO,
    SELECT,
    Demarche,
    FieldSpec,
    StatusSpec,
    Step,
    Transition,
)
from portal_app.models import Role

DELIVREE = StatusSpec("delivree", "Attestation envoyée", "green", terminal=True, icon="check")
REFUSEE = StatusSpec("refusee", "Demande refusée", "red", terminal=True, icon="x")

_YEAR = today_in_france().year

DEMANDE = Step(
    "demande",
    "Votre demande",
    fields=(
        FieldSpec(
            "type_attestation",
            "Quelle attestation souhaitez-vous ?",
            RADIO,
            options=(
                ("prise_en_charge", "Attestation de prise en charge de votre formation"),
                (
                    "remuneration",
                    "Attestation des rémunérations versées, par exemple pour votre déclaration de revenus",
                ),
                ("fin_formation", "Attestation de fin de formation"),
            ),
        ),
        FieldSpec(
            "annee",
            "Année concernée",
            SELECT,
            visible_if=("type_attestation", "remuneration"),
            options=tuple((str(year), str(year)) for year in range(_YEAR, _YEAR - 4, -1)),
        ),
        FieldSpec(
            "numero_dossier",
            "Numéro de votre dossier",
            required=False,
            width="medium",
            max_length=20,
            help="S'il vous a été communiqué, par exemple PTP-2026-000042.",
        ),
        FieldSpec(
            "precisions",
            "Précisions",
            LONG_TEXT,
            required=False,
            max_length=500,
            help="Toute information utile au traitement de votre demande.",
        ),
    ),
)

RECEPTION = Step(
    "reception",
    "Réception de l'attestation",
    fields=(
        FieldSpec(
            "mode_reception",
            "Comment souhaitez-vous la recevoir ?",
            RADIO,
            options=(("email", "Par e-mail"), ("courrier", "Par courrier postal")),
        ),
        FieldSpec(
            "email",
            "Adresse e-mail",
            EMAIL,
            prefill="email",
            autocomplete="email",
            visible_if=("mode_reception", "email"),
        ),
        FieldSpec("adresse", "Adresse postale", ADDRESS, prefill="address", visible_if=("mode_reception", "courrier")),
    ),
)

DEMARCHE = Demarche(
    code="demande-attestation",
    title="Demande d'attestation",
    description="Obtenez une attestation de prise en charge, de rémunération ou de fin de formation.",
    audience=(Role.BENEFICIARY,),
    number_prefix="ATT",
    # A parent asks for a child's attestation, a manager for their company's (see README).
    for_whom=("self", "person", "company"),
    # Also without an account (domain/guests): a former trainee may no longer have one.
    guest=True,
    steps=(DEMANDE, RECEPTION),
    statuses=(BROUILLON, DEPOSE, EN_INSTRUCTION, DELIVREE, REFUSEE, REOUVERT),
    transitions=(
        Transition(BROUILLON.code, DEPOSE.code, (OWNER,)),
        Transition(DEPOSE.code, EN_INSTRUCTION.code, AGENCY),
        Transition(EN_INSTRUCTION.code, DELIVREE.code, (AGENT,)),
        Transition(EN_INSTRUCTION.code, REFUSEE.code, (AGENT,), needs_motivation=True),
    )
    + reopen_transitions(DEPOSE.code, EN_INSTRUCTION.code),
)
