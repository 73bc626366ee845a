"""The demo tells the reference case (GUIDE.md §1), reloads identically and serves its pages."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.auth import log_in
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.candidacies.enums import CandidacySource, CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment
from tremplin.core.models import TransitionLog
from tremplin.demo.builder import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    JUNE_2023_NAME,
    load_demo,
    project_models,
    reset_demo,
)
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.models import Opening, Proposal
from tremplin.organisations.enums import PrescriberKind
from tremplin.organisations.models import Organisation, Site
from tremplin.outcomes.models import FollowUp
from tremplin.plateau.models import Lab
from tremplin.programmes.enums import CompetencyLevel, TrackKind
from tremplin.programmes.models import Competency, Programme
from tremplin.quality.enums import SurveyKind
from tremplin.quality.models import SurveyInvitation
from tremplin.quality.selectors import survey_results
from tremplin.reports.selectors import site_funnels

PARTNER_EMPLOYERS = {"Free Pro", "Telenco", "Legrand", "Azur Datacenter", "Digital Realty"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module and rolled back after it."""
    # Function-scoped autouse fixtures do not reach here: match conftest's fast hasher and
    # keep the demo's generated proof files out of var/.
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        summary = load_demo()
        yield summary
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def load_demo_counts():
    return {m._meta.label: m._default_manager.count() for m in project_models()}


def june_2023():
    return Cohort.objects.get(name=JUNE_2023_NAME)


def test_the_site_its_labs_and_the_programme():
    site = Site.objects.get()
    assert site.name == "Marseille – AFPA Saint-Jérôme"
    assert site.commune == "Marseille"
    assert site.yearly_target == 20
    assert site.network.name == "Les Plombiers du Numérique"
    assert site.host.name == "AFPA Marseille Saint-Jérôme"
    labs = {lab.name: lab for lab in Lab.objects.filter(site=site)}
    assert {name: lab.kind for name, lab in labs.items()} == {
        "Laboratoire fibre optique": "fibre",
        "Laboratoire datacenter / serveurs": "datacenter",
        "Laboratoire télésurveillance & objets connectés": "surveillance_iot",
        "Salle de formation": "classroom",
    }
    assert "Digital Realty" in labs["Laboratoire datacenter / serveurs"].description
    programme = Programme.objects.get()
    assert programme.duration_months == 4
    assert set(programme.tracks.values_list("kind", flat=True)) == set(TrackKind.values)
    # Four months of 35 h weeks, less two weeks of immersion, every track and the common core.
    modules = programme.modules.all()
    assert sum(m.hours for m in modules) == 525
    assert {m.track for m in modules} == {*TrackKind.values, ""}
    assert modules.get(code="FO03").prerequisites.get().code == "FO02"


def test_partners():
    ft = Organisation.objects.get(name="France Travail Marseille Saint-Jérôme")
    assert ft.is_habilitated and ft.prescriber_kind == PrescriberKind.FRANCE_TRAVAIL
    ml = Organisation.objects.get(prescriber_kind=PrescriberKind.MISSION_LOCALE)
    assert not ml.is_habilitated
    employers = set(Organisation.objects.filter(kind="employer").values_list("name", flat=True))
    assert employers == PARTNER_EMPLOYERS
    # Each partner recruits at one place of the Bouches-du-Rhône, where its openings are.
    for employer in Organisation.objects.filter(kind="employer"):
        site = employer.employer_sites.get()
        assert site.commune in {"Marseille", "Vitrolles", "Aubagne", "Aix-en-Provence"}
        assert all(o.commune.startswith(site.commune) for o in employer.openings.all())
        assert all(o.latitude is not None for o in employer.openings.all())
    funders = set(Organisation.objects.filter(kind="funder").values_list("name", flat=True))
    assert "Banque des Territoires" in funders
    assert any(name.startswith("France Travail") for name in funders)
    assert Opening.objects.filter(positions__gte=35).count() == 1


