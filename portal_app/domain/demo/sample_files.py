"""Files of the demo dossiers, generated at seed time: small valid PDFs (fpdf2) and a PNG
(Pillow) that look like what people really send, so the upload pipeline accepts them and a
newcomer who downloads one sees a plausible document."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from portal_app.domain.core.dates import MONTHS

if TYPE_CHECKING:
    from portal_app.models import User

BLUE = (0, 0, 145)
EMPLOYER = "Boulangerie Dupont SARL"  # also the demo employer (employer_cli): one story for both spaces
EMPLOYER_SIRET = "73282932000074"
HIRED_ON = date(2014, 9, 1)

# Debian's fonts-dejavu-core (installed with chromium by `make install`); Pillow's own default
# font has no accented letters, so without DejaVu the card is written without accents.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# A line of a page: a paragraph, or a (label, value) row of a table.
Line = str | tuple[str, str]


def month_start(day: date, ahead: int) -> date:
    """The first day of the month `ahead` months after (or before, negative) `day`'s."""
    months = day.year * 12 + day.month - 1 + ahead
    return date(months // 12, months % 12 + 1, 1)


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
    rows = (
        ("Nom", surname.upper()),
        ("Prénom(s)", first_names),
        ("Sexe", sex),
        ("Né(e) le", birth_date.strftime("%d/%m/%Y")),
        ("Nationalité", "FRA"),
    )
    y = 130
    for label, value in rows:
        draw.text((290, y), shown(label), font=small, fill=(80, 80, 80))
        draw.text((290, y + 24), shown(value), font=text, fill=(20, 20, 20))
        y += 62
    draw.text((30, 470), shown("SPÉCIMEN - document de démonstration"), font=small, fill=(180, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# ---------------------------------------------------------------- the demo beneficiary's documents


def payslips(user: User, on: date) -> bytes:
    """The three last payslips on the day they are sent."""
    pages = []
    for back in (3, 2, 1):
        month = month_start(on, -back)
        pages.append(
            (
                f"Bulletin de salaire - {MONTHS[month.month - 1]} {month.year}",
                [
                    f"{EMPLOYER} - SIRET 732 829 320 00074 - 14 rue de la République, 69002 Lyon",
                    f"Salariée : {user.first_names} {user.birth_name.upper()} - Vendeuse en boulangerie - entrée le {HIRED_ON:%d/%m/%Y}",
                    ("Salaire de base", "151,67 h x 14,18 € = 2 150,00 €"),
                    ("Salaire brut", "2 150,00 €"),
                    ("Cotisations salariales", "- 466,55 €"),
                    ("Net à payer avant impôt", "1 683,45 €"),
                ],
            )
        )
    return pdf_document(*pages, author=EMPLOYER)


def rib(user: User) -> bytes:
    return pdf_document(
        (
            "Relevé d'identité bancaire",
            [
                ("Titulaire", f"Mme {user.first_names} {user.birth_name.upper()}"),
                ("Banque", "Banque coopérative du Rhône - agence Lyon Terreaux"),
                ("IBAN", "FR76 1027 8073 9100 0204 5680 175"),
                ("BIC", "CMCIFR2A"),
                "Document de démonstration : ce compte n'existe pas.",
            ],
        )
    )


def quote(number: str, answers: dict[str, Any], *, signed: bool, issued: date) -> bytes:
    organisme, siret = answers["organisme_nom"], answers["organisme_siret"]
    start, end = date.fromisoformat(answers["date_debut"]), date.fromisoformat(answers["date_fin"])
    lines: list = [
        f"{organisme} - SIRET {siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}",
        ("Devis établi le", issued.strftime("%d/%m/%Y")),
        ("Formation", answers["formation_intitule"]),
        ("Dates", f"du {french_day(start)} au {french_day(end)}"),
        ("Durée", f"{int(answers['duree_heures']):,} heures".replace(",", " ")),
        ("Coût pédagogique TTC", f"{answers['cout_pedagogique']} €"),
    ]
    lines.append(
        "Bon pour accord - signature et cachet de l'organisme : Claire Fontaine, directrice."
        if signed
        else "Bon pour accord - signature et cachet de l'organisme :"
    )
    return pdf_document((f"Devis de formation n° {number}", lines), author=organisme)


def programme(formation: str, modules: list[tuple[str, str]]) -> bytes:
    return pdf_document(
        (f"Programme - {formation}", [*modules, "Évaluations en cours de formation et session d'examen finale."])
    )


def absence(user: User, signed_on: date, start: date) -> bytes:
    return pdf_document(
        (
            "Autorisation d'absence",
            [
                f"Lyon, le {french_day(signed_on)}",
                f"{EMPLOYER} autorise Mme {user.first_names} {user.birth_name.upper()}, vendeuse, à s'absenter à partir "
                f"du {french_day(start)} pour suivre sa formation dans le cadre d'un projet de transition professionnelle.",
                "Pour la société, Jean Dupont, gérant.",
            ],
        ),
        author=EMPLOYER,
    )


def survey() -> bytes:
    return pdf_document(
        (
            "Compte rendu de mon enquête métier",
            [
                "Immersion de deux jours dans une agence web de Villeurbanne (8 personnes).",
                "Rencontres : une développeuse front-end, un développeur back-end, une cheffe de projet.",
                "Ce que j'en retiens : le métier demande de la rigueur et beaucoup d'autonomie ; les équipes "
                "recrutent des profils en reconversion qui ont un projet clair et un portfolio.",
            ],
        )
    )
