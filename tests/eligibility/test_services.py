"""Diagnostics through the service: who makes them, what they record, what they refuse."""

import datetime

import pytest
from django.core import mail

from tests import factories
from tests.eligibility.helpers import ml_referral, proof_files, snapshot
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.eligibility.models import Diagnostic, Proof
from tremplin.eligibility.services import (
    DiagnosticError,
    ProofUpload,
    diagnostic_create,
    diagnostic_decide,
)
from tremplin.eligibility.workflow import diagnostic_workflow
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db


def upload(code="rsa", days_ago=10, content=None, name=None):
    return {
        code: [
            ProofUpload(
                name or f"{code}.pdf",
                content if content is not None else factories.proof_pdf(),
                datetime.date(2026, 11, 30) - datetime.timedelta(days=days_ago),
            )
        ]
    }


def make(candidacy, by, criteria=("rsa",), proofs=None, registered=True):
    return diagnostic_create(
        candidacy=candidacy,
        by=by,
        criteria=criteria,
        proofs=upload() if proofs is None else proofs,
        registered_with_france_travail=registered,
    )


def test_habilitated_prescriber_diagnostic_counts_everywhere(world):
    candidacy = factories.referral(world, birth_date=datetime.date(1985, 3, 1))
    diagnostic = make(
        candidacy,
        world.user("prescriber"),
        ("rsa", "low_qualification"),
        upload() | upload("low_qualification"),
    )
    assert diagnostic.author_kind == "habilitated"
    assert diagnostic.status == "authoritative"
    assert diagnostic.site is None
    assert diagnostic.author_organisation == world.france_travail
    assert diagnostic.valid_until == datetime.date(2027, 5, 30)  # six months
    items = {i.criterion.code: i for i in diagnostic.criteria.select_related("criterion")}
    assert set(items) == {"rsa", "low_qualification"}
    assert items["rsa"].derived and items["rsa"].declarative and items["rsa"].proof_required
    proof = items["rsa"].proofs.get()
    assert proof.content_type == "application/pdf"
    assert proof.valid_until == datetime.date(2027, 2, 18)  # dated 20/11, valid 90 days
    assert proof.original_name == "rsa.pdf"
    # Stored under MEDIA_ROOT/proofs with a random name, not the name sent.
    assert proof.file.name.startswith("proofs/") and "rsa" not in proof.file.name
    assert proof_files() == {p.file.name for p in Proof.objects.all()}
    assert AuditEntry.objects.filter(
        action="diagnostic.create", object_id=str(diagnostic.pk)
    ).exists()


def test_validity_follows_the_setting(world, settings):
    settings.ELIGIBILITY_DIAGNOSTIC_VALIDITY_MONTHS = 3
    diagnostic = make(factories.referral(world), world.user("prescriber"))
    assert diagnostic.valid_until == datetime.date(2027, 2, 28)


def test_non_habilitated_prescriber_diagnostic_waits_for_the_site(world):
    candidacy = ml_referral(world)
    diagnostic = make(candidacy, world.user("outsider_prescriber"))
    assert (diagnostic.author_kind, diagnostic.status) == ("prescriber", "to_confirm")
    assert diagnostic.site == world.site
    with pytest.raises(DiagnosticError, match="attend déjà la confirmation"):
        make(candidacy, world.user("outsider_prescriber"))
    assert Diagnostic.objects.count() == 1


def test_coordinator_diagnostic_counts_for_their_site(world):
    diagnostic = make(factories.referral(world), world.user("coordinator"))
    assert (diagnostic.author_kind, diagnostic.status, diagnostic.site) == (
        "coordinator",
        "authoritative",
        world.site,
    )


def test_age_and_detected_qpv_need_no_proof_declared_facts_do(world):
    candidacy = factories.referral(world, birth_date=datetime.date(2003, 1, 1))
    Person.objects.filter(pk=candidacy.person_id).update(
        qpv_code="QN01304M", qpv_name="Frais Vallon"
    )
    candidacy.person.refresh_from_db()
    diagnostic = make(candidacy, world.user("prescriber"), ("under_26", "qpv"), proofs={})
    items = {i.criterion.code: i for i in diagnostic.criteria.select_related("criterion")}
    assert not items["under_26"].proof_required and items["under_26"].derived_value == "23"
    assert not items["qpv"].proof_required and items["qpv"].derived_value == "Frais Vallon"
    assert not items["qpv"].declarative

    declared = factories.referral(world, qpv_declared=True)
    with pytest.raises(DiagnosticError, match="Joignez le justificatif du critère « Résident"):
        make(declared, world.user("prescriber"), ("qpv",), proofs={})


