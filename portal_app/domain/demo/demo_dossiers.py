"""The demo beneficiary's dossiers, for `seed-demo` (run by `make run`).

Each dossier is made by the journey a real person and a real agent would follow, through the
same domain functions as the pages: answers saved step by step, pieces uploaded through the
porte-documents pipeline or picked from it, submission (number, frozen pieces, acknowledgement),
then the agent's status changes and request for completion (history, notifications, discussion,
audit trail). Nothing is written to a table directly, so the demo shows exactly what the portal
produces.

    seed_dossiers(owner_id, agent_id, today=None) -> int   how many dossiers were made (0 if the
        owner already has some: `make run` seeds on every start and must not add more).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from portal_app import demarches as registry
from portal_app.domain.core import audit, mail
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import today_in_france
from portal_app.domain.demo.demo_answers import care_assistant, electrician, situation, web_developer
from portal_app.domain.demo.sample_files import (
    absence,
    identity_card_png,
    payslips,
    programme,
    quote,
    rib,
    survey,
)
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import drafts, filing, pieces, workflow
from portal_app.domain.uploads import pipeline
from portal_app.domain.uploads.checks import Refused as UploadRefused
from portal_app.models import User
from portal_app.models.base import clock_set_back

PTP = "projet-transition-professionnelle"
ATTESTATION = "demande-attestation"

EARLIER_DOSSIER = "TP-2025-00412"  # her BTS, whose règlements the demo employer sees
PARIS = ZoneInfo("Europe/Paris")

COMPLETION_MESSAGE = (
    "Bonjour Madame Martin, le devis de l'organisme de formation n'est pas signé et n'indique pas "
    "la durée du stage en entreprise. Pouvez-vous nous envoyer un devis daté et signé, qui précise "
    "le nombre d'heures de stage\u00a0? Nous reprendrons l'examen de votre dossier dès sa réception."
)


# ---------------------------------------------------------------- journeys


@contextmanager
def _on(today: date, days_ago: int, at: str) -> Iterator[None]:
    """What is done inside is dated `days_ago` days before today at `at` (Paris time), so the
    timelines, the notifications and Mes démarches read like weeks of real use."""
    hour, minute = map(int, at.split(":"))
    moment = datetime.combine(today - timedelta(days=days_ago), time(hour, minute), PARIS)
    with clock_set_back(max(timedelta(0), datetime.now(UTC) - moment)):
        yield


def _fill(owner_id: int, dossier_id: int, steps: list[tuple[str, dict[str, Any]]]) -> None:
    """What the form does: each step's answers saved, then "Continuer" to the next step, which
    a step with errors would refuse."""
    demarche = drafts.demarche_of(drafts.get_owned(owner_id, dossier_id))
    codes = [step.code for step in demarche.steps]
    for code, values in steps:
        answers = drafts.save_answers(owner_id, dossier_id, values).answers
        errors = rules.validate_step(demarche, demarche.step(code), answers)
        if errors:  # pragma: no cover - a démarche changed: the demo answers must follow it
            raise RuntimeError(f"demo answers refused at {code}: {errors}")
        drafts.set_step(owner_id, dossier_id, codes[min(codes.index(code) + 1, len(codes) - 1)], checked=code)


def _upload(owner_id: int, dossier_id: int, piece_code: str, name: str, data: bytes) -> int:
    """The pieces step's upload: validated by the porte-documents pipeline, filed there, attached."""
    accepted = pipeline.check(name, data)
    stored = (
        accepted
        if isinstance(accepted, UploadRefused)
        else pieces.upload_and_attach(owner_id, dossier_id, piece_code, accepted)
    )
    if isinstance(stored, UploadRefused):  # pragma: no cover - the demo files are built valid
        raise RuntimeError(stored.message)
    return stored.document.id


def _pick(owner_id: int, dossier_id: int, piece_code: str, document_id: int) -> None:
    """The pieces step's "choose from the porte-documents"."""
    problem = pieces.attach(owner_id, dossier_id, piece_code, document_id)
    if problem:  # pragma: no cover
        raise RuntimeError(problem)


def _submit(owner_id: int, dossier_id: int) -> None:
    drafts.set_step(owner_id, dossier_id, drafts.demarche_of(drafts.get_owned(owner_id, dossier_id)).steps[-1].code)
    result = filing.submit(owner_id, dossier_id, sworn=True)
    if not result.ok:  # pragma: no cover - a démarche changed: the demo answers must follow it
        raise RuntimeError(f"demo dossier refused: {result.errors}")


def _agent_moves(agent_id: int, dossier_id: int, *targets: str) -> None:
    """What the back office page does: the agent opens the dossier, then changes its status."""
    audit.record_now(agent_id, "view_dossier", dossier_id=dossier_id)
    for target in targets:
        workflow.change_status_by_agent(agent_id, dossier_id, target)


def _attestation(owner_id: int, agent_id: int, today: date) -> None:
    """Asked five weeks ago, sent a few days later: a dossier with its decision."""
    with _on(today, 38, "20:47"):
        draft = drafts.create_draft(owner_id, ATTESTATION)
        _fill(
            owner_id,
            draft.id,
            [
                (
                    "demande",
                    {
                        "type_attestation": "remuneration",
                        "annee": str(today.year - 1),
                        "numero_dossier": EARLIER_DOSSIER,
                        "precisions": "Pour ma déclaration de revenus.",
                    },
                ),
                ("reception", {"mode_reception": "email"}),
            ],
        )
        _submit(owner_id, draft.id)
    with _on(today, 37, "09:12"):
        _agent_moves(agent_id, draft.id, "en_instruction")
    with _on(today, 35, "14:30"):
        _agent_moves(agent_id, draft.id, "delivree")


