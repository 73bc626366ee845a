"""IDOR: every object id a form or a request parameter carries, forged with another's object.

For each id-bearing form field of the site (ModelChoiceField, ModelMultipleChoiceField, an
integer field named after a model, the per-learner fields of the jury form, the duplicate
choice) and each request parameter a view parses as an id, an insider (the Marseille
coordinator, trainer, employer or funder) sends the id of an object of another site, network or
organisation. The answer must be a refusal (400, 403, 404, a redirect with an error message or
the form again with its error), never a 500, and nothing may be written: every table of the
project's apps is dumped before and after.

The case table is checked against the code: ``test_every_id_field_has_a_case`` collects the
forms of ``tremplin.www`` by introspection and ``test_every_id_parameter_has_a_case`` the
``request.POST``/``request.GET`` parameters read in its views, so a new id-bearing field or
parameter without a case here fails.
"""

import dataclasses
import datetime
import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import tremplin.www
from tests import factories
from tests.auth import log_in
from tests.www.test_access_matrix import _equipment, _session
from tests.www.test_forged_posts import person_fields

BEYOND_64_BITS = str(2**63)
LEARNER = {"first_name": "Inès", "last_name": "Benali", "birth_date": datetime.date(1998, 5, 4)}


@dataclasses.dataclass
class Others:
    """Our objects, and the objects of others (Lyon, another network, another employer)."""

    world: Any
    enrolment: Any  # in training in the running Marseille cohort (the learner account)
    accepted: Any  # accepted into the upcoming Marseille cohort
    session: Any  # a half-day of the running cohort
    equipment: Any  # in service in the Marseille lab
    opening: Any  # open position at the world's employer
    complaint: Any  # received by Marseille
    lyon_accepted: Any
    lyon_enrolment: Any
    lyon_lab: Any
    lyon_equipment: Any
    lyon_match_run: Any
    lyon_capacity_run: Any
    others_task: Any  # a cohort-documents task of the Lyon coordinator
    foreign_network_site: Any
    foreign_programme: Any  # of another network
    foreign_track: Any
    foreign_certification: Any
    foreign_block: Any
    foreign_competency: Any
    foreign_module: Any
    other_employer_site: Any  # an establishment of the other employer


@pytest.fixture
def others(world: Any) -> Others:
    from tremplin.core.progress import progress_start
    from tremplin.employers.models import EmployerSite, MatchRun
    from tremplin.organisations.enums import OrganisationKind
    from tremplin.organisations.models import Site
    from tremplin.planner.models import PlanRun
    from tremplin.plateau.models import Equipment, Lab, Session
    from tremplin.programmes.models import (
        Certification,
        Competency,
        CompetencyBlock,
        Module,
        Programme,
        Track,
    )

    enrolment = factories.enrolled(world, world.running, **LEARNER)
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    ours: Any = SimpleNamespace(site=world.site, cohort=world.running)
    session = Session.objects.get(pk=_session(ours)["session_id"])
    equipment = Equipment.objects.get(pk=_equipment(ours)["equipment_id"])
    other_network = factories.org(OrganisationKind.NETWORK, "Réseau d'ailleurs")
    foreign_programme = Programme.objects.create(network=other_network, name="Parcours d'ailleurs")
    certification = Certification.objects.create(
        code="certif-ailleurs", version="1", title="Certification d'ailleurs"
    )
    block = CompetencyBlock.objects.create(certification=certification, code="BX", title="Bloc X")
    competency = Competency.objects.create(block=block, code="CX1", title="Compétence X")
    lyon_lab = Lab.objects.create(site=world.other_site, name="Labo Lyon", kind="fibre")
    outsider = world.user("outsider_coordinator")
    return Others(
        world=world,
        enrolment=enrolment,
        accepted=factories.accepted(world),
        session=session,
        equipment=equipment,
        opening=factories.opening(world),
        complaint=factories.complaint(world),
        lyon_accepted=factories.accepted(world, world.other_cohort),
        lyon_enrolment=factories.enrolled(world, world.other_cohort),
        lyon_lab=lyon_lab,
        lyon_equipment=Equipment.objects.create(
            lab=lyon_lab, type=equipment.type, serial_number="FSP-LYON-001"
        ),
        lyon_match_run=MatchRun.objects.create(cohort=world.other_cohort, requested_by=outsider),
        lyon_capacity_run=PlanRun.objects.create(
            kind=PlanRun.Kind.CAPACITY,
            site=world.other_site,
            year=2027,
            requested_by=outsider,
        ),
        others_task=progress_start(
            owner=outsider, kind="cohort_documents", label="Documents", enqueue=lambda pk: None
        ),
        foreign_network_site=Site.objects.create(network=other_network, name="Ailleurs"),
        foreign_programme=foreign_programme,
        foreign_track=Track.objects.create(
            programme=foreign_programme,
            kind=world.programme.tracks.first().kind,
            certification=certification,
        ),
        foreign_certification=certification,
        foreign_block=block,
        foreign_competency=competency,
        foreign_module=Module.objects.create(
            programme=foreign_programme, code="MX", title="Module X", hours=7, lab_kind="fibre"
        ),
        other_employer_site=EmployerSite.objects.create(
            employer=world.other_employer, name="Telenco Lyon", commune="Lyon"
        ),
    )


