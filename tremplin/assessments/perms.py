"""One door to assessment pages: the same people as the cohort and the enrolment they are about.

A cohort's progress matrix is for the cohort's trainers, the site's coordinators and the
network's admins (``cohorts.perms.cohorts_for_user``); one learner's readiness is also for the
learner themself (``cohorts.perms.enrolments_for_user``). Prescribers, employers and funders
see neither: everyone else gets 404.
"""

from typing import Any

from django.shortcuts import get_object_or_404

from tremplin.cohorts.models import Cohort, Enrolment
from tremplin.cohorts.perms import (
    can_assess,
    enrolments_for_user,
    get_cohort_for_user,
    get_enrolment_for_user,
)

from .models import PracticalEvaluation


def get_cohort_progress_for_user(user: Any, cohort_id: int) -> Cohort:
    return get_cohort_for_user(user, cohort_id)


def get_enrolment_readiness_for_user(user: Any, enrolment_id: int) -> Enrolment:
    return get_enrolment_for_user(user, enrolment_id)


def can_record_positioning(user: Any, enrolment: Enrolment) -> bool:
    """The cohort's trainers and the site's coordinators (and network admins)."""
    return can_assess(user, enrolment)


def can_record_evaluation(user: Any, enrolment: Enrolment) -> bool:
    """The cohort's trainers and the site's coordinators (and network admins)."""
    return can_assess(user, enrolment)


def get_evaluation_for_user(user: Any, evaluation_id: int) -> PracticalEvaluation:
    """An evaluation (and its photo) for whoever may read its learner's evaluations."""
    evaluations = PracticalEvaluation.objects.filter(enrolment__in=enrolments_for_user(user))
    return get_object_or_404(evaluations, pk=evaluation_id)
