"""One door to attendance: who runs a sheet, who seals it, who corrects it, who sees alerts.

The sheets are seen by those who see the session (plateau.perms): the site's coordinators,
the network's admins, the trainers of the session or of its cohort. Learners sign only for
themselves, through the QR code's link (services.sign_with_link checks who they are).
"""

from typing import Any

from django.db.models import QuerySet

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin, manages_site
from tremplin.organisations.models import Site
from tremplin.plateau.models import Session

from .models import AbsenceAlert


def _teaches(user: Any, session: Session) -> bool:
    if not (user.is_authenticated and user.role == Role.TRAINER):
        return False
    return session.trainer_id == user.pk or session.cohort.trainers.filter(pk=user.pk).exists()


def can_run_sheet(user: Any, session: Session) -> bool:
    """Have learners sign on this screen, show the QR code, mark absences."""
    return _teaches(user, session) or manages_site(user, session.cohort.site)


def can_countersign(user: Any, session: Session) -> bool:
    return bool(user.is_authenticated and user.pk == session.trainer_id)


def can_correct(user: Any, session: Session) -> bool:
    """Correct a sealed sheet: the session's trainer, the site's coordinators."""
    return can_countersign(user, session) or manages_site(user, session.cohort.site)


def alert_sites(user: Any) -> QuerySet[Site]:
    """The sites whose absence alerts ``user`` handles."""
    if is_network_admin(user):
        return Site.objects.filter(network_id=user.organisation_id)
    if user.is_authenticated and user.role == Role.COORDINATOR and user.site_id:
        return Site.objects.filter(pk=user.site_id)
    return Site.objects.none()


def can_handle_alert(user: Any, alert: AbsenceAlert) -> bool:
    return manages_site(user, alert.enrolment.cohort.site)
