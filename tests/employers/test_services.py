"""Placement services: openings, proposals and hiring."""

import datetime
from decimal import Decimal

import pytest

from tests import factories
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.employers.enums import OpeningStatus, ProposalStatus
from tremplin.employers.models import Proposal
from tremplin.employers.services import (
    PlacementError,
    opening_create,
    proposal_create,
    proposal_transition,
)

pytestmark = pytest.mark.django_db


def make_opening(world, positions=1, by_role="employer", employer=None):
    factories.communes_loaded(["13"])  # the opening is placed with the communes table
    return opening_create(
        by=world.user(by_role),
        employer=employer or world.employer,
        title="Monteur raccordeur FttH",
        rome_code="I1315",
        contract_type="cdi",
        commune="Marseille",
        positions=positions,
    )


def test_employer_publishes_only_for_itself(world):
    with pytest.raises(PlacementError, match="votre entreprise"):
        make_opening(world, employer=world.other_employer)
    assert make_opening(world).employer == world.employer


def test_unknown_rome_code_is_refused(world):
    with pytest.raises(PlacementError, match="ROME"):
        opening_create(
            by=world.user("coordinator"),
            employer=world.employer,
            title="X",
            rome_code="Z9999",
            contract_type="cdi",
            commune="Marseille",
            positions=1,
        )


def test_proposal_needs_the_learners_consent(world):
    enrolment = factories.enrolled(world, consent_employers=False)
    with pytest.raises(PlacementError, match="consenti"):
        proposal_create(
            opening=make_opening(world), enrolment=enrolment, by=world.user("coordinator")
        )
    assert not Proposal.objects.exists()


def test_same_learner_cannot_be_proposed_twice(world):
    enrolment = factories.enrolled(world)
    opening = make_opening(world)
    proposal_create(opening=opening, enrolment=enrolment, by=world.user("coordinator"))
    with pytest.raises(PlacementError, match="déjà proposé"):
        proposal_create(opening=opening, enrolment=enrolment, by=world.user("coordinator"))


def test_hire_records_contract_and_fills_the_opening(world):
    opening = make_opening(world, positions=1)
    first = proposal_create(
        opening=opening, enrolment=factories.enrolled(world), by=world.user("coordinator")
    )
    second = proposal_create(
        opening=opening, enrolment=factories.enrolled(world), by=world.user("coordinator")
    )
    employer = world.user("employer")
    proposal_transition(proposal=first, transition="interview", by=employer)
    proposal_transition(
        proposal=first,
        transition="hire",
        by=employer,
        contract_type="cdi",
        start_date=datetime.date(2027, 2, 1),
        weekly_hours=Decimal(35),
    )
    first.refresh_from_db()
    opening.refresh_from_db()
    assert first.status == ProposalStatus.HIRED
    assert first.hired_contract_type == "cdi"
    assert opening.status == OpeningStatus.FILLED
    with pytest.raises(PlacementError, match="pourvus"):
        proposal_transition(
            proposal=second,
            transition="hire",
            by=employer,
            contract_type="cdi",
            start_date=datetime.date(2027, 2, 1),
            weekly_hours=Decimal(35),
        )
    second.refresh_from_db()
    assert second.status == ProposalStatus.PROPOSED


def test_hire_needs_contract_details(world):
    proposal = proposal_create(
        opening=make_opening(world),
        enrolment=factories.enrolled(world),
        by=world.user("coordinator"),
    )
    with pytest.raises(PlacementError, match="contrat"):
        proposal_transition(proposal=proposal, transition="hire", by=world.user("employer"))
    with pytest.raises(PlacementError, match="CDD"):
        proposal_transition(
            proposal=proposal,
            transition="hire",
            by=world.user("employer"),
            contract_type="cdd",
            start_date=datetime.date(2027, 2, 1),
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_not_retained_needs_reason_and_employer_cannot_withdraw(world):
    proposal = proposal_create(
        opening=make_opening(world),
        enrolment=factories.enrolled(world),
        by=world.user("coordinator"),
    )
    employer = world.user("employer")
    with pytest.raises(TransitionNotAllowed, match="motif"):
        proposal_transition(proposal=proposal, transition="not_retain", by=employer)
    with pytest.raises(PlacementError):
        proposal_transition(proposal=proposal, transition="withdraw", by=employer)
    proposal_transition(proposal=proposal, transition="not_retain", by=employer, reason="mobility")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.NOT_RETAINED
