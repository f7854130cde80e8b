from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Role(StrEnum):
    BENEFICIARY = "beneficiary"
    EMPLOYER = "employer"
    AGENT = "agent"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(default=Role.BENEFICIARY.value, index=True, max_length=20)
    # Lower-cased; the login of beneficiaries and agents.
    email: str = Field(index=True, unique=True, max_length=254)
    # Employers log in with an identifier they choose at first login.
    login: str | None = Field(default=None, index=True, unique=True, max_length=80)
    password_hash: str = Field(max_length=200)
    # A provisional password (employer accounts created by the agency) dies at this time.
    password_expires_at: datetime | None = None

    civility: str = Field(default="", max_length=10)
    birth_name: str = Field(default="", max_length=100)
    usage_name: str = Field(default="", max_length=100)
    first_names: str = Field(default="", max_length=150)
    birth_date: date | None = None
    nir: str = Field(default="", index=True, max_length=15)
    phone: str = Field(default="", max_length=20)
    address_line: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=5)
    city: str = Field(default="", max_length=100)

    is_active: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    activated_at: datetime | None = None
    closed_at: datetime | None = None

    # Set when another account already uses this NIR: agents merge them later.
    duplicate_of_id: int | None = Field(default=None, foreign_key="users.id", index=True)

    # FranceConnect: the identity's subject (one identity, one account) and the birth place it
    # certified (INSEE code, empty when born abroad; country code, 99100 is France).
    fc_sub: str | None = Field(default=None, unique=True, max_length=100)
    # FranceConnect+ is another client: FranceConnect gives each client its own subject for a person.
    fcplus_sub: str | None = Field(default=None, unique=True, max_length=100)
    birthplace: str = Field(default="", max_length=5)
    birth_country: str = Field(default="", max_length=5)

    notify_status: bool = True
    notify_messages: bool = True

    @property
    def franceconnect_linked(self) -> bool:
        """Linked through FranceConnect or FranceConnect+: its identity is certified."""
        return bool(self.fc_sub or self.fcplus_sub)

    @property
    def display_name(self) -> str:
        last = self.usage_name or self.birth_name
        return f"{self.first_names.split(' ')[0]} {last}".strip() if self.first_names else self.email
