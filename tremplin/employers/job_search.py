"""Writes on a learner's job search: what they look for after their training.

The learner edits their own; the site's coordinators (and the network's admins) edit it with
them. The matching reads it (``matching.learner_facts``): distance, contracts, working time
and the date they are available from change which openings they are shown.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.roles import manages_site
from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit

from .enums import ContractType, WorkingTimeWish
from .models import JobSearch
from .services import PlacementError

EXPERIENCE_MAX = 4000
# Further than this, a date is a typing mistake rather than a plan.
AVAILABLE_WITHIN_DAYS = 3 * 365


def can_edit_job_search(user: Any, enrolment: Enrolment) -> bool:
    """The learner themself, or whoever manages the enrolment's site."""
    account_id = enrolment.candidacy.person.account_id
    if account_id is not None and getattr(user, "pk", None) == account_id:
        return True
    return manages_site(user, enrolment.cohort.site)


def job_search_save(
    *,
    by: Any,
    enrolment: Enrolment,
    max_km: int,
    contracts: list[str],
    working_time: str,
    available_from: datetime.date | None = None,
    experience: str = "",
) -> JobSearch:
    """Create or replace the enrolment's job search; refused whole on any bad value."""
    if not can_edit_job_search(by, enrolment):
        raise PlacementError(_("Vous ne pouvez pas modifier cette recherche d'emploi."))
    if isinstance(max_km, bool) or not isinstance(max_km, int) or not 1 <= max_km <= 300:
        raise PlacementError(_("La distance maximale doit être comprise entre 1 et 300 km."))
    unknown = [c for c in contracts if c not in ContractType.values]
    if unknown:
        raise PlacementError(
            _("Type de contrat inconnu : %(values)s.") % {"values": ", ".join(unknown)}
        )
    if working_time not in WorkingTimeWish.values:
        raise PlacementError(_("Temps de travail recherché inconnu."))
    today = timezone.localdate()
    if available_from is not None and not (
        today - datetime.timedelta(days=AVAILABLE_WITHIN_DAYS)
        <= available_from
        <= today + datetime.timedelta(days=AVAILABLE_WITHIN_DAYS)
    ):
        raise PlacementError(_("La date de disponibilité semble erronée."))
    experience = experience.strip()
    if len(experience) > EXPERIENCE_MAX:
        raise PlacementError(
            _("L'expérience tient en %(n)s caractères au plus.") % {"n": EXPERIENCE_MAX}
        )
    # Keep the order of ContractType and drop repeats: the stored list is a set.
    chosen = [c for c in ContractType.values if c in set(contracts)]
    with transaction.atomic():
        search, created = JobSearch.objects.select_for_update().update_or_create(
            enrolment=enrolment,
            defaults={
                "max_km": max_km,
                "contracts": chosen,
                "working_time": working_time,
                "available_from": available_from,
                "experience": experience,
                "updated_by": by,
            },
        )
        audit(
            actor=by,
            action="job_search.create" if created else "job_search.update",
            obj=search,
            enrolment=enrolment.pk,
        )
    return search
