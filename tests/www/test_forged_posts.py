"""Forged and malformed POSTs: never a 500, never a change in the database.

Each case posts, as one role, a body a real form would not send (missing or non-numeric
fields, another site's or organisation's ids, unknown transitions, decisions without their
reason, decisions by a role that may not take them) and checks the answer and that nothing
was written: the watched object keeps its status (refresh_from_db), and a dump of every
table the pages write to is the same before and after.

Expected answers: a status code; ``back(page)``, a 302 to the object's page with an error
message (small forms posted from a detail page); or ``FORM``, the form page again (200) with
its errors.
"""

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import ERROR, get_messages
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from tests import factories
from tests.auth import log_in
from tremplin.assessments.models import PracticalEvaluation
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment
from tremplin.cohorts.services import competencies_of
from tremplin.core.models import AuditEntry, TaskProgress, TransitionLog
from tremplin.employers.models import Opening, Proposal
from tremplin.outcomes.models import FollowUp
from tremplin.people.models import Person
from tremplin.planner.models import PlanRun
from tremplin.plateau.models import Booking, Session

WATCHED = (
    Person,
    Candidacy,
    Cohort,
    Enrolment,
    CompetencyAssessment,
    Opening,
    Proposal,
    FollowUp,
    TransitionLog,
    AuditEntry,
    TaskProgress,
    Session,
    Booking,
    PracticalEvaluation,
    PlanRun,
)
FORM = "the form again, with its errors"


@dataclasses.dataclass(frozen=True)
class Back:
    to: str


def back(to: str) -> Back:
    return Back(to)


@dataclasses.dataclass
class Objects:
    new: Any  # the learner's referral to the upcoming Marseille cohort, not yet invited
    accepted: Any  # accepted into the upcoming Marseille cohort, waiting to be enrolled
    lyon_accepted: Any  # accepted into the Lyon cohort
    enrolment: Any  # the learner in training in the running Marseille cohort
    lyon_enrolment: Any  # in training in the Lyon cohort
    no_consent: Any  # in training in Marseille, refused to be shown to employers
    ended: Any  # completed today in Marseille: follow-ups are due
    competency: Any  # one competency of the programme
    opening: Any  # open position at the world's employer
    other_opening: Any  # open position at the other employer
    proposal: Any  # the in-training learner proposed for ``opening``
    upcoming: Any  # the world's upcoming Marseille cohort
    running: Any  # the world's running Marseille cohort


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    role: str
    url: Callable[[Objects], str]
    data: Callable[[Objects], dict[str, Any]]
    expect: int | str | Back
    watch: str  # the attribute of Objects whose row must not change (refresh_from_db)


def at(name: str, attr: str, *extra: str) -> Callable[[Objects], str]:
    return lambda o: reverse(name, args=[getattr(o, attr).pk, *extra])


def page(name: str) -> Callable[[Objects], str]:
    return lambda o: reverse(name)


def today() -> str:
    return timezone.localdate().isoformat()


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def person_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "first_name": "Yanis",
        "last_name": "Forgé",
        "birth_date": "1990-02-03",
        "email": "yanis.forge@example.org",
        "commune": "Marseille",
        "postal_code": "13003",
        "highest_diploma": "cap_bep",
        "mobility": "public_transport",
        "consent_programme": "on",
    }
    return fields | overrides


def session_fields(o: Objects, **overrides: Any) -> dict[str, Any]:
    fields = {
        "date": o.running.start_date.isoformat(),
        "half_day": "am",
        "trainer": str(o.running.trainers.get().pk),
    }
    return fields | overrides


def evaluation_fields(o: Objects, **overrides: Any) -> dict[str, Any]:
    fields = {
        "competency": str(o.competency.pk),
        "title": "Épissure par fusion",
        "held_on": today(),
        "criteria_met": "Soudure mesurée",
        "passed": "1",
        "evidence": "Perte 0,05 dB.",
    }
    return fields | overrides


def text_named_jpg() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.jpg", b"Ceci n'est pas une photo.\n", "image/jpeg")


BEYOND_64_BITS = str(2**63)
LEARNER = {"first_name": "Inès", "last_name": "Benali", "birth_date": datetime.date(1998, 5, 4)}
# A browser always sends the CSRF token, even with every field left empty.
BLANK = {"csrfmiddlewaretoken": "jeton"}