def test_june_2023_cohort_is_the_reference_case():
    cohort = june_2023()
    assert (cohort.start_date, cohort.end_date, cohort.capacity) == (
        datetime.date(2023, 6, 5),
        datetime.date(2023, 10, 5),
        12,
    )
    enrolments = list(Enrolment.objects.filter(cohort=cohort).select_related("candidacy__person"))
    assert len(enrolments) == 12
    people = [e.candidacy.person for e in enrolments]
    ages = [p.age_on(cohort.start_date) for p in people]
    assert min(ages) == 25 and max(ages) == 51
    assert all(p.qpv_declared and p.postal_code.startswith("130") for p in people)
    assert any(p.receives_rsa for p in people)
    for enrolment in enrolments:
        prescriber = enrolment.candidacy.prescriber_organisation
        assert prescriber is not None
        assert prescriber.prescriber_kind == PrescriberKind.FRANCE_TRAVAIL
    assert any("Coiffeuse pendant 30 ans" in e.candidacy.motivation for e in enrolments)

    statuses = Counter(e.status for e in enrolments)
    assert 10 <= statuses[EnrolmentStatus.COMPLETED] <= 11
    assert statuses[EnrolmentStatus.COMPLETED] + statuses[EnrolmentStatus.DROPPED_OUT] == 12
    assert all(e.end_reason for e in enrolments if e.status == EnrolmentStatus.DROPPED_OUT)

    assessments = CompetencyAssessment.objects.filter(enrolment__cohort=cohort)
    acquired = assessments.filter(level=CompetencyLevel.ACQUIRED)
    assert acquired.count() > 0.8 * assessments.count()
    assert not acquired.filter(evidence="").exists()


def test_june_2023_hires_and_follow_ups():
    cohort = june_2023()
    hired = Proposal.objects.filter(enrolment__cohort=cohort, status=ProposalStatus.HIRED)
    assert hired.count() >= 5
    assert {p.opening.employer.name for p in hired} <= PARTNER_EMPLOYERS
    for proposal in hired:
        assert proposal.hired_contract_type in ("cdi", "cdd")
        start = proposal.hired_start_date
        assert datetime.date(2023, 10, 1) <= start <= datetime.date(2023, 12, 31)
        if proposal.hired_contract_type == "cdd":
            assert proposal.hired_contract_months
    follow_ups = FollowUp.objects.filter(enrolment__cohort=cohort)
    assert Counter(follow_ups.values_list("milestone", flat=True)) == {
        "exit": 12,
        "m3": 12,
        "m6": 12,
        "m12": 12,
    }


def test_site_funnel_figures():
    per_cohort, total = site_funnels(Site.objects.get())
    june = next(f for f in per_cohort if f.group == JUNE_2023_NAME)
    assert june.count("referred") >= 12
    assert june.count("enrolled") == 12
    assert 10 <= june.count("completed") <= 11
    assert 7 <= june.count("employed_6m") <= 11
    for key in ("referred", "accepted", "enrolled", "completed", "employed_6m"):
        assert total.count(key) == sum(f.count(key) for f in per_cohort)


def test_cohort_in_training_and_upcoming_selection():
    today = timezone.localdate()
    current = Cohort.objects.get(start_date__lte=today, end_date__gt=today)
    assert current.trainers.filter(role=Role.TRAINER).exists()
    enrolments = Enrolment.objects.filter(cohort=current)
    assert 9 <= enrolments.count() <= current.capacity
    assert enrolments.filter(status=EnrolmentStatus.IN_TRAINING).count() >= 8
    assessed = CompetencyAssessment.objects.filter(enrolment__cohort=current).count()
    assert 0 < assessed < enrolments.count() * Competency.objects.count()

    upcoming = Cohort.objects.get(start_date__gt=today)
    assert upcoming.start_date >= today + datetime.timedelta(days=30)
    candidacies = Candidacy.objects.filter(cohort=upcoming)
    assert 7 <= candidacies.count() <= 10
    states = set(candidacies.values_list("status", flat=True))
    assert states == set(CandidacyStatus.values) - {CandidacyStatus.ENROLLED}
    assert candidacies.filter(source=CandidacySource.PUBLIC, referred_by=None).exists()
    for refused in Candidacy.objects.filter(status=CandidacyStatus.REFUSED):
        log = TransitionLog.objects.get(
            object_type="candidacy", object_id=refused.pk, to_state=CandidacyStatus.REFUSED
        )
        assert log.reason and log.actor is not None


def test_one_login_per_role(client):
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)
    for login in DEMO_LOGINS:
        assert client.login(email=login.email, password=DEMO_PASSWORD), login.email
        assert User.objects.get(email=login.email).role == login.role
        client.logout()
    admin = User.objects.get(role=Role.NETWORK_ADMIN, email__startswith="admin@")
    assert admin.is_staff and admin.is_superuser
    learner = User.objects.get(role=Role.LEARNER)
    enrolment = Enrolment.objects.get(candidacy__person__account=learner)
    assert enrolment.status == EnrolmentStatus.IN_TRAINING


