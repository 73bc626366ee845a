"""Candidacy pages: refer, apply, list, detail and selection decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.candidacies import perms
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.services import (
    CandidacyError,
    DuplicateCandidacy,
    candidacy_create,
    candidacy_transition,
)
from tremplin.candidacies.workflow import MANUAL_TRANSITIONS, candidacy_workflow
from tremplin.cohorts.models import Cohort
from tremplin.cohorts.perms import can_manage_cohort
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.organisations.models import Site
from tremplin.people.models import Person
from tremplin.people.perms import can_manage_people, people_for_user
from tremplin.people.selectors import referral_duplicates
from tremplin.www.eligibility.forms import OverrideForm
from tremplin.www.eligibility.views import candidacy_eligibility
from tremplin.www.exports import export_response
from tremplin.www.http import AuthedRequest

from .forms import (
    CandidacyFilterForm,
    DuplicateChoiceForm,
    PublicApplicationForm,
    ReferralForm,
    TransitionForm,
)
from .tables import candidacy_table


def _duplicate_message(request: AuthedRequest, error: DuplicateCandidacy) -> str:
    existing = error.existing
    text = _("Cette personne est déjà orientée vers cette promotion.")
    if perms.candidacies_for_user(request.user).filter(pk=existing.pk).exists():
        return format_html(
            '{} <a href="{}">{}</a>.',
            text,
            reverse("candidacy_detail", args=[existing.pk]),
            _("Voir la candidature existante"),
        )
    return text + " " + _("Contactez le coordinateur du site.")


def _refer(
    request: AuthedRequest, form: ReferralForm, choice: DuplicateChoiceForm | None
) -> HttpResponse:
    """Create the referral, or show the form again with the service's refusal."""
    existing: Person | None = choice.cleaned_data["person_choice"] if choice else None
    try:
        candidacy = candidacy_create(
            cohort=form.cleaned_data["cohort"],
            person_data=form.person_data(),
            motivation=form.cleaned_data["motivation"],
            by=request.user,
            existing_person=existing,
        )
    except DuplicateCandidacy as error:
        form.add_error(None, _duplicate_message(request, error))
    except CandidacyError as error:
        form.add_error(None, error.message)
    else:
        messages.success(
            request,
            _("%(name)s est orienté·e vers %(cohort)s.")
            % {"name": candidacy.person.full_name, "cohort": candidacy.cohort.name},
        )
        return redirect("candidacy_detail", candidacy.pk)
    return render(request, "candidacies/referral_form.html", {"form": form, "choice": choice})


def referral_create(request: AuthedRequest) -> HttpResponse:
    if not perms.can_refer(request.user):
        raise PermissionDenied
    form = ReferralForm(request.POST or None)
    choice = None
    if request.method == "POST" and form.is_valid():
        # Before a new person is created, the referrer says whether a likely duplicate is them
        # (only among the people they may see; the others are mentioned, never named).
        duplicates = referral_duplicates(user=request.user, identity=form.identity())
        if duplicates.needs_confirmation:
            # The question was on the page (« asked »): no answer is then an error to show.
            answered = "person_choice" in request.POST or "asked" in request.POST
            choice = DuplicateChoiceForm(request.POST if answered else None, duplicates=duplicates)
        if choice is None or choice.is_valid():
            return _refer(request, form, choice)
    return render(request, "candidacies/referral_form.html", {"form": form, "choice": choice})


@login_not_required
def public_application(request: HttpRequest) -> HttpResponse:
    form = PublicApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidacy_create(
                cohort=form.cleaned_data["cohort"],
                person_data=form.person_data(),
                motivation=form.cleaned_data["motivation"],
                by=None,
            )
        except DuplicateCandidacy:
            # An anonymous visitor learns nothing about who applied: same answer as a success.
            return render(request, "candidacies/public_application_done.html")
        except CandidacyError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "candidacies/public_application_done.html")
    return render(request, "candidacies/public_application.html", {"form": form})


LIST_PAGE_SIZE = 50


def candidacy_list(request: AuthedRequest) -> HttpResponse:
    if not perms.can_refer(request.user):
        raise PermissionDenied
    visible = perms.candidacies_for_user(request.user)
    cohorts = (
        Cohort.objects.filter(pk__in=visible.values("cohort_id"))
        .select_related("site")
        .order_by("-start_date", "id")
    )
    sites = Site.objects.filter(pk__in=cohorts.values("site_id")).order_by("name")
    filters = CandidacyFilterForm(request.GET or None, cohorts=cohorts, sites=sites)
    filters.is_valid()
    qs = filters.filter(visible)
    # Counts per status under the other filters: each one is also a link to that status.
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    status = filters.cleaned_data.get("statut", "") if filters.is_bound else ""
    if status:
        qs = qs.filter(status=status)
    qs = qs.order_by(*filters.ordering())
    if export := export_response(request, table=candidacy_table, rows=qs, filename="candidatures"):
        return export
    paginator = Paginator(qs, LIST_PAGE_SIZE)
    # The counts per status already add up to the list's length: no second COUNT over it.
    paginator.count = counts.get(status, 0) if status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "candidacies/candidacy_list.html",
        {
            "filters": filters,
            "page": page,
            "candidacies": page.object_list,
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in CandidacyStatus.choices
            ],
            "total": sum(counts.values()),
            "current_status": status,
            "can_manage_people": can_manage_people(request.user),
        },
    )


def candidacy_detail(request: AuthedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = perms.get_candidacy_for_user(request.user, candidacy_id)
    can_decide = perms.can_decide_candidacy(request.user, candidacy)
    eligibility = candidacy_eligibility(request.user, candidacy)
    transitions = [
        {
            "transition": t,
            "reasons": candidacy_workflow.reasons_for(t.name),
            # Accepting without a valid diagnostic is an override, with its written reason.
            "extra_template": "eligibility/override_field.html"
            if t.name == "accept" and not eligibility["eligible"]
            else "",
        }
        for t in candidacy_workflow.available(candidacy.status)
        if can_decide and t.name in MANUAL_TRANSITIONS
    ]
    return render(
        request,
        "candidacies/candidacy_detail.html",
        {
            "candidacy": candidacy,
            "person": candidacy.person,
            "history": candidacy_workflow.history(candidacy),
            "transitions": transitions,
            "eligibility": eligibility,
            "can_enrol": candidacy.status == CandidacyStatus.ACCEPTED
            and can_manage_cohort(request.user, candidacy.cohort),
            "person_page": can_manage_people(request.user)
            and people_for_user(request.user).filter(pk=candidacy.person_id).exists(),
        },
    )


@require_POST
def candidacy_decide(request: AuthedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = perms.get_candidacy_for_user(request.user, candidacy_id)
    if not perms.can_decide_candidacy(request.user, candidacy):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision incomplète : choisissez une action."))
        return redirect("candidacy_detail", candidacy.pk)
    override = OverrideForm(request.POST)
    if not override.is_valid():
        messages.error(request, _("Le motif de la dérogation est trop long."))
        return redirect("candidacy_detail", candidacy.pk)
    try:
        candidacy_transition(
            candidacy=candidacy,
            transition=form.cleaned_data["transition"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            override_reason=override.cleaned_data["override_reason"],
        )
    except (CandidacyError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Candidature : %(status)s.") % {"status": candidacy.get_status_display()}
        )
    return redirect("candidacy_detail", candidacy.pk)
