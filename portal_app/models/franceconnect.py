from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class FranceConnectLogin(SQLModel, table=True):
    """One trip to FranceConnect: what the callback checks (state, nonce, PKCE verifier, the
    browser that left), then, for an identity no account knows yet, what it brought back until
    the person confirms an email address and the terms."""

    __tablename__ = "franceconnect_logins"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(index=True, unique=True, max_length=64)
    # The HttpOnly cookie of the browser that left: another browser cannot come back with this state.
    browser_key_hash: str = Field(index=True, max_length=64)
    nonce: str = Field(max_length=100)
    code_verifier: str = Field(max_length=128)
    level: str = Field(max_length=10)  # "fc" or "fcplus"
    # For a step-up (FranceConnect+ before filing): the signed-in user and where to go back.
    user_id: int | None = Field(default=None, foreign_key="users.id")
    return_to: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    # sent → (returned: an unknown identity waits for its account → ready: the account is set)
    # → done. Every step happens once: a replayed state or a second completion finds it moved on.
    status: str = Field(default="sent", max_length=10)
    updated_at: datetime = Field(default_factory=utcnow)
    # Verified identity (JSON) and id_token of an identity waiting for its account.
    identity: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    id_token: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    acr: str = Field(default="", max_length=10)
