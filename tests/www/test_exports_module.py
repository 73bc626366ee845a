"""www.exports: a declared table becomes a typed XLSX or a French CSV, text neutralised."""

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from tremplin.www import exports as x

TABLE = x.Table(
    sheet="Essai",
    columns=[
        x.text("Nom", lambda r: r["name"]),
        x.integer("Nombre", lambda r: r["count"]),
        x.decimal("Heures", lambda r: r["hours"]),
        x.money("Montant", lambda r: r["amount"]),
        x.date("Date", lambda r: r["day"]),
        x.datetime_("Le", lambda r: r["at"]),
        x.boolean("Retard", lambda r: r["late"]),
    ],
)

FORMULA = '=HYPERLINK("http://x.example","Cliquez")'

ROWS = [
    {
        "name": FORMULA,
        "count": 3,
        "hours": Decimal("35.5"),
        "amount": Decimal("60000"),
        "day": datetime.date(2026, 11, 30),
        # 08:15 UTC is 09:15 in Marseille: the file shows the time people read on the page.
        "at": datetime.datetime(2026, 11, 30, 8, 15, tzinfo=datetime.UTC),
        "late": True,
    },
    {
        "name": "Hélène Dupré",
        "count": 0,
        "hours": None,
        "amount": Decimal("-12.5"),
        "day": None,
        "at": None,
        "late": False,
    },
]


def export(fmt: str | None, rows: Any = ROWS) -> Any:
    query = {"format": fmt} if fmt is not None else {}
    request = RequestFactory().get("/liste/", query)
    return x.export_response(request, table=TABLE, rows=rows, filename="Liste d'essai")


def test_without_a_format_the_page_renders_as_usual() -> None:
    assert export(None) is None
    assert export("") is None


def test_an_unknown_format_is_a_400_with_a_french_message() -> None:
    response = export("pdf")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Format d'export inconnu" in text and "CSV, XLSX" in text


@pytest.mark.usefixtures("frozen_clock")
def test_the_csv_is_french_excel_s_utf8_with_bom_and_semicolons() -> None:
    response = export("csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="liste-dessai-2026-11-30.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Nombre", "Heures", "Montant", "Date", "Le", "Retard"]
    assert rows[1] == [
        "'" + FORMULA,
        "3",
        "35,5",
        "60000,00",
        "30/11/2026",
        "30/11/2026 09:15",
        "Oui",
    ]
    # A negative amount is a number, not a formula: no apostrophe.
    assert rows[2] == ["Hélène Dupré", "0", "", "-12,50", "", "", "Non"]


@pytest.mark.usefixtures("frozen_clock")
def test_the_xlsx_has_typed_cells_a_bold_frozen_header_and_neutralised_text() -> None:
    response = export("xlsx")
    assert response["Content-Disposition"].endswith('liste-dessai-2026-11-30.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Essai"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    name, count, hours, amount, day, at, late = sheet[2]
    assert name.value == "'" + FORMULA and name.data_type == "s"
    assert count.value == 3 and isinstance(count.value, int)
    assert hours.value == 35.5 and hours.data_type == "n"
    assert amount.value == 60000 and "€" in amount.number_format
    assert day.is_date and day.value == datetime.datetime(2026, 11, 30)
    assert day.number_format == "DD/MM/YYYY"
    assert at.is_date and at.value == datetime.datetime(2026, 11, 30, 9, 15)
    assert late.value == "Oui"
    assert [c.value for c in sheet[3]] == ["Hélène Dupré", 0, None, -12.5, None, None, "Non"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert all(x.MIN_WIDTH <= w <= x.MAX_WIDTH for w in widths)
    assert widths[0] > widths[1]  # the long name gets a wider column than the count


def test_an_empty_list_still_has_its_header_row() -> None:
    response = export("xlsx", rows=[])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:2] == ["Nom", "Nombre"]
    assert sheet.max_row == 1


def test_a_header_starting_like_a_formula_is_neutralised_too() -> None:
    table = x.Table(sheet="S", columns=[x.integer("-1 jour", lambda r: r)])
    request = RequestFactory().get("/", {"format": "csv"})
    response = x.export_response(request, table=table, rows=[1], filename="s")
    assert response.content.decode("utf-8-sig").splitlines()[0] == "'-1 jour"


def test_datetimes_are_local_and_naive_for_the_spreadsheet() -> None:
    aware = timezone.make_aware(datetime.datetime(2026, 7, 1, 12, 0))
    assert x.cell_value(x.Kind.DATETIME, aware) == datetime.datetime(2026, 7, 1, 12, 0)
    assert x.cell_value(x.Kind.DATE, aware) == datetime.date(2026, 7, 1)
