"""Generating documents: what they say, versions kept, hash stored, nothing written on refusal."""

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.documents.builders import pdf_text, sealed_monday
from tests.plateau.builders import MONDAY
from tremplin.cohorts.services import competencies_of, competency_assess
from tremplin.core.models import AuditEntry
from tremplin.documents.models import LearnerDocument
from tremplin.documents.services import DocumentError, document_generate


def read(document: LearnerDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def stored_files(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_certificat_states_the_hours_of_the_countersigned_sheets(
    world: Any, frozen_clock: Any
) -> None:
    ali, bea, chloe = sealed_monday(world, frozen_clock).learners
    coordinator = world.user("coordinator")

    document = document_generate(enrolment=bea, kind="certificat", by=coordinator)

    content = read(document)
    assert content.startswith(b"%PDF-")
    assert document.version == 1 and document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    text = pdf_text(content)
    assert "CERTIFICAT DE RÉALISATION" in text
    assert "BONNET Béatrice" in text
    # 3.5 hours planned on the morning, 30 minutes lost to lateness.
    assert "Durée prévue 3,50 heures" in text
    assert "Durée réalisée 3 heures (86 % de la durée prévue)" in text
    assert "Sans objet : demandeur·se d'emploi" in text
    assert world.programme.name in text and "L.6313-1" in text
    assert world.site.commune in text and world.network.name in text
    assert "Signature électronique le" in text and coordinator.get_full_name() in text
    entry = AuditEntry.objects.get(action="document_generate")
    assert entry.object_id == str(document.pk) and entry.details["sha256"] == document.sha256

    chloe_text = pdf_text(
        read(document_generate(enrolment=chloe, kind="certificat", by=coordinator))
    )
    assert "Durée réalisée 0 heures" in chloe_text
    assert "1 demi-journée, dont 1 non justifiée" in chloe_text


def test_regenerating_makes_the_next_version_and_keeps_the_previous_ones(
    world: Any, frozen_clock: Any, settings: Any
) -> None:
    ali = sealed_monday(world, frozen_clock).learners[0]
    coordinator = world.user("coordinator")
    first = document_generate(enrolment=ali, kind="certificat", by=coordinator)
    second = document_generate(enrolment=ali, kind="certificat", by=world.user("network_admin"))
    attestation = document_generate(enrolment=ali, kind="attestation", by=coordinator)

    versions = list(LearnerDocument.objects.filter(enrolment=ali, kind="certificat"))
    assert [d.version for d in versions] == [2, 1]  # newest first
    assert attestation.version == 1  # each kind counts its own versions
    assert first.file.name != second.file.name and len(stored_files(settings)) == 3
    assert read(first).startswith(b"%PDF-")  # the first version is still there, untouched
    assert hashlib.sha256(read(first)).hexdigest() == first.sha256
    assert "annule et remplace la version 1" in pdf_text(read(second))
    # The stored name says nothing of the learner.
    assert "amrani" not in second.file.name.lower() and len(Path(second.file.name).stem) == 32


def test_the_attestation_lists_the_acquired_competencies_per_block(
    world: Any, frozen_clock: Any
) -> None:
    ali = sealed_monday(world, frozen_clock).learners[0]
    competency = competencies_of(ali).order_by("block__position", "position", "id").first()
    competency_assess(
        enrolment=ali,
        competency=competency,
        level="acquired",
        evidence="Soudure mesurée à 0,05 dB",
        on_date=MONDAY,
        by=world.user("trainer"),
    )

    text = pdf_text(
        read(document_generate(enrolment=ali, kind="attestation", by=world.user("coordinator")))
    )

    assert "ATTESTATION DE FIN DE FORMATION" in text and "L.6353-1" in text
    assert competency.block.code in text
    assert competency.title[:40] in text, text
    assert f"1 sur {competency.block.competencies.count()}" in text
    assert "Au total, 1 compétence acquise" in text
    assert "3,50 heures suivies" in text


def test_nothing_is_written_before_the_course_starts(world: Any, settings: Any) -> None:
    enrolment = factories.enrolled(world, world.upcoming, first_name="Inès", last_name="Benali")
    with pytest.raises(DocumentError) as refused:
        document_generate(enrolment=enrolment, kind="certificat", by=world.user("coordinator"))
    assert "commence le" in refused.value.message
    assert not LearnerDocument.objects.exists() and stored_files(settings) == []
    assert not AuditEntry.objects.filter(action="document_generate").exists()


def test_an_unknown_kind_is_refused(world: Any) -> None:
    enrolment = factories.enrolled(world, world.running)
    with pytest.raises(DocumentError, match="Choisissez le document"):
        document_generate(enrolment=enrolment, kind="diplome", by=world.user("coordinator"))
    assert not LearnerDocument.objects.exists()


def test_nothing_is_written_when_the_file_cannot_be_stored(
    world: Any, settings: Any, tmp_path: Any
) -> None:
    enrolment = factories.enrolled(world, world.running)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    with pytest.raises(DocumentError, match="n'a pas pu être enregistré"):
        document_generate(enrolment=enrolment, kind="certificat", by=world.user("coordinator"))
    assert not LearnerDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="document_generate").exists()
