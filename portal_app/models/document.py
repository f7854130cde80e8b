from datetime import datetime

from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class Document(SQLModel, table=True):
    """A file in a user's porte-documents. Private to its owner: agents never read this table.

    The file itself lives on disk under `stored_name` and is never modified in place, so a
    dossier attachment freezes it by copying these columns and linking the file under a new
    stored name (documents.freeze): deleting the document later leaves the dossier intact.
    """

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True)
    category: str = Field(default="autre", max_length=30)
    # The name shown and used on download: sanitised, with the extension of the detected type.
    name: str = Field(max_length=130)
    # As uploaded (sanitised too): kept when the user renames, to tell what was sent.
    original_name: str = Field(max_length=130)
    stored_name: str = Field(unique=True, max_length=64)
    thumbnail_name: str | None = Field(default=None, max_length=64)
    # Decided by the content: png, jpeg or pdf.
    kind: str = Field(max_length=10)
    size: int
    sha256: str = Field(max_length=64)
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