# How a case is answered.
REFUSED = "refused"  # 400/403/404, or a redirect with an error message
FORM = "form"  # the form again (200), with an error on the field


@dataclasses.dataclass(frozen=True)
class Case:
    key: tuple[str, str]  # (form class path, field) or (view module, request parameter)
    name: str
    role: str
    url: Callable[[Others], str]
    data: Callable[[Others], dict[str, Any]]
    expect: str = REFUSED
    method: str = "post"
    context: str = "form"  # the context variable holding the form, for FORM
    # Extra check of the answer; when given with ``writes=True`` the case may write rows
    # (of our own objects) and ``check`` says what must not have been written.
    check: Callable[[Any, Others], None] | None = None
    writes: bool = False


def url(name: str, *attrs: str, **query: Any) -> Callable[[Others], str]:
    def build(o: Others) -> str:
        args = [_resolve(o, a).pk for a in attrs]
        return reverse(name, args=args)

    return build


def _resolve(o: Others, path: str) -> Any:
    obj: Any = o
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def today() -> str:
    return timezone.localdate().isoformat()


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def opening_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Technicien·ne fibre",
        "rome_code": "I1307",
        "contract_type": "cdi",
        "commune": "Marseille",
        "postal_code": "13003",
        "working_time": "full",
        "positions": "1",
    } | overrides


def cohort_fields(o: Others, **overrides: Any) -> dict[str, Any]:
    return {
        "programme": o.world.programme.pk,
        "site": o.world.site.pk,
        "name": "Promo pirate",
        "start_date": in_days(60),
        "capacity": "12",
    } | overrides


def complaint_fields(o: Others, **overrides: Any) -> dict[str, Any]:
    return {
        "site": o.world.site.pk,
        "received_on": today(),
        "channel": "email",
        "complainant_kind": "learner",
        "subject": "Objet",
        "description": "Description",
    } | overrides


def session_fields(o: Others, **overrides: Any) -> dict[str, Any]:
    return {
        "date": in_days(7),
        "half_day": "pm",
        "trainer": o.world.user("trainer").pk,
        "lab": o.equipment.lab_id,
    } | overrides


def evaluation_fields(o: Others, **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Épissure",
        "held_on": today(),
        "criteria_met": "Soudure",
        "passed": "1",
        "evidence": "Perte 0,05 dB.",
    } | overrides


