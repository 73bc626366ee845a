"""One door to programmes and their modules: the network's staff who plan or teach them.

Network admins see their network's programmes; coordinators and trainers those of the
network their site belongs to. Prescribers, employers, funders and learners see none (404).
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin

from .models import Programme


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("network")
    if is_network_admin(user):
        return qs.filter(network_id=user.organisation_id)
    staff = (Role.COORDINATOR, Role.TRAINER)
    if user.is_authenticated and user.is_active and user.role in staff and user.site_id:
        return qs.filter(network__sites=user.site_id)
    return qs.none()


def get_programme_for_user(user: Any, programme_id: int) -> Programme:
    return get_object_or_404(programmes_for_user(user), pk=programme_id)