def _completion_ptp(owner: User, agent_id: int, today: date) -> dict[str, int]:
    """Filed with an unsigned quote; the agent asks for a signed one in the discussion.
    Returns the porte-documents ids of the pieces the next dossier picks again."""
    steps = electrician(today)
    formation = steps[1][1]
    with _on(today, 17, "21:05"):
        draft = drafts.create_draft(owner.id, PTP)
        _fill(owner.id, draft.id, [("situation", situation(owner, today)), *steps])
    with _on(today, 16, "12:40"):
        kept = {
            "identite": _upload(
                owner.id,
                draft.id,
                "identite",
                "piece-identite.png",
                identity_card_png(owner.birth_name, owner.first_names, owner.birth_date or date(1990, 4, 12)),
            ),
            "bulletins": _upload(
                owner.id, draft.id, "bulletins", "bulletins-de-salaire.pdf", payslips(owner, today - timedelta(days=16))
            ),
            "rib": _upload(owner.id, draft.id, "rib", "rib.pdf", rib(owner)),
        }
        _upload(
            owner.id,
            draft.id,
            "devis",
            "devis-formation-electricien.pdf",
            quote(f"CMB-{today.year}-1042", formation, signed=False, issued=today - timedelta(days=24)),
        )
        _upload(
            owner.id,
            draft.id,
            "programme",
            "programme-electricien.pdf",
            programme(
                formation["formation_intitule"],
                [
                    ("Module 1 (280 h)", "Réaliser les installations électriques d'un bâtiment neuf"),
                    ("Module 2 (315 h)", "Rénover les installations électriques d'un logement"),
                    ("Stage (280 h)", "Huit semaines sur chantier"),
                ],
            ),
        )
        _submit(owner.id, draft.id)
    with _on(today, 10, "10:05"):
        _agent_moves(agent_id, draft.id, "en_instruction")
    with _on(today, 3, "15:20"):
        workflow.ask_completion(agent_id, draft.id, COMPLETION_MESSAGE)
    return kept


def _filed_ptp(owner: User, today: date, kept: dict[str, int]) -> None:
    """Déposé: identity, payslips and RIB picked from the porte-documents, the rest uploaded."""
    steps = web_developer(today)
    formation = steps[1][1]
    with _on(today, 9, "19:30"):
        draft = drafts.create_draft(owner.id, PTP)
        _fill(owner.id, draft.id, [("situation", situation(owner, today)), *steps])
    with _on(today, 6, "18:15"):
        for code, document_id in kept.items():
            _pick(owner.id, draft.id, code, document_id)
        _upload(
            owner.id,
            draft.id,
            "devis",
            "devis-formation-developpeur-web.pdf",
            quote(f"NF-{today.year}-0187", formation, signed=True, issued=today - timedelta(days=20)),
        )
        _upload(
            owner.id,
            draft.id,
            "programme",
            "programme-developpeur-web.pdf",
            programme(
                formation["formation_intitule"],
                [
                    ("Module 1 (350 h)", "Développer la partie front-end d'une application web sécurisée"),
                    ("Module 2 (420 h)", "Développer la partie back-end d'une application web sécurisée"),
                    ("Stage (280 h)", "Deux mois en entreprise"),
                ],
            ),
        )
        _upload(
            owner.id,
            draft.id,
            "autorisation",
            "autorisation-absence.pdf",
            absence(owner, today - timedelta(days=10), date.fromisoformat(formation["date_debut"])),
        )
        _upload(owner.id, draft.id, "enquete", "compte-rendu-enquete-metier.pdf", survey())
        _submit(owner.id, draft.id)


def _draft_ptp(owner: User, today: date) -> None:
    """Two steps done, the form waits at the third."""
    with _on(today, 4, "22:10"):
        draft = drafts.create_draft(owner.id, PTP)
        _fill(owner.id, draft.id, [("situation", situation(owner, today)), *care_assistant()])


def seed_dossiers(owner_id: int, agent_id: int, today: date | None = None) -> int:
    if drafts.list_for_owner(owner_id):
        return 0  # seeded before (what the newcomer did with them since is kept)
    for code in (PTP, ATTESTATION):
        if registry.get(code) is None:  # pragma: no cover
            raise RuntimeError(f"démarche {code} is not declared")
    owner = _user(owner_id)
    today = today or today_in_france()
    # The journeys mail the acknowledgements and status changes as in reality, but to the
    # outbox only: the demo addresses are invented and a configured relay must not get them.
    with mail.outbox_only():
        _attestation(owner_id, agent_id, today)
        kept = _completion_ptp(owner, agent_id, today)
        _filed_ptp(owner, today, kept)
        _draft_ptp(owner, today)
    return 4


def _user(user_id: int) -> User:
    with session_scope() as db:
        user = db.get(User, user_id)
    if user is None:
        raise drafts.NotFound(str(user_id))
    return user
