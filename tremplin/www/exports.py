"""Every list page as a CSV or XLSX file: the same rows the page shows, all of them.

A list view declares a ``Table`` (its columns: a French header, a type, an accessor) and
calls ``export_response`` with the same permission-scoped, filtered queryset it renders, not
paginated. With ``?format=csv`` or ``?format=xlsx`` it gets the file back (any other format is
a 400 with a French message), without ``format`` it gets None and renders the page as usual.

Types matter in a spreadsheet: a count is a number one can add up, a date a date one can sort
and filter, so the XLSX has typed cells with French number formats; the CSV (UTF-8 with a
BOM, « ; » between cells, which French Excel opens as is) writes dates as dd/mm/yyyy and
decimals with a comma. Text typed by people goes through ``core.spreadsheets.neutralise``
in both files: a name typed as ``=HYPERLINK(...)`` stays text.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tremplin.core.spreadsheets import neutralise

FORMATS = ("csv", "xlsx")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Widths are measured on the first rows only: enough to size a column, not to read it twice.
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    MONEY = "money"


NUMBER_FORMATS = {
    Kind.INTEGER: "0",
    Kind.DECIMAL: "0.00",
    Kind.DATE: "DD/MM/YYYY",
    Kind.DATETIME: "DD/MM/YYYY HH:MM",
    Kind.MONEY: '#,##0.00 "€"',
}


@dataclass(frozen=True)
class Column:
    header: str | Promise
    kind: Kind
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    """A list's columns; ``sheet`` names the XLSX sheet (31 characters at most)."""

    sheet: str | Promise
    columns: Sequence[Column]


def text(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.TEXT, value)


def integer(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.INTEGER, value)


def decimal(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.DECIMAL, value)


def date(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.DATE, value)


def datetime_(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.DATETIME, value)


def boolean(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.BOOLEAN, value)


def money(header: str | Promise, value: Callable[[Any], Any]) -> Column:
    return Column(header, Kind.MONEY, value)


def cell_value(kind: Kind, value: Any) -> Any:
    """The typed value a cell holds (None for an empty cell); text is neutralised here."""
    if value is None or value == "":
        return None
    if kind == Kind.TEXT:
        return neutralise(str(value))
    if kind == Kind.INTEGER:
        return int(value)
    if kind in (Kind.DECIMAL, Kind.MONEY):
        return value if isinstance(value, int | float | Decimal) else Decimal(str(value))
    if kind == Kind.DATETIME:
        if not isinstance(value, datetime.datetime):
            raise TypeError(f"not a datetime: {value!r}")
        # A spreadsheet has no time zones: the local time people read on the page.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if kind == Kind.DATE:
        if isinstance(value, datetime.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if not isinstance(value, datetime.date):
            raise TypeError(f"not a date: {value!r}")
        return value
    if kind == Kind.BOOLEAN:
        return _("Oui") if value else _("Non")
    raise ValueError(kind)


def csv_cell(kind: Kind, value: Any) -> str:
    """A typed value written as French spreadsheets read it: dd/mm/yyyy, decimal comma."""
    if value is None:
        return ""
    if kind == Kind.DATE:
        return str(value.strftime("%d/%m/%Y"))
    if kind == Kind.DATETIME:
        return str(value.strftime("%d/%m/%Y %H:%M"))
    if kind == Kind.MONEY:
        return f"{Decimal(str(value)):.2f}".replace(".", ",")
    if kind == Kind.DECIMAL:
        return str(value).replace(".", ",")
    return str(value)


def table_values(table: Table, rows: Iterable[Any]) -> list[list[Any]]:
    return [[cell_value(c.kind, c.value(row)) for c in table.columns] for row in rows]


def csv_content(table: Table, values: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(c.header)) for c in table.columns])
    kinds = [c.kind for c in table.columns]
    # Text cells were neutralised by cell_value; numbers and dates are not text people typed
    # (and a negative amount must not gain an apostrophe).
    writer.writerows([csv_cell(k, v) for k, v in zip(kinds, row, strict=True)] for row in values)
    return buffer.getvalue().encode("utf-8-sig")


def _width(kind: Kind, value: Any) -> int:
    if value is None:
        return 0
    if kind == Kind.DATE:
        return 10
    if kind == Kind.DATETIME:
        return 16
    return len(csv_cell(kind, value))


def xlsx_content(table: Table, values: list[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.sheet)[:31])
    kinds = [c.kind for c in table.columns]
    headers = [str(c.header) for c in table.columns]
    for index, (kind, header) in enumerate(zip(kinds, headers, strict=True)):
        widest = max([len(header), *(_width(kind, row[index]) for row in values[:WIDTH_SAMPLE])])
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in values:
        cells: list[Any] = []
        for kind, value in zip(kinds, row, strict=True):
            if value is not None and kind in NUMBER_FORMATS:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = NUMBER_FORMATS[kind]
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(name: str, fmt: str) -> str:
    """An ASCII slug and today's date: « candidatures-2026-11-30.csv »."""
    return f"{slugify(name) or 'export'}-{timezone.localdate().isoformat()}.{fmt}"


def requested_format(request: HttpRequest) -> str:
    return str(request.GET.get("format", "")).strip().lower()


def export_response(
    request: HttpRequest, *, table: Table, rows: Iterable[Any], filename: str
) -> HttpResponse | None:
    """The list as a file when the query string asks for one (``format=csv|xlsx``), else None.

    ``rows`` is the page's own queryset, filtered and scoped to the user, before pagination,
    with the joins the columns read (``select_related``/``prefetch_related``).
    """
    fmt = requested_format(request)
    if not fmt:
        return None
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Format d'export inconnu : « %(format)s ». Formats possibles : CSV, XLSX.")
            % {"format": fmt[:20]},
            content_type="text/plain; charset=utf-8",
        )
    # Exports are written in the site's language, like the background ones (reports.tasks).
    with translation.override(settings.LANGUAGE_CODE):
        values = table_values(table, rows)
        if fmt == "csv":
            content, mime = csv_content(table, values), "text/csv; charset=utf-8"
        else:
            content, mime = xlsx_content(table, values), XLSX_MIME
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(filename, fmt)}"'
    return response
