"""A cohort's optimal placement: runs in the background, locks and forbidden pairs, refusals,
and proposing a run's pairs all or nothing, once.

Learners are enrolled in the running cohort through the services, then given a home
(latitude, longitude) and acquired competencies; openings are rows with a point and required
competencies. The task backend runs the task as soon as the run is committed.
"""

import datetime
from typing import Any

import pytest

from tests import factories
from tremplin.cohorts.models import CompetencyAssessment, Enrolment
from tremplin.core.models import AuditEntry, TaskProgress
from tremplin.employers.match_runs import match_propose, match_start
from tremplin.employers.models import MatchRun, Opening, Proposal
from tremplin.employers.services import PlacementError, proposal_create
from tremplin.employers.tasks import match_cohort
from tremplin.employers.workflow import opening_workflow
from tremplin.people.enums import Mobility
from tremplin.people.models import Person
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Competency

pytestmark = pytest.mark.django_db

# Approximate centroids (degrees): a learner in the 13e reaches all three by car in 30 km.
MARSEILLE_13 = (43.3500, 5.4300)
MARSEILLE_14 = (43.3450, 5.3900)
MARSEILLE_15 = (43.3600, 5.3600)
VITROLLES = (43.4600, 5.2480)


def competencies(n: int) -> list[Competency]:
    return list(Competency.objects.order_by("pk")[:n])


def learner(
    world: Any,
    at: tuple[float, float] | None = MARSEILLE_13,
    acquired: list[Competency] | tuple[Competency, ...] = (),
    **person: Any,
) -> Enrolment:
    """A learner of the running cohort, at home in ``at`` (None: never located), by car."""
    enrolment = factories.enrolled(world, target=world.running, mobility=Mobility.CAR, **person)
    Person.objects.filter(pk=enrolment.candidacy.person_id).update(
        latitude=at[0] if at else None, longitude=at[1] if at else None
    )
    for competency in acquired:
        CompetencyAssessment.objects.create(
            enrolment=enrolment,
            competency=competency,
            level=CompetencyLevel.ACQUIRED,
            assessed_on=datetime.date(2026, 11, 20),
            assessed_by=world.user("trainer"),
        )
    return enrolment


def opening(
    world: Any,
    title: str,
    at: tuple[float, float] | None = MARSEILLE_14,
    required: list[Competency] | tuple[Competency, ...] = (),
    positions: int = 1,
) -> Opening:
    """An open position at the world's employer, at ``at``, requiring ``required``."""
    row = Opening.objects.create(
        employer=world.employer,
        title=title,
        rome_code="I1307",
        contract_type="cdi",
        commune="Marseille",
        positions=positions,
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
    )
    row.required_competencies.set(required)
    return row


def run(
    world: Any,
    capture: Any,
    locked: Any = (),
    forbidden: Any = (),
) -> MatchRun:
    """Start a run as the site's coordinator; the task runs once the run is committed."""
    with capture(execute=True):
        started = match_start(
            by=world.user("coordinator"),
            cohort=world.running,
            locked=locked,
            forbidden=forbidden,
            enqueue=lambda progress_id, run_id: match_cohort.enqueue(progress_id, run_id),
        )
    started.refresh_from_db()
    assert started.progress is not None
    started.progress.refresh_from_db()
    return started


def placed(match_run: MatchRun) -> dict[int, int | None]:
    """enrolment id → opening id (None: unplaced)."""
    return {e["enrolment"]: e["opening"] for e in match_run.result["placements"]}


@pytest.fixture
def two_by_two(world: Any) -> Any:
    """Two fibre graduates and two openings; the 14e one is nearer for both."""
    skills = competencies(3)
    ana = learner(world, acquired=skills, first_name="Ana")
    bilal = learner(world, at=MARSEILLE_15, acquired=skills, first_name="Bilal")
    near = opening(world, "Raccordeur 14e", at=MARSEILLE_14, required=skills[:2])
    far = opening(world, "Raccordeur Vitrolles", at=VITROLLES, required=skills[:2])
    return ana, bilal, near, far


def test_a_run_places_everyone_with_reasons(world, two_by_two, django_capture_on_commit_callbacks):
    ana, bilal, near, far = two_by_two
    result = run(world, django_capture_on_commit_callbacks)
    assert result.progress.status == TaskProgress.Status.DONE, result.progress.message
    assert result.progress.kind == "match_cohort"
    assert set(placed(result).values()) == {near.pk, far.pk}
    assert result.total == pytest.approx(result.result["total"]) and result.total > 1
    assert result.wall_time is not None and result.result["candidate_pairs"] == 4
    entry = result.result["placements"][0]
    assert entry["explanation"]["matched_required"] and entry["alternative"] is not None
    assert AuditEntry.objects.filter(action="match_run.solved", object_id=str(result.pk)).exists()