@pytest.mark.parametrize(
    ("criteria", "proofs", "message"),
    [
        ((), {}, "Cochez au moins un critère d'éligibilité."),
        (("rsa",), {}, "Joignez le justificatif du critère « Bénéficiaire du RSA »"),
        (("astrologie",), {}, "Critère inconnu : astrologie."),
        (("rsa",), upload(days_ago=91), "a expiré le 29/11/2026"),
        (("rsa",), upload(days_ago=-1), "est dans le futur"),
        (
            ("rsa",),
            upload(content=b"MZ\x90\x00" + b"\x00" * 64, name="attestation.pdf"),
            "« attestation.pdf » est un programme, pas un document",
        ),
        (("rsa",), upload(content=b"GIF89a" + b"\x00" * 64), "ni un PDF, ni un JPEG, ni un PNG"),
        (
            ("rsa",),
            upload(content=b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)),
            "pèse 6,0 Mo : 5 Mo au plus",
        ),
        (("rsa",), upload() | upload("ass"), "est joint au critère « Allocataire de l'ASS"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, criteria, proofs, message):
    candidacy = factories.referral(world)
    before = snapshot()
    with pytest.raises(DiagnosticError, match=message):
        make(candidacy, world.user("prescriber"), criteria, proofs)
    assert snapshot() == before


@pytest.mark.parametrize(
    "role",
    [
        "outsider_prescriber",
        "outsider_coordinator",
        "trainer",
        "employer",
        "funder",
        "learner",
        "network_admin",
    ],
)
def test_only_the_referrer_and_the_site_coordinator_make_diagnostics(world, role):
    candidacy = factories.referral(world)
    with pytest.raises(DiagnosticError, match="Vous ne pouvez pas établir de diagnostic"):
        make(candidacy, world.user(role))
    assert not Diagnostic.objects.exists()


def test_coordinator_confirms_and_the_author_hears_of_it(world, django_capture_on_commit_callbacks):
    diagnostic = make(ml_referral(world), world.user("outsider_prescriber"))
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic_decide(diagnostic=diagnostic, transition="confirm", by=world.user("coordinator"))
    diagnostic.refresh_from_db()
    assert diagnostic.status == "confirmed"
    assert diagnostic.decided_by == world.user("coordinator")
    (log,) = TransitionLog.objects.filter(object_type="diagnostic")
    assert (log.from_state, log.to_state) == ("to_confirm", "confirmed")
    (message,) = mail.outbox
    assert message.to == [world.user("outsider_prescriber").email]
    assert "Confirmé par le site" in message.subject


def test_rejection_needs_a_reason_from_the_list(world):
    diagnostic = make(ml_referral(world), world.user("outsider_prescriber"))
    coordinator = world.user("coordinator")
    with pytest.raises(TransitionNotAllowed, match="motif"):
        diagnostic_decide(diagnostic=diagnostic, transition="reject", by=coordinator)
    diagnostic.refresh_from_db()
    assert diagnostic.status == "to_confirm"
    diagnostic_decide(
        diagnostic=diagnostic,
        transition="reject",
        by=coordinator,
        reason="proof_unreadable",
        comment="Scan illisible.",
    )
    diagnostic.refresh_from_db()
    assert (diagnostic.status, diagnostic.rejection_reason) == ("rejected", "proof_unreadable")
    (entry,) = diagnostic_workflow.history(diagnostic)
    assert entry["reason_label"] == "Justificatif illisible ou incomplet"


@pytest.mark.parametrize("role", ["outsider_coordinator", "prescriber", "outsider_prescriber"])
def test_only_the_site_confirms(world, role):
    diagnostic = make(ml_referral(world), world.user("outsider_prescriber"))
    with pytest.raises(DiagnosticError, match="Seul un coordinateur du site"):
        diagnostic_decide(diagnostic=diagnostic, transition="confirm", by=world.user(role))
    diagnostic.refresh_from_db()
    assert diagnostic.status == "to_confirm"


def test_a_habilitated_diagnostic_is_not_confirmed(world):
    diagnostic = make(factories.referral(world), world.user("prescriber"))
    with pytest.raises(DiagnosticError):
        diagnostic_decide(diagnostic=diagnostic, transition="confirm", by=world.user("coordinator"))
    assert not TransitionLog.objects.filter(object_type="diagnostic").exists()
