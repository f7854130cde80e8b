from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal_app.models.base import utcnow


class DossierPiece(SQLModel, table=True):
    """One supporting document given for one piece of a dossier.

    While the dossier is a draft the row only links a porte-documents document (no foreign
    key: deleting the document leaves a dangling id, which reads as "missing" again). At
    submission the file is copied under its own stored name and described here, so the filed
    dossier no longer depends on the porte-documents.
    """

    __tablename__ = "dossier_pieces"
    __table_args__ = (UniqueConstraint("dossier_id", "piece_code", name="uq_dossier_pieces_dossier_piece"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    # The dossier's owner, copied so that account deletion finds the rows in one query.
    owner_id: int = Field(foreign_key="users.id", index=True)
    piece_code: str = Field(max_length=60)
    document_id: int | None = Field(default=None, index=True)
    # The frozen copy, filled at submission.
    stored_name: str | None = Field(default=None, unique=True, max_length=64)
    name: str = Field(default="", max_length=130)
    kind: str = Field(default="", max_length=10)
    size: int = 0
    sha256: str = Field(default="", max_length=64)
    attached_at: datetime = Field(default_factory=utcnow)
    frozen_at: datetime | None = None


class FiledPiece(SQLModel, table=True):
    """One piece as it was filed at one submission: a dossier reopened and filed again keeps
    every earlier version. Written once, at submission, never changed.

    The rows of one submission share `filed_at` (the dossier's submitted_at of that filing).
    A piece unchanged between two filings has two rows naming the same stored file; these
    rows own the frozen files (DossierPiece.stored_name is the latest one's name), so a file
    goes only with the dossier's owner (account deletion).
    """

    __tablename__ = "filed_pieces"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    # The dossier's owner, copied so that account deletion finds the rows in one query.
    owner_id: int = Field(foreign_key="users.id", index=True)
    piece_code: str = Field(max_length=60)
    filed_at: datetime
    stored_name: str = Field(index=True, max_length=64)
    name: str = Field(max_length=130)
    kind: str = Field(max_length=10)
    size: int = 0
    sha256: str = Field(default="", max_length=64)


class FilingReceipt(SQLModel, table=True):
    """The PDF receipt ("attestation de dépôt") of one submission; a dossier filed again after
    a reopening gets the next version, earlier ones are kept."""

    __tablename__ = "filing_receipts"
    __table_args__ = (UniqueConstraint("dossier_id", "version", name="uq_filing_receipts_dossier_version"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    # The dossier's owner, copied so that account deletion finds the rows in one query; None
    # for a guest's dossier (domain/guests).
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    version: int
    filed_at: datetime
    stored_name: str = Field(unique=True, max_length=64)
    size: int = 0
