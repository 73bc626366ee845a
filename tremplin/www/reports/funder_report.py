"""The PDF funder report (issue 7 §4), asked from a site's dashboard: one cohort or a period,
built in the background (reports.tasks.funder_report) behind a progress bar.

Funders ask about the cohorts they fund, the site's staff about any of the site's; the request
is checked here (reports.pdf.report_scope) before any task starts, and again by the task.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tremplin.cohorts.models import Cohort
from tremplin.core.progress import progress_start
from tremplin.organisations.models import Site
from tremplin.reports.pdf import ReportError, report_scope
from tremplin.reports.perms import get_dashboard_site_for_user, report_cohorts_for_user
from tremplin.reports.tasks import funder_report
from tremplin.www.forms import DateInput, StyledForm, error_summary
from tremplin.www.http import AuthedRequest


class CohortChoiceField(forms.ModelChoiceField[Cohort]):
    def label_from_instance(self, obj: Cohort) -> str:
        return f"{obj.name} ({obj.start_date:%d/%m/%Y})"


class FunderReportForm(StyledForm):
    cohort = CohortChoiceField(
        label=gettext_lazy("Une promotion"),
        required=False,
        queryset=Cohort.objects.none(),
        empty_label=gettext_lazy("— ou une période ci-contre —"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Cette promotion n'est pas dans le périmètre de votre rapport."
            )
        },
    )
    start = forms.DateField(
        label=gettext_lazy("ou les promotions commencées du"), required=False, widget=DateInput()
    )
    end = forms.DateField(label=gettext_lazy("au"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = report_cohorts_for_user(user, site)  # type: ignore[attr-defined]


def _request_scope(form: FunderReportForm, user: Any, site: Site) -> dict[str, Any]:
    """The task's arguments for a valid form, or a ReportError in French."""
    d = form.cleaned_data
    cohort: Cohort | None = d["cohort"]
    start: datetime.date | None = d["start"]
    end: datetime.date | None = d["end"]
    report_scope(
        user=user, site=site, cohort_id=cohort.pk if cohort else None, start=start, end=end
    )
    return {
        "cohort_id": cohort.pk if cohort else None,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }


@require_POST
def funder_report_request(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = get_dashboard_site_for_user(request.user, site_id)
    back = redirect(reverse("site_dashboard", args=[site.pk]) + "#funder-report")
    form = FunderReportForm(request.POST, user=request.user, site=site)
    if not form.is_valid():
        messages.error(
            request, _("Rapport non lancé : %(errors)s") % {"errors": error_summary(form)}
        )
        return back
    try:
        arguments = _request_scope(form, request.user, site)
    except ReportError as error:
        messages.error(request, _("Rapport non lancé : %(errors)s") % {"errors": error.message})
        return back
    progress = progress_start(
        owner=request.user,
        kind="funder_report",
        label=_("Rapport d'impact (PDF) — %(site)s") % {"site": site.name},
        enqueue=lambda pk: funder_report.enqueue(pk, site.pk, **arguments),
    )
    return redirect("task_progress", progress.pk)
