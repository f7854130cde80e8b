"""A new démarche module, ready to edit: `python -m portal_app.cli new-demarche CODE "Titre"`.

Two steps (a form step with a conditional field, the pieces step), one piece and the usual
statuses and transitions of portal_app/demarches/_common.py. The text written passes the checks
at import and `make lint` as it is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
PREFIX = re.compile(r"[A-Z]{2,6}")

_TEMPLATE = '''"""{title}: written by `python -m portal_app.cli new-demarche`, ready to edit.

See it under `make run` at /_apercu/{code} (every step and the recap, filled with sample
answers); `python -m portal_app.cli check-demarches` lists any inconsistency.
"""

from __future__ import annotations

from portal_app.demarches._common import (
    ACCEPTE,
    AGENCY,
    AGENT,
    BROUILLON,
    DEPOSE,
    EN_INSTRUCTION,
    OWNER,
    REFUSE,
    REOUVERT,
    reopen_transitions,
)
from portal_app.domain.dossiers.demarche import (
    EMAIL,
    LONG_TEXT,
    YES_NO,
    Demarche,
    FieldSpec,
    PieceSpec,
    Step,
    Transition,
)
from portal_app.models import Role

DEMANDE = Step(
    "demande",
    "Votre demande",
    fields=(
        FieldSpec("objet", "Objet de votre demande", max_length=120),
        FieldSpec("email", "Adresse e-mail", EMAIL, prefill="email", autocomplete="email"),
        FieldSpec("precisions_utiles", "Souhaitez-vous apporter des précisions ?", YES_NO),
        FieldSpec(
            "precisions",
            "Vos précisions",
            LONG_TEXT,
            max_length=1000,
            visible_if=("precisions_utiles", "oui"),
            help="Toute information utile au traitement de votre demande.",
        ),
    ),
)

PIECES = Step(
    "pieces",
    "Pièces justificatives",
    shows_pieces=True,
    help="Voici les documents à nous fournir.",
)

DEMARCHE = Demarche(
    code={code_literal},
    title={title_literal},
    description="Décrivez ici, en une phrase, ce que cette démarche permet d'obtenir.",
    audience=(Role.BENEFICIARY,),
    number_prefix={prefix_literal},
    steps=(DEMANDE, PIECES),
    pieces=(PieceSpec("justificatif", "Un justificatif"),),
    statuses=(BROUILLON, DEPOSE, EN_INSTRUCTION, ACCEPTE, REFUSE, REOUVERT),
    transitions=(
        Transition(BROUILLON.code, DEPOSE.code, (OWNER,)),
        Transition(DEPOSE.code, EN_INSTRUCTION.code, AGENCY),
        Transition(EN_INSTRUCTION.code, ACCEPTE.code, (AGENT,)),
        Transition(EN_INSTRUCTION.code, REFUSE.code, (AGENT,), needs_motivation=True),
    )
    + reopen_transitions(DEPOSE.code, EN_INSTRUCTION.code),
)
'''


class ScaffoldRefused(ValueError):
    """A French message for the command line."""


def module_name(code: str) -> str:
    return code.replace("-", "_")


def default_prefix(code: str) -> str:
    """Initials of the code's words, or its first letters: "aide-mobilite" -> "AM"."""
    words = [word for word in code.split("-") if word[:1].isalpha()]
    initials = "".join(word[0] for word in words).upper()
    letters = "".join(char for char in code if char.isalpha()).upper()
    return (initials if len(initials) >= 2 else letters[:3])[:6]


def demarche_source(code: str, title: str, prefix: str) -> str:
    def literal(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    return _TEMPLATE.format(
        code=code,
        title=title.replace("\\", "\\\\").replace('"""', '\\"""'),
        code_literal=literal(code),
        title_literal=literal(title),
        prefix_literal=literal(prefix),
    )


def write_demarche(folder: Path, code: str, title: str, prefix: str | None, taken: dict[str, str]) -> tuple[Path, str]:
    """Write <folder>/<code with underscores>.py; `taken` maps the codes already in the
    catalogue to their number prefixes. Returns the file and the prefix chosen."""
    title = " ".join(title.split())
    if not CODE.fullmatch(code):
        raise ScaffoldRefused(f"Code « {code} » : lettres minuscules, chiffres et tirets, par exemple aide-mobilite.")
    if not title:
        raise ScaffoldRefused("Donnez un titre à la démarche.")
    prefix = prefix or default_prefix(code)
    if not PREFIX.fullmatch(prefix):
        raise ScaffoldRefused(f"Préfixe « {prefix} » : 2 à 6 lettres majuscules (option --prefixe).")
    if code in taken:
        raise ScaffoldRefused(f"La démarche « {code} » existe déjà.")
    if prefix in taken.values():
        owner = next(known for known, used in taken.items() if used == prefix)
        raise ScaffoldRefused(f"Le préfixe {prefix} est déjà celui de « {owner} » : choisissez-en un avec --prefixe.")
    path = folder / f"{module_name(code)}.py"
    if path.exists():
        raise ScaffoldRefused(f"Le fichier {path} existe déjà.")
    path.write_text(demarche_source(code, title, prefix), encoding="utf-8")
    return path, prefix
