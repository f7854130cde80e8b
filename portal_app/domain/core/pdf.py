"""PDFs the portal writes itself (filing receipts, accepted quotes): DejaVu Sans embedded, so any
name prints (é, ç, Œ, ß, ł, ő, ñ, ş, Vietnamese), which the PDF core fonts cannot."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

AUTHOR = "Portail"
FONT = "DejaVu"
FONTS = Path(__file__).resolve().parents[3] / "assets" / "fonts"


def clean(text: object) -> str:
    # Composed forms: a name typed with combining accents prints as one glyph per letter.
    return unicodedata.normalize("NFC", str(text))


def new_document(title: str) -> FPDF:
    """An A4 document with the portal's font (regular and bold) and metadata."""
    # Imported here: fpdf2 and fontTools hold about 30 MiB, which every app worker would keep
    # for the few actions that write a PDF (issue 18, idle memory).
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(clean(title))
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    return pdf
