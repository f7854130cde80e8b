"""Changement de coordonnées bancaires: where the agency pays the beneficiary. Asking for it is
a payment redirection, so filing needs FranceConnect+ (eIDAS substantiel), fresh."""

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
from portal_app.domain.dossiers.demarche import LONG_TEXT, Demarche, FieldSpec, StatusSpec, Step, Transition
from portal_app.models import Role

PRISE_EN_COMPTE = StatusSpec("prise_en_compte", "Coordonnées modifiées", "green", terminal=True, icon="check")
REFUSEE = StatusSpec("refusee", "Demande refusée", "red", terminal=True, icon="x")

COMPTE = Step(
    "compte",
    "Nouveau compte",
    fields=(
        FieldSpec("titulaire", "Titulaire du compte", max_length=100, help="Tel qu'il figure sur votre RIB."),
        # Checked against the bank's records; certified (read-only) when FranceConnect gave it.
        FieldSpec(
            "lieu_naissance", "Lieu de naissance du titulaire", required=False, max_length=100, prefill="birthplace"
        ),
        FieldSpec(
            "iban", "IBAN", max_length=40, width="medium", help="Par exemple : FR76 3000 6000 0112 3456 7890 189"
        ),
        FieldSpec("motif", "Motif du changement", LONG_TEXT, required=False, max_length=500),
    ),
)

DEMARCHE = Demarche(
    code="coordonnees-bancaires",
    title="Changement de coordonnées bancaires",
    description="Indiquez le compte sur lequel recevoir vos versements. Le dépôt demande FranceConnect+.",
    audience=(Role.BENEFICIARY,),
    number_prefix="RIB",
    steps=(COMPTE,),
    statuses=(BROUILLON, DEPOSE, EN_INSTRUCTION, PRISE_EN_COMPTE, REFUSEE, REOUVERT),
    transitions=(
        Transition(BROUILLON.code, DEPOSE.code, (OWNER,)),
        Transition(DEPOSE.code, EN_INSTRUCTION.code, AGENCY),
        Transition(EN_INSTRUCTION.code, PRISE_EN_COMPTE.code, (AGENT,)),
        Transition(EN_INSTRUCTION.code, REFUSEE.code, (AGENT,), needs_motivation=True),
    )
    + reopen_transitions(DEPOSE.code, EN_INSTRUCTION.code),
    assurance="eidas2",
)
