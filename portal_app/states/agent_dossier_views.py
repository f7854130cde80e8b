"""What the back office's dossier page shows: rows built from the domain's views."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.uploads.checks import format_size


@dataclass
class AnswerRow:
    label: str
    value: str


@dataclass
class AnswerStep:
    title: str
    rows: list[AnswerRow]


@dataclass
class HistoryItem:
    date: str
    text: str
    motivation: str


@dataclass
class Attachment:
    id: int
    name: str
    size: str
    href: str


@dataclass
class FiledPieceItem:
    id: int
    label: str
    name: str
    size: str
    date: str
    href: str
    unchanged: bool  # the same file as in the previous filing


@dataclass
class FilingItem:
    title: str
    latest: bool
    pieces: list[FiledPieceItem]


@dataclass
class MessageItem:
    author: str
    date: str
    body: str
    from_agency: bool
    attachments: list[Attachment]


HISTORY_KINDS = {
    "created": "Brouillon créé",
    "submitted": "Dossier déposé par le demandeur",
    "reopened": "Réouvert pour modification",
}


def attachment_item(item) -> Attachment:
    return Attachment(item.id, item.name, format_size(item.size), f"/_portal/agent/pieces-jointes/{item.id}")


def filing_items(dossier_id: int, filings) -> list[FilingItem]:
    """Latest submission first: what the agent instructs is on top."""
    items = []
    for index, filed in enumerate(reversed(filings)):
        date = paris_datetime(filed.filed_at)
        rank = len(filings) - index
        items.append(
            FilingItem(
                # The rank tells two filings of the same minute apart.
                f"{rank}{'er' if rank == 1 else 'e'} dépôt, le {date}",
                index == 0,
                [
                    FiledPieceItem(
                        v.id,
                        v.label,
                        v.name,
                        v.size_label,
                        date,
                        f"/_portal/agent/dossiers/{dossier_id}/pieces/{v.id}",
                        v.unchanged,
                    )
                    for v in filed.pieces
                ],
            )
        )
    return items
