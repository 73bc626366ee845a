"""Writing CSV and XLSX files that a spreadsheet opens as data, never as formulas.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as
a formula by Excel or LibreOffice (CSV injection, OWASP): a name typed as
``=HYPERLINK("http://…","Cliquez")`` in a public form would become a live link in the
coordinator's export. Every export goes through ``neutralise``, which puts an apostrophe in
front of such text: the spreadsheet shows the text as typed and runs nothing. Numbers stay
numbers (a negative count is not text and is left alone).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell is neutralised; French spreadsheets expect « ; »."""

    def __init__(self, stream: Any, *, delimiter: str = ";") -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(neutralise_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> str:
    buffer = io.StringIO()
    SafeCsvWriter(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to show accents right."""
    return csv_text(rows, delimiter=delimiter).encode("utf-8-sig")


def xlsx_value(value: Any) -> Any:
    """A value for an openpyxl cell: openpyxl itself turns text starting with « = » into a
    formula, so text is neutralised the same way."""
    return neutralise(value)