CASES = [
    # Selection decisions on a candidacy.
    Case(
        "decision without a transition",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "transition that does not exist",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "explode"},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "transition name that is not a slug",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "../invite"},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "transition not possible from the current state",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "accept"},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "enrol through the decision form, without an enrolment",
        "coordinator",
        at("candidacy_decide", "accepted"),
        lambda o: {"transition": "enrol"},
        back("candidacy_detail"),
        "accepted",
    ),
    Case(
        "refuse without a reason",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "refuse"},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "refuse with a reason not in the list",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "refuse", "reason": "tete-du-client"},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "comment longer than the form allows",
        "coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "invite", "comment": "x" * 5000},
        back("candidacy_detail"),
        "new",
    ),
    Case(
        "prescriber posts a decision on their own referral",
        "prescriber",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "invite"},
        403,
        "new",
    ),
    Case(
        "learner withdraws their own candidacy",
        "learner",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "withdraw", "reason": "personal"},
        403,
        "new",
    ),
    Case(
        "other prescriber posts a decision",
        "outsider_prescriber",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "invite"},
        404,
        "new",
    ),
    Case(
        "Lyon coordinator decides on a Marseille candidacy",
        "outsider_coordinator",
        at("candidacy_decide", "new"),
        lambda o: {"transition": "invite"},
        404,
        "new",
    ),
    Case(
        "candidacy id beyond 64 bits in the URL",
        "coordinator",
        lambda o: f"/candidatures/{BEYOND_64_BITS}/decision/",
        lambda o: {"transition": "invite"},
        404,
        "new",
    ),
    # Enrolment into a cohort.
    Case(
        "enrol without a candidacy",
        "coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {},
        back("cohort_detail"),
        "accepted",
    ),
    Case(
        "enrol a non-numeric candidacy id",
        "coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": "12abc"},
        back("cohort_detail"),
        "accepted",
    ),
    Case(
        "enrol a negative candidacy id",
        "coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": "-1"},
        back("cohort_detail"),
        "accepted",
    ),
    Case(
        "enrol a candidacy id beyond 64 bits",
        "coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": BEYOND_64_BITS},
        404,
        "accepted",
    ),
    Case(
        "enrol the Lyon site's candidacy into the own cohort",
        "coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": o.lyon_accepted.pk},
        404,
        "lyon_accepted",
    ),
    Case(
        "network admin enrols a Lyon candidacy into a Marseille cohort",
        "network_admin",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": o.lyon_accepted.pk},
        404,
        "lyon_accepted",
    ),
    Case(
        "enrol a candidacy into a cohort it does not target",
        "coordinator",
        at("cohort_enrol", "running"),
        lambda o: {"candidacy": o.accepted.pk},
        404,
        "accepted",
    ),
    Case(
        "enrol a candidacy that is not accepted",
        "coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": o.new.pk},
        back("cohort_detail"),
        "new",
    ),
    Case(
        "enrol a candidacy already enrolled",
        "coordinator",
        at("cohort_enrol", "running"),
        lambda o: {"candidacy": o.enrolment.candidacy.pk},
        back("cohort_detail"),
        "enrolment",
    ),
    Case(
        "trainer enrols into their cohort",
        "trainer",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": o.accepted.pk},
        403,
        "accepted",
    ),
    Case(
        "Lyon coordinator enrols into a Marseille cohort",
        "outsider_coordinator",
        at("cohort_enrol", "upcoming"),
        lambda o: {"candidacy": o.accepted.pk},
        404,
        "accepted",
    ),
    # Competency assessments.
    Case(
        "assessment without fields",
        "trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "assessment of a non-numeric competency",
        "trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {
            "competency": "C1",
            "level": "acquired",
            "evidence": "vu",
            "assessed_on": today(),
        },
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "assessment of a competency that does not exist",
        "trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {
            "competency": BEYOND_64_BITS,
            "level": "acquired",
            "evidence": "vu",
            "assessed_on": today(),
        },
        404,
        "enrolment",
    ),
    Case(
        "assessment with an unknown level",
        "trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {"competency": o.competency.pk, "level": "expert", "assessed_on": today()},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "competency acquired without evidence",
        "trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {"competency": o.competency.pk, "level": "acquired", "assessed_on": today()},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "assessment dated in the future",
        "trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {
            "competency": o.competency.pk,
            "level": "acquired",
            "evidence": "vu",
            "assessed_on": in_days(3),
        },
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "learner assesses themself",
        "learner",
        at("enrolment_assess", "enrolment"),
        lambda o: {
            "competency": o.competency.pk,
            "level": "acquired",
            "evidence": "moi",
            "assessed_on": today(),
        },
        403,
        "enrolment",
    ),
    Case(
        "Lyon trainer assesses a Marseille learner",
        "outsider_trainer",
        at("enrolment_assess", "enrolment"),
        lambda o: {
            "competency": o.competency.pk,
            "level": "acquired",
            "evidence": "vu",
            "assessed_on": today(),
        },
        404,
        "enrolment",
    ),
    # End of training.
    Case(
        "end of training without a date",
        "coordinator",
        at("enrolment_end", "enrolment"),
        lambda o: {"transition": "complete"},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "end of training with an unknown outcome",
        "coordinator",
        at("enrolment_end", "enrolment"),
        lambda o: {"transition": "graduate", "ended_on": today()},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "drop-out without a reason",
        "coordinator",
        at("enrolment_end", "enrolment"),
        lambda o: {"transition": "drop_out", "ended_on": today()},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "end of training before the cohort started",
        "coordinator",
        at("enrolment_end", "enrolment"),
        lambda o: {"transition": "complete", "ended_on": "2020-01-01"},
        back("enrolment_detail"),
        "enrolment",
    ),
    Case(
        "end of a training that already ended",
        "coordinator",
        at("enrolment_end", "ended"),
        lambda o: {"transition": "complete", "ended_on": today()},
        back("enrolment_detail"),
        "ended",
    ),
    Case(
        "trainer ends a training",
        "trainer",
        at("enrolment_end", "enrolment"),
        lambda o: {"transition": "complete", "ended_on": today()},
        403,
        "enrolment",
    ),
    # Proposals of learners to openings.
    Case(
        "proposal without a learner",
        "coordinator",
        at("opening_propose", "opening"),
        lambda o: {},
        back("opening_detail"),
        "opening",
    ),
    Case(
        "proposal of a non-numeric enrolment id",
        "coordinator",
        at("opening_propose", "opening"),
        lambda o: {"enrolment": "un"},
        back("opening_detail"),
        "opening",
    ),
    Case(
        "proposal of a Lyon learner by the Marseille coordinator",
        "coordinator",
        at("opening_propose", "opening"),
        lambda o: {"enrolment": o.lyon_enrolment.pk},
        404,
        "lyon_enrolment",
    ),
    Case(
        "proposal of a learner who refused to be shown to employers",
        "coordinator",
        at("opening_propose", "opening"),
        lambda o: {"enrolment": o.no_consent.pk},
        back("opening_detail"),
        "no_consent",
    ),
    Case(
        "proposal of a learner already proposed",
        "coordinator",
        at("opening_propose", "opening"),
        lambda o: {"enrolment": o.enrolment.pk},
        back("opening_detail"),
        "proposal",
    ),
    Case(
        "employer proposes a learner to their own opening",
        "employer",
        at("opening_propose", "opening"),
        lambda o: {"enrolment": o.enrolment.pk},
        403,
        "opening",
    ),
    Case(
        "employer posts to another employer's opening",
        "employer",
        at("opening_propose", "other_opening"),
        lambda o: {"enrolment": o.enrolment.pk},
        404,
        "other_opening",
    ),
    # Employers' decisions on proposals.
    Case(
        "proposal decision without a transition",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "proposal transition that does not exist",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "fire"},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "employer takes the coordinator's withdraw action",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "withdraw"},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "hire without a contract",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "hire"},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "hire on a fixed-term contract without its length",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "hire", "contract_type": "cdd", "start_date": today()},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "hire with a non-numeric contract length",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {
            "transition": "hire",
            "contract_type": "cdd",
            "contract_months": "six",
            "start_date": today(),
        },
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "not retained without a reason",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "not_retain"},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "other employer decides on the proposal",
        "outsider_employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "interview"},
        404,
        "proposal",
    ),
    Case(
        "prescriber decides on a proposal",
        "prescriber",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "interview"},
        404,
        "proposal",
    ),
    # The placement pipeline: immersion, hire hours, the agreement, closing and reopening.
    Case(
        "immersion without its dates",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "immersion", "immersion_tutor": "Paul Martin"},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "immersion ending before it starts",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {
            "transition": "immersion",
            "immersion_start": in_days(10),
            "immersion_end": in_days(3),
            "immersion_tutor": "Paul Martin",
        },
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "immersion without a tutor",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {
            "transition": "immersion",
            "immersion_start": in_days(3),
            "immersion_end": in_days(10),
            "immersion_tutor": "   ",
        },
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "hire for 60 hours a week",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {
            "transition": "hire",
            "contract_type": "cdi",
            "start_date": today(),
            "weekly_hours": "60",
        },
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "hire without the weekly hours",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "hire", "contract_type": "cdi", "start_date": today()},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "hire with non-numeric weekly hours",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {
            "transition": "hire",
            "contract_type": "cdi",
            "start_date": today(),
            "weekly_hours": "trente",
        },
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "not retained with a reason outside the list",
        "employer",
        at("proposal_decide", "proposal"),
        lambda o: {"transition": "not_retain", "reason": "too_old"},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "agreement signed before any immersion",
        "employer",
        at("proposal_sign", "proposal"),
        lambda o: {},
        back("proposal_detail"),
        "proposal",
    ),
    Case(
        "prescriber signs an immersion agreement",
        "prescriber",
        at("proposal_sign", "proposal"),
        lambda o: {},
        404,
        "proposal",
    ),
    Case(
        "another learner signs the agreement",
        "outsider_learner",
        at("learner_proposal_sign", "proposal"),
        lambda o: {},
        404,
        "proposal",
    ),
    Case(
        "opening closed without a reason",
        "employer",
        at("opening_close", "opening"),
        lambda o: {},
        back("opening_detail"),
        "opening",
    ),
    Case(
        "opening closed with a reason outside the list",
        "coordinator",
        at("opening_close", "opening"),
        lambda o: {"reason": "bored"},
        back("opening_detail"),
        "opening",
    ),
    Case(
        "other employer closes the opening",
        "outsider_employer",
        at("opening_close", "opening"),
        lambda o: {"reason": "cancelled"},
        404,
        "opening",
    ),
    Case(
        "trainer closes an opening",
        "trainer",
        at("opening_close", "opening"),
        lambda o: {"reason": "cancelled"},
        404,
        "opening",
    ),
    Case(
        "open opening reopened",
        "employer",
        at("opening_reopen", "opening"),
        lambda o: {},
        back("opening_detail"),
        "opening",
    ),
    # Follow-ups after training.
    Case(
        "follow-up without fields",
        "coordinator",
        at("follow_up_record", "ended", "exit"),
        lambda o: BLANK,
        FORM,
        "ended",
    ),
    Case(
        "follow-up in employment without the employer",
        "coordinator",
        at("follow_up_record", "ended", "exit"),
        lambda o: {"situation": "cdi", "recorded_on": today()},
        FORM,
        "ended",
    ),
    Case(
        "follow-up with an unknown situation",
        "coordinator",
        at("follow_up_record", "ended", "exit"),
        lambda o: {"situation": "astronaut", "recorded_on": today()},
        FORM,
        "ended",
    ),
    Case(
        "follow-up dated in the future",
        "coordinator",
        at("follow_up_record", "ended", "exit"),
        lambda o: {"situation": "job_seeking", "recorded_on": in_days(2)},
        FORM,
        "ended",
    ),
    Case(
        "twelve-month follow-up recorded at the exit",
        "coordinator",
        at("follow_up_record", "ended", "m12"),
        lambda o: {"situation": "job_seeking", "recorded_on": today()},
        FORM,
        "ended",
    ),
    Case(
        "follow-up of a learner still in training",
        "coordinator",
        at("follow_up_record", "enrolment", "exit"),
        lambda o: {"situation": "job_seeking", "recorded_on": today()},
        FORM,
        "enrolment",
    ),
    Case(
        "follow-up for a milestone that does not exist",
        "coordinator",
        at("follow_up_record", "ended", "m99"),
        lambda o: {"situation": "job_seeking", "recorded_on": today()},
        404,
        "ended",
    ),
    Case(
        "trainer records a follow-up",
        "trainer",
        at("follow_up_record", "ended", "exit"),
        lambda o: {"situation": "job_seeking", "recorded_on": today()},
        403,
        "ended",
    ),
    # Creation forms.
    Case(
        "cohort created on another site",
        "coordinator",
        page("cohort_create"),
        lambda o: {
            "programme": o.running.programme_id,
            "site": o.lyon_accepted.cohort.site_id,
            "name": "Promo pirate",
            "start_date": in_days(60),
            "capacity": 12,
        },
        FORM,
        "running",
    ),
    Case(
        "cohort with a non-numeric capacity",
        "coordinator",
        page("cohort_create"),
        lambda o: {
            "programme": o.running.programme_id,
            "site": o.running.site_id,
            "name": "Promo mars",
            "start_date": in_days(60),
            "capacity": "douze",
        },
        FORM,
        "running",
    ),
    Case(
        "employer publishes an opening for another employer",
        "employer",
        page("opening_create"),
        lambda o: {
            "employer": o.other_opening.employer_id,
            "title": "Poste pirate",
            "rome_code": "I1307",
            "contract_type": "cdi",
            "commune": "Lyon",
            "positions": 1,
        },
        FORM,
        "other_opening",
    ),
    Case(
        "referral to a cohort that has already started",
        "prescriber",
        page("referral_create"),
        lambda o: person_fields(cohort=o.running.pk),
        FORM,
        "running",
    ),
    Case(
        "referral without the person's consent",
        "prescriber",
        page("referral_create"),
        lambda o: person_fields(cohort=o.upcoming.pk, consent_programme=""),
        FORM,
        "upcoming",
    ),
    Case(
        "referral to a cohort id that is not a number",
        "prescriber",
        page("referral_create"),
        lambda o: person_fields(cohort="1 OR 1=1"),
        FORM,
        "upcoming",
    ),
    # Plateau sessions: the module comes from the cohort's programme, by id.
    Case(
        "session with a module id that does not exist",
        "coordinator",
        at("session_create", "running"),
        lambda o: session_fields(o, module=BEYOND_64_BITS),
        FORM,
        "running",
    ),
    Case(
        "session with a module id that is not a number",
        "coordinator",
        at("session_create", "running"),
        lambda o: session_fields(o, module="FO02"),
        FORM,
        "running",
    ),
    # Planner: another site's cohort, a year that is not one.
    Case(
        "automatic planning of another site's cohort",
        "coordinator",
        lambda o: reverse("plan_cohort_start", args=[o.lyon_enrolment.cohort_id]),
        lambda o: {},
        404,
        "lyon_enrolment",
    ),
    Case(
        "capacity study of a year that is not a number",
        "coordinator",
        lambda o: reverse("plateau_capacity_start", args=[o.running.site_id]),
        lambda o: {"year": "2027; DROP TABLE"},
        back("plateau_capacity"),
        "running",
    ),
    Case(
        "capacity study of year 99999",
        "coordinator",
        lambda o: reverse("plateau_capacity_start", args=[o.running.site_id]),
        lambda o: {"year": "99999"},
        back("plateau_capacity"),
        "running",
    ),
    Case(
        "capacity study of another site",
        "coordinator",
        lambda o: reverse("plateau_capacity_start", args=[o.lyon_enrolment.cohort.site_id]),
        lambda o: {"year": "2027"},
        404,
        "lyon_enrolment",
    ),
    # Practical evaluations: the photo is checked from its bytes.
    Case(
        "evaluation with a text file named photo.jpg",
        "trainer",
        at("enrolment_evaluations", "enrolment"),
        lambda o: evaluation_fields(o, photo=text_named_jpg()),
        FORM,
        "enrolment",
    ),
    Case(
        "evaluation with a photo, posted by the learner",
        "learner",
        at("enrolment_evaluations", "enrolment"),
        lambda o: evaluation_fields(o, photo=text_named_jpg()),
        403,
        "enrolment",
    ),
    Case(
        "public application without fields",
        "anonymous",
        page("public_application"),
        lambda o: BLANK,
        FORM,
        "upcoming",
    ),
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The world creates a dozen users; the production hasher takes a quarter second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def objects(world: Any) -> Objects:
    # The learner account is the person in training, who is also referred to the next cohort.
    enrolment = factories.enrolled(world, world.running, **LEARNER)
    new = factories.referral(world, **LEARNER)
    factories.link_account(new.person, world.user("learner"))
    opening = factories.opening(world)
    other_opening = factories.opening(world, employer=world.other_employer, commune="Lyon")
    return Objects(
        new=new,
        accepted=factories.accepted(world),
        lyon_accepted=factories.accepted(world, world.other_cohort),
        enrolment=enrolment,
        lyon_enrolment=factories.enrolled(world, world.other_cohort),
        no_consent=factories.enrolled(world, world.running, consent_employers=False),
        ended=factories.ended(world),
        competency=competencies_of(enrolment).first(),
        opening=opening,
        other_opening=other_opening,
        proposal=factories.proposal(world, opening, enrolment),
        upcoming=world.upcoming,
        running=world.running,
    )


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the pages write to."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def watched_state(obj: Any) -> dict[str, Any]:
    obj.refresh_from_db()
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def client_as(client: Any, world: Any, role: str) -> Any:
    if role != "anonymous":
        log_in(client, world.user(role))
    return client