def import_file() -> SimpleUploadedFile:
    content = "\n".join(
        [factories.IMPORT_HEADER, "Arnaud;Lina;12/03/1990;13015;Marseille;CAP;Transports;oui"]
    )
    return SimpleUploadedFile("liste.csv", content.encode(), "text/csv")


def get(name: str, *attrs: str, **params: Callable[[Others], Any]) -> Callable[[Others], str]:
    """A GET URL whose query string carries ``params`` (functions of the objects)."""

    def build(o: Others) -> str:
        query = urlencode({k: f(o) for k, f in params.items()}, doseq=True)
        return url(name, *attrs)(o) + "?" + query

    return build


def no_jury_result_for_lyon(response: Any, o: Others) -> None:
    from tremplin.cohorts.models import JuryResult

    assert not JuryResult.objects.filter(enrolment=o.lyon_enrolment).exists()


def not_the_lyon_match_run(response: Any, o: Others) -> None:
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path != reverse("match_run", args=[o.lyon_match_run.pk])
    assert error_messages(response)


def not_the_lyon_capacity_run(response: Any, o: Others) -> None:
    assert response.status_code == 200
    assert response.context["run"] != o.lyon_capacity_run


def not_the_others_task(response: Any, o: Others) -> None:
    assert response.status_code == 200
    assert response.context["progress"] is None


def cannot_sign_for_another(response: Any, o: Others) -> None:
    from tremplin.attendance.models import AttendanceEntry

    assert response.status_code == 400
    assert not AttendanceEntry.objects.filter(enrolment=o.lyon_enrolment).exists()


OPENING = "tremplin.www.employers.forms.OpeningForm"
COHORT = "tremplin.www.cohorts.forms.CohortForm"
SESSION = "tremplin.www.plateau.forms.SessionForm"
INDICATORS = "tremplin.www.reports.forms.IndicatorFilterForm"
NETWORK = "tremplin.www.reports.forms.NetworkFilterForm"
JURY = "tremplin.www.cohorts.jury.JuryForm"

