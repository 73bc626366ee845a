"""One door to cohorts and enrolments: who may see or change which."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin, manages_site

from .models import Cohort, Enrolment


def cohorts_for_user(user: Any) -> QuerySet[Cohort]:
    qs = Cohort.objects.select_related("site", "programme")
    if is_network_admin(user):
        return qs.filter(site__network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(site_id=user.site_id)
    if user.role == Role.TRAINER:
        return qs.filter(trainers=user)
    return qs.none()


def get_cohort_for_user(user: Any, cohort_id: int) -> Cohort:
    return get_object_or_404(cohorts_for_user(user), pk=cohort_id)


def can_manage_cohort(user: Any, cohort: Cohort) -> bool:
    return manages_site(user, cohort.site)


def can_create_cohort(user: Any) -> bool:
    return user.role in (Role.COORDINATOR, Role.NETWORK_ADMIN)


def enrolments_for_user(user: Any) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.select_related("cohort__site", "candidacy__person")
    if is_network_admin(user):
        return qs.filter(cohort__site__network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(cohort__site_id=user.site_id)
    if user.role == Role.TRAINER:
        return qs.filter(cohort__trainers=user)
    if user.role == Role.LEARNER:
        return qs.filter(candidacy__person__account=user)
    return qs.none()


def get_enrolment_for_user(user: Any, enrolment_id: int) -> Enrolment:
    return get_object_or_404(enrolments_for_user(user), pk=enrolment_id)


def can_assess(user: Any, enrolment: Enrolment) -> bool:
    if user.role == Role.TRAINER:
        return enrolment.cohort.trainers.filter(pk=user.pk).exists()
    return manages_site(user, enrolment.cohort.site)


def can_end_enrolment(user: Any, enrolment: Enrolment) -> bool:
    return manages_site(user, enrolment.cohort.site)
