"""PDF checks, run in a child process bounded in memory, CPU and wall-clock time.

A thread cannot be stopped and a crash in the parser must not take the server down: a child
process (pdf_worker.py) can be killed. Starting it costs about 0.35 s (interpreter + pypdf
import), measured in bench/uploads.py; simple and robust beats a pre-forked pool here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

WORKER = Path(__file__).with_name("pdf_worker.py")
MEMORY_LIMIT = 512 * 1024 * 1024
CPU_SECONDS = 10
WALL_SECONDS = 15

_AGAIN = "enregistrez-le de nouveau (Fichier > Imprimer > Enregistrer au format PDF) puis réessayez."
# Agents open these files: anything that acts on its own or reaches outside the document is refused.
_ACTIVE = (
    "Ce contenu actif est refusé par sécurité : enregistrez le document de nouveau sans lui "
    "(Fichier > Imprimer > Enregistrer au format PDF) puis réessayez."
)
REASONS = {
    "encrypted": "Ce PDF est protégé par un mot de passe : enregistrez-le sans protection puis réessayez.",
    "javascript": f"Ce PDF contient du code (JavaScript ou formulaire dynamique). {_ACTIVE}",
    "launch": f"Ce PDF contient une action qui lance un programme ou ouvre un autre fichier. {_ACTIVE}",
    "submit": f"Ce PDF contient un formulaire qui envoie ou importe des données. {_ACTIVE}",
    "link": (
        "Ce PDF contient un lien vers un script, un fichier de l'ordinateur ou un dossier partagé "
        f"(seuls les liens web http, https et mailto sont acceptés). {_ACTIVE}"
    ),
    "automatic": f"Ce PDF déclenche une action de lui-même (à l'ouverture, sur une page ou dans un champ). {_ACTIVE}",
    "active": f"Ce PDF contient un contenu multimédia, 3D ou une commande du lecteur PDF. {_ACTIVE}",
    "embedded": f"Ce PDF contient des fichiers joints, refusés par sécurité : {_AGAIN}",
    "hidden": (
        "Ce PDF contient des données cachées ajoutées au document (une archive ZIP ou une page web, par exemple), "
        f"refusées par sécurité : {_AGAIN}"
    ),
    "no_pages": "Ce PDF ne contient aucune page.",
    "unreadable": f"Ce PDF est endommagé ou illisible : {_AGAIN}",
    "complex": f"Ce PDF est trop complexe pour être vérifié : {_AGAIN}",
}


@dataclass(frozen=True)
class PdfVerdict:
    ok: bool
    reason: str = ""
    pages: int = 0


def inspect_pdf(
    data: bytes, *, memory: int = MEMORY_LIMIT, cpu: int = CPU_SECONDS, wall: float = WALL_SECONDS
) -> PdfVerdict:
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(WORKER), str(memory), str(cpu)],
            input=data,
            capture_output=True,
            timeout=wall,
            check=False,
        )
    except subprocess.TimeoutExpired:
        # subprocess.run has killed the child already.
        return PdfVerdict(False, REASONS["complex"])
    try:
        result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        # Killed by its limits (SIGXCPU, SIGKILL) or out of memory before it could answer.
        return PdfVerdict(False, REASONS["complex"])
    if result.get("verdict") == "ok":
        return PdfVerdict(True, pages=int(result.get("pages", 0)))
    return PdfVerdict(False, REASONS.get(result.get("verdict"), REASONS["unreadable"]))
