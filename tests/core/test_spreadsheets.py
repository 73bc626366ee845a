"""Exports never hand a spreadsheet a formula: OWASP's CSV-injection triggers get an apostrophe."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests import factories
from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_start
from tremplin.core.spreadsheets import (
    SafeCsvWriter,
    csv_bytes,
    csv_text,
    neutralise,
    xlsx_value,
)
from tremplin.reports.tasks import export_site_indicators

FORMULAS = [
    '=HYPERLINK("http://x.example","Cliquez")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_text_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Marseille", "", "Promo 2027", 12, -3, 1.5, None, datetime.date(2026, 1, 1)]
)
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


def test_csv_writer_neutralises_every_cell():
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerow(["=1+1", "ok", -4])
    assert buffer.getvalue() == "'=1+1;ok;-4\r\n"
    assert csv_text([["@x", "y"]], delimiter=",") == "'@x,y\r\n"
    assert csv_bytes([["é"]]) == "\ufeffé\r\n".encode()


def test_xlsx_cells_hold_the_text_not_a_formula():
    workbook = Workbook()
    workbook.active.append([xlsx_value(v) for v in FORMULAS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = list(load_workbook(buffer).active.iter_rows(values_only=True))[0]
    assert all(isinstance(c, str) and c.startswith("'") for c in cells)


@pytest.mark.django_db
def test_the_indicators_export_neutralises_cohort_names(world):
    # A cohort is named by a coordinator: nothing stops a name that starts with « = ».
    named = factories.cohort(
        world.programme,
        world.site,
        '=HYPERLINK("http://x.example","Promo")',
        world.upcoming.start_date,
    )
    factories.referral(world, named)
    progress = progress_start(
        owner=world.user("coordinator"), kind="x", label="Export", enqueue=lambda pk: None
    )
    export_site_indicators.call(progress.pk, world.site.pk)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    rows = list(csv.reader(io.StringIO(progress.result_content), delimiter=";"))
    assert [row[0] for row in rows] == [
        "promotion",
        '\'=HYPERLINK("http://x.example","Promo")',
        "Total du site",
    ]
