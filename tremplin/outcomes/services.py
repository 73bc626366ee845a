"""Recording a learner's situation at a follow-up milestone."""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit

from .enums import MILESTONE_MONTHS, Milestone, Situation
from .models import FollowUp


class FollowUpError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def milestone_due_date(enrolment: Enrolment, milestone: str) -> datetime.date | None:
    if enrolment.ended_on is None:
        return None
    return enrolment.ended_on + relativedelta(months=MILESTONE_MONTHS[Milestone(milestone)])


def follow_up_record(
    *,
    enrolment: Enrolment,
    milestone: str,
    situation: str,
    recorded_on: datetime.date,
    by: Any,
    employer_name: str = "",
    note: str = "",
) -> FollowUp:
    if milestone not in Milestone.values or situation not in Situation.values:
        raise FollowUpError(_("Échéance ou situation inconnue."))
    if enrolment.status == EnrolmentStatus.IN_TRAINING:
        raise FollowUpError(_("Le suivi commence à la sortie de formation."))
    due = milestone_due_date(enrolment, milestone)
    # A follow-up may be taken up to a month early: advisors call ahead of the date.
    if due is not None and recorded_on < due - relativedelta(months=1):
        raise FollowUpError(
            _(
                "Ce suivi est prévu à partir du %(due)s : il ne peut être saisi avant le "
                "%(earliest)s."
            )
            % {
                "due": f"{due:%d/%m/%Y}",
                "earliest": f"{due - relativedelta(months=1):%d/%m/%Y}",
            }
        )
    with transaction.atomic():
        follow_up, created = FollowUp.objects.select_for_update().get_or_create(
            enrolment=enrolment,
            milestone=milestone,
            defaults={
                "situation": situation,
                "recorded_on": recorded_on,
                "recorded_by": by,
                "employer_name": employer_name,
                "note": note,
            },
        )
        if not created:
            follow_up.situation = situation
            follow_up.recorded_on = recorded_on
            follow_up.recorded_by = by
            follow_up.employer_name = employer_name
            follow_up.note = note
            follow_up.save(
                update_fields=["situation", "recorded_on", "recorded_by", "employer_name", "note"]
            )
        audit(actor=by, action="follow_up.record", obj=follow_up, situation=situation)
    return follow_up