def test_pages_render_for_every_demo_login(client):
    coordinator = User.objects.get(role=Role.COORDINATOR)
    log_in(client, coordinator)
    assert client.get(reverse("home")).status_code == 200
    site = Site.objects.get()
    assert client.get(reverse("site_dashboard", args=[site.pk])).status_code == 200
    for login in DEMO_LOGINS:
        log_in(client, User.objects.get(email=login.email))
        assert client.get(reverse("home"), follow=True).status_code == 200, login.email


def test_loading_twice_gives_the_same_rows(demo):
    before = load_demo_counts()
    assert before == demo.counts
    again = load_demo()
    assert again.deleted >= sum(before.values())
    assert load_demo_counts() == before
    assert reset_demo() > 0
    assert all(n == 0 for n in load_demo_counts().values())


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert Site.objects.exists()


def test_demo_logins_prints_every_login():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for login in DEMO_LOGINS:
        assert login.email in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000/" in text
    assert "absent" not in text


def test_the_coordinator_is_shown_the_demo_duplicate():
    from tremplin.people.selectors import duplicate_pairs_for_user

    coordinator = User.objects.get(role=Role.COORDINATOR, email__startswith="coordinatrice@")
    pairs = duplicate_pairs_for_user(coordinator)
    names = {frozenset((a.first_name, b.first_name)) for a, b, _ in pairs if a.last_name == "Morel"}
    assert frozenset(("Dylan", "Dilan")) in names


def test_the_cohort_in_training_has_a_week_of_sessions_on_the_plateau():
    from tremplin.plateau.models import Session

    today = timezone.localdate()
    sessions = Session.objects.filter(cohort__start_date__lte=today, cohort__end_date__gte=today)
    assert sessions.count() >= 8
    assert {s.lab.name for s in sessions} >= {
        "Laboratoire fibre optique",
        "Laboratoire datacenter / serveurs",
    }
    assert all(s.bookings.exists() for s in sessions)
    # Every session teaches a module of the programme, in a lab of the kind it needs.
    assert all(s.module is not None and s.lab.kind == s.module.lab_kind for s in sessions)
    assert "Raccordement FTTH" in {s.subject for s in sessions}


def test_the_cohort_in_training_answered_its_mid_course_survey():
    today = timezone.localdate()
    current = Cohort.objects.get(start_date__lte=today, end_date__gt=today)
    invitations = SurveyInvitation.objects.filter(enrolment__cohort=current)
    assert set(invitations.values_list("kind", flat=True)) == {SurveyKind.MID}
    in_training = current.enrolments.filter(status=EnrolmentStatus.IN_TRAINING).count()
    assert invitations.count() == in_training
    answered = invitations.filter(answered_at__isnull=False).count()
    assert in_training / 2 < answered < in_training
    results = survey_results(current, SurveyKind.MID, with_texts=True)
    assert results.answered == answered
    assert all(q.summary.count == answered for q in results.scales)
    assert any(texts for _question, texts in results.texts)


def test_the_june_2023_cohort_answered_its_hot_and_cold_surveys():
    for kind in (SurveyKind.HOT, SurveyKind.COLD):
        results = survey_results(june_2023(), kind, with_texts=False)
        assert results.invited > 0
        assert results.invited / 2 < results.answered < results.invited
    assert not SurveyInvitation.objects.filter(
        enrolment__cohort=june_2023(), kind=SurveyKind.MID
    ).exists()


def test_the_cohort_in_training_has_signed_and_countersigned_sheets():
    from tremplin.attendance.models import AbsenceAlert, AttendanceEntry, AttendanceSheet
    from tremplin.attendance.selectors import hours_of, seal_holds
    from tremplin.plateau.models import Session

    today = timezone.localdate()
    current = Cohort.objects.get(start_date__lte=today, end_date__gt=today)
    past = Session.objects.filter(cohort=current, date__lt=today)
    # The week before this one is played too: at least its nine half-days, whatever today is.
    assert past.count() >= 9
    sheets = AttendanceSheet.objects.filter(session__cohort=current)
    assert sheets.count() == past.count()
    assert all(sheet.is_sealed and seal_holds(sheet) for sheet in sheets)
    assert not AttendanceSheet.objects.filter(session__date__gte=today).exists()
    entries = AttendanceEntry.objects.filter(sheet__in=sheets)
    methods = set(entries.exclude(method="").values_list("method", flat=True))
    assert methods == {"trainer_screen", "own_phone"}
    assert entries.filter(presence="late").exists()
    assert entries.filter(presence="absent").exists()
    assert AbsenceAlert.objects.filter(enrolment__cohort=current, handled_at__isnull=True).exists()
    learner = current.enrolments.filter(candidacy__person__account__isnull=False).get()
    assert hours_of(learner).attended > 0
