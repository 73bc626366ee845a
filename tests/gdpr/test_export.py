"""A person's export: every model with a path to Person, as JSON and as a readable PDF."""

import json
import shutil
import subprocess

import pytest
from django.apps import apps

from tests.gdpr.helpers import EMAIL, NAME, rich_learner
from tremplin.gdpr.export import person_export, person_export_json, person_export_pdf
from tremplin.gdpr.relations import person_paths
from tremplin.people.models import Person


def models_pointing_to_person() -> set[str]:
    """Independently of the export: every model whose foreign keys lead, step by step, to
    Person (a fixed point over the app registry, hidden relations included)."""
    reached = {Person}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in reached:
                continue
            if any(
                f.is_relation and f.related_model in reached for f in model._meta.concrete_fields
            ):
                reached.add(model)
                changed = True
    return {m._meta.label for m in reached - {Person}}


def test_the_walk_finds_every_model_with_a_path_to_person() -> None:
    expected = models_pointing_to_person()
    assert {p.label for p in person_paths()} == expected
    # A few that must be there whatever else changes.
    assert {
        "candidacies.Candidacy",
        "eligibility.Proof",
        "attendance.AttendanceEntry",
        "outcomes.FollowUp",
        "employers.Proposal",
    } <= expected


def test_the_json_export_holds_everything_about_the_person(world):
    enrolment = rich_learner(world)
    person = enrolment.candidacy.person
    data = json.loads(person_export_json(person))
    assert data["format"] == "tremplin.gdpr.export/1"
    assert data["person"]["last_name"] == NAME["last_name"] and data["person"]["email"] == EMAIL
    assert set(data["data"]) == models_pointing_to_person()
    rows = {label: section["rows"] for label, section in data["data"].items()}
    assert [r["id"] for r in rows["candidacies.Candidacy"]] == [enrolment.candidacy.pk]
    assert rows["cohorts.Enrolment"][0]["status"] == "completed"
    assert rows["outcomes.FollowUp"][0]["situation"] == "cdi"
    proof = rows["eligibility.Proof"][0]
    assert proof["file"] == {"stored": True} and proof["size"] > 0  # metadata, not the bytes
    # The privacy app's rows go through their own gdpr_export().
    assert rows["privacy.ConsentRecord"] and rows["privacy.SensitiveProfile"] is not None
    # No secret travels: no token column is exported.
    assert "token" not in json.dumps(data).casefold().replace("token_", "")


def test_the_export_reads_one_query_per_model(world, django_assert_max_num_queries):
    person = rich_learner(world).candidacy.person
    with django_assert_max_num_queries(len(person_paths()) + 5):
        person_export(person)


def test_the_pdf_export_is_readable(world):
    person = rich_learner(world).candidacy.person
    content = person_export_pdf(person)
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "Vos données personnelles",
        NAME["last_name"],
        EMAIL,
        "Candidatures",
        "Free Pro",
        "CDI",
    ):
        assert expected in text, expected
