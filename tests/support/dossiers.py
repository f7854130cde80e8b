"""Dossiers and agents for end-to-end tests, made through the domain in the served app's
environment (its settings, database and mail), so status changes notify as in production.

    agent = create_agent(portal)                          -> (email, password, user id)
    draft_id = complete_ptp_draft(portal, user)                every answer and piece, not filed
    dossier_id, number = submitted_ptp_dossier(portal, user)   a valid, filed PTP dossier
    refile_with_piece(portal, user, dossier_id, "devis", "devis-v2.pdf", data)   after a reopening
    change_status(portal, agent_id, dossier_id, "en_instruction", motivation="")
    ask_completion(portal, agent_id, dossier_id, "Merci de joindre le devis.")
    agent_message(portal, agent_id, dossier_id, "Bonjour", files=[("rib.pdf", b"%PDF...")])
    reopen(portal, agent_id, dossier_id, "Le devis est illisible.")
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.browser import DEFAULT_PASSWORD, unique_email
from tests.support.demarche_data import ptp_answers
from tests.support.server import PortalServer
from tests.support.users import add_user

PTP = "projet-transition-professionnelle"


def _run(portal: PortalServer, body: str) -> Any:
    """Run `body` (which sets `result`) in the app's environment; returns result from JSON."""
    code = "import json\nresult = None\n" + body + "\nprint('@@' + json.dumps(result))"
    out = portal.python(code).stdout
    return json.loads(out.rsplit("@@", 1)[1])


def create_agent(
    portal: PortalServer,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    first_name: str = "Dominique",
    last_name: str = "Agent",
) -> tuple[str, str, int]:
    """An agent as `python -m portal_app.cli create-agent` makes one (no civility), written straight
    into the served database: the command itself is tests/unit/test_backoffice.py's, and starting
    it took seconds (a Python process importing the app) for each agent."""
    email = email or unique_email("agent")
    agent = add_user(
        portal.db_engine(),
        email,
        password=password,
        role="agent",
        civility="",
        first_names=first_name,
        birth_name=last_name,
    )
    return email, password, agent.id


def complete_ptp_draft(portal: PortalServer, user, answers: dict | None = None, distinct_pieces: bool = False) -> int:
    """A PTP draft of `user` with every answer (`answers` override some) and piece, ready to be
    filed from its recap. distinct_pieces: each required piece its own "<code>.pdf"
    (tests.support.pieces.attach_each), else one document for all."""
    answers = json.dumps({**ptp_answers(), **(answers or {})})
    attach = "attach_each" if distinct_pieces else "attach_required"
    result = _run(
        portal,
        f"""
from portal_app.domain.dossiers import drafts
draft = drafts.create_draft({int(user.id)}, {PTP!r})
drafts.save_answers({int(user.id)}, draft.id, json.loads({answers!r}))
from tests.support.pieces import {attach}
{attach}({int(user.id)}, draft.id)
result = draft.id
""",
    )
    return int(result)


def submitted_ptp_dossier(
    portal: PortalServer, user, answers: dict | None = None, distinct_pieces: bool = False
) -> tuple[int, str]:
    """A PTP dossier with complete answers, submitted by `user` (the acknowledgement is mailed)."""
    draft_id = complete_ptp_draft(portal, user, answers, distinct_pieces)
    result = _run(
        portal,
        f"""
from portal_app.domain.dossiers import filing
filed = filing.submit({int(user.id)}, {draft_id}, sworn=True)
assert filed.ok, filed.errors
result = [filed.dossier.id, filed.dossier.number]
""",
    )
    return int(result[0]), str(result[1])


def refile_with_piece(portal: PortalServer, user, dossier_id: int, code: str, name: str, data: bytes) -> None:
    """The owner of a reopened dossier gives another document for one piece and files again."""
    _run(
        portal,
        f"""
from portal_app.domain.dossiers import filing, pieces
from tests.support.pieces import store_pdf
document_id = store_pdf({int(user.id)}, {name!r}, bytes.fromhex({data.hex()!r}))
assert pieces.attach({int(user.id)}, {int(dossier_id)}, {code!r}, document_id) is None
assert filing.submit({int(user.id)}, {int(dossier_id)}, sworn=True).ok
""",
    )


def change_status(portal: PortalServer, agent_id: int, dossier_id: int, target: str, motivation: str = "") -> None:
    _run(
        portal,
        f"""
from portal_app.domain.dossiers import workflow
workflow.change_status({int(agent_id)}, "agent", {int(dossier_id)}, {target!r}, {motivation!r})
""",
    )


def ask_completion(portal: PortalServer, agent_id: int, dossier_id: int, message: str) -> None:
    _run(
        portal,
        f"""
from portal_app.domain.dossiers import workflow
workflow.ask_completion({int(agent_id)}, {int(dossier_id)}, {message!r})
""",
    )


def agent_message(
    portal: PortalServer, agent_id: int, dossier_id: int, body: str, files: list[tuple[str, bytes]] = ()
) -> int:
    pairs = [(name, data.hex()) for name, data in files]
    return int(
        _run(
            portal,
            f"""
from portal_app.domain.dossiers import discussion
files = [(name, bytes.fromhex(data)) for name, data in {pairs!r}]
result = discussion.open_or_post_agent_message({int(agent_id)}, {int(dossier_id)}, {body!r}, files).id
""",
        )
    )


def reopen(portal: PortalServer, agent_id: int, dossier_id: int, motivation: str = "") -> None:
    change_status(portal, agent_id, dossier_id, "reouvert", motivation)


def status_of(portal: PortalServer, dossier_id: int) -> str:
    from sqlmodel import Session

    from portal_app.models import Dossier

    with Session(portal.db_engine()) as db:
        return db.get(Dossier, dossier_id).status


def messages_of(portal: PortalServer, dossier_id: int) -> list:
    from sqlmodel import Session, select

    from portal_app.models import Message

    with Session(portal.db_engine(), expire_on_commit=False) as db:
        return list(db.exec(select(Message).where(Message.dossier_id == dossier_id).order_by(Message.id)).all())
