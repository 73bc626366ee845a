"""One door to labs, equipment and sessions: who may see or change which.

Coordinators manage their site's platform, network admins their network's; trainers see
their site's labs and equipment, the sessions they lead and those of the cohorts they teach.
Prescribers, employers, funders and learners see nothing of it.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin, manages_site

from .models import CalendarFeed, Equipment, Lab, Session, SiteClosure


def _site_filter(user: Any, prefix: str) -> Q | None:
    """The sites whose platform ``user`` sees, as a filter; None: nothing."""
    if is_network_admin(user):
        return Q(**{f"{prefix}network_id": user.organisation_id})
    if user.is_authenticated and user.role in (Role.COORDINATOR, Role.TRAINER) and user.site_id:
        return Q(**{f"{prefix}id": user.site_id})
    return None


def labs_for_user(user: Any) -> QuerySet[Lab]:
    where = _site_filter(user, "site__")
    qs = Lab.objects.select_related("site")
    return qs.filter(where) if where is not None else qs.none()


def get_lab_for_user(user: Any, lab_id: int) -> Lab:
    return get_object_or_404(labs_for_user(user), pk=lab_id)


def equipment_for_user(user: Any) -> QuerySet[Equipment]:
    where = _site_filter(user, "lab__site__")
    qs = Equipment.objects.select_related("lab__site", "donor")
    return qs.filter(where) if where is not None else qs.none()


def get_equipment_for_user(user: Any, equipment_id: int) -> Equipment:
    return get_object_or_404(equipment_for_user(user), pk=equipment_id)


def sessions_for_user(user: Any) -> QuerySet[Session]:
    qs = Session.objects.select_related("cohort", "lab", "trainer")
    if is_network_admin(user):
        return qs.filter(cohort__site__network_id=user.organisation_id)
    if user.is_authenticated and user.role == Role.COORDINATOR and user.site_id:
        return qs.filter(cohort__site_id=user.site_id)
    if user.is_authenticated and user.role == Role.TRAINER:
        return qs.filter(Q(trainer=user) | Q(cohort__trainers=user)).distinct()
    return qs.none()


def can_manage_plateau(user: Any, site: Any) -> bool:
    """Add and maintain equipment, declare closures, plan sessions on the site."""
    return manages_site(user, site)


def trainers_for_user(user: Any) -> QuerySet[Any]:
    """Trainers whose calendar ``user`` may read: their site's, or themselves."""
    from tremplin.accounts.models import User

    qs = User.objects.filter(role=Role.TRAINER).select_related("site")
    if is_network_admin(user):
        return qs.filter(site__network_id=user.organisation_id)
    if user.is_authenticated and user.role == Role.COORDINATOR and user.site_id:
        return qs.filter(site_id=user.site_id)
    if user.is_authenticated and user.role == Role.TRAINER:
        return qs.filter(pk=user.pk)
    return qs.none()


def get_trainer_for_user(user: Any, trainer_id: int) -> Any:
    return get_object_or_404(trainers_for_user(user), pk=trainer_id)


def closures_for_user(user: Any) -> QuerySet[SiteClosure]:
    where = _site_filter(user, "site__")
    qs = SiteClosure.objects.select_related("site")
    return qs.filter(where) if where is not None else qs.none()


def get_session_for_user(user: Any, session_id: int) -> Session:
    return get_object_or_404(sessions_for_user(user), pk=session_id)


def can_manage_cohort_feed(user: Any, cohort: Any) -> bool:
    """Create or revoke the cohort's calendar link: the site's coordinators, network admins."""
    return manages_site(user, cohort.site)


def can_manage_trainer_feed(user: Any, trainer: Any) -> bool:
    """The trainer themself, and those who manage the trainer's site."""
    if user.is_authenticated and user.is_active and user.pk == trainer.pk:
        return True
    return trainer.site is not None and manages_site(user, trainer.site)


def feeds_for_user(user: Any) -> QuerySet[CalendarFeed]:
    """Feeds of the cohorts and trainers whose calendars ``user`` reads."""
    from tremplin.cohorts.perms import cohorts_for_user

    return CalendarFeed.objects.select_related("cohort__site", "trainer__site").filter(
        Q(cohort__in=cohorts_for_user(user)) | Q(trainer__in=trainers_for_user(user))
    )


def get_feed_for_user(user: Any, feed_id: int) -> CalendarFeed:
    return get_object_or_404(feeds_for_user(user), pk=feed_id)


def can_revoke_feed(user: Any, feed: CalendarFeed) -> bool:
    if feed.cohort is not None:
        return can_manage_cohort_feed(user, feed.cohort)
    return feed.trainer is not None and can_manage_trainer_feed(user, feed.trainer)