CASES = [
    # Openings: an employer publishes for itself only; establishments belong to their employer.
    Case(
        (OPENING, "employer"),
        "employer publishes for the other employer",
        "employer",
        url("opening_create"),
        lambda o: opening_fields(employer=o.world.other_employer.pk),
        FORM,
    ),
    Case(
        (OPENING, "employer_site"),
        "employer names the other employer's establishment",
        "employer",
        url("opening_create"),
        lambda o: opening_fields(
            employer=o.world.employer.pk, employer_site=o.other_employer_site.pk
        ),
        FORM,
    ),
    Case(
        (OPENING, "employer_site"),
        "coordinator pairs an employer with another's establishment",
        "coordinator",
        url("opening_create"),
        lambda o: opening_fields(
            employer=o.world.employer.pk, employer_site=o.other_employer_site.pk
        ),
        FORM,
    ),
    # Competencies are the national frameworks, readable by all: only unknown ids exist.
    Case(
        (OPENING, "required_competencies"),
        "required competency that does not exist",
        "employer",
        url("opening_create"),
        lambda o: opening_fields(employer=o.world.employer.pk, required_competencies=[2**31]),
        FORM,
    ),
    Case(
        (OPENING, "desired_competencies"),
        "desired competency that does not exist",
        "employer",
        url("opening_create"),
        lambda o: opening_fields(employer=o.world.employer.pk, desired_competencies=["x"]),
        FORM,
    ),
    # Proposals: the learner must be one the coordinator follows.
    Case(
        ("tremplin.www.employers.forms.ProposeForm", "enrolment"),
        "Marseille coordinator proposes a Lyon learner",
        "coordinator",
        url("opening_propose", "opening"),
        lambda o: {"enrolment": o.lyon_enrolment.pk},
    ),
    # Cohorts.
    Case(
        (COHORT, "programme"),
        "cohort of another network's programme",
        "coordinator",
        url("cohort_create"),
        lambda o: cohort_fields(o, programme=o.foreign_programme.pk),
        FORM,
    ),
    Case(
        (COHORT, "site"),
        "cohort on the Lyon site",
        "coordinator",
        url("cohort_create"),
        lambda o: cohort_fields(o, site=o.world.other_site.pk),
        FORM,
    ),
    Case(
        (COHORT, "trainers"),
        "cohort taught by a Lyon trainer",
        "coordinator",
        url("cohort_create"),
        lambda o: cohort_fields(o, trainers=[o.world.user("outsider_trainer").pk]),
        FORM,
    ),
    Case(
        ("tremplin.www.cohorts.forms.EnrolForm", "candidacy"),
        "Lyon candidacy enrolled into the Marseille cohort",
        "coordinator",
        url("cohort_enrol", "world.upcoming"),
        lambda o: {"candidacy": o.lyon_accepted.pk},
    ),
    Case(
        ("tremplin.www.cohorts.forms.AssessmentForm", "competency"),
        "assessment of a competency outside the learner's programme",
        "trainer",
        url("enrolment_assess", "enrolment"),
        lambda o: {
            "competency": o.foreign_competency.pk,
            "level": "acquired",
            "evidence": "vu",
            "assessed_on": today(),
        },
    ),
    Case(
        ("tremplin.www.cohorts.forms.FundingForm", "funder"),
        "an employer recorded as the cohort's funder",
        "coordinator",
        url("cohort_funding_set", "world.running"),
        lambda o: {"funder": o.world.other_employer.pk, "amount": "1000"},
    ),
    Case(
        (JURY, "cert-<enrolment>"),
        "jury result for a Lyon learner through the Marseille cohort",
        "coordinator",
        url("cohort_jury", "world.running"),
        lambda o: {
            "decided_on": today(),
            f"cert-{o.lyon_enrolment.pk}": o.world.programme.tracks.first().certification_id,
        },
        check=no_jury_result_for_lyon,
        writes=True,
    ),
    Case(
        (JURY, "cert-<enrolment>"),
        "jury result naming another programme's certification",
        "coordinator",
        url("cohort_jury", "world.running"),
        lambda o: {"decided_on": today(), f"cert-{o.enrolment.pk}": o.foreign_certification.pk},
        FORM,
    ),
    Case(
        (JURY, "blocks-<enrolment>"),
        "jury validating another programme's block",
        "coordinator",
        url("cohort_jury", "world.running"),
        lambda o: {"decided_on": today(), f"blocks-{o.enrolment.pk}": [o.foreign_block.pk]},
        FORM,
    ),
    # Assessments.
    Case(
        ("tremplin.www.assessments.forms.EvaluationForm", "competency"),
        "evaluation of a competency outside the learner's programme",
        "trainer",
        url("enrolment_evaluations", "enrolment"),
        lambda o: evaluation_fields(o, competency=o.foreign_competency.pk),
        FORM,
    ),
    # Candidacies: upcoming cohorts are public (anyone may apply to any); a started one is not.
    Case(
        ("tremplin.www.candidacies.forms.ReferralForm", "cohort"),
        "referral to a cohort that has started",
        "prescriber",
        url("referral_create"),
        lambda o: person_fields(cohort=o.world.running.pk),
        FORM,
    ),
    Case(
        ("tremplin.www.candidacies.forms.PublicApplicationForm", "cohort"),
        "public application to a cohort id that does not exist",
        "anonymous",
        url("public_application"),
        lambda o: person_fields(cohort=BEYOND_64_BITS),
        FORM,
    ),
    Case(
        ("tremplin.www.candidacies.forms.DuplicateChoiceForm", "person_choice"),
        "the duplicate answered with a person the coordinator may not see",
        "coordinator",
        url("referral_create"),
        lambda o: person_fields(
            cohort=o.world.upcoming.pk,
            first_name="Inès",
            last_name="Benalli",  # a likely duplicate of Inès Benali, not the same identity
            birth_date="1998-05-04",
            person_choice=o.lyon_enrolment.candidacy.person_id,
            asked="1",
        ),
        FORM,
        context="choice",
    ),
    Case(
        ("tremplin.www.candidacies.forms.CandidacyFilterForm", "promotion"),
        "candidacy list filtered on a Lyon cohort",
        "coordinator",
        get("candidacy_list", promotion=lambda o: o.world.other_cohort.pk),
        lambda o: {},
        FORM,
        method="get",
        context="filters",
    ),
    Case(
        ("tremplin.www.candidacies.forms.CandidacyFilterForm", "site"),
        "candidacy list filtered on another network's site",
        "network_admin",
        get("candidacy_list", site=lambda o: o.foreign_network_site.pk),
        lambda o: {},
        FORM,
        method="get",
        context="filters",
    ),
    Case(
        ("tremplin.www.cohorts.forms.CohortFilterForm", "site"),
        "cohort list filtered on another network's site",
        "network_admin",
        get("cohort_list", site=lambda o: o.foreign_network_site.pk),
        lambda o: {},
        FORM,
        method="get",
        context="filters",
    ),
    Case(
        ("tremplin.www.intake.forms.ImportForm", "cohort"),
        "bulk referral list for a Lyon cohort",
        "coordinator",
        url("import_upload"),
        lambda o: {"cohort": o.world.other_cohort.pk, "file": import_file()},
        FORM,
    ),
    # Quality.
    Case(
        ("tremplin.www.quality.forms.ComplaintForm", "site"),
        "complaint filed for the Lyon site",
        "coordinator",
        url("complaint_create"),
        lambda o: complaint_fields(o, site=o.world.other_site.pk),
        FORM,
    ),
    Case(
        ("tremplin.www.quality.forms.ComplaintForm", "cohort"),
        "complaint about the Lyon cohort",
        "coordinator",
        url("complaint_create"),
        lambda o: complaint_fields(o, cohort=o.world.other_cohort.pk),
        FORM,
    ),
    Case(
        ("tremplin.www.quality.forms.ComplaintFilterForm", "site"),
        "complaint list filtered on the Lyon site",
        "coordinator",
        get("complaint_list", site=lambda o: o.world.other_site.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        ("tremplin.www.quality.forms.ActionForm", "owner"),
        "action owned by the Lyon coordinator",
        "coordinator",
        url("action_from_complaint", "complaint"),
        lambda o: {
            "description": "Réparer",
            "owner": o.world.user("outsider_coordinator").pk,
            "due_on": in_days(30),
        },
        FORM,
    ),
    # Reports.
    Case(
        ("tremplin.www.reports.funder_report.FunderReportForm", "cohort"),
        "funder report on a cohort the funder does not fund",
        "funder",
        url("funder_report_request", "world.site"),
        lambda o: {"cohort": o.world.upcoming.pk},
    ),
    Case(
        ("tremplin.www.reports.funder_report.FunderReportForm", "cohort"),
        "funder report on a Lyon cohort from the Marseille dashboard",
        "coordinator",
        url("funder_report_request", "world.site"),
        lambda o: {"cohort": o.world.other_cohort.pk},
    ),
    Case(
        ("tremplin.www.reports.bpf.BpfForm", "site"),
        "BPF of the Lyon site",
        "coordinator",
        get("bpf", site=lambda o: o.world.other_site.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        (INDICATORS, "programme"),
        "site dashboard filtered on another network's programme",
        "coordinator",
        get("site_dashboard", "world.site", programme=lambda o: o.foreign_programme.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        (INDICATORS, "track"),
        "site dashboard filtered on another network's track",
        "coordinator",
        get("site_dashboard", "world.site", track=lambda o: o.foreign_track.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        (NETWORK, "sites"),
        "network comparison including another network's site",
        "network_admin",
        get("dashboard", sites=lambda o: [o.world.site.pk, o.foreign_network_site.pk]),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        (NETWORK, "programme"),
        "network comparison filtered on another network's programme",
        "network_admin",
        get("dashboard", programme=lambda o: o.foreign_programme.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        (NETWORK, "track"),
        "network comparison filtered on another network's track",
        "network_admin",
        get("dashboard", track=lambda o: o.foreign_track.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    # Plateau.
    Case(
        ("tremplin.www.plateau.forms.InventoryFilterForm", "lab"),
        "inventory filtered on the Lyon lab",
        "coordinator",
        get("plateau_home", lab=lambda o: o.lyon_lab.pk),
        lambda o: {},
        FORM,
        method="get",
    ),
    Case(
        (SESSION, "module"),
        "session of another programme's module",
        "coordinator",
        url("session_create", "world.running"),
        lambda o: session_fields(o, module=o.foreign_module.pk),
        FORM,
    ),
    Case(
        (SESSION, "trainer"),
        "session taught by the Lyon trainer",
        "coordinator",
        url("session_create", "world.running"),
        lambda o: session_fields(o, trainer=o.world.user("outsider_trainer").pk),
        FORM,
    ),
    Case(
        (SESSION, "lab"),
        "session in the Lyon lab",
        "coordinator",
        url("session_create", "world.running"),
        lambda o: session_fields(o, lab=o.lyon_lab.pk),
        FORM,
    ),
    Case(
        (SESSION, "equipment"),
        "session booking the Lyon equipment",
        "coordinator",
        url("session_create", "world.running"),
        lambda o: session_fields(o, equipment=[o.lyon_equipment.pk]),
        FORM,
    ),
    Case(
        (SESSION, "lab"),
        "existing session moved to the Lyon lab",
        "coordinator",
        url("session_edit", "session"),
        lambda o: session_fields(o, lab=o.lyon_lab.pk),
        FORM,
    ),
    Case(
        ("tremplin.www.plateau.forms.ClosureForm", "site"),
        "closure of the Lyon site",
        "coordinator",
        url("closure_list"),
        lambda o: {
            "site": o.world.other_site.pk,
            "start": in_days(5),
            "end": in_days(6),
            "reason": "Travaux",
        },
        FORM,
    ),
    # Request parameters parsed as ids in views.
    Case(
        ("tremplin.www.attendance.views", "enrolment"),
        "a Lyon learner signed on the Marseille sheet",
        "trainer",
        url("attendance_sign", "session"),
        lambda o: {"enrolment": o.lyon_enrolment.pk},
    ),
    Case(
        ("tremplin.www.attendance.views", "enrolment"),
        "a Lyon learner marked absent on the Marseille sheet",
        "trainer",
        url("attendance_absent", "session"),
        lambda o: {"enrolment": o.lyon_enrolment.pk},
    ),
    Case(
        ("tremplin.www.employers.placement", "previous"),
        "placement re-run claiming to come from the Lyon run",
        "coordinator",
        url("match_start", "world.running"),
        lambda o: {"previous": o.lyon_match_run.pk, "locked": "x"},
        check=not_the_lyon_match_run,
    ),
    Case(
        ("tremplin.www.employers.placement", "locked"),
        "placement imposing a Lyon learner",
        "coordinator",
        url("match_start", "world.running"),
        lambda o: {"locked": f"{o.lyon_enrolment.pk}:{o.opening.pk}"},
    ),
    Case(
        ("tremplin.www.employers.placement", "forbidden"),
        "placement forbidding a Lyon learner",
        "coordinator",
        url("match_start", "world.running"),
        lambda o: {"forbidden": f"{o.lyon_enrolment.pk}:{o.opening.pk}"},
    ),
    Case(
        ("tremplin.www.planner.views", "etude"),
        "capacity page showing the Lyon study",
        "coordinator",
        get("plateau_capacity", "world.site", etude=lambda o: o.lyon_capacity_run.pk),
        lambda o: {},
        method="get",
        check=not_the_lyon_capacity_run,
    ),
    Case(
        ("tremplin.www.documents.views", "tache"),
        "documents page showing another user's task",
        "coordinator",
        get("cohort_documents", "world.running", tache=lambda o: o.others_task.pk),
        lambda o: {},
        method="get",
        check=not_the_others_task,
    ),
]


def sign_by_link_case(o: Others) -> tuple[str, dict[str, Any]]:
    """A live QR link on a session of today, and the learner signing for a Lyon learner."""
    from tremplin.attendance import services
    from tremplin.plateau.models import Session

    session = Session.objects.create(
        cohort=o.world.running,
        date=timezone.localdate(),
        half_day="am",
        trainer=o.world.user("trainer"),
        lab_id=o.equipment.lab_id,
    )
    _link, token = services.signing_link_create(session=session, by=o.world.user("trainer"))
    return reverse("attendance_sign_by_link", args=[token]), {"enrolment": o.lyon_enrolment.pk}


# Request parameters read in views that are not object ids, and why.
NOT_IDS = {
    ("tremplin.www.exports", "format"): "csv or xlsx",
    ("tremplin.www.accounts.two_factor", "next"): "a URL to return to after the login step",
    ("tremplin.www.employers.placement", "note"): "free text to the employer",
    ("tremplin.www.employers.placement", "suivi"): "HTMX polling flag",
    ("tremplin.www.employers.views", "sans_reponse"): "boolean filter",
    ("tremplin.www.employers.pipeline", "party"): "which party signs, a fixed word",
    ("tremplin.www.quality.views", "status"): "status filter, checked against the enum",
    ("tremplin.www.planner.views", "locked"): "boolean",
    ("tremplin.www.audit.views", "page"): "page number",
    ("tremplin.www.candidacies.views", "page"): "page number",
    ("tremplin.www.candidacies.views", "asked"): "flag: the duplicate question was shown",
    ("tremplin.www.candidacies.views", "person_choice"): "DuplicateChoiceForm field (cased)",
    ("tremplin.www.people.views", "page"): "page number",
    ("tremplin.www.cohorts.views", "page"): "page number",
    ("tremplin.www.outcomes.views", "tous"): "flag: older delays shown too",
    ("tremplin.www.documents.views", "kind"): "document kind, checked against the enum",
    ("tremplin.www.plateau.views", "semaine"): "a date",
}
# Form fields built at run time, invisible to introspection of the declared fields.
DYNAMIC_ID_FIELDS = {
    (JURY, "cert-<enrolment>"),
    (JURY, "blocks-<enrolment>"),
    ("tremplin.www.candidacies.forms.DuplicateChoiceForm", "person_choice"),
}


def error_messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the project's apps."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model.__module__.startswith("tremplin.")
    }


def assert_refused(response: Any, case: Case) -> None:
    status = response.status_code
    assert status != 500
    if case.expect == FORM:
        assert status == 200, f"expected the form again, got {status}"
        form = response.context[case.context]
        assert form is not None and form.is_bound
        field = case.key[1]
        if "<" in field:  # a per-learner field: its name holds the enrolment id
            assert form.errors, "the form must show what is wrong"
        else:
            assert field in form.errors, f"no error on {field}: {form.errors.as_data()}"
        return
    if status == 302:
        assert error_messages(response), "the refused post must say why"
        return
    assert status in (400, 403, 404), f"expected a refusal, got {status}"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_forged_id_is_refused(client: Any, others: Others, case: Case) -> None:
    if case.role != "anonymous":
        log_in(client, others.world.user(case.role))
    target = case.url(others)
    data = case.data(others)
    before = database_state()
    response = getattr(client, case.method)(target, data)
    if case.check is not None:
        case.check(response, others)
    else:
        assert_refused(response, case)
    if not case.writes:
        assert database_state() == before


def test_learner_cannot_sign_for_another_by_link(client: Any, others: Others) -> None:
    target, data = sign_by_link_case(others)
    log_in(client, others.world.user("learner"))
    before = database_state()
    response = client.post(target, data)
    cannot_sign_for_another(response, others)
    assert database_state() == before


def test_learner_signs_for_themself_by_link(client: Any, others: Others) -> None:
    """The control of the case above: the same link, the learner's own id, is signed."""
    from tremplin.attendance.models import AttendanceEntry

    target, _data = sign_by_link_case(others)
    log_in(client, others.world.user("learner"))
    response = client.post(target, {"enrolment": others.enrolment.pk})
    assert response.status_code == 200
    assert AttendanceEntry.objects.filter(enrolment=others.enrolment).exists()


def test_cohort_of_the_network_programme_is_created(client: Any, others: Others) -> None:
    """The control of the programme case: the coordinator's own network's programme works."""
    from tremplin.cohorts.models import Cohort

    log_in(client, others.world.user("coordinator"))
    response = client.post(reverse("cohort_create"), cohort_fields(others))
    assert response.status_code == 302
    assert Cohort.objects.filter(name="Promo pirate", programme=others.world.programme).exists()


# The case table against the code.


def www_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the modules of tremplin.www."""
    found = []
    for module_info in pkgutil.walk_packages(tremplin.www.__path__, "tremplin.www."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def model_names() -> set[str]:
    return {
        str(m._meta.model_name) for m in apps.get_models() if m.__module__.startswith("tremplin.")
    }


def id_fields() -> set[tuple[str, str]]:
    """(form, field) for every declared field that carries an object id."""
    names = model_names()
    found = set()
    for form_class in www_forms():
        for name, field in form_class.base_fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField) or (
                isinstance(field, forms.IntegerField) and name in names
            ):
                found.add((f"{form_class.__module__}.{form_class.__qualname__}", name))
    return found


PARAMETER = re.compile(
    r"request\.(?:POST|GET)\.(?:get|getlist)\(\s*\"(\w+)\"|\"(\w+)\"\s+in\s+request\.(?:POST|GET)"
)


def request_parameters() -> set[tuple[str, str]]:
    """(module, name) for every request parameter read directly in tremplin.www."""
    root = Path(tremplin.www.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        module = "tremplin.www." + ".".join(path.relative_to(root).with_suffix("").parts)
        for match in PARAMETER.finditer(path.read_text()):
            found.add((module, match[1] or match[2]))
    return found


def test_every_id_field_has_a_case() -> None:
    fields = id_fields()
    assert len(fields) > 30, "the introspection found too few fields: is it still working?"
    covered = {case.key for case in CASES}
    missing = sorted((fields | DYNAMIC_ID_FIELDS) - covered)
    assert not missing, f"id-bearing form fields without an IDOR case: {missing}"


def test_every_id_parameter_has_a_case() -> None:
    parameters = request_parameters()
    covered = {case.key for case in CASES} | {("tremplin.www.attendance.views", "enrolment")}
    missing = sorted(parameters - covered - NOT_IDS.keys())
    stale = sorted(NOT_IDS.keys() - parameters)
    assert not missing, f"request parameters neither cased nor listed in NOT_IDS: {missing}"
    assert not stale, f"NOT_IDS lists parameters no view reads any more: {stale}"


def test_dynamic_fields_still_exist() -> None:
    """The fields declared by hand above are still built by their forms."""
    from tremplin.www.candidacies.forms import DuplicateChoiceForm
    from tremplin.www.cohorts.jury import JuryForm

    assert "person_choice" in DuplicateChoiceForm.base_fields
    source = Path(importlib.import_module(JURY.rsplit(".", 1)[0]).__file__ or "").read_text()
    assert 'f"cert-{e.pk}"' in source and 'f"blocks-{e.pk}"' in source
    assert JuryForm.__name__ == "JuryForm"
