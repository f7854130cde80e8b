from datetime import date, datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Relation(SQLModel, table=True):
    """Someone an account holder files démarches for ("Mes relations"): a natural person (a
    child, a spouse...) or a legal person (a company the holder acts for). Private to its owner.

    A draft names its relation (Dossier.relation_id) and copies it into Dossier.for_whom; filing
    freezes that copy, so editing or deleting the relation later leaves filed dossiers unchanged.
    """

    __tablename__ = "relations"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=10)  # person, company
    # Natural persons
    link: str = Field(default="", max_length=20)  # enfant, conjoint, parent, autre
    birth_name: str = Field(default="", max_length=100)
    usage_name: str = Field(default="", max_length=100)
    first_names: str = Field(default="", max_length=100)
    birth_date: date | None = None
    birthplace: str = Field(default="", max_length=100)
    # Legal persons
    siret: str = Field(default="", max_length=14)
    company_name: str = Field(default="", max_length=200)
    address_line: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=5)
    city: str = Field(default="", max_length=100)
    holder_role: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
