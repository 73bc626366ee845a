"""One door to sensitive data and consents: least privilege, decided here and nowhere else.

Who reads a person's health and social situation: the coordinators of a site where the
person has a candidacy (any status: they arrange the adjustments and the support) and the
person themself through their learner account. Only those coordinators edit it.

Who does NOT, although they see the person elsewhere:
- network admins (head office) see every person of the network's sites (people.perms) but
  have no need for a person's health or benefits: no access, even though their accounts are
  Django superusers (the admin site does not register these models either);
- the referring prescriber: they know the person from their own agency file, they pass what
  matters to the coordinator; giving every advisor of an agency the data would multiply
  readers;
- trainers (the coordinator tells them the adjustments to make, not the diagnosis),
  employers, funders, other learners, and anyone of another site.

Consents (list, give, withdraw): the same coordinators and the person themself.

A role that never reaches sensitive data gets 403; a coordinator or learner asking for
someone who is not theirs gets 404 (another's people are hidden, not merely forbidden).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.people.models import Person


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _is_site_coordinator(user: Any) -> bool:
    return _active(user) and user.role == Role.COORDINATOR and user.site_id is not None


def _is_learner(user: Any) -> bool:
    return _active(user) and user.role == Role.LEARNER


def may_hold_sensitive_data(user: Any) -> bool:
    """Whether the user's role ever reads sensitive data (for someone)."""
    return _is_site_coordinator(user) or _is_learner(user)


def people_with_sensitive_access(user: Any) -> QuerySet[Person]:
    if _is_site_coordinator(user):
        scope = Person.objects.filter(candidacies__cohort__site_id=user.site_id)
    elif _is_learner(user):
        scope = Person.objects.filter(account=user)
    else:
        return Person.objects.none()
    return Person.objects.filter(pk__in=scope.values("pk"))


def get_person_for_sensitive(user: Any, person_id: int) -> Person:
    """403 for roles that never see sensitive data, 404 for a person who is not the user's."""
    if not may_hold_sensitive_data(user):
        raise PermissionDenied
    return get_object_or_404(people_with_sensitive_access(user), pk=person_id)


def can_read_sensitive(user: Any, person: Person) -> bool:
    if not may_hold_sensitive_data(user):
        return False
    return people_with_sensitive_access(user).filter(pk=person.pk).exists()


def can_edit_sensitive(user: Any, person: Person) -> bool:
    return _is_site_coordinator(user) and can_read_sensitive(user, person)


def can_manage_consents(user: Any, person: Person) -> bool:
    """List the person's consents, record one given, withdraw one."""
    return can_read_sensitive(user, person)


def acts_for_themself(user: Any, person: Person) -> bool:
    """The person acting through their own account: records say « la personne elle-même »."""
    return _is_learner(user) and person.account_id == user.pk
