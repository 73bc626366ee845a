"""One door to bulk referrals: who may import, into which cohorts, and whose batches they see.

Prescribers import for their organisation (it becomes the referrer), coordinators into their
site's cohorts, network admins into their network's. A batch is its uploader's alone: it holds
a list of people, and nobody else (colleagues included) reaches it.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin
from tremplin.cohorts.models import Cohort

from .models import ImportBatch


def can_import(user: Any) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.PRESCRIBER:
        return user.organisation_id is not None
    if user.role == Role.COORDINATOR:
        return user.site_id is not None
    return is_network_admin(user)


def importable_cohorts(user: Any, cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Among ``cohorts`` (the upcoming ones, as on the referral form), those ``user`` may fill."""
    if not can_import(user):
        return cohorts.none()
    if user.role == Role.COORDINATOR:
        return cohorts.filter(site_id=user.site_id)
    if user.role == Role.NETWORK_ADMIN:
        return cohorts.filter(site__network_id=user.organisation_id)
    return cohorts


def batches_for_user(user: Any) -> QuerySet[ImportBatch]:
    if not can_import(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(owner=user).select_related("cohort__site", "progress")


def get_batch_for_user(user: Any, batch_id: int) -> ImportBatch:
    return get_object_or_404(batches_for_user(user), pk=batch_id)
