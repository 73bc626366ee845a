"""The PDF funder report (reports/pdf.py): what a request may cover, what a funder reads (its
funded cohorts, small cells hidden, no names), and the PDF itself."""

import datetime
import subprocess

import pytest

from tests import factories
from tests.reports.test_indicators import candidacy, past_cohort  # noqa: F401 (fixture)
from tremplin.reports.pdf import (
    ReportError,
    ReportScope,
    build_report,
    report_html,
    report_pdf,
    report_scope,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def scope(world, role, **request):
    return report_scope(
        user=world.user(role),
        site=world.site,
        **{"cohort_id": None, "start": None, "end": None, **request},
    )


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({}, "Choisissez une promotion, ou une période"),
        ({"start": D(2025, 1, 1)}, "Choisissez une promotion, ou une période"),
        ({"start": D(2026, 1, 1), "end": D(2025, 1, 1)}, "La fin de la période précède"),
        ({"start": D(2020, 1, 1), "end": D(2020, 12, 31)}, "Aucune promotion de votre périmètre"),
        ({"cohort_id": "PAST", "start": D(2025, 1, 1)}, "pas les deux"),
        ({"cohort_id": "UPCOMING"}, "pas dans le périmètre"),  # not funded by it
        ({"cohort_id": "OTHER"}, "pas dans le périmètre"),  # another site's
    ],
)
def test_bad_requests_are_refused(world, request_, message):
    ids = {"PAST": world.past.pk, "UPCOMING": world.upcoming.pk, "OTHER": world.other_cohort.pk}
    request_ = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in request_.items()}
    with pytest.raises(ReportError, match=message):
        scope(world, "funder", **request_)


def test_a_funder_reports_on_its_cohorts_and_staff_on_all(world):
    assert scope(world, "funder", cohort_id=world.past.pk) == ReportScope(cohort=world.past)
    assert scope(world, "coordinator", cohort_id=world.upcoming.pk).cohort == world.upcoming
    period = scope(world, "network_admin", start=D(2025, 1, 1), end=D(2026, 12, 31))
    assert (period.start, period.end) == (D(2025, 1, 1), D(2026, 12, 31))
    for role in ("outsider_coordinator", "trainer", "prescriber"):
        with pytest.raises(ReportError):
            scope(world, role, cohort_id=world.past.pk)


def test_the_funder_reads_its_cohorts_figures_with_small_cells_hidden(world, past_cohort):  # noqa: F811
    report = build_report(
        user=world.user("funder"),
        site=world.site,
        scope=ReportScope(start=D(2025, 1, 1), end=D(2026, 12, 31)),
    )
    assert report.aggregates_only and report.funder == world.funder
    # The running cohort is funded (no entrant: shown as 0), the upcoming one is not.
    assert [c.name for c in report.cohorts] == [world.past.name, world.running.name]
    assert [c.entered.value for c in report.cohorts] == ["6", "0"]
    rows = {row.key: row.cell for row in report.rows}
    assert rows["acceptance"].detail == "7 / 8"
    assert rows["satisfied"].hidden and rows["satisfied"].detail == ""
    costs = {row.key: row.cell for row in report.costs}
    assert costs["cost_per_learner"].value == "10\u202f000 €"
    assert costs["cost_per_outcome"].hidden
    assert "cost_per_learner" not in rows


def test_staff_read_every_number(world, past_cohort):  # noqa: F811
    report = build_report(
        user=world.user("coordinator"), site=world.site, scope=ReportScope(cohort=world.past)
    )
    assert not report.aggregates_only and report.funder is None
    assert [c.name for c in report.cohorts] == [world.past.name]
    rows = {row.key: row.cell for row in report.rows}
    assert rows["satisfied"].detail == "1 / 2"
    assert not any(cell.hidden for cell in rows.values())
    assert report.file_name == f"rapport-financeur-promotion-{world.past.pk}.pdf"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())  # table cells wrap: compare words, not lines


def test_the_pdf_has_the_title_page_tables_and_charts_and_no_names(world, past_cohort, tmp_path):  # noqa: F811
    report = build_report(
        user=world.user("funder"), site=world.site, scope=ReportScope(cohort=world.past)
    )
    steps = []
    content = report_pdf(report, step=steps.append)
    assert content.startswith(b"%PDF")
    assert steps == ["Mise en page du PDF"]
    text = pdf_text(content, tmp_path)
    for expected in (
        "Rapport d'impact",
        world.site.name,
        world.funder.name,
        f"Promotion {world.past.name}",
        "Taux d'acceptation",
        "Délai d'accès au premier emploi",
        "Public accueilli",
        "Coût par personne formée",
        "moins de 5 personnes",
    ):
        assert expected in text, expected
    for enrolment in past_cohort.values():
        person = enrolment.candidacy.person
        assert person.last_name not in text and person.first_name not in text
    # Both charts are drawn (inline SVG), each before its table.
    html = report_html(report)
    assert html.count("<svg") == 2
    assert html.index("<path d=") < html.index('id="report-km"')
    assert html.index("<rect") < html.index('id="report-public"')


def test_a_cohort_with_few_learners_hides_the_curve_and_the_sizes(world):
    for name in ("Awa", "Bruno", "Chloé"):
        factories.ended(world, first_name=name, last_name="Testeur")
    report = build_report(
        user=world.user("funder"), site=world.site, scope=ReportScope(cohort=world.running)
    )
    assert report.cohorts[0].entered.hidden
    assert report.entrants.hidden
    html = report_html(report)
    assert "Testeur" not in html and "Chloé" not in html
    assert ">3<" not in html
