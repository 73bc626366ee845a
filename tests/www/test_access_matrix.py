"""Who reaches which page: every URL of the site, for every role.

ACCESS holds one entry per named URL of the site: the request made (a GET, or for a POST-only
view a POST with an empty body) and, for each role, what it must get: a status code, or a
redirect to a named page. Redirects marked ``back(...)`` return to the object's page with an
error message (the empty form was refused). The URL list comes from the resolver, so a page
added to the site without an entry here fails ``test_every_url_has_an_entry``.

The objects in the URLs belong to the world's own site (Marseille) and organisations. The
"outsider" of each role (Lyon coordinator and trainer, the other prescriber, the other employer,
another learner) must get 404: another's objects are hidden, not merely forbidden.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.messages import ERROR, get_messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests import factories
from tests.auth import log_in
from tremplin.plateau.services import calendar_feed_create

ROLES = (
    "anonymous",
    "network_admin",
    "coordinator",
    "trainer",
    "prescriber",
    "employer",
    "funder",
    "learner",
    "outsider_coordinator",
    "outsider_trainer",
    "outsider_prescriber",
    "outsider_employer",
    "outsider_learner",
)

# URL prefixes tested elsewhere (the Django admin, below) or not pages of the site.
EXCLUDED_PREFIXES = ("admin/", "i18n/", "static/", "media/")


@dataclasses.dataclass(frozen=True)
class Redirect:
    """A 302 to the page named ``to``; ``error``: with an error message for the user."""

    to: str
    error: bool = False


LOGIN = Redirect("login")


def back(to: str) -> Redirect:
    """The empty form is refused: back to the object's page, with an error message."""
    return Redirect(to, error=True)


Outcome = int | Redirect


def roles(otherwise: Outcome, /, **by_role: Outcome) -> dict[str, Outcome]:
    """Every role's outcome: ``otherwise`` unless named; anonymous visitors go to the login."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"Unknown roles in ACCESS: {sorted(unknown)}"
    default = {role: otherwise for role in ROLES} | {"anonymous": LOGIN}
    return default | by_role


@dataclasses.dataclass
class Objects:
    """One object of each kind, all of the world's own site and organisations."""

    site: Any
    cohort: Any
    candidacy: Any
    enrolment: Any
    ended_enrolment: Any
    opening: Any
    proposal: Any
    progress: Any
    batch: Any
    merge: Any
    complaint: Any
    action: Any
    feed: Any


def no_args(o: Objects) -> dict[str, Any]:
    return {}


@dataclasses.dataclass(frozen=True)
class Page:
    expect: dict[str, Outcome]
    args: Callable[[Objects], dict[str, Any]] = no_args
    method: str = "get"


def _candidacy(o: Objects) -> dict[str, Any]:
    return {"candidacy_id": o.candidacy.pk}


def _cohort(o: Objects) -> dict[str, Any]:
    return {"cohort_id": o.cohort.pk}


def _funding(o: Objects) -> dict[str, Any]:
    # The world's funder funds the running cohort (tests/factories.py).
    return {"cohort_id": o.cohort.pk, "funding_id": o.cohort.fundings.get().pk}


def _enrolment(o: Objects) -> dict[str, Any]:
    return {"enrolment_id": o.enrolment.pk}


def _opening(o: Objects) -> dict[str, Any]:
    return {"opening_id": o.opening.pk}


def _proposal(o: Objects) -> dict[str, Any]:
    return {"proposal_id": o.proposal.pk}


def _site(o: Objects) -> dict[str, Any]:
    return {"site_id": o.site.pk}


def _progress(o: Objects) -> dict[str, Any]:
    return {"progress_id": o.progress.pk}


def _person(o: Objects) -> dict[str, Any]:
    return {"person_id": o.candidacy.person_id}


def _people_pair(o: Objects) -> dict[str, Any]:
    return {"kept_id": o.candidacy.person_id, "removed_id": o.ended_enrolment.candidacy.person_id}


def _merge(o: Objects) -> dict[str, Any]:
    return {"merge_id": o.merge.pk}


def _batch(o: Objects) -> dict[str, Any]:
    return {"batch_id": o.batch.pk}


def _diagnostic(o: Objects) -> dict[str, Any]:
    return {"diagnostic_id": o.enrolment.candidacy.diagnostics.get().pk}


def _proof(o: Objects) -> dict[str, Any]:
    proof = o.enrolment.candidacy.diagnostics.get().criteria.get().proofs.get()
    return {"proof_id": proof.pk}


def _equipment(o: Objects) -> dict[str, Any]:
    from tremplin.plateau.models import Equipment, Lab

    lab, _ = Lab.objects.get_or_create(site=o.site, name="Labo fibre optique")
    item, _ = Equipment.objects.get_or_create(
        lab=lab, type="fusion_splicer", serial_number="FSP-DEMO-001"
    )
    return {"equipment_id": item.pk}


def _lab(o: Objects) -> int:
    from tremplin.plateau.models import Equipment

    return Equipment.objects.get(pk=_equipment(o)["equipment_id"]).lab_id


