"""Rankings on pages: the openings that suit one learner, the learners who suit one opening.

« Offres adaptées » shows a coordinator (or a trainer of the cohort) the open openings that
suit a learner best, with each score explained, and the learner's job search, which the
site's managers edit with the learner. The learner has the same ranking and form on their
own home page (``www/learner``), through the helpers below. ``opening_rankings`` fills the
opening page: named candidates for those who propose, anonymised ones for its employer.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.accounts.enums import Role
from tremplin.cohorts.models import Enrolment
from tremplin.cohorts.perms import enrolments_for_user, get_enrolment_for_user
from tremplin.employers import perms
from tremplin.employers.enums import ContractType, OpeningStatus, WorkingTimeWish
from tremplin.employers.job_search import EXPERIENCE_MAX, can_edit_job_search, job_search_save
from tremplin.employers.matching import (
    Ranked,
    available_dates,
    enrolments_for_opening,
    openings_for_enrolment,
)
from tremplin.employers.models import JobSearch, Opening
from tremplin.employers.services import PlacementError
from tremplin.www.employers.pipeline import first_name_and_initial
from tremplin.www.forms import DateInput, StyledForm
from tremplin.www.http import AuthedRequest


class JobSearchForm(StyledForm):
    max_km = forms.IntegerField(
        label=gettext_lazy("Distance maximale domicile-travail (km)"),
        min_value=1,
        max_value=300,
        initial=JobSearch.DEFAULT_MAX_KM,
    )
    contracts = forms.MultipleChoiceField(
        label=gettext_lazy("Contrats recherchés"),
        choices=ContractType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Aucune case cochée : tous les contrats."),
    )
    working_time = forms.ChoiceField(
        label=gettext_lazy("Temps de travail recherché"),
        choices=WorkingTimeWish.choices,
        initial=WorkingTimeWish.ANY,
    )
    available_from = forms.DateField(
        label=gettext_lazy("Disponible à partir du"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Laissé vide : à la fin de la formation."),
    )
    experience = forms.CharField(
        label=gettext_lazy("Expérience professionnelle passée"),
        required=False,
        max_length=EXPERIENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def job_search_initial(enrolment: Enrolment) -> dict[str, Any]:
    search = JobSearch.objects.filter(enrolment=enrolment).first()
    if search is None:
        return {}
    return {
        "max_km": search.max_km,
        "contracts": search.contracts,
        "working_time": search.working_time,
        "available_from": search.available_from,
        "experience": search.experience,
    }


def job_search_from_post(request: AuthedRequest, enrolment: Enrolment, form: JobSearchForm) -> bool:
    """Save the posted job search; False (with the form's errors and a message) if refused."""
    if form.is_valid():
        d = form.cleaned_data
        try:
            job_search_save(
                by=request.user,
                enrolment=enrolment,
                max_km=d["max_km"],
                contracts=list(d["contracts"]),
                working_time=d["working_time"],
                available_from=d["available_from"],
                experience=d["experience"],
            )
        except PlacementError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Recherche d'emploi enregistrée."))
            return True
    messages.error(
        request,
        _("La recherche d'emploi n'a pas été enregistrée : corrigez les champs signalés."),
    )
    return False


def available_on(enrolment: Enrolment) -> datetime.date:
    """The date the matching takes the learner to be available from."""
    return available_dates([enrolment])[enrolment.pk]


def enrolment_openings(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    """« Offres adaptées »: the best open openings for one learner, and their job search."""
    if request.user.role == Role.LEARNER:
        # Learners have the same ranking on their own home page.
        raise PermissionDenied
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    can_edit = can_edit_job_search(request.user, enrolment)
    form = JobSearchForm(request.POST or None, initial=job_search_initial(enrolment))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if job_search_from_post(request, enrolment, form):
            return redirect("enrolment_openings", enrolment.pk)
    ranked: Ranked = openings_for_enrolment(enrolment)
    search = JobSearch.objects.filter(enrolment=enrolment).first()
    ids = [opening.pk for opening, _explanation in ranked.rows]
    visible = set(
        perms.openings_for_user(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    proposed = set(enrolment.proposals.values_list("opening_id", flat=True))
    rows = [
        {
            "opening": opening,
            "explanation": explanation,
            "visible": opening.pk in visible,
            "proposed": opening.pk in proposed,
            "can_propose": opening.pk not in proposed
            and perms.can_propose_to(request.user, opening),
        }
        for opening, explanation in ranked.rows
    ]
    return render(
        request,
        "employers/enrolment_openings.html",
        {
            "enrolment": enrolment,
            "person": enrolment.candidacy.person,
            "rows": rows,
            "refused": ranked.refused,
            "form": form,
            "can_edit": can_edit,
            "available_on": available_on(enrolment),
            "search": search,
            "contract_labels": [
                ContractType(c).label for c in (search.contracts if search else [])
            ],
        },
    )


def anonymous_name(enrolment: Enrolment) -> str:
    """« Inès B. »: what an employer learns of a candidate before a proposal."""
    return first_name_and_initial(enrolment.candidacy.person)


def opening_rankings(user: Any, opening: Opening) -> dict[str, Any]:
    """The opening page's ranked candidates, as this user may see them.

    Coordinators and network admins rank the learners they see (named, with those left
    out and why) to propose them. The opening's employer ranks every consenting learner
    of the network, but anonymised: first name and initial, competencies matched,
    availability, distance, score and its explanation, nothing else. Others see no ranking.
    """
    already = opening.proposals.values_list("enrolment_id", flat=True)
    if perms.can_propose_to(user, opening):
        ranked = enrolments_for_opening(opening, enrolments_for_user(user).exclude(pk__in=already))
        return {
            "ranked_candidates": [
                {"enrolment": enrolment, "explanation": explanation}
                for enrolment, explanation in ranked.rows
            ],
            "refused_candidates": ranked.refused,
            "anonymous_candidates": [],
        }
    if (
        user.role == Role.EMPLOYER
        and opening.employer_id == user.organisation_id
        and opening.status == OpeningStatus.OPEN
    ):
        pool = Enrolment.objects.filter(candidacy__person__consent_employers=True).exclude(
            pk__in=already
        )
        ranked = enrolments_for_opening(opening, pool)
        enrolments = [enrolment for enrolment, _explanation in ranked.rows]
        dates = available_dates(enrolments)
        return {
            "ranked_candidates": [],
            "refused_candidates": [],
            "anonymous_candidates": [
                {
                    "name": anonymous_name(enrolment),
                    "competencies": explanation.matched_required + explanation.matched_desired,
                    "available_on": dates[enrolment.pk],
                    "explanation": explanation,
                }
                for enrolment, explanation in ranked.rows
            ],
        }
    return {"ranked_candidates": [], "refused_candidates": [], "anonymous_candidates": []}
