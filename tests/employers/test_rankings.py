"""The matching adapter on real rows: assessments, people's places, job searches, openings."""

import datetime
from decimal import Decimal

import pytest

from tests import factories
from tremplin.cohorts.services import competency_assess, enrolment_end
from tremplin.core.models import AuditEntry
from tremplin.employers.enums import ContractType, OpeningStatus, WorkingTime
from tremplin.employers.job_search import job_search_save
from tremplin.employers.matching import enrolments_for_opening, openings_for_enrolment
from tremplin.employers.models import JobSearch
from tremplin.employers.services import PlacementError, proposal_create, proposal_transition
from tremplin.employers.workflow import opening_workflow
from tremplin.geo.services import person_locate
from tremplin.outcomes.models import FollowUp
from tremplin.people.enums import Mobility
from tremplin.programmes.models import Competency

pytestmark = pytest.mark.django_db


@pytest.fixture
def fibre(world):
    """The first three competencies of the fibre framework, and the communes of the 13."""
    factories.communes_loaded(["13"])
    return list(
        Competency.objects.filter(block__certification__code="irtfo").order_by(
            "block__position", "position"
        )[:3]
    )


def learner(world, *, acquired=(), locate=True, **person):
    """A learner of the running cohort living in Marseille 13e, with a car, and these
    competencies assessed « acquise » by the trainer."""
    values = {"has_driving_licence": True, "mobility": Mobility.CAR}
    values.update(person)
    enrolment = factories.enrolled(world, world.running, **values)
    if locate:
        person_locate(person=enrolment.candidacy.person)
    for competency in acquired:
        competency_assess(
            enrolment=enrolment,
            competency=competency,
            level="acquired",
            evidence="Raccordement réalisé en autonomie",
            on_date=datetime.date(2026, 11, 2),
            by=world.user("trainer"),
        )
    enrolment.refresh_from_db()
    return enrolment


def test_acquired_competencies_come_from_the_assessments(world, fibre):
    opening = factories.opening(world, postal_code="13127", commune="Vitrolles")
    opening.required_competencies.set(fibre[:2])
    holder = learner(world, acquired=fibre[:2])
    partial = learner(world, acquired=fibre[:1])
    # « En cours d'acquisition » is not acquired: the required competency is still missing.
    competency_assess(
        enrolment=partial,
        competency=fibre[1],
        level="in_progress",
        evidence="",
        on_date=datetime.date(2026, 11, 2),
        by=world.user("trainer"),
    )

    ranked = enrolments_for_opening(opening, world.running.enrolments.all())

    assert [enrolment for enrolment, _ in ranked.rows] == [holder]
    explanation = ranked.rows[0][1]
    assert explanation.matched_required == sorted(f"{c.code} {c.title}" for c in fibre[:2])
    assert explanation.missing_required == []
    assert 15 < explanation.distance_km < 25  # Marseille 13e → Vitrolles
    assert ranked.refused == []


def test_a_learner_without_location_is_refused_not_scored(world, fibre):
    opening = factories.opening(world, postal_code="13001")
    nowhere = learner(world, locate=False)

    ranked = enrolments_for_opening(opening, world.running.enrolments.all())

    assert ranked.rows == []
    assert [(r.kind, r.id) for r in ranked.refused] == [("learner", nowhere.pk)]
    assert "non localisé" in ranked.refused[0].reason
    mine = openings_for_enrolment(nowhere)
    assert mine.rows == []
    assert "non localisé" in mine.refused[0].reason


def test_a_learner_who_did_not_consent_is_refused(world, fibre):
    opening = factories.opening(world, postal_code="13001")
    consenting = learner(world)
    refusing = learner(world, consent_employers=False)

    ranked = enrolments_for_opening(opening, world.running.enrolments.all())

    assert [enrolment for enrolment, _ in ranked.rows] == [consenting]
    assert [(r.id, "consenti" in r.reason) for r in ranked.refused] == [(refusing.pk, True)]


def test_the_job_search_changes_the_ranking(world, fibre):
    near_cdi = factories.opening(
        world, title="CDI proche", postal_code="13013", commune="Marseille"
    )
    far_cdd = factories.opening(
        world,
        title="CDD à Vitrolles",
        postal_code="13127",
        commune="Vitrolles",
        contract_type=ContractType.CDD,
        working_time=WorkingTime.PART,
    )
    graduate = learner(world)

    before = [opening for opening, _ in openings_for_enrolment(graduate).rows]
    assert before == [near_cdi, far_cdd]

    job_search_save(
        by=world.user("coordinator"),
        enrolment=graduate,
        max_km=50,
        contracts=[ContractType.CDD],
        working_time="part",
        available_from=None,
        experience="Deux ans de manutention.",
    )
    after = openings_for_enrolment(graduate).rows
    assert [opening for opening, _ in after] == [far_cdd, near_cdi]
    # The CDI is still listed, with the contract mismatch explained.
    assert after[1][1].parts["contract"] == 0

    job_search_save(
        by=world.user("coordinator"),
        enrolment=graduate,
        max_km=5,
        contracts=[],
        working_time="any",
    )
    assert [opening for opening, _ in openings_for_enrolment(graduate).rows] == [near_cdi]