def _session(o: Objects) -> dict[str, Any]:
    from tremplin.plateau.models import Session

    session, _ = Session.objects.get_or_create(
        cohort=o.cohort,
        date=o.cohort.start_date,
        half_day="am",
        defaults={"trainer": o.cohort.trainers.get(), "lab_id": _lab(o)},
    )
    return {"session_id": session.pk}


def _sealed_entry(o: Objects) -> dict[str, Any]:
    """A line of a countersigned sheet (written directly: the matrix tests access only)."""
    from django.utils import timezone

    from tremplin.attendance.models import AttendanceEntry, AttendanceSheet
    from tremplin.plateau.models import Session

    session = Session.objects.get(pk=_session(o)["session_id"])
    trainer = session.trainer
    sheet, _ = AttendanceSheet.objects.get_or_create(
        session=session,
        defaults={
            "opened_by": trainer,
            "countersigned_by": trainer,
            "countersigned_at": timezone.now(),
            "content_hash": "0" * 64,
        },
    )
    entry, _ = AttendanceEntry.objects.get_or_create(
        sheet=sheet, enrolment=o.enrolment, defaults={"presence": "absent", "recorded_by": trainer}
    )
    return {"entry_id": entry.pk}


def _alert(o: Objects) -> dict[str, Any]:
    from tremplin.attendance.models import AbsenceAlert, AttendanceSheet
    from tremplin.plateau.models import Session

    first = Session.objects.get(pk=_session(o)["session_id"])
    second, _ = Session.objects.get_or_create(
        cohort=o.cohort,
        date=first.date,
        half_day="pm",
        defaults={"trainer": first.trainer, "lab_id": first.lab_id},
    )
    sheets = [
        AttendanceSheet.objects.get_or_create(session=s, defaults={"opened_by": s.trainer})[0]
        for s in (first, second)
    ]
    alert, _ = AbsenceAlert.objects.get_or_create(
        enrolment=o.enrolment, second_sheet=sheets[1], defaults={"first_sheet": sheets[0]}
    )
    return {"alert_id": alert.pk}


def _evaluation_photo(o: Objects) -> dict[str, Any]:
    """A practical evaluation of the learner, with its photo."""
    import io

    from PIL import Image

    from tremplin.assessments.models import PracticalEvaluation
    from tremplin.assessments.services import evaluation_record
    from tremplin.cohorts.services import competencies_of

    evaluation = PracticalEvaluation.objects.filter(enrolment=o.enrolment).first()
    if evaluation is None:
        photo = io.BytesIO()
        Image.new("RGB", (8, 8)).save(photo, format="PNG")
        evaluation = evaluation_record(
            enrolment=o.enrolment,
            competency=competencies_of(o.enrolment).first(),
            title="Épissure par fusion",
            held_on=o.cohort.start_date,
            criteria=[("Soudure mesurée", False)],
            passed=False,
            evidence="",
            by=o.cohort.trainers.get(),
            photo=("soudure.png", photo.getvalue()),
        )
    return {"evaluation_id": evaluation.pk}