def test_locks_are_honoured(world, two_by_two, django_capture_on_commit_callbacks):
    ana, bilal, near, far = two_by_two
    free = placed(run(world, django_capture_on_commit_callbacks))
    # Lock each learner on the opening the free run did not give them.
    swapped = near.pk if free[ana.pk] == far.pk else far.pk
    result = run(world, django_capture_on_commit_callbacks, locked=[[ana.pk, swapped]])
    assert placed(result)[ana.pk] == swapped
    entry = next(e for e in result.result["placements"] if e["enrolment"] == ana.pk)
    assert entry["locked"] is True
    assert result.locked == [[ana.pk, swapped]]


def test_forbidden_pairs_are_honoured(world, two_by_two, django_capture_on_commit_callbacks):
    ana, bilal, near, far = two_by_two
    result = run(
        world, django_capture_on_commit_callbacks, forbidden=[[ana.pk, near.pk], [bilal.pk, far.pk]]
    )
    assert placed(result) == {ana.pk: far.pk, bilal.pk: near.pk}


def test_a_pair_already_proposed_is_never_proposed_again(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    proposal_create(opening=near, enrolment=ana, by=world.user("coordinator"))
    result = run(world, django_capture_on_commit_callbacks)
    assert placed(result)[ana.pk] != near.pk
    match_propose(by=world.user("coordinator"), run=result)
    assert Proposal.objects.filter(enrolment=ana, opening=near).count() == 1
    assert Proposal.objects.count() == 1 + sum(1 for o in placed(result).values() if o)


def test_a_learner_without_location_is_refused_not_scored(
    world, two_by_two, django_capture_on_commit_callbacks
):
    nowhere = learner(world, at=None, acquired=competencies(3), first_name="Nadia")
    result = run(world, django_capture_on_commit_callbacks)
    assert nowhere.pk not in placed(result)
    refusal = next(r for r in result.result["refused"] if r["id"] == nowhere.pk)
    assert refusal["kind"] == "learner" and "non localisé" in refusal["reason"]
    assert refusal["label"] == nowhere.candidacy.person.full_name


def test_a_learner_who_did_not_consent_is_refused_not_scored(
    world, two_by_two, django_capture_on_commit_callbacks
):
    private = learner(world, acquired=competencies(3), consent_employers=False)
    result = run(world, django_capture_on_commit_callbacks)
    assert private.pk not in placed(result)
    refusal = next(r for r in result.result["refused"] if r["id"] == private.pk)
    assert "consenti" in refusal["reason"]


def test_a_re_run_carries_the_previous_choices(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    first = run(world, django_capture_on_commit_callbacks, forbidden=[[ana.pk, near.pk]])
    assert placed(first)[ana.pk] == far.pk
    # The page re-posts the previous run's pairs with the new choice.
    second = run(
        world,
        django_capture_on_commit_callbacks,
        locked=[[bilal.pk, near.pk]],
        forbidden=first.forbidden,
    )
    assert second.forbidden == [[ana.pk, near.pk]] and second.locked == [[bilal.pk, near.pk]]
    assert placed(second) == {ana.pk: far.pk, bilal.pk: near.pk}


def test_an_unplaced_learner_is_told_where_their_best_opening_went(
    world, django_capture_on_commit_callbacks
):
    skills = competencies(2)
    learner(world, acquired=skills)
    learner(world, acquired=skills)
    only = opening(world, "Seul poste", required=skills)
    result = run(world, django_capture_on_commit_callbacks)
    unplaced = [e for e in result.result["placements"] if e["opening"] is None]
    assert len(unplaced) == 1
    assert unplaced[0]["alternative"] == only.pk and unplaced[0]["explanation"] is None


def test_more_locks_than_positions_are_refused_by_name(world, two_by_two):
    ana, bilal, near, far = two_by_two
    with pytest.raises(PlacementError, match="« Raccordeur 14e »"):
        match_start(
            by=world.user("coordinator"),
            cohort=world.running,
            locked=[[ana.pk, near.pk], [bilal.pk, near.pk]],
            enqueue=lambda *_: None,
        )
    assert not MatchRun.objects.exists()


def hire(world: Any, on: Opening) -> Proposal:
    """Another learner of the cohort is hired on ``on``."""
    hired = proposal_create(
        opening=on, enrolment=learner(world, acquired=competencies(3)), by=world.user("coordinator")
    )
    Proposal.objects.filter(pk=hired.pk).update(
        status="hired",
        hired_contract_type="cdi",
        hired_start_date=datetime.date(2026, 12, 1),
        hired_weekly_hours=35,
    )
    return hired


def test_input_the_engine_refuses_fails_the_run_and_writes_nothing(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    Opening.objects.filter(pk=near.pk).update(positions=2)
    with django_capture_on_commit_callbacks() as pending:
        started = match_start(
            by=world.user("coordinator"),
            cohort=world.running,
            locked=[[ana.pk, near.pk], [bilal.pk, near.pk]],
            enqueue=lambda progress_id, run_id: match_cohort.enqueue(progress_id, run_id),
        )
    # A hire before the task runs leaves one position for the two locked people.
    hire(world, near)
    for callback in pending:
        callback()
    started.refresh_from_db()
    started.progress.refresh_from_db()
    assert started.progress.status == TaskProgress.Status.FAILED
    assert started.progress.message.startswith("Placement impossible :")
    assert started.result == {} and started.total is None and started.wall_time is None
    with pytest.raises(PlacementError, match="pas terminé"):
        match_propose(by=world.user("coordinator"), run=started)


def test_propose_creates_one_proposal_per_placed_pair(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    result = run(world, django_capture_on_commit_callbacks)
    coordinator = world.user("coordinator")
    proposals = match_propose(by=coordinator, run=result, note="Deux profils solides.")
    assert {(p.enrolment_id, p.opening_id) for p in proposals} == set(placed(result).items())
    assert all(
        p.proposed_by == coordinator and p.note == "Deux profils solides." for p in proposals
    )
    result.refresh_from_db()
    assert result.proposed_at is not None and result.proposed_by == coordinator
    assert AuditEntry.objects.filter(action="match_run.propose", object_id=str(result.pk)).exists()


def test_propose_is_all_or_nothing_when_an_opening_closed_meanwhile(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    result = run(world, django_capture_on_commit_callbacks)
    opening_workflow.apply(far, "close", by=world.user("coordinator"), reason="cancelled")
    with pytest.raises(PlacementError) as refused:
        match_propose(by=world.user("coordinator"), run=result)
    assert "Rien n'a été proposé" in refused.value.message
    assert "« Raccordeur Vitrolles »" in refused.value.message
    assert "n'est plus ouverte" in refused.value.message
    assert not Proposal.objects.exists()
    result.refresh_from_db()
    assert result.proposed_at is None


def test_propose_refuses_a_learner_who_withdrew_consent(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    result = run(world, django_capture_on_commit_callbacks)
    factories.withdraw_employer_consent(bilal.candidacy.person)
    with pytest.raises(PlacementError) as refused:
        match_propose(by=world.user("coordinator"), run=result)
    assert bilal.candidacy.person.full_name in refused.value.message
    assert "consenti" in refused.value.message
    assert not Proposal.objects.exists()


def test_propose_refuses_an_opening_without_a_free_position(
    world, two_by_two, django_capture_on_commit_callbacks
):
    ana, bilal, near, far = two_by_two
    result = run(world, django_capture_on_commit_callbacks)
    hire(world, near)  # its only position
    with pytest.raises(PlacementError, match="postes libres"):
        match_propose(by=world.user("coordinator"), run=result)
    assert Proposal.objects.count() == 1


def test_a_run_is_proposed_once(world, two_by_two, django_capture_on_commit_callbacks):
    result = run(world, django_capture_on_commit_callbacks)
    match_propose(by=world.user("coordinator"), run=result)
    count = Proposal.objects.count()
    with pytest.raises(PlacementError, match="déjà été proposés"):
        match_propose(by=world.user("coordinator"), run=result)
    assert Proposal.objects.count() == count


@pytest.mark.parametrize("role", ["trainer", "outsider_coordinator", "employer", "funder"])
def test_only_the_sites_managers_start_or_propose(
    world, two_by_two, role, django_capture_on_commit_callbacks
):
    with pytest.raises(PlacementError, match="coordination du site"):
        match_start(by=world.user(role), cohort=world.running, enqueue=lambda *_: None)
    result = run(world, django_capture_on_commit_callbacks)
    with pytest.raises(PlacementError, match="coordination du site"):
        match_propose(by=world.user(role), run=result)
    assert not Proposal.objects.exists()


def test_the_network_admin_may_start(world, two_by_two):
    started = match_start(by=world.user("network_admin"), cohort=world.running, enqueue=print)
    assert started.requested_by == world.user("network_admin")


@pytest.mark.parametrize(
    ("locked", "forbidden", "message"),
    [
        ([["1", "2"]], [], "numéros entiers"),
        ([[1, 2, 3]], [], "numéros entiers"),
        ([], [[True, 2]], "numéros entiers"),
        ([[2**40, 2]], [], "numéros entiers"),
        ([[0, 2]], [], "numéros entiers"),
        ([], "12:34", "numéros entiers"),
        ([[7, 8]], [[7, 8]], "à la fois imposé et interdit"),
        ([[7, 8], [7, 9]], [], "une seule offre"),
    ],
)
def test_pairs_are_checked_before_anything_is_written(world, locked, forbidden, message):
    with pytest.raises(PlacementError, match=message):
        match_start(
            by=world.user("coordinator"),
            cohort=world.running,
            locked=locked,
            forbidden=forbidden,
            enqueue=lambda *_: None,
        )
    assert not MatchRun.objects.exists() and not TaskProgress.objects.exists()


def test_a_pair_of_another_cohorts_learner_is_refused(world, two_by_two):
    stranger = factories.enrolled(world, target=world.upcoming)
    with pytest.raises(PlacementError, match="pas de cette promotion"):
        match_start(
            by=world.user("coordinator"),
            cohort=world.running,
            forbidden=[[stranger.pk, two_by_two[2].pk]],
            enqueue=lambda *_: None,
        )
