"""A cohort's fundings: who pays how much, the budget the cost indicators divide.

The amounts are the site's managers' business (coordinators of the cohort's site, network
admins): trainers see the cohort but not its money, and a funder never sees another's share.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.cohorts import perms
from tremplin.cohorts.models import Cohort, CohortFunding
from tremplin.cohorts.services import CohortError, cohort_funding_remove, cohort_funding_set
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import FundingForm


def fundings_of(cohort: Cohort) -> QuerySet[CohortFunding]:
    return cohort.fundings.select_related("funder").order_by("funder__name", "id")


def budget_of(fundings: list[CohortFunding]) -> Decimal:
    return sum((f.amount for f in fundings), Decimal(0))


def _back(cohort: Cohort) -> HttpResponse:
    return redirect(reverse("cohort_detail", args=[cohort.pk]) + "#financements")


def _managed_cohort(request: AuthedRequest, cohort_id: int) -> Cohort:
    cohort = perms.get_cohort_for_user(request.user, cohort_id)
    if not perms.can_manage_cohort(request.user, cohort):
        raise PermissionDenied
    return cohort


@require_POST
def cohort_funding_set_view(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = _managed_cohort(request, cohort_id)
    form = FundingForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Financement non enregistré : %(errors)s") % {"errors": error_summary(form)}
        )
        return _back(cohort)
    d = form.cleaned_data
    try:
        funding = cohort_funding_set(
            by=request.user,
            cohort=cohort,
            funder=d["funder"],
            amount=d["amount"],
            reference=d["reference"].strip(),
        )
    except CohortError as error:
        messages.error(request, error.message)
        return _back(cohort)
    messages.success(
        request, _("Financement de %(funder)s enregistré.") % {"funder": funding.funder.name}
    )
    return _back(cohort)


@require_POST
def cohort_funding_remove_view(
    request: AuthedRequest, cohort_id: int, funding_id: int
) -> HttpResponse:
    cohort = _managed_cohort(request, cohort_id)
    funding = get_object_or_404(cohort.fundings.select_related("funder"), pk=funding_id)
    cohort_funding_remove(by=request.user, funding=funding)
    messages.success(
        request, _("Financement de %(funder)s retiré.") % {"funder": funding.funder.name}
    )
    return _back(cohort)


def funding_context(cohort: Cohort) -> dict[str, object]:
    """What cohort_detail adds for the site's managers: the fundings, their total, the form."""
    fundings = list(fundings_of(cohort))
    return {"fundings": fundings, "budget": budget_of(fundings), "funding_form": FundingForm()}
