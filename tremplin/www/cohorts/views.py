"""Cohort and enrolment pages; every object comes through its permission function."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.perms import get_candidacy_for_user
from tremplin.cohorts import perms
from tremplin.cohorts.models import CompetencyAssessment
from tremplin.cohorts.services import (
    CohortError,
    cohort_create,
    competencies_of,
    competency_assess,
    enrol,
    enrolment_end,
)
from tremplin.cohorts.workflow import enrolment_workflow
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.employers.perms import proposals_for_user
from tremplin.organisations.models import Site
from tremplin.outcomes.enums import Milestone
from tremplin.outcomes.perms import can_record_follow_up
from tremplin.outcomes.services import milestone_due_date
from tremplin.programmes.enums import CompetencyLevel
from tremplin.www.exports import export_response
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import AssessmentForm, CohortFilterForm, CohortForm, EndEnrolmentForm, EnrolForm
from .fundings import funding_context
from .tables import cohort_table

COHORT_PAGE_SIZE = 50


def cohort_list(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.COORDINATOR, Role.TRAINER, Role.NETWORK_ADMIN):
        raise PermissionDenied
    visible = perms.cohorts_for_user(request.user)
    sites = Site.objects.filter(pk__in=visible.values("site_id")).order_by("name")
    filters = CohortFilterForm(request.GET or None, sites=sites)
    cohorts = filters.filter(visible).order_by("-start_date", "id")
    rows = cohorts.annotate(enrolled=Count("enrolments"))
    if export := export_response(request, table=cohort_table, rows=rows, filename="promotions"):
        return export
    # A network holds thousands of cohorts over the years: a page of them at a time, counted
    # without the join, and their learners counted for that page only.
    page = Paginator(cohorts, COHORT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = rows.filter(pk__in=[c.pk for c in page.object_list])
    return render(
        request,
        "cohorts/cohort_list.html",
        {
            "page": page,
            "cohorts": page.object_list,
            "filters": filters if filters.fields else None,
            "can_create": perms.can_create_cohort(request.user),
        },
    )


def _managed_sites(user: User) -> QuerySet[Site]:
    if user.role == Role.NETWORK_ADMIN:
        return Site.objects.filter(network_id=user.organisation_id)
    return Site.objects.filter(pk=user.site_id or 0)


def cohort_create_view(request: AuthedRequest) -> HttpResponse:
    if not perms.can_create_cohort(request.user):
        raise PermissionDenied
    form = CohortForm(request.POST or None, sites=_managed_sites(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cohort = cohort_create(
                by=request.user,
                programme=d["programme"],
                site=d["site"],
                name=d["name"],
                start_date=d["start_date"],
                end_date=d["end_date"],
                capacity=d["capacity"],
                trainers=list(d["trainers"]),
            )
        except CohortError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Promotion « %(name)s » créée.") % {"name": cohort.name})
            return redirect("cohort_detail", cohort.pk)
    return render(request, "cohorts/cohort_form.html", {"form": form})


def cohort_detail(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = perms.get_cohort_for_user(request.user, cohort_id)
    enrolments = cohort.enrolments.select_related("candidacy__person").order_by(
        "candidacy__person__last_name", "id"
    )
    can_manage = perms.can_manage_cohort(request.user, cohort)
    waiting = (
        cohort.candidacies.filter(status=CandidacyStatus.ACCEPTED).select_related("person")
        if can_manage
        else []
    )
    return render(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "enrolments": enrolments,
            "seats_left": max(cohort.capacity - enrolments.count(), 0),
            "waiting": waiting,
            "can_manage": can_manage,
            "trainers": cohort.trainers.all(),
            # The budget is the managers' business: trainers see the cohort, not its money.
            **(funding_context(cohort) if can_manage else {}),
        },
    )


@require_POST
def cohort_enrol(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = perms.get_cohort_for_user(request.user, cohort_id)
    if not perms.can_manage_cohort(request.user, cohort):
        raise PermissionDenied
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une candidature à inscrire."))
        return redirect("cohort_detail", cohort.pk)
    candidacy = get_candidacy_for_user(request.user, form.cleaned_data["candidacy"])
    if candidacy.cohort_id != cohort.pk:
        raise Http404(_("Cette candidature ne vise pas cette promotion."))
    try:
        enrolment = enrol(candidacy=candidacy, by=request.user)
    except CohortError as error:
        messages.error(request, error.message)
        return redirect("cohort_detail", cohort.pk)
    messages.success(
        request,
        _("%(name)s est inscrit·e dans la promotion.") % {"name": candidacy.person.full_name},
    )
    return redirect("enrolment_detail", enrolment.pk)


def enrolment_detail(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = perms.get_enrolment_for_user(request.user, enrolment_id)
    assessments = {
        a.competency_id: a
        for a in CompetencyAssessment.objects.filter(enrolment=enrolment).select_related(
            "assessed_by"
        )
    }
    blocks: dict[object, list[dict[str, object]]] = {}
    for competency in competencies_of(enrolment).order_by(
        "block__certification__title", "block__position", "position"
    ):
        blocks.setdefault(competency.block, []).append(
            {"competency": competency, "assessment": assessments.get(competency.pk)}
        )
    acquired = sum(1 for a in assessments.values() if a.level == CompetencyLevel.ACQUIRED)
    can_end = perms.can_end_enrolment(request.user, enrolment)
    end_transitions = [
        {
            "transition": t,
            "reasons": enrolment_workflow.reasons_for(t.name),
            "extra_template": "cohorts/ended_on_field.html",
        }
        for t in enrolment_workflow.available(enrolment.status)
        if can_end
    ]
    follow_ups = {f.milestone: f for f in enrolment.follow_ups.all()}
    return render(
        request,
        "cohorts/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "person": enrolment.candidacy.person,
            "blocks": blocks.items(),
            "levels": CompetencyLevel.choices,
            "acquired": acquired,
            "total": sum(len(v) for v in blocks.values()),
            "can_assess": perms.can_assess(request.user, enrolment),
            "end_transitions": end_transitions,
            "history": enrolment_workflow.history(enrolment),
            "proposals": proposals_for_user(request.user).filter(enrolment=enrolment),
            "milestones": [
                {
                    "value": m.value,
                    "label": m.label,
                    "due": milestone_due_date(enrolment, m.value),
                    "follow_up": follow_ups.get(m.value),
                }
                for m in Milestone
            ],
            "can_follow_up": can_record_follow_up(request.user, enrolment)
            and enrolment.ended_on is not None,
        },
    )


@require_POST
def enrolment_assess(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = perms.get_enrolment_for_user(request.user, enrolment_id)
    if not perms.can_assess(request.user, enrolment):
        raise PermissionDenied
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("enrolment_detail", enrolment.pk)
    competency = competencies_of(enrolment).filter(pk=form.cleaned_data["competency"]).first()
    if competency is None:
        raise Http404(_("Compétence hors du parcours."))
    try:
        competency_assess(
            enrolment=enrolment,
            competency=competency,
            level=form.cleaned_data["level"],
            evidence=form.cleaned_data["evidence"],
            on_date=form.cleaned_data["assessed_on"],
            by=request.user,
        )
    except CohortError as error:
        messages.error(
            request, _("%(code)s : %(error)s") % {"code": competency.code, "error": error.message}
        )
    else:
        messages.success(request, _("%(code)s enregistrée.") % {"code": competency.code})
    return redirect(
        reverse("enrolment_detail", args=[enrolment.pk]) + f"#competency-{competency.pk}"
    )


@require_POST
def enrolment_end_view(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = perms.get_enrolment_for_user(request.user, enrolment_id)
    if not perms.can_end_enrolment(request.user, enrolment):
        raise PermissionDenied
    form = EndEnrolmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date de sortie."))
        return redirect("enrolment_detail", enrolment.pk)
    d = form.cleaned_data
    try:
        enrolment_end(
            enrolment=enrolment,
            outcome=d["transition"],
            by=request.user,
            on_date=d["ended_on"],
            reason=d["reason"],
            comment=d["comment"],
        )
    except (CohortError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sortie enregistrée : %(status)s.") % {"status": enrolment.get_status_display()},
        )
    return redirect("enrolment_detail", enrolment.pk)
