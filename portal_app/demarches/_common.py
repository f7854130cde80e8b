"""Building blocks shared by several démarches: the usual life cycle of a dossier."""

from __future__ import annotations

from portal_app.domain.dossiers.demarche import StatusSpec, Transition
from portal_app.domain.dossiers.workflow import AGENT, OWNER, SYSTEM

AGENCY = (AGENT, SYSTEM)

BROUILLON = StatusSpec("brouillon", "Brouillon", "grey", icon="pencil", owner_can_edit=True)
DEPOSE = StatusSpec("depose", "Déposé", "blue", icon="send")
EN_INSTRUCTION = StatusSpec(
    "en_instruction", "En cours d'instruction", "purple", icon="hourglass", owner_label="En cours d'examen"
)
A_COMPLETER = StatusSpec(
    "a_completer", "À compléter", "orange", icon="alert", owner_label="Des informations sont à compléter"
)
ACCEPTE = StatusSpec("accepte", "Accepté", "green", terminal=True, icon="check")
REFUSE = StatusSpec("refuse", "Refusé", "red", terminal=True, icon="x")
CLASSE = StatusSpec("classe_sans_suite", "Classé sans suite", "grey", terminal=True, icon="archive")
REOUVERT = StatusSpec(
    "reouvert", "Réouvert pour modification", "orange", icon="pencil", owner_label="À modifier", owner_can_edit=True
)


def reopen_transitions(*sources: str) -> tuple[Transition, ...]:
    """The agency may hand a filed dossier back to its owner, who files it again."""
    return tuple(Transition(source, REOUVERT.code, AGENCY) for source in sources) + (
        Transition(REOUVERT.code, DEPOSE.code, (OWNER,)),
    )