def test_filled_and_closed_openings_are_never_ranked(world, fibre):
    graduate = learner(world)
    filled = factories.opening(world, title="Pourvue", postal_code="13013", positions=1)
    closed = factories.opening(world, title="Fermée", postal_code="13013")
    still_open = factories.opening(world, title="Ouverte", postal_code="13013")
    hired = learner(world)
    proposal = proposal_create(opening=filled, enrolment=hired, by=world.user("coordinator"))
    proposal_transition(
        proposal=proposal,
        transition="hire",
        by=world.user("employer"),
        contract_type=ContractType.CDI,
        start_date=datetime.date(2026, 12, 7),
        weekly_hours=Decimal("35"),
    )
    opening_workflow.apply(closed, "close", by=world.user("coordinator"), reason="cancelled")
    filled.refresh_from_db()
    assert filled.status == OpeningStatus.FILLED

    assert [o for o, _ in openings_for_enrolment(graduate).rows] == [still_open]
    # The hired learner is no longer a candidate either.
    ranked = enrolments_for_opening(still_open, world.running.enrolments.all())
    assert [e for e, _ in ranked.rows] == [graduate]


def test_job_search_save_checks_who_and_what(world, fibre):
    graduate = learner(world)
    factories.link_account(graduate.candidacy.person, world.user("learner"))
    graduate.candidacy.person.refresh_from_db()

    for by, values, message in [
        (world.user("trainer"), {}, "ne pouvez pas"),
        (world.user("outsider_coordinator"), {}, "ne pouvez pas"),
        (world.user("outsider_learner"), {}, "ne pouvez pas"),
        (world.user("learner"), {"max_km": 0}, "entre 1 et 300"),
        (world.user("learner"), {"max_km": 301}, "entre 1 et 300"),
        (world.user("learner"), {"contracts": ["stage"]}, "contrat inconnu"),
        (world.user("learner"), {"working_time": "nuit"}, "inconnu"),
        (
            world.user("learner"),
            {"available_from": datetime.date(2035, 1, 1)},
            "semble erronée",
        ),
    ]:
        arguments = {"max_km": 20, "contracts": [], "working_time": "any"} | values
        with pytest.raises(PlacementError, match=message):
            job_search_save(by=by, enrolment=graduate, **arguments)
    assert not JobSearch.objects.exists()

    search = job_search_save(
        by=world.user("learner"),
        enrolment=graduate,
        max_km=25,
        contracts=["cdi", "cdd", "cdi"],
        working_time="full",
        available_from=datetime.date(2027, 1, 4),
    )
    assert (search.max_km, search.contracts, search.updated_by) == (
        25,
        ["cdi", "cdd"],
        world.user("learner"),
    )
    assert AuditEntry.objects.filter(action="job_search.create").count() == 1


def test_a_graduate_found_in_work_at_the_latest_follow_up_is_not_ranked(world, fibre):
    opening = factories.opening(world, postal_code="13127", commune="Vitrolles")
    opening.required_competencies.set(fibre[:1])
    employed, seeking = learner(world, acquired=fibre[:1]), learner(world, acquired=fibre[:1])
    for enrolment, situations in (
        (employed, ("job_seeking", "cdi")),
        (seeking, ("cdi", "job_seeking")),
    ):
        enrolment_end(
            enrolment=enrolment,
            outcome="complete",
            by=world.user("coordinator"),
            on_date=datetime.date(2026, 11, 20),
        )
        for day, (milestone, situation) in enumerate(zip(("exit", "m3"), situations, strict=True)):
            FollowUp.objects.create(
                enrolment=enrolment,
                milestone=milestone,
                situation=situation,
                recorded_on=datetime.date(2026, 11, 21 + day),
                recorded_by=world.user("coordinator"),
            )

    ranked = enrolments_for_opening(opening, world.running.enrolments.all())

    # A job found on their own (CDI at the latest point) takes them out; a CDI that ended
    # (seeking again at the latest point) does not.
    assert [enrolment for enrolment, _ in ranked.rows] == [seeking]