def _document(o: Objects) -> dict[str, Any]:
    """A certificat of the learner's enrolment (written directly: the matrix tests access only)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tremplin.documents.models import LearnerDocument

    document = LearnerDocument.objects.filter(enrolment=o.enrolment).first()
    if document is None:
        content = factories.proof_pdf("Certificat de réalisation")
        document = LearnerDocument(
            enrolment=o.enrolment,
            kind="certificat",
            version=1,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            generated_at=timezone.now(),
            generated_by=o.cohort.trainers.get(),
        )
        document.file.save("certificat.pdf", ContentFile(content))
    return {"document_id": document.pk}


def _match_run(o: Objects) -> dict[str, Any]:
    """An optimal placement of the cohort not yet solved (written directly: access only)."""
    from tremplin.employers.models import MatchRun

    run, _ = MatchRun.objects.get_or_create(
        cohort=o.cohort, defaults={"requested_by": o.cohort.trainers.get()}
    )
    return {"run_id": run.pk}


def _plan_run(o: Objects) -> dict[str, Any]:
    """A planning of the cohort that found nothing (written directly: access only)."""
    from tremplin.planner.models import PlanRun

    run, _ = PlanRun.objects.get_or_create(
        kind="cohort",
        site=o.site,
        cohort=o.cohort,
        defaults={"requested_by": o.cohort.trainers.get(), "plan_status": "infeasible"},
    )
    return {"run_id": run.pk}


PUBLIC = roles(200, anonymous=200)
REFERRERS = {"network_admin": 200, "coordinator": 200, "prescriber": 200}
SITE_MANAGERS = {"network_admin": 200, "coordinator": 200}

ACCESS: dict[str, Page] = {
    # Accounts. A signed-in user asking for the login page is sent home.
    "login": Page(roles(Redirect("home"), anonymous=200)),
    "logout": Page(roles(LOGIN), method="post"),
    "password_reset": Page(PUBLIC),
    "password_reset_done": Page(PUBLIC),
    "password_reset_confirm": Page(
        PUBLIC, args=lambda o: {"uidb64": "MQ", "token": "jeton-falsifie"}
    ),
    "password_reset_complete": Page(PUBLIC),
    # The health check (probes, the load test's yardstick): public, no data.
    "health": Page(PUBLIC),
    "account_preferences": Page(roles(200)),
    # Two-factor authentication (tests/accounts/test_two_factor.py). Sessions here have passed
    # it; admins and coordinators must have it, the other roles have not turned it on.
    "two_factor_setup": Page(roles(200)),
    "two_factor_verify": Page(
        roles(
            Redirect("two_factor_setup"),
            network_admin=Redirect("home"),
            coordinator=Redirect("home"),
            outsider_coordinator=Redirect("home"),
        )
    ),
    "two_factor_disable": Page(
        roles(
            Redirect("two_factor_setup"),
            network_admin=403,
            coordinator=403,
            outsider_coordinator=403,
        ),
        method="post",
    ),
    "two_factor_accounts": Page(roles(403, network_admin=200)),
    "two_factor_reset": Page(
        roles(403, network_admin=Redirect("two_factor_accounts")),
        args=lambda o: {"user_id": o.cohort.trainers.get().pk},
        method="post",
    ),
    "home": Page(
        roles(
            200,
            funder=Redirect("dashboard"),
            learner=Redirect("learner_home"),
            outsider_learner=Redirect("learner_home"),
        )
    ),
    # Candidacies.
    "public_application": Page(PUBLIC),
    "referral_create": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "candidacy_list": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "candidacy_detail": Page(roles(404, **REFERRERS, learner=200), args=_candidacy),
    "candidacy_decide": Page(
        roles(
            404,
            network_admin=back("candidacy_detail"),
            coordinator=back("candidacy_detail"),
            prescriber=403,
            learner=403,
        ),
        args=_candidacy,
        method="post",
    ),
    # Eligibility (tremplin/eligibility/perms.py): the prescriber's organisation and the site's
    # staff; never trainers, employers, funders; a learner reads a summary on their candidacy
    # page only. The diagnostic and proof are the France Travail advisor's, on the learner's
    # enrolled candidacy; it was made by a habilitated prescriber, so nobody confirms it.
    "eligibility_rules": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "diagnostic_create": Page(
        roles(404, network_admin=403, coordinator=200, prescriber=200, learner=403),
        args=_candidacy,
    ),
    "diagnostic_detail": Page(roles(404, **REFERRERS), args=_diagnostic),
    "diagnostic_decide": Page(
        roles(
            404,
            network_admin=back("diagnostic_detail"),
            coordinator=back("diagnostic_detail"),
            prescriber=403,
        ),
        args=_diagnostic,
        method="post",
    ),
    "proof_download": Page(roles(404, **REFERRERS), args=_proof),
    # Bulk referrals: a checked list belongs to the prescriber who uploaded it, alone.
    "import_upload": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "import_columns": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "import_template_xlsx": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "import_template_csv": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    "import_detail": Page(roles(404, prescriber=200), args=_batch),
    "import_confirm": Page(
        roles(404, prescriber=Redirect("import_detail")), args=_batch, method="post"
    ),
    # Cohorts and enrolments.
    "cohort_list": Page(
        roles(403, **SITE_MANAGERS, trainer=200, outsider_coordinator=200, outsider_trainer=200)
    ),
    "cohort_create": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "cohort_detail": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_cohort),
    "cohort_enrol": Page(
        roles(
            404,
            network_admin=back("cohort_detail"),
            coordinator=back("cohort_detail"),
            trainer=403,
        ),
        args=_cohort,
        method="post",
    ),
    # The certification jury's results: the site's managers record them, not the trainers.
    "cohort_jury": Page(roles(404, **SITE_MANAGERS, trainer=403), args=_cohort),
    # A cohort's fundings: its site's managers only, not its trainers.
    "cohort_funding_set": Page(
        roles(
            404,
            network_admin=back("cohort_detail"),
            coordinator=back("cohort_detail"),
            trainer=403,
        ),
        args=_cohort,
        method="post",
    ),
    "cohort_funding_remove": Page(
        roles(
            404,
            network_admin=Redirect("cohort_detail"),
            coordinator=Redirect("cohort_detail"),
            trainer=403,
        ),
        args=_funding,
        method="post",
    ),
    "enrolment_detail": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=200), args=_enrolment
    ),
    # « Offres adaptées »: whoever sees the enrolment; learners have it on their home page.
    "enrolment_openings": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=403, outsider_learner=403),
        args=_enrolment,
    ),
    "enrolment_assess": Page(
        roles(
            404,
            network_admin=back("enrolment_detail"),
            coordinator=back("enrolment_detail"),
            trainer=back("enrolment_detail"),
            learner=403,
        ),
        args=_enrolment,
        method="post",
    ),
    "enrolment_end": Page(
        roles(
            404,
            network_admin=back("enrolment_detail"),
            coordinator=back("enrolment_detail"),
            trainer=403,
            learner=403,
        ),
        args=_enrolment,
        method="post",
    ),
    # Assessments (tremplin/assessments/perms.py): the cohort's trainers and the site's
    # staff; a learner reads their own readiness.
    "cohort_progress": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_cohort),
    "enrolment_readiness": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=200), args=_enrolment
    ),
    "enrolment_positioning": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=200), args=_enrolment
    ),
    "enrolment_evaluations": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=200), args=_enrolment
    ),
    "evaluation_photo": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=200), args=_evaluation_photo
    ),
    # Follow-ups after training (on an enrolment that ended today).
    "follow_up_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "follow_up_record": Page(
        roles(404, **SITE_MANAGERS, trainer=403),
        args=lambda o: {"enrolment_id": o.ended_enrolment.pk, "milestone": "exit"},
    ),
    # A former learner answers through the emailed signed link, without an account: the link
    # is the only key, and a forged one is refused (400) for everyone.
    "follow_up_answer": Page(roles(400, anonymous=400), args=lambda o: {"token": "jeton-falsifie"}),
    # Openings and proposals. Partner employers recruit nationally, so every coordinator of
    # the network sees every opening (tremplin/employers/perms.py), the Lyon one included.
    "opening_list": Page(
        roles(403, **SITE_MANAGERS, employer=200, outsider_coordinator=200, outsider_employer=200)
    ),
    "opening_create": Page(
        roles(403, **SITE_MANAGERS, employer=200, outsider_coordinator=200, outsider_employer=200)
    ),
    "opening_detail": Page(
        roles(404, **SITE_MANAGERS, employer=200, outsider_coordinator=200), args=_opening
    ),
    # France Travail offers are imported for the whole network by its coordinators and admins.
    "opening_import": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "opening_import_confirm": Page(
        roles(
            403,
            network_admin=back("opening_import"),
            coordinator=back("opening_import"),
            outsider_coordinator=back("opening_import"),
        ),
        method="post",
    ),
    "opening_propose": Page(
        roles(
            404,
            network_admin=back("opening_detail"),
            coordinator=back("opening_detail"),
            outsider_coordinator=back("opening_detail"),
            employer=403,
        ),
        args=_opening,
        method="post",
    ),
    "proposal_list": Page(
        roles(403, **SITE_MANAGERS, employer=200, outsider_coordinator=200, outsider_employer=200)
    ),
    "proposal_detail": Page(roles(404, **SITE_MANAGERS, employer=200), args=_proposal),
    "proposal_decide": Page(
        roles(
            404,
            network_admin=back("proposal_detail"),
            coordinator=back("proposal_detail"),
            employer=back("proposal_detail"),
        ),
        args=_proposal,
        method="post",
    ),
    # The immersion agreement: the site's coordinator and the opening's employer sign it on
    # the proposal page (the proposal is not in immersion here: refused with a message).
    "proposal_sign": Page(
        roles(
            404,
            network_admin=back("proposal_detail"),
            coordinator=back("proposal_detail"),
            employer=back("proposal_detail"),
        ),
        args=_proposal,
        method="post",
    ),
    # Closing (the empty form has no reason) and reopening (the opening is open): the
    # opening's employer and the network's coordinators, refused with a message.
    "opening_close": Page(
        roles(
            404,
            network_admin=back("opening_detail"),
            coordinator=back("opening_detail"),
            outsider_coordinator=back("opening_detail"),
            employer=back("opening_detail"),
        ),
        args=_opening,
        method="post",
    ),
    "opening_reopen": Page(
        roles(
            404,
            network_admin=back("opening_detail"),
            coordinator=back("opening_detail"),
            outsider_coordinator=back("opening_detail"),
            employer=back("opening_detail"),
        ),
        args=_opening,
        method="post",
    ),
    # Dashboards: figures only, so funders see every site's.
    "dashboard": Page(
        roles(
            403,
            network_admin=200,  # two sites in the network: the choice page
            coordinator=Redirect("site_dashboard"),
            outsider_coordinator=Redirect("site_dashboard"),
            funder=Redirect("site_dashboard"),  # funds cohorts of one site only
        )
    ),
    "site_dashboard": Page(roles(404, **SITE_MANAGERS, funder=200), args=_site),
    # « Nos résultats » (Qualiopi indicateur 2): public, figures only, small cells hidden.
    "results": Page(PUBLIC),
    "site_results": Page(PUBLIC, args=_site),
    # The BPF is the organisation's own filing: its staff, each on their own sites.
    "bpf": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    # Figures opened to the people they count: names, so not for funders.
    "site_drilldown": Page(
        roles(404, **SITE_MANAGERS, funder=403), args=lambda o: {**_site(o), "key": "completed"}
    ),
    "site_export": Page(
        roles(
            404,
            network_admin=Redirect("task_progress"),
            coordinator=Redirect("task_progress"),
            funder=403,  # per-cohort counts break the small-cell rule: the PDF report is theirs
        ),
        args=_site,
        method="post",
    ),
    # The PDF report: the empty form (neither a cohort nor a period) is refused.
    "funder_report_request": Page(
        roles(
            404,
            network_admin=back("site_dashboard"),
            coordinator=back("site_dashboard"),
            funder=back("site_dashboard"),
        ),
        args=_site,
        method="post",
    ),
    # Background tasks: only the user who started one (here the coordinator).
    "task_progress": Page(roles(404, coordinator=200), args=_progress),
    "task_download": Page(roles(404, coordinator=200), args=_progress),
    # The learner's own page.
    "learner_home": Page(roles(403, learner=200, outsider_learner=200)),
    "learner_proposals": Page(roles(403, learner=200, outsider_learner=200)),
    "learner_proposal_sign": Page(
        roles(403, learner=back("learner_proposals"), outsider_learner=404),
        args=_proposal,
        method="post",
    ),
    # Geography: the QPV set is national reference data (network admins import it); the
    # lookup checks an address, for those who refer and select people.
    "qpv_import": Page(roles(403, network_admin=200)),
    "qpv_import_confirm": Page(roles(403, network_admin=back("qpv_import")), method="post"),
    # The audit journal covers every site and person: network admins only.
    "audit_journal": Page(roles(403, network_admin=200)),
    "location_lookup": Page(
        roles(403, **REFERRERS, outsider_coordinator=200, outsider_prescriber=200)
    ),
    # People: coordinators and network admins search, compare and merge the people they
    # follow; the merge log (here a merge the coordinator made) is undone by admins only.
    "person_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "person_detail": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_person),
    "person_merge": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_people_pair),
    # Sensitive data and consents (tremplin/privacy/perms.py): the coordinators of the person's
    # site and the person themself (the learner is Inès Benali); network admins see the person
    # but not their health or social situation; roles that never see them get 403.
    "person_sensitive": Page(
        roles(403, coordinator=200, learner=200, outsider_coordinator=404, outsider_learner=404),
        args=_person,
    ),
    "person_consents": Page(
        roles(403, coordinator=200, learner=200, outsider_coordinator=404, outsider_learner=404),
        args=_person,
    ),
    "consent_withdraw": Page(
        roles(
            403,
            coordinator=back("person_consents"),
            learner=back("person_consents"),
            outsider_coordinator=404,
            outsider_learner=404,
        ),
        args=_person,
        method="post",
    ),
    # GDPR rights (tremplin/gdpr): the site's managers export and rectify the people they
    # follow; erasure, which cannot be undone, is for network admins (the world's person has
    # an open candidacy: refused with the reason). Learners download their own data.
    "person_rights": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_person),
    "person_export_json": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_person),
    "person_export_pdf": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_person),
    "person_rectify": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_person),
    "person_erase": Page(
        roles(403, network_admin=back("person_rights"), outsider_coordinator=404),
        args=_person,
        method="post",
    ),
    "retention_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "learner_export_json": Page(roles(403, learner=200, outsider_learner=404)),
    "learner_export_pdf": Page(roles(403, learner=200, outsider_learner=404)),
    "merge_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "merge_detail": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_merge),
    "merge_undo": Page(
        roles(
            403,
            network_admin=Redirect("merge_detail"),
            coordinator=403,
            outsider_coordinator=404,
        ),
        args=_merge,
        method="post",
    ),
    # Quality (tremplin/quality/perms.py): the site's managers send surveys and read
    # everything; trainers (their cohorts) and funders (every cohort) read the figures only.
    # The public answer page refuses a tampered link with 400 whoever asks.
    "quality_home": Page(
        roles(
            403,
            **SITE_MANAGERS,
            trainer=200,
            funder=200,
            outsider_coordinator=200,
            outsider_trainer=200,
        )
    ),
    "cohort_surveys": Page(
        roles(
            403,
            **SITE_MANAGERS,
            trainer=200,
            funder=200,
            outsider_coordinator=404,
            outsider_trainer=404,
        ),
        args=_cohort,
    ),
    "survey_send": Page(
        roles(
            403,
            network_admin=back("cohort_surveys"),
            coordinator=back("cohort_surveys"),
            outsider_coordinator=404,
            outsider_trainer=404,
        ),
        args=_cohort,
        method="post",
    ),
    "survey_answer": Page(roles(400, anonymous=400), args=lambda o: {"token": "jeton-falsifie"}),
    # Complaints name people: the site's managers only.
    "complaint_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "complaint_create": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "complaint_detail": Page(
        roles(403, **SITE_MANAGERS, outsider_coordinator=404),
        args=lambda o: {"complaint_id": o.complaint.pk},
    ),
    "complaint_step": Page(
        roles(
            403,
            network_admin=back("complaint_detail"),
            coordinator=back("complaint_detail"),
            outsider_coordinator=404,
        ),
        args=lambda o: {"complaint_id": o.complaint.pk},
        method="post",
    ),
    # Improvement actions: with complaints, the site's managers only.
    "action_from_complaint": Page(
        roles(403, **SITE_MANAGERS, outsider_coordinator=404),
        args=lambda o: {"complaint_id": o.complaint.pk},
    ),
    "action_from_survey": Page(
        roles(
            403,
            **SITE_MANAGERS,
            outsider_coordinator=404,
            outsider_trainer=404,
        ),
        args=lambda o: {"cohort_id": o.cohort.pk, "kind": "hot"},
    ),
    "action_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "action_detail": Page(
        roles(403, **SITE_MANAGERS, outsider_coordinator=404),
        args=lambda o: {"action_id": o.action.pk},
    ),
    "action_step": Page(
        roles(
            403,
            network_admin=back("action_detail"),
            coordinator=back("action_detail"),
            outsider_coordinator=404,
        ),
        args=lambda o: {"action_id": o.action.pk},
        method="post",
    ),
    # Plateau (tremplin/plateau/perms.py): the site's staff see its labs, equipment and the
    # calendars of the cohorts they see; coordinators and network admins plan sessions.
    "plateau_home": Page(
        roles(
            403,
            **SITE_MANAGERS,
            trainer=200,
            outsider_coordinator=200,
            outsider_trainer=200,
        )
    ),
    "cohort_sessions": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_cohort),
    "session_create": Page(roles(404, **SITE_MANAGERS, trainer=403), args=_cohort),
    "donations_report": Page(
        roles(
            403,
            **SITE_MANAGERS,
            trainer=200,
            outsider_coordinator=200,
            outsider_trainer=200,
        )
    ),
    "equipment_detail": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_equipment),
    "equipment_status": Page(
        roles(
            404,
            network_admin=back("equipment_detail"),
            coordinator=back("equipment_detail"),
            trainer=403,
        ),
        args=_equipment,
        method="post",
    ),
    "closure_list": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "lab_sessions": Page(
        roles(404, **SITE_MANAGERS, trainer=200),
        args=lambda o: {"lab_id": _lab(o)},
    ),
    "trainer_sessions": Page(
        roles(404, **SITE_MANAGERS, trainer=200),
        args=lambda o: {"trainer_id": o.cohort.trainers.get().pk},
    ),
    "session_edit": Page(roles(404, **SITE_MANAGERS, trainer=403), args=_session),
    # A programme's modules: the network's staff who plan or teach it, any site of the network.
    "programme_modules": Page(
        roles(404, **SITE_MANAGERS, trainer=200, outsider_coordinator=200, outsider_trainer=200),
        args=lambda o: {"programme_id": o.cohort.programme_id},
    ),
    # Calendar feeds: the secret link is the only key (anyone holding it reads the feed);
    # the site's managers create and revoke a cohort's link, a trainer their own.
    "calendar_feed": Page(roles(200, anonymous=200), args=lambda o: {"token": o.feed.token}),
    "cohort_feed_create": Page(
        roles(
            404,
            network_admin=Redirect("cohort_sessions"),
            coordinator=Redirect("cohort_sessions"),
            trainer=403,
        ),
        args=_cohort,
        method="post",
    ),
    "trainer_feed_create": Page(
        roles(
            404,
            network_admin=Redirect("trainer_sessions"),
            coordinator=Redirect("trainer_sessions"),
            trainer=Redirect("trainer_sessions"),
        ),
        args=lambda o: {"trainer_id": o.cohort.trainers.get().pk},
        method="post",
    ),
    "calendar_feed_revoke": Page(
        roles(
            404,
            network_admin=Redirect("cohort_sessions"),
            coordinator=Redirect("cohort_sessions"),
            trainer=403,
        ),
        args=lambda o: {"feed_id": o.feed.pk},
        method="post",
    ),
    # Attendance: the site's managers and the cohort's trainer run the sheets; only the
    # session's trainer countersigns; learners sign through the QR code's link only.
    "attendance_today": Page(
        roles(403, **SITE_MANAGERS, trainer=200, outsider_coordinator=200, outsider_trainer=200)
    ),
    "attendance_sheet": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_session),
    "attendance_sign": Page(
        roles(
            404,
            network_admin=back("attendance_sheet"),
            coordinator=back("attendance_sheet"),
            trainer=back("attendance_sheet"),
        ),
        args=_session,
        method="post",
    ),
    "attendance_absent": Page(
        roles(
            404,
            network_admin=back("attendance_sheet"),
            coordinator=back("attendance_sheet"),
            trainer=back("attendance_sheet"),
        ),
        args=_session,
        method="post",
    ),
    "attendance_qr": Page(
        roles(
            404,
            network_admin=back("attendance_sheet"),
            coordinator=back("attendance_sheet"),
            trainer=back("attendance_sheet"),
        ),
        args=_session,
        method="post",
    ),
    "attendance_countersign": Page(
        roles(404, network_admin=403, coordinator=403, trainer=back("attendance_sheet")),
        args=_session,
        method="post",
    ),
    "attendance_sign_by_link": Page(roles(404), args=lambda o: {"token": "jeton-falsifie"}),
    "attendance_correct": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_sealed_entry),
    "cohort_attendance": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_cohort),
    "cohort_attendance_week_pdf": Page(
        roles(404, **SITE_MANAGERS, trainer=200),
        args=lambda o: {"cohort_id": o.cohort.pk, "monday": o.cohort.start_date.isoformat()},
    ),
    "cohort_attendance_month_pdf": Page(
        roles(404, **SITE_MANAGERS, trainer=200),
        args=lambda o: {
            "cohort_id": o.cohort.pk,
            "year": o.cohort.start_date.year,
            "month": o.cohort.start_date.month,
        },
    ),
    "attendance_alerts": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=200)),
    "attendance_alert_handle": Page(
        roles(
            404,
            network_admin=back("attendance_alerts"),
            coordinator=back("attendance_alerts"),
        ),
        args=_alert,
        method="post",
    ),
    # Learners' documents (tremplin/documents/perms.py): read by whoever sees the enrolment,
    # the learner included (their own only); issued by the site's managers, not by trainers.
    "cohort_documents": Page(roles(404, **SITE_MANAGERS, trainer=200), args=_cohort),
    "cohort_documents_generate": Page(
        roles(
            404,
            network_admin=back("cohort_documents"),
            coordinator=back("cohort_documents"),
            trainer=403,
        ),
        args=_cohort,
        method="post",
    ),
    "enrolment_document_generate": Page(
        roles(
            404,
            network_admin=back("cohort_documents"),
            coordinator=back("cohort_documents"),
            trainer=403,
            learner=403,
        ),
        args=_enrolment,
        method="post",
    ),
    "document_download": Page(
        roles(404, **SITE_MANAGERS, trainer=200, learner=200), args=_document
    ),
    # Planner (tremplin/planner/perms.py): the site's managers plan its cohorts, lock sessions
    # and study its capacity; runs are theirs only (a preview shows unannounced calendars).
    "plan_cohort_start": Page(
        roles(
            404,
            network_admin=Redirect("plan_run"),
            coordinator=Redirect("plan_run"),
            trainer=403,
        ),
        args=_cohort,
        method="post",
    ),
    "plan_run": Page(roles(404, **SITE_MANAGERS), args=_plan_run),
    "plan_run_watch": Page(roles(404, **SITE_MANAGERS), args=_plan_run),
    "plan_run_commit": Page(
        roles(404, network_admin=back("plan_run"), coordinator=back("plan_run")),
        args=_plan_run,
        method="post",
    ),
    # A cohort's optimal placement: the site's managers; other roles are refused outright,
    # other sites' coordinators do not find the cohort.
    "match_start": Page(
        roles(
            403,
            network_admin=Redirect("match_run"),
            coordinator=Redirect("match_run"),
            outsider_coordinator=404,
        ),
        args=_cohort,
        method="post",
    ),
    "match_run": Page(roles(403, **SITE_MANAGERS, outsider_coordinator=404), args=_match_run),
    # The run is not solved yet: proposing it is refused with a message.
    "match_propose": Page(
        roles(
            403,
            network_admin=back("match_run"),
            coordinator=back("match_run"),
            outsider_coordinator=404,
        ),
        args=_match_run,
        method="post",
    ),
    "session_lock": Page(
        roles(
            404,
            network_admin=Redirect("cohort_sessions"),
            coordinator=Redirect("cohort_sessions"),
            trainer=403,
        ),
        args=_session,
        method="post",
    ),
    "plateau_capacity": Page(roles(404, **SITE_MANAGERS, trainer=403), args=_site),
    "plateau_capacity_start": Page(
        roles(
            404,
            network_admin=back("plateau_capacity"),
            coordinator=back("plateau_capacity"),
            trainer=403,
        ),
        args=_site,
        method="post",
    ),
}

POST_ONLY = sorted(name for name, page in ACCESS.items() if page.method == "post")
LEARNER = {"first_name": "Inès", "last_name": "Benali", "birth_date": datetime.date(1998, 5, 4)}


def site_url_names() -> tuple[set[str], list[str]]:
    """The names of the site's URL patterns, and the routes of any pattern without a name."""
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    names.add(pattern.name)
                else:
                    unnamed.append(route)

    walk(get_resolver().url_patterns, "")
    return names, unnamed


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The world creates a dozen users; the production hasher takes a quarter second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_objects(world: Any) -> Objects:
    """One object of each kind in ``world`` (the fuzzing builds the same ones)."""
    # The learner account is Inès Benali: in training in the running cohort, and also referred
    # to the upcoming one, so she has both a candidacy and an enrolment of her own.
    enrolment = factories.enrolled(world, world.running, **LEARNER)
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    candidacy = factories.referral(world, **LEARNER)
    opening = factories.opening(world)
    return Objects(
        site=world.site,
        cohort=world.running,
        candidacy=candidacy,
        enrolment=enrolment,
        ended_enrolment=factories.ended(world, first_name="Karim", last_name="Ouali"),
        opening=opening,
        proposal=factories.proposal(world, opening, enrolment),
        progress=factories.finished_task(world.user("coordinator")),
        batch=factories.import_batch(world),
        merge=factories.merged(world),
        complaint=factories.complaint(world),
        action=factories.improvement_action(world, factories.complaint(world)),
        feed=calendar_feed_create(by=world.user("coordinator"), cohort=world.running),
    )


