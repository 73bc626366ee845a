"""One door to people: whose record a user may see, who may merge two, who may undo a merge.

A person is visible through their candidacies: a prescriber sees the people their
organisation referred, a coordinator the people with a candidacy on their site, a network
admin those of the network's sites, a learner themself. Person pages and merges are for
coordinators and network admins; undoing a merge is for network admins only.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin

from .models import Person, PersonMerge


def _scope(user: Any) -> Q | None:
    if not (user.is_authenticated and user.is_active):
        return None
    if is_network_admin(user):
        return Q(candidacies__cohort__site__network_id=user.organisation_id)
    if user.role == Role.COORDINATOR and user.site_id:
        return Q(candidacies__cohort__site_id=user.site_id)
    if user.role == Role.PRESCRIBER and user.organisation_id:
        return Q(candidacies__prescriber_organisation_id=user.organisation_id)
    if user.role == Role.LEARNER:
        return Q(account=user)
    return None


def people_for_user(user: Any) -> QuerySet[Person]:
    scope = _scope(user)
    if scope is None:
        return Person.objects.none()
    # A subquery rather than a join: one row per person however many candidacies they have.
    return Person.objects.filter(pk__in=Person.objects.filter(scope).values("pk"))


def get_person_for_user(user: Any, person_id: int) -> Person:
    return get_object_or_404(people_for_user(user), pk=person_id)


def can_manage_people(user: Any) -> bool:
    """The people pages: search, likely duplicates, merges."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (is_network_admin(user) or (user.role == Role.COORDINATOR and user.site_id))
    )


def can_merge_people(user: Any, kept: Person, removed: Person) -> bool:
    """Both people must be the user's (the views fetched them through get_person_for_user)."""
    if not can_manage_people(user):
        return False
    return people_for_user(user).filter(pk__in=[kept.pk, removed.pk]).count() == 2


def network_id_of(user: Any) -> int | None:
    """The network a coordinator's or admin's merges belong to."""
    if is_network_admin(user):
        return int(user.organisation_id)
    if user.role == Role.COORDINATOR and user.site_id:
        return int(user.site.network_id)
    return None


def merges_for_user(user: Any) -> QuerySet[PersonMerge]:
    """Network admins see their network's merges; a coordinator the merges they made."""
    qs = PersonMerge.objects.select_related("by", "undone_by")
    if is_network_admin(user):
        return qs.filter(network_id=user.organisation_id)
    if can_manage_people(user):
        return qs.filter(by=user)
    return qs.none()


def get_merge_for_user(user: Any, merge_id: int) -> PersonMerge:
    return get_object_or_404(merges_for_user(user), pk=merge_id)


def can_undo_merge(user: Any, merge: PersonMerge) -> bool:
    return is_network_admin(user) and merge.network_id == user.organisation_id
