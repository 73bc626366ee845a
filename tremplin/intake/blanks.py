"""The blank files advisors fill in: an XLSX and a CSV built from the column list.

The XLSX's first sheet holds the headers only (a filled-in example would be imported by whoever
forgets to delete it), with drop-down lists for the columns that take a fixed set of values;
a second sheet, « Aide », explains each column with an example. The CSV is UTF-8 with a BOM and
« ; » between cells, which French Excel opens as it is.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tremplin.core.spreadsheets import csv_bytes, xlsx_value
from tremplin.engine.tabular import Column, Kind

from .columns import DESCRIPTIONS, columns

LAST_ROW = 5000  # how far down the drop-down lists reach


def _accepted(column: Column) -> str:
    if column.kind == Kind.CHOICE:
        return " / ".join(labels[0] for _code, labels in column.choices)
    if column.kind == Kind.YES_NO:
        return "oui / non"
    return ""


def xlsx_template() -> bytes:
    # The file is French whatever the page's language: its headers are what the import reads.
    with translation.override("fr"):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Orientations"
        for index, column in enumerate(columns(), start=1):
            cell = sheet.cell(row=1, column=index, value=xlsx_value(column.header))
            cell.font = Font(bold=True)
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
            cells = f"{letter}2:{letter}{LAST_ROW}"
            if column.kind in (Kind.CHOICE, Kind.YES_NO):
                options = (
                    [labels[0] for _code, labels in column.choices]
                    if column.kind == Kind.CHOICE
                    else ["oui", "non"]
                )
                rule = DataValidation(
                    type="list",
                    formula1='"' + ",".join(o.replace(",", "") for o in options) + '"',
                    allow_blank=not column.required,
                )
                rule.add(cells)
                sheet.add_data_validation(rule)
            elif column.kind == Kind.DATE:
                for row in range(2, 202):
                    sheet.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"

        help_sheet = workbook.create_sheet("Aide")
        help_sheet.append(
            [_("colonne"), _("obligatoire"), _("valeurs"), _("exemple"), _("description")]
        )
        for cell in help_sheet[1]:
            cell.font = Font(bold=True)
        for column in columns():
            help_sheet.append(
                [
                    xlsx_value(column.header),
                    _("oui") if column.required else _("non"),
                    xlsx_value(_accepted(column)),
                    xlsx_value(column.example),
                    xlsx_value(str(DESCRIPTIONS.get(column.key, ""))),
                ]
            )
        for letter, width in zip("ABCDE", (26, 12, 48, 30, 80), strict=True):
            help_sheet.column_dimensions[letter].width = width
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def csv_template() -> bytes:
    return csv_bytes([[column.header for column in columns()]])