@pytest.fixture
def objects(world: Any) -> Objects:
    return build_objects(world)


def request_as(client: Any, world: Any, role: str) -> Any:
    if role != "anonymous":
        log_in(client, world.user(role))
    return client


def assert_outcome(response: Any, expected: Outcome) -> None:
    if isinstance(expected, int):
        assert response.status_code == expected
        return
    assert response.status_code == 302, f"expected a redirect to {expected.to}"
    target = resolve(urlsplit(response["Location"]).path).url_name
    assert target == expected.to
    errors = [m for m in get_messages(response.wsgi_request) if m.level == ERROR]
    if expected.error:
        assert errors, "the refused form must say why"
    else:
        assert not errors, [str(m) for m in errors]


def test_every_url_has_an_entry() -> None:
    names, unnamed = site_url_names()
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    missing = sorted(names - ACCESS.keys())
    stale = sorted(ACCESS.keys() - names)
    assert not missing, f"URLs without an entry in ACCESS: {missing}"
    assert not stale, f"ACCESS entries for URLs that no longer exist: {stale}"


def outcome_error(client: Any, world: Any, url: str, page: Page, role: str) -> str | None:
    """What is wrong with ``role``'s request to ``url``, or None if it got what it must."""
    try:
        response = getattr(request_as(client, world, role), page.method)(url)
    # Reported with the other roles' results, rather than hiding them.
    except Exception as error:
        return f"raised {error!r}"
    where = f"got {response.status_code} {response.get('Location', '')}".rstrip()
    try:
        assert_outcome(response, page.expect[role])
        if page.expect[role] == LOGIN and role == "anonymous":
            assert response["Location"].endswith(f"?next={url}"), "the login must come back"
    except AssertionError as error:
        return f"{where}, expected {page.expect[role]}: {error}"
    return None


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_access(world: Any, objects: Objects, name: str) -> None:
    """Every role's request to the page, each from the same state: a role's request runs in
    a savepoint rolled back after it, so what one role's POST changed cannot decide what the
    next role gets (and the world is built once per page, not once per role)."""
    page = ACCESS[name]
    url = reverse(name, kwargs=page.args(objects))
    wrong = {}
    for role in ROLES:
        with transaction.atomic():
            error = outcome_error(Client(), world, url, page, role)
            transaction.set_rollback(True)
        if error:
            wrong[role] = error
    assert not wrong, f"{name} ({url}): " + "; ".join(f"{r}: {e}" for r, e in wrong.items())


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(client_for: Any, objects: Objects, name: str) -> None:
    url = reverse(name, kwargs=ACCESS[name].args(objects))
    assert client_for("network_admin").get(url).status_code == 405


