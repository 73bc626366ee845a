"""Who may record follow-ups: the coordinators of the learner's site."""

from typing import Any

from tremplin.accounts.roles import manages_site
from tremplin.cohorts.models import Enrolment


def can_record_follow_up(user: Any, enrolment: Enrolment) -> bool:
    return manages_site(user, enrolment.cohort.site)
