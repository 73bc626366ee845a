"""Anonymisation, rectification, erasure and the daily retention job (tremplin/gdpr/services)."""

import datetime
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Q

from tests import factories
from tests.gdpr.helpers import ADDRESS, EMAIL, NAME, PHONE, refused_on, rich_learner
from tremplin.core.models import AuditEntry
from tremplin.eligibility.models import Proof
from tremplin.gdpr.enums import NoticeStatus
from tremplin.gdpr.models import Anonymisation, RetentionNotice, RetentionRequirement
from tremplin.gdpr.selectors import erasure_check, person_due_of
from tremplin.gdpr.services import (
    RECTIFIABLE,
    GdprError,
    anonymise_person,
    apply_retention,
    person_erase,
    person_rectify,
)
from tremplin.organisations.models import Site
from tremplin.people.models import Person
from tremplin.reports.models import LearnerFacts
from tremplin.reports.selectors import network_indicators

TODAY = datetime.date(2026, 11, 30)  # the frozen clock (tests/conftest.py)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def where_text_appears(needle: str) -> list[str]:
    """Every model and column of the database whose text contains ``needle``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS) or field.is_relation:
                continue
            lookup = f"{field.attname}__icontains"
            if isinstance(field, models.JSONField):
                hits = [
                    v
                    for v in model._base_manager.values_list(field.attname, flat=True)
                    if needle.casefold() in str(v).casefold()
                ]
            else:
                hits = model._base_manager.filter(**{lookup: needle}).exists()
            if hits:
                found.append(f"{model._meta.label}.{field.attname}")
    return found


# --- anonymisation -------------------------------------------------------------------------


def test_anonymisation_leaves_no_identity_anywhere(world, django_capture_on_commit_callbacks):
    enrolment = rich_learner(world)
    person = enrolment.candidacy.person
    factories.link_account(person, world.user("learner"))
    account_email = world.user("learner").email
    proof_files = [
        (p.file.storage, p.file.name)
        for p in Proof.objects.filter(diagnostic_criterion__diagnostic__person=person)
    ]
    assert proof_files and all(s.exists(n) for s, n in proof_files)
    for needle in (NAME["last_name"], EMAIL, ADDRESS, PHONE):
        assert where_text_appears(needle), f"the test must start with {needle} stored"

    with django_capture_on_commit_callbacks(execute=True):
        record = anonymise_person(person=person, by=world.user("network_admin"), reason="request")

    for needle in (NAME["last_name"], "quatremare", EMAIL, ADDRESS, PHONE, account_email):
        assert where_text_appears(needle) == [], needle
    person.refresh_from_db()
    assert person.full_name == f"Personne anonymisée #{person.pk}"
    assert person.birth_date == datetime.date(1985, 1, 1)
    assert (person.email, person.phone, person.address) == ("", "", "")
    assert not person.account.is_active and not person.account.has_usable_password()
    # Proof files gone from storage, their rows too; the privacy rows deleted (gdpr_erase).
    assert not any(s.exists(n) for s, n in proof_files)
    assert not Proof.objects.filter(diagnostic_criterion__diagnostic__person=person).exists()
    assert not apps.get_model("privacy", "SensitiveProfile").objects.filter(person=person).exists()
    assert not apps.get_model("privacy", "ConsentRecord").objects.filter(person=person).exists()
    # The training facts stay: enrolment, follow-up situation.
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert enrolment.follow_ups.get().situation == "cdi"
    assert record.rows_deleted >= 3 and record.files_deleted == len(proof_files)


def test_anonymisation_keeps_the_network_indicators(world):
    enrolment = rich_learner(world)
    factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali")
    refused_on(world, datetime.date(2026, 10, 1), first_name="Léa", last_name="Martin")
    sites = Site.objects.filter(network=world.network)
    facts_before = list(LearnerFacts.objects.order_by("pk").values())
    before = network_indicators(sites)
    anonymise_person(person=enrolment.candidacy.person, by=None, reason="retention")
    assert network_indicators(sites) == before
    assert list(LearnerFacts.objects.order_by("pk").values()) == facts_before


def test_anonymisation_is_idempotent_and_audited_without_personal_values(world):
    person = rich_learner(world).candidacy.person
    first = anonymise_person(person=person, by=world.user("network_admin"), reason="request")
    entries = AuditEntry.objects.filter(action="person.anonymise")
    assert entries.count() == 1
    again = anonymise_person(person=person, by=None, reason="retention")
    assert again.pk == first.pk and again.reason == "request"
    assert entries.count() == 1
    details = str(entries.get().details)
    for needle in (NAME["first_name"], NAME["last_name"], EMAIL, PHONE, "1985"):
        assert needle not in details


def test_anonymisation_is_all_or_nothing(world, monkeypatch):
    person = rich_learner(world).candidacy.person
    from tremplin.gdpr import services

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disque plein")

    monkeypatch.setattr(services, "_scrub_merges", broken)
    with pytest.raises(RuntimeError):
        anonymise_person(person=person, by=None, reason="retention")
    person.refresh_from_db()
    assert person.last_name == NAME["last_name"] and person.email == EMAIL
    assert Proof.objects.filter(diagnostic_criterion__diagnostic__person=person).exists()
    assert not Anonymisation.objects.exists()


def test_an_unknown_reason_is_refused(world):
    person = factories.referral(world).person
    with pytest.raises(GdprError):
        anonymise_person(person=person, by=None, reason="parce que")
    assert not Anonymisation.objects.exists()


# --- retention job ---------------------------------------------------------------------------


def test_retention_dates_follow_activity_and_funder_requirements(world):
    old = refused_on(world, datetime.date(2024, 10, 1))
    assert person_due_of(old.person).on == datetime.date(2026, 10, 1)
    learner = factories.ended(world)
    end = world.running.end_date
    assert person_due_of(learner.candidacy.person).on == end.replace(year=end.year + 6)
    RetentionRequirement.objects.create(funder=world.funder, years=10, basis="FSE+")
    assert person_due_of(learner.candidacy.person).on == end.replace(year=end.year + 10)
    RetentionRequirement.objects.create(programme=world.programme, years=3)
    assert person_due_of(learner.candidacy.person).on == end.replace(year=end.year + 10)


def test_retention_job_dry_run_writes_nothing(world):
    due = refused_on(world, datetime.date(2024, 11, 1), last_name="Échue")
    soon = refused_on(world, datetime.date(2024, 12, 20), last_name="Bientôt")
    recent = refused_on(world, datetime.date(2026, 6, 1), last_name="Récente")
    audits = AuditEntry.objects.count()
    run = apply_retention(dry_run=True)
    assert run.anonymised == [due.person_id]
    assert run.warned == [soon.person_id]
    assert recent.person_id not in run.anonymised + run.warned
    assert not Anonymisation.objects.exists() and not RetentionNotice.objects.exists()
    assert AuditEntry.objects.count() == audits
    due.person.refresh_from_db()
    assert due.person.last_name == "Échue"


def test_retention_job_warns_then_anonymises_and_an_activity_postpones(world):
    due = refused_on(world, datetime.date(2024, 11, 1), last_name="Échue")
    soon = refused_on(world, datetime.date(2024, 12, 20), last_name="Bientôt")
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "1 personne(s) anonymisée(s), 1 annonce(s) nouvelle(s)" in out.getvalue()
    due.person.refresh_from_db()
    assert due.person.first_name == "Personne anonymisée"
    notice = RetentionNotice.objects.get(person=soon.person)
    assert (notice.status, notice.due_on) == (NoticeStatus.PENDING, datetime.date(2026, 12, 20))
    # Run again: nothing new, nothing anonymised twice.
    again = apply_retention()
    assert again.anonymised == [] and again.warned == []
    assert Anonymisation.objects.count() == 1
    # She applies again: the new candidacy's activity moves the date, the notice is cancelled.
    later = factories.cohort(
        world.programme, world.site, "Promo 2027", TODAY + datetime.timedelta(days=120)
    )
    factories.referral(
        world,
        later,
        first_name=soon.person.first_name,
        last_name="Bientôt",
        birth_date=soon.person.birth_date,
    )
    run = apply_retention()
    assert run.postponed == [soon.person_id]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CANCELLED
    soon.person.refresh_from_db()
    assert soon.person.last_name == "Bientôt"


def test_retention_job_reads_in_bounded_queries(world, django_assert_max_num_queries):
    for n in range(6):
        refused_on(world, datetime.date(2025, 6, 1), last_name=f"Personne{n}")
    factories.ended(world)
    # Nothing due: one batch of people, their candidacies, diagnostics, requirements, notices.
    with django_assert_max_num_queries(10):
        run = apply_retention(dry_run=True)
    assert run.anonymised == [] and run.warned == []


# --- rectification ---------------------------------------------------------------------------


def _identity(person: Person, **changes: Any) -> dict[str, Any]:
    return {name: getattr(person, name) for name in RECTIFIABLE} | changes


def test_rectification_updates_the_identity_key_and_audits_field_names(world):
    person = factories.referral(world, last_name="Dupond").person
    changed = person_rectify(
        person=person, by=world.user("coordinator"), data=_identity(person, last_name="Dupont")
    )
    assert changed == ["last_name"]
    person.refresh_from_db()
    assert person.identity_key.startswith("dupont|")
    entry = AuditEntry.objects.get(action="person.rectify")
    assert entry.details["fields"] == "last_name"
    assert "Dupon" not in str(entry.details)  # names of fields, never their values


def test_rectification_clash_is_refused_with_nothing_written(world):
    other = factories.referral(world, last_name="Martin", first_name="Léa").person
    person = factories.referral(
        world, last_name="Martine", first_name="Léa", birth_date=other.birth_date
    ).person
    with pytest.raises(GdprError) as error:
        person_rectify(
            person=person,
            by=world.user("coordinator"),
            data=_identity(person, last_name="MARTIN", email="nouvelle@example.org"),
        )
    assert f"n° {other.pk}" in error.value.message and "Fusionnez" in error.value.message
    person.refresh_from_db()
    assert person.last_name == "Martine" and person.email != "nouvelle@example.org"
    assert not AuditEntry.objects.filter(action="person.rectify").exists()


# --- erasure ---------------------------------------------------------------------------------


def test_erasure_is_refused_while_a_legal_retention_applies(world):
    learner = factories.ended(world).candidacy.person
    check = erasure_check(learner)
    end = world.running.end_date
    assert not check.allowed and check.possible_from == end.replace(year=end.year + 6)
    assert check.possible_from.strftime("%d/%m/%Y") in check.reasons[0]
    with pytest.raises(GdprError) as error:
        person_erase(person=learner, by=world.user("network_admin"))
    assert "17.3.b" in error.value.message
    open_candidacy = factories.referral(world).person
    assert "candidature est en cours" in erasure_check(open_candidacy).reasons[0]
    assert not Anonymisation.objects.exists()


def test_erasure_is_honoured_when_nothing_keeps_the_data(world):
    refused = refused_on(world, datetime.date(2026, 9, 1), email=EMAIL)
    assert erasure_check(refused.person).allowed
    person_erase(person=refused.person, by=world.user("network_admin"))
    assert Anonymisation.objects.get().reason == "request"
    assert not Person.objects.filter(Q(email=EMAIL)).exists()
    assert not erasure_check(refused.person).allowed  # already done


def test_one_failure_does_not_stop_the_retention_job(world, monkeypatch):
    first = refused_on(world, datetime.date(2024, 10, 1), last_name="Première")
    second = refused_on(world, datetime.date(2024, 10, 2), last_name="Seconde")
    from tremplin.gdpr import services

    real = services.anonymise_person

    def flaky(*, person: Person, by: Any, reason: str) -> Any:
        if person.pk == first.person_id:
            raise RuntimeError("stockage indisponible")
        return real(person=person, by=by, reason=reason)

    monkeypatch.setattr(services, "anonymise_person", flaky)
    run = apply_retention()
    assert run.failed == [first.person_id] and run.anonymised == [second.person_id]
    first.person.refresh_from_db()
    assert first.person.last_name == "Première"
    # The next night, once storage is back, the first is done too.
    monkeypatch.setattr(services, "anonymise_person", real)
    assert apply_retention().anonymised == [first.person_id]
