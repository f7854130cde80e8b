"""Files of the demo dossiers, generated at seed time: small valid PDFs (fpdf2) and a PNG
(Pillow) that look like what people really send, so the upload pipeline accepts them and a
newcomer who downloads one sees a plausible document."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

BLUE = (0, 0, 145)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

# Debian's fonts-dejavu-core (installed with chromium by `make install`); Pillow's own default
# font has no accented letters, so without DejaVu the card is written without accents.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# A line of a page: a paragraph, or a (label, value) row of a table.
Line = str | tuple[str, str]


def french_day(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def pdf_document(*pages: tuple[str, Sequence[Line]], author: str = "") -> bytes:
    """One page per (title, lines): a heading, then paragraphs and label/value rows."""
    pdf = FPDF(format="A4")
    # The core fonts in Windows-1252: accents, «», – and € without shipping a font file.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creator(author or "Portail")
    pdf.set_margins(20, 20, 20)
    for title, lines in pages:
        pdf.add_page()
        pdf.set_fill_color(*BLUE)
        pdf.rect(20, 20, 2, 10, style="F")
        pdf.set_x(25)
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        for line in lines:
            if isinstance(line, tuple):
                label, value = line
                pdf.set_font("Helvetica", "B", 10)
                pdf.cell(60, 7, label)
                pdf.set_font("Helvetica", "", 10)
                pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", "", 10)
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    return bytes(pdf.output())


def identity_card_png(surname: str, first_names: str, birth_date: date, sex: str = "F") -> bytes:
    """A mock identity card (ID-1 proportions), clearly marked as a specimen."""
    width, height = 856, 540
    image = Image.new("RGB", (width, height), (232, 240, 250))
    draw = ImageDraw.Draw(image)
    accents = DEJAVU.exists()
    title, text, small = (
        ImageFont.truetype(str(DEJAVU), size) if accents else ImageFont.load_default(size=size) for size in (28, 26, 18)
    )

    def shown(value: str) -> str:
        return value if accents else unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()

    draw.rectangle((0, 0, width, 70), fill=BLUE)
    draw.text((30, 18), shown("RÉPUBLIQUE FRANÇAISE"), font=title, fill="white")
    draw.text((30, 85), shown("CARTE NATIONALE D'IDENTITÉ"), font=small, fill=BLUE)
    # The photo's place: a plain silhouette.
    draw.rounded_rectangle((30, 130, 250, 420), radius=12, fill=(200, 208, 222))
    draw.ellipse((95, 170, 185, 260), fill=(150, 160, 180))
    draw.rounded_rectangle((70, 275, 210, 420), radius=40, fill=(150, 160, 180))
    rows = (("Nom", surname.upper()), ("Prénom(s)", first_names), ("Sexe", sex),
            ("Né(e) le", birth_date.strftime("%d/%m/%Y")), ("Nationalité", "FRA"))
    y = 130
    for label, value in rows:
        draw.text((290, y), shown(label), font=small, fill=(80, 80, 80))
        draw.text((290, y + 24), shown(value), font=text, fill=(20, 20, 20))
        y += 62
    draw.text((30, 470), shown("SPÉCIMEN - document de démonstration"), font=small, fill=(180, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
