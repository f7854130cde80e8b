"""The Excel export of a règlements search: real dates and numbers, a total per month.

Names, trainings and numbers come from the agency's import and may start with "=", "+", "-", "@":
openpyxl would write such a string as a live formula (=HYPERLINK, =WEBSERVICE, DDE). Every text
cell is written as a string with Excel's quote prefix, so neither opening the file nor editing the
cell turns it into a formula; the stored data is left as it was imported.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal_app.domain.employer.reglements import Line, group_by_month, paid_range, total

HEADERS = (
    "Date du règlement",
    "N° de dossier",
    "Bénéficiaire",
    "Formation",
    "N° de règlement",
    "Heures payées",
    "Début de période",
    "Fin de période",
    "Montant",
    "Pointé",
)
DATE_FORMAT = "DD/MM/YYYY"
# Excel shows its own locale's separators; the symbol and two decimals are fixed.
EURO_FORMAT = '#,##0.00\\ "€"'
HOURS_FORMAT = "#,##0.00"
_TOTAL_FILL = PatternFill("solid", fgColor="E3E3FD")
_HEADER_FILL = PatternFill("solid", fgColor="000091")


def file_name(lines: list[Line], start: date | None, end: date | None) -> str:
    """reglements_2019-09-01_au_2019-12-31.xlsx: the searched period, else the one found."""
    found = paid_range(lines)
    first = start or (found[0] if found else None)
    last = end or (found[1] if found else None)
    if first is None or last is None:
        return "reglements.xlsx"
    return f"reglements_{first.isoformat()}_au_{last.isoformat()}.xlsx"


def _printable(value):
    # openpyxl refuses control characters (the whole export would fail): show them as "?".
    return ILLEGAL_CHARACTERS_RE.sub("?", value) if isinstance(value, str) else value


def _as_text(cell) -> None:
    """A str cell stays a string: never a formula, whatever it starts with."""
    cell.data_type = "s"
    cell.quotePrefix = True


def build_workbook(lines: list[Line], company_name: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Règlements"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        _as_text(cell)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    widths = [len(text) for text in HEADERS]

    def add(values: list, bold: bool = False) -> None:
        values = [_printable(value) for value in values]
        sheet.append(values)
        row = sheet.max_row
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
                shown = 10
            elif isinstance(value, Decimal):
                cell.number_format = EURO_FORMAT if index == 9 else HOURS_FORMAT
                shown = len(f"{value:,.2f}") + (2 if index == 9 else 0)
            else:
                if isinstance(value, str):
                    _as_text(cell)
                shown = len(str(value or ""))
            if bold:
                cell.font = Font(bold=True)
                cell.fill = _TOTAL_FILL
            widths[index - 1] = max(widths[index - 1], shown)

    for group in group_by_month(lines):
        for line in group.lines:
            add(
                [
                    line.paid_on,
                    line.dossier_number,
                    line.beneficiary,
                    line.formation,
                    # A number the agency writes with digits only, but an identifier: kept as text.
                    line.number,
                    line.hours,
                    line.period_start,
                    line.period_end,
                    line.amount,
                    "oui" if line.pointed else "non",
                ]
            )
        add([f"Total {group.label}", None, None, None, None, None, None, None, group.total, None], bold=True)
    if lines:
        add(["Total général", None, None, None, None, None, None, None, total(lines), None], bold=True)

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8) + 2, 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}1"
    if company_name:
        book.properties.title = f"Règlements — {company_name}"
    book.properties.creator = "Portail"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