def error_messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_forged_post_changes_nothing(client: Any, world: Any, objects: Objects, case: Case) -> None:
    watched = getattr(objects, case.watch)
    before_watched = watched_state(watched)
    poster = client_as(client, world, case.role)
    before = database_state()

    response = poster.post(case.url(objects), case.data(objects))

    if isinstance(case.expect, Back):
        assert response.status_code == 302
        assert resolve(urlsplit(response["Location"]).path).url_name == case.expect.to
        assert error_messages(response), "the refused post must say why"
    elif case.expect == FORM:
        assert response.status_code == 200
        assert response.context["form"].errors, "the form must show what is wrong"
    else:
        assert response.status_code == case.expect
    assert watched_state(watched) == before_watched
    assert database_state() == before


def test_cross_site_post_without_csrf_token_is_refused(world: Any, objects: Objects) -> None:
    forged = Client(enforce_csrf_checks=True)
    log_in(forged, world.user("coordinator"))
    before = database_state()
    response = forged.post(
        reverse("candidacy_decide", args=[objects.new.pk]), {"transition": "invite"}
    )
    assert response.status_code == 403
    objects.new.refresh_from_db()
    assert objects.new.status == "new"
    assert database_state() == before


def test_decision_sent_as_a_get_is_refused(client_for: Any, objects: Objects) -> None:
    before = database_state()
    url = reverse("candidacy_decide", args=[objects.new.pk]) + "?transition=invite"
    assert client_for("coordinator").get(url).status_code == 405
    objects.new.refresh_from_db()
    assert objects.new.status == "new"
    assert database_state() == before


