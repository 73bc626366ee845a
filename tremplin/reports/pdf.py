"""The funder report as PDF (issue 7 §4): a site's impact indicators for one cohort or for the
cohorts started in a period, with the dashboard's definitions, its two charts (inline SVG, each
followed by its data table) and the costs computed from the cohorts' fundings.

The file leaves the platform, so what a funder reads is decided here exactly as on its
dashboard: only the cohorts it funds, and every figure about fewer than 5 people replaced by
« moins de 5 personnes » (``www.reports.indicators`` applies the rule before the template sees
a number). No name of a person is ever read: the facts are the selectors' anonymous ones.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.models import Cohort
from tremplin.engine.indicators import suppressed
from tremplin.organisations.models import Organisation, Site
from tremplin.www.reports.charts import BarChart, StepChart
from tremplin.www.reports.indicators import (
    Cell,
    CurveRow,
    PublicRow,
    Row,
    count_cell,
    curve_chart,
    curve_rows,
    indicator_rows,
    public_chart,
    public_rows,
)

from .certification import site_certification
from .perms import funded_by, report_cohorts_for_user
from .selectors import IndicatorFilters, SiteIndicators, _cohort_q, site_indicators

# The report prints the costs (from the cohorts' fundings) in a section of their own.
COST_ROWS = ("cost_per_learner", "cost_per_outcome")


class ReportError(Exception):
    """A request the report cannot answer; ``message`` is in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: one cohort, or the cohorts started in a period (inclusive)."""

    cohort: Cohort | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


def aggregates_only(user: Any) -> bool:
    return bool(user.role == Role.FUNDER)


def report_scope(
    *,
    user: Any,
    site: Site,
    cohort_id: int | None,
    start: datetime.date | None,
    end: datetime.date | None,
) -> ReportScope:
    """Check what ``user`` asks of ``site``: one of their cohorts, or a period holding one."""
    cohorts = report_cohorts_for_user(user, site)
    if cohort_id and (start or end):
        raise ReportError(_("Choisissez une promotion ou une période, pas les deux."))
    if cohort_id:
        cohort = cohorts.filter(pk=cohort_id).first()
        if cohort is None:
            raise ReportError(_("Cette promotion n'est pas dans le périmètre de votre rapport."))
        return ReportScope(cohort=cohort)
    if not (start and end):
        raise ReportError(_("Choisissez une promotion, ou une période avec ses deux dates."))
    if end < start:
        raise ReportError(_("La fin de la période précède son début."))
    if not cohorts.filter(start_date__range=(start, end)).exists():
        raise ReportError(
            _("Aucune promotion de votre périmètre n'a commencé pendant cette période.")
        )
    return ReportScope(start=start, end=end)


def scope_filters(scope: ReportScope, user: Any) -> IndicatorFilters:
    """The dashboard filters that select the scope's cohorts: one cohort, or those started in
    a period (the title page lists the cohorts counted)."""
    funder = funded_by(user)
    if scope.cohort is not None:
        return IndicatorFilters(cohort_id=scope.cohort.pk, funder_id=funder)
    return IndicatorFilters(start_from=scope.start, start_to=scope.end, funder_id=funder)


def scope_cohorts(
    user: Any, site: Site, filters: IndicatorFilters
) -> list[tuple[str, datetime.date, datetime.date, int]]:
    """The cohorts the indicators count (name, start, end), with the number of learners who
    entered each."""
    qs = report_cohorts_for_user(user, site).filter(_cohort_q(filters, ""))
    return [
        (name, start, end, entered)
        for name, start, end, entered in qs.annotate(
            entered=Count("enrolments", distinct=True)
        ).values_list("name", "start_date", "end_date", "entered")
    ]


@dataclass(frozen=True)
class CohortLine:
    name: str
    start_date: datetime.date
    end_date: datetime.date
    entered: Cell


@dataclass(frozen=True)
class FunderReport:
    """Everything the template prints; no figure in it escaped the small-cell rule."""

    site: Site
    scope: ReportScope
    funder: Organisation | None
    aggregates_only: bool
    generated_at: datetime.datetime
    indicators: SiteIndicators
    cohorts: list[CohortLine]
    entrants: Cell
    rows: list[Row]
    costs: list[Row]
    curve_hidden: bool
    curve_rows: list[CurveRow]
    curve_chart: StepChart
    public: list[PublicRow]
    public_chart: BarChart

    @property
    def file_name(self) -> str:
        if self.scope.cohort is not None:
            return f"rapport-financeur-promotion-{self.scope.cohort.pk}.pdf"
        assert self.scope.start and self.scope.end
        return (
            f"rapport-financeur-site-{self.site.pk}-"
            f"{self.scope.start:%Y%m%d}-{self.scope.end:%Y%m%d}.pdf"
        )


def build_report(*, user: Any, site: Site, scope: ReportScope) -> FunderReport:
    hide = aggregates_only(user)
    filters = scope_filters(scope, user)
    indicators = site_indicators(site, filters)
    public = public_rows(indicators, aggregates_only=hide)
    rows = indicator_rows(
        indicators, aggregates_only=hide, certification=site_certification(site, filters)
    )
    return FunderReport(
        site=site,
        scope=scope,
        funder=user.organisation if hide else None,
        aggregates_only=hide,
        generated_at=timezone.localtime(),
        indicators=indicators,
        cohorts=[
            CohortLine(name, start, end, count_cell(entered, aggregates_only=hide))
            for name, start, end, entered in scope_cohorts(user, site, filters)
        ],
        entrants=count_cell(indicators.public.entrants, aggregates_only=hide),
        rows=[row for row in rows if row.key not in COST_ROWS],
        costs=[row for row in rows if row.key in COST_ROWS],
        curve_hidden=hide and suppressed(indicators.time_to_job.people),
        curve_rows=curve_rows(indicators.time_to_job, aggregates_only=hide),
        curve_chart=curve_chart(
            indicators.time_to_job, indicators.followed_days, aggregates_only=hide
        ),
        public=public,
        public_chart=public_chart(public),
    )


def report_html(report: FunderReport) -> str:
    return render_to_string("reports/funder_report_pdf.html", {"r": report})


def report_pdf(report: FunderReport, *, step: Callable[[str], None] | None = None) -> bytes:
    """The report as PDF; ``step`` hears of each stage, for a progress bar."""
    from weasyprint import HTML  # heavy import, only in the worker

    html = report_html(report)
    if step:
        step(_("Mise en page du PDF"))
    content: bytes = HTML(string=html).write_pdf()
    return content
