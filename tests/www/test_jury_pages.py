"""The certification jury page: the site's managers record each learner's certification and
validated blocks; the dashboards count them; bad input writes nothing."""

import datetime

import pytest

from tests import factories
from tremplin.cohorts.models import JuryResult
from tremplin.cohorts.services import CohortError, JuryEntry, jury_record
from tremplin.core.models import AuditEntry
from tremplin.programmes.models import Certification, CompetencyBlock

pytestmark = pytest.mark.django_db

TODAY = "2026-11-30"


@pytest.fixture
def leavers(world):
    return [
        factories.ended(world, first_name="Inès", last_name="Benali"),
        factories.ended(world, first_name="Karim", last_name="Ouali"),
    ]


def certification(world) -> Certification:
    return Certification.objects.filter(tracks__programme=world.programme).order_by("id").first()


def blocks(cert: Certification) -> list[CompetencyBlock]:
    return list(cert.blocks.order_by("position", "id"))


def url(world) -> str:
    return f"/promotions/{world.running.pk}/jury/"


def test_coordinator_records_the_jury(client_for, world, leavers):
    cert = certification(world)
    every = blocks(cert)
    assert len(every) >= 2
    inès, karim = leavers
    client = client_for("coordinator")
    page = client.get(url(world)).content.decode()
    assert "Inès" in page and every[0].code in page
    response = client.post(
        url(world),
        {
            "decided_on": TODAY,
            f"cert-{inès.pk}": cert.pk,
            f"blocks-{inès.pk}": [b.pk for b in every],
            f"cert-{karim.pk}": cert.pk,
            f"blocks-{karim.pk}": [every[0].pk],
        },
    )
    assert response.status_code == 302
    by_person = {r.enrolment_id: r for r in JuryResult.objects.all()}
    assert by_person[inès.pk].certified is True
    assert by_person[karim.pk].certified is False
    assert list(by_person[karim.pk].validated_blocks.all()) == [every[0]]
    assert AuditEntry.objects.filter(action="jury.record").count() == 2
    # The form shows the recorded result back, for corrections.
    again = client.get(url(world)).content.decode()
    assert f'value="{every[0].pk}"' in again and "checked" in again


def test_dashboard_counts_blocks_and_certification(client_for, world, leavers):
    cert = certification(world)
    every = blocks(cert)
    inès, karim = leavers
    jury_record(
        by=world.user("coordinator"),
        cohort=world.running,
        decided_on=datetime.date(2026, 11, 30),
        entries=[
            JuryEntry(inès, cert, frozenset(every)),
            JuryEntry(karim, cert, frozenset(every[:1])),
        ],
    )
    html = client_for("coordinator").get(f"/tableau-de-bord/sites/{world.site.pk}/")
    html = html.content.decode()
    certified = html.split('data-indicator="certified"')[1].split("</tr>")[0]
    assert "1 / 2" in certified
    one_block = html.split('data-indicator="blocks_validated"')[1].split("</tr>")[0]
    assert "2 / 2" in one_block


def test_without_any_jury_the_figures_say_no_data(client_for, world, leavers):
    html = client_for("coordinator").get(f"/tableau-de-bord/sites/{world.site.pk}/")
    certified = html.content.decode().split('data-indicator="certified"')[1].split("</tr>")[0]
    assert "pas de données" in certified and "jury n&#x27;est pas saisi" in certified


def test_a_block_of_another_certification_is_refused_and_nothing_written(world, leavers):
    cert = certification(world)
    other = Certification.objects.exclude(pk=cert.pk).filter(tracks__programme=world.programme)
    foreign = CompetencyBlock.objects.filter(certification__in=other).first()
    inès, karim = leavers
    with pytest.raises(CohortError, match="n'appartient pas"):
        jury_record(
            by=world.user("coordinator"),
            cohort=world.running,
            decided_on=datetime.date(2026, 11, 30),
            entries=[
                JuryEntry(inès, cert, frozenset(blocks(cert))),
                JuryEntry(karim, cert, frozenset([foreign])),
            ],
        )
    assert not JuryResult.objects.exists()


def test_bad_input_is_answered_on_the_page(client_for, world, leavers):
    inès, _karim = leavers
    client = client_for("coordinator")
    future = client.post(url(world), {"decided_on": "2027-01-01"}).content.decode()
    assert "ne peut être dans le futur" in future
    blocks_without_cert = client.post(
        url(world),
        {"decided_on": TODAY, f"blocks-{inès.pk}": [blocks(certification(world))[0].pk]},
    ).content.decode()
    assert "choisir la certification" in blocks_without_cert
    assert not JuryResult.objects.exists()


def test_clearing_the_certification_withdraws_the_result(client_for, world, leavers):
    cert = certification(world)
    inès, _karim = leavers
    jury_record(
        by=world.user("coordinator"),
        cohort=world.running,
        decided_on=datetime.date(2026, 11, 30),
        entries=[JuryEntry(inès, cert, frozenset(blocks(cert)))],
    )
    client_for("coordinator").post(url(world), {"decided_on": TODAY})
    assert not JuryResult.objects.exists()
    assert AuditEntry.objects.filter(action="jury.remove").count() == 1


@pytest.mark.parametrize(("role", "status"), [("trainer", 403), ("outsider_coordinator", 404)])
def test_others_may_not_record(client_for, world, leavers, role, status):
    response = client_for(role).post(url(world), {"decided_on": TODAY})
    assert response.status_code == status
    assert not JuryResult.objects.exists()
