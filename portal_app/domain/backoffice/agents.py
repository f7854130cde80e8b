"""Agent accounts created from the back office.

No password travels by mail: the new agent gets a password-reset link (the same one-hour,
single-use token as "mot de passe oublié") and chooses it; until then the account holds an
unusable random hash and cannot log in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from portal_app.domain.accounts import link, user_by_email
from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.core import audit, mail, tokens
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import email_error, normalize_email
from portal_app.domain.core.tokens import Purpose
from portal_app.models import Role, User

FIELDS = ("email", "first_names", "birth_name")


@dataclass
class CreateResult:
    errors: dict[str, str] = field(default_factory=dict)
    email: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def create_agent(agent_id: int, data: dict) -> CreateResult:
    email = normalize_email(str(data.get("email", "")))
    first = " ".join(str(data.get("first_names", "")).split())[:150]
    last = " ".join(str(data.get("birth_name", "")).split())[:100]
    errors: dict[str, str] = {}
    problem = email_error(str(data.get("email", "")))
    if problem:
        errors["email"] = problem
    if not first:
        errors["first_names"] = "Indiquez le prénom de l'agent."
    if not last:
        errors["birth_name"] = "Indiquez le nom de l'agent."
    if errors:
        return CreateResult(errors)
    with session_scope() as db:
        creator = db.get(User, agent_id)
        if creator is None or creator.role != Role.AGENT.value or creator.closed_at is not None:
            return CreateResult({"email": "Seul un agent peut créer un compte agent."})
        if user_by_email(db, email) is not None:
            # Agents are colleagues: saying so here reveals nothing to the public.
            return CreateResult({"email": "Un compte existe déjà avec cette adresse e-mail."})
        user = User(
            email=email,
            role=Role.AGENT.value,
            first_names=first,
            birth_name=last,
            # Nobody knows this password: the link mailed below is the only way in.
            password_hash=hash_password(secrets.token_urlsafe(32)),
            # Inactive until the link is used: reset_password activates, as it proves the address.
            is_active=False,
        )
        db.add(user)
        db.flush()
        raw = tokens.issue(db, user.id, Purpose.PASSWORD_RESET)
        audit.record(db, agent_id, "create_agent", target_user_id=user.id, email=email)
        mail.queue(
            db,
            email,
            "agent_invitation",
            first_name=first.split(" ")[0],
            link=link("/mot-de-passe-oublie", raw),
            reset_link=link("/mot-de-passe-oublie"),
        )
    return CreateResult(email=email)