# Django admin: network admins only.


@pytest.mark.parametrize("role", ROLES)
def test_admin_index(client: Any, world: Any, role: str) -> None:
    response = request_as(client, world, role).get("/admin/")
    if role == "network_admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("admin:login")


@pytest.mark.parametrize(
    "model",
    sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry),
)
def test_admin_changelists(client: Any, world: Any, model: str) -> None:
    url = reverse("admin:{}_{}_changelist".format(*model.split(".")))
    assert request_as(client, world, "network_admin").get(url).status_code == 200
    client.logout()
    response = request_as(client, world, "coordinator").get(url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")


# Beyond the matrix: what the allowed pages must not show.


def test_employer_loses_the_proposal_when_consent_is_withdrawn(
    client: Any, world: Any, objects: Objects
) -> None:
    withdrawn = factories.enrolled(world, world.running, first_name="Sofia", last_name="Marchetti")
    proposal = factories.proposal(world, objects.opening, withdrawn)
    factories.withdraw_employer_consent(withdrawn.candidacy.person)

    employer = request_as(client, world, "employer")
    assert employer.get(reverse("proposal_detail", args=[proposal.pk])).status_code == 404
    decide = employer.post(
        reverse("proposal_decide", args=[proposal.pk]), {"transition": "interview"}
    )
    assert decide.status_code == 404
    for page in ("proposal_list", "opening_list"):
        assert "MARCHETTI" not in employer.get(reverse(page)).content.decode()
    opening_page = employer.get(reverse("opening_detail", args=[objects.opening.pk])).content
    # The consenting learner is listed, by first name and initial as employers see them all.
    consenting = objects.proposal.enrolment.candidacy.person
    assert f"{consenting.first_name} {consenting.last_name[0].upper()}." in opening_page.decode()
    assert "MARCHETTI" not in opening_page.decode()
    assert "Sofia M." not in opening_page.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"

    client.logout()
    coordinator = request_as(client, world, "coordinator")
    assert coordinator.get(reverse("proposal_detail", args=[proposal.pk])).status_code == 200


def test_funder_dashboards_and_export_name_nobody(
    client: Any, world: Any, objects: Objects, django_capture_on_commit_callbacks: Any
) -> None:
    names = ["BENALI", "OUALI"]
    coordinator_view = request_as(client, world, "coordinator").get(
        reverse("cohort_detail", args=[objects.cohort.pk])
    )
    assert all(name in coordinator_view.content.decode() for name in names)
    client.logout()

    funder = request_as(client, world, "funder")
    response = funder.get(reverse("site_dashboard", args=[objects.site.pk]))
    assert response.status_code == 200
    assert not [name for name in names if name in response.content.decode()]
    assert funder.post(reverse("site_export", args=[objects.site.pk])).status_code == 403


def test_learner_home_links_only_to_their_own_path(
    client: Any, world: Any, objects: Objects
) -> None:
    own = {
        reverse("candidacy_detail", args=[objects.candidacy.pk]),
        reverse("candidacy_detail", args=[objects.enrolment.candidacy.pk]),
        reverse("enrolment_detail", args=[objects.enrolment.pk]),
    }
    page = request_as(client, world, "learner").get(reverse("learner_home"))
    assert linked_objects(page) == own
    client.logout()
    other = request_as(client, world, "outsider_learner").get(reverse("learner_home"))
    assert linked_objects(other) == set()


def linked_objects(response: Any) -> set[str]:
    """The candidacy and enrolment pages a page links to."""
    return set(re.findall(r'href="(/(?:candidatures|parcours)/\d+/)"', response.content.decode()))
