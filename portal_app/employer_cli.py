"""Employer commands of the admin CLI: create-employer, import-reglements, and the demo employer."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select

from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.money import CENT, parse_decimal
from portal_app.domain.core.wording import count_label
from portal_app.domain.demo import sample_files
from portal_app.domain.employer import avis, employer_documents, onboarding, reglement_import, reglements
from portal_app.models import EmployerAccount, Reglement, Role, User
from portal_app.models.base import utcnow

DEMO_EMPLOYER_LOGIN = "demo-employeur"
DEMO_EMPLOYER_PASSWORD = "Employeur-Demo-2026!"
DEMO_EMPLOYER_EMAIL = "employeur@portail.localhost"
# The demo beneficiary works there: one story for the employer space and the démarches.
DEMO_EMPLOYER_SIRET = sample_files.EMPLOYER_SIRET
DEMO_EMPLOYER_NAME = sample_files.EMPLOYER


def create_employer(args: argparse.Namespace) -> int:
    created = onboarding.create_employer(args.raison_sociale, args.siret, args.email)
    if created.errors:
        for message in created.errors.values():
            print(message, file=sys.stderr)
        return 2
    print(f"Compte employeur créé pour {args.raison_sociale.strip()}.")
    print(f"Identifiant provisoire : {created.identifier}")
    if created.mailed:
        print(f"Les identifiants provisoires ont été envoyés à {args.email.strip().lower()} (valables 7 jours).")
        return 0
    # The account exists: the agency must hand the credentials over some other way.
    print("L'e-mail n'a pas pu être envoyé. Transmettez ces informations à l'employeur :", file=sys.stderr)
    print(f"Mot de passe provisoire : {created.password}", file=sys.stderr)
    return 1


def import_reglements(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"Impossible de lire {path} : {error.strerror}.", file=sys.stderr)
        return 2
    report = reglement_import.import_reglements(data, on_created=avis.file_avis_de_virement)
    if not report.ok:
        refused = count_label(len(report.rejected) or 1, "ligne refusée", "lignes refusées")
        print(f"Aucun règlement importé : {refused}.", file=sys.stderr)
        for line in report.lines():
            print(f"  {line}", file=sys.stderr)
        return 1
    imported = count_label(report.imported, "règlement importé", "règlements importés")
    print(f"{imported}, avec leur avis de virement.")
    return 0


# ---------------------------------------------------------------- demo

_DEMO_PEOPLE = (
    # dossier, surname, first name, formation, monthly hours, hourly cost
    ("TP-2025-00412", "Martin", "Camille", "BTS Comptabilité et gestion", "151,67", "24,85"),
    ("TP-2025-00457", "Benali", "Karim", "CAP Boulanger", "151,67", "19,40"),
    ("TP-2025-00518", "Leroy", "Sophie", "Titre professionnel Développeur web", "140,00", "27,10"),
)


def _month_start(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def demo_csv(today: date) -> bytes:
    """A year of règlements, 3 employees in training: each month is paid on the 8th of the
    next one, the last on the 8th of last month, so no date is ever in the future."""
    lines = [";".join(reglement_import.COLUMNS)]
    number = 803400
    for back in range(13, 1, -1):
        start = _month_start(today, back)
        end = _month_start(today, back - 1) - timedelta(days=1)
        paid = end + timedelta(days=8)
        for index, (dossier, last, first, formation, hours, rate) in enumerate(_DEMO_PEOPLE):
            if index == 2 and back > 8:
                continue  # Sophie started her training later in the year
            number += 7
            amount = (parse_decimal(hours) * parse_decimal(rate)).quantize(CENT)
            lines.append(
                ";".join(
                    [
                        DEMO_EMPLOYER_SIRET,
                        paid.strftime("%d/%m/%Y"),
                        dossier,
                        last.upper(),
                        first,
                        formation,
                        str(number),
                        hours,
                        start.strftime("%d/%m/%Y"),
                        end.strftime("%d/%m/%Y"),
                        f"{amount}".replace(".", ","),
                    ]
                )
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def seed_demo_employer(today: date | None = None) -> None:
    """A personalised and confirmed demo employer with a year of règlements. Idempotent."""
    with session_scope() as db:
        account = db.exec(select(EmployerAccount).where(EmployerAccount.siret == DEMO_EMPLOYER_SIRET)).first()
        if account is None:
            now = utcnow()
            user = User(
                email=DEMO_EMPLOYER_EMAIL,
                login=DEMO_EMPLOYER_LOGIN,
                role=Role.EMPLOYER.value,
                password_hash=hash_password(DEMO_EMPLOYER_PASSWORD),
                is_active=True,
                activated_at=now,
            )
            db.add(user)
            db.flush()
            db.add(
                EmployerAccount(
                    user_id=user.id,
                    company_name=DEMO_EMPLOYER_NAME,
                    siret=DEMO_EMPLOYER_SIRET,
                    personalised_at=now,
                    confirmed_at=now,
                    privacy_accepted_at=now,
                )
            )
            db.flush()
            account_user_id = user.id
        else:
            account_user_id = account.user_id
        has_reglements = (
            db.exec(select(Reglement.id).where(Reglement.employer_id == account_user_id)).first() is not None
        )
    if not has_reglements:
        report = reglement_import.import_reglements(
            demo_csv(today or date.today()), on_created=avis.file_avis_de_virement
        )
        if not report.ok:  # pragma: no cover - the demo file is built valid
            raise RuntimeError("; ".join(report.lines()))
        _demo_documents(account_user_id)
    print(f"  employeur    : {DEMO_EMPLOYER_LOGIN} / {DEMO_EMPLOYER_PASSWORD}")


def _demo_documents(employer_id: int) -> None:
    """Documents filed by others, so the demo shows every kind of author."""
    import hashlib
    from types import SimpleNamespace

    dossier, last, first = _DEMO_PEOPLE[0][0], _DEMO_PEOPLE[0][1], _DEMO_PEOPLE[0][2]
    beneficiary = reglements.beneficiary_name(last, first)
    for category, label, filed_by, on_dossier, name in (
        ("convention", "Convention de financement 2025", "agency", False, "convention-2025.pdf"),
        ("attestation_presence", "Présence en formation", "training_body", True, "attestation-presence.pdf"),
        ("autre", "Planning de formation", Role.BENEFICIARY.value, True, "planning.pdf"),
    ):
        data = sample_files.pdf_document((label, [f"Document de démonstration pour {DEMO_EMPLOYER_NAME}."]))
        accepted = SimpleNamespace(
            clean_bytes=data, safe_name=name, kind="pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        values = {
            "category": category,
            "label": label,
            "period_start": None,
            "period_end": None,
            "dossier_number": dossier if on_dossier else "",
            "beneficiary_name": beneficiary if on_dossier else "",
        }
        employer_documents.add_document(employer_id, values, accepted, filed_by=filed_by)


def register(commands) -> None:
    employer = commands.add_parser(
        "create-employer",
        help="Créer un compte employeur et lui envoyer ses identifiants provisoires.",
        description="Créer un compte employeur : l'employeur reçoit par e-mail un identifiant et un mot de passe provisoires (valables 7 jours).",
    )
    employer.add_argument("--raison-sociale", required=True, help="raison sociale de l'employeur")
    employer.add_argument("--siret", required=True, help="numéro SIRET (14 chiffres, vérifié)")
    employer.add_argument("--email", required=True, help="adresse e-mail du contact")
    employer.set_defaults(handler=create_employer)

    imported = commands.add_parser(
        "import-reglements",
        help="Importer des règlements employeurs depuis un fichier CSV.",
        description=(
            "Importer des règlements. CSV (UTF-8 ou Windows-1252, séparateur ;) avec l'en-tête : "
            + ";".join(reglement_import.COLUMNS)
            + ". Dates JJ/MM/AAAA, montants 1 234,56. Une seule ligne refusée et rien n'est importé."
        ),
    )
    imported.add_argument("file", metavar="FICHIER.csv", help="le fichier à importer")
    imported.set_defaults(handler=import_reglements)
