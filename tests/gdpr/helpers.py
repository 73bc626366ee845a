"""People built for the GDPR tests: old refusals, learners with every kind of related row."""

import datetime
from typing import Any

import time_machine
from django.utils import timezone

from tests import factories
from tremplin.candidacies.services import candidacy_transition
from tremplin.outcomes.services import follow_up_record

NAME = {"first_name": "Zéphyrine", "last_name": "Quatremare"}
EMAIL = "zephyrine.quatremare@example.org"
PHONE = "07 98 76 54 32"
ADDRESS = "12 rue des Oliviers"


def refused_on(world: Any, day: datetime.date, **person: Any) -> Any:
    """A candidacy referred and refused on ``day`` (nothing since)."""
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        candidacy = factories.referral(world, **person)
        candidacy_transition(
            candidacy=candidacy, transition="refuse", by=world.user("coordinator"), reason="other"
        )
    candidacy.refresh_from_db()
    return candidacy


def rich_learner(world: Any) -> Any:
    """Zéphyrine: enrolled, completed today, with a diagnostic and its proof, a follow-up and
    free text naming her everywhere a note can; her consent and sensitive profile rows."""
    from tremplin.candidacies.models import Candidacy
    from tremplin.core.models import TransitionLog
    from tremplin.eligibility.models import Diagnostic

    enrolment = factories.ended(world, email=EMAIL, phone=PHONE, address=ADDRESS, **NAME)
    candidacy = enrolment.candidacy
    person = candidacy.person
    note = f"{NAME['first_name']} {NAME['last_name']} ({EMAIL}) a bien progressé."
    Candidacy.objects.filter(pk=candidacy.pk).update(motivation=note)
    Diagnostic.objects.filter(person=person).update(notes=note)
    TransitionLog.objects.filter(object_type="candidacy", object_id=candidacy.pk).update(
        comment=note
    )
    follow_up_record(
        enrolment=enrolment,
        milestone="exit",
        situation="cdi",
        recorded_on=timezone.localdate(),
        by=world.user("coordinator"),
        employer_name="Free Pro",
        note=note,
    )
    _privacy_rows(world, person)
    return enrolment


def _privacy_rows(world: Any, person: Any) -> None:
    import pytest
    from django.apps import apps

    try:
        consent = apps.get_model("privacy", "ConsentRecord")
        profile = apps.get_model("privacy", "SensitiveProfile")
    except LookupError:
        pytest.fail("tremplin.privacy has no ConsentRecord / SensitiveProfile model")
    consent.objects.create(
        person=person, purpose="sensitive", text_version="v1", given_at=timezone.now()
    )
    from tremplin.privacy.models import empty_content

    row = profile(person=person, updated_at=timezone.now())
    row.set_data(empty_content())
    row.save()