def test_employer_cannot_decide_once_consent_is_withdrawn(
    client_for: Any, world: Any, objects: Objects
) -> None:
    factories.withdraw_employer_consent(objects.enrolment.candidacy.person)
    before = database_state()
    response = client_for("employer").post(
        reverse("proposal_decide", args=[objects.proposal.pk]), {"transition": "interview"}
    )
    assert response.status_code == 404
    objects.proposal.refresh_from_db()
    assert objects.proposal.status == "proposed"
    assert database_state() == before


def test_the_valid_posts_do_change_the_state(client_for: Any, objects: Objects) -> None:
    """The control: the same pages with a proper body do write, so the cases above can fail."""
    coordinator = client_for("coordinator")
    coordinator.post(reverse("candidacy_decide", args=[objects.new.pk]), {"transition": "invite"})
    coordinator.post(
        reverse("cohort_enrol", args=[objects.upcoming.pk]), {"candidacy": objects.accepted.pk}
    )
    coordinator.post(
        reverse("follow_up_record", args=[objects.ended.pk, "exit"]),
        {"situation": "job_seeking", "recorded_on": today()},
    )
    objects.new.refresh_from_db()
    objects.accepted.refresh_from_db()
    assert objects.new.status == "invited"
    assert objects.accepted.status == "enrolled"
    assert FollowUp.objects.filter(enrolment=objects.ended, milestone="exit").exists()


def test_public_application_cannot_rewrite_a_known_person(client: Any, objects: Objects) -> None:
    """Anyone knowing a learner's name and birth date must not rewrite their record.

    The learner withdrew their consent to employers; an anonymous application in their name,
    to another upcoming cohort, carries another email and phone and ticks that consent.
    """
    person = objects.enrolment.candidacy.person
    factories.withdraw_employer_consent(person)
    before = watched_state(person)
    response = client.post(
        reverse("public_application"),
        person_fields(
            first_name="inès",
            last_name="BENALI",
            birth_date="1998-05-04",
            email="usurpateur@example.net",
            phone="07 00 00 00 00",
            cohort=objects.lyon_accepted.cohort_id,
            consent_employers="on",
        ),
    )
    assert response.status_code == 200
    assert watched_state(person) == before
