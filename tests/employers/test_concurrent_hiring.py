"""Two hires of the last position at the same instant: one wins, the other is refused.

Runs real concurrent transactions on PostgreSQL (marker ``postgres``): each thread has its own
connection. The first hire holds its transaction open; the second waits on the opening's row
lock, then finds every position taken. Without the lock, both would count the hires before
either commits and the opening would have two people for one position.
"""

import threading
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from tests import factories
from tests.concurrency import in_thread
from tremplin.core.models import TransitionLog
from tremplin.employers.enums import OpeningStatus, ProposalStatus
from tremplin.employers.models import Opening, Proposal
from tremplin.employers.services import PlacementError, proposal_transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def hire(proposal, by):
    return proposal_transition(
        proposal=proposal,
        transition="hire",
        by=by,
        contract_type="cdi",
        start_date=timezone.localdate(),
        weekly_hours=Decimal(35),
    )


def test_the_second_hire_waits_for_the_first_and_finds_the_position_taken(world_pg):
    world = world_pg
    opening = factories.opening(world, positions=1)
    first = factories.proposal(world, opening, factories.enrolled(world, world.running))
    second = factories.proposal(world, opening, factories.enrolled(world, world.running))
    employer = world.user("employer")
    first_hired, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold_first():
        with transaction.atomic():
            log = hire(first, employer)
            first_hired.set()
            release.wait(timeout=10)
            return log

    def hire_second():
        first_hired.wait(timeout=10)
        return hire(second, employer)

    t1 = in_thread(hold_first, results, "first")
    t2 = in_thread(hire_second, results, "second")
    first_hired.wait(timeout=10)
    t2.join(timeout=1.0)
    assert t2.is_alive(), "the second hire must wait for the first transaction's lock"
    release.set()
    t1.join(timeout=10)
    t2.join(timeout=10)
    assert isinstance(results["first"], TransitionLog)
    assert isinstance(results["second"], PlacementError)
    assert Proposal.objects.filter(status=ProposalStatus.HIRED).count() == 1
    assert Proposal.objects.get(pk=second.pk).status == ProposalStatus.PROPOSED
    assert Opening.objects.get(pk=opening.pk).status == OpeningStatus.FILLED


def test_simultaneous_hires_fill_exactly_the_positions(world_pg):
    world = world_pg
    opening = factories.opening(world, positions=2)
    proposals = [
        factories.proposal(world, opening, factories.enrolled(world, world.running))
        for _ in range(5)
    ]
    employer = world.user("employer")
    barrier = threading.Barrier(len(proposals))
    results: dict[str, object] = {}

    def make(proposal):
        def go():
            barrier.wait(timeout=10)
            return hire(proposal, employer)

        return go

    threads = [in_thread(make(p), results, str(p.pk)) for p in proposals]
    for thread in threads:
        thread.join(timeout=20)
    hired = [r for r in results.values() if isinstance(r, TransitionLog)]
    refused = [r for r in results.values() if isinstance(r, PlacementError)]
    assert (len(hired), len(refused)) == (2, 3)
    assert Proposal.objects.filter(status=ProposalStatus.HIRED).count() == 2
    assert Opening.objects.get(pk=opening.pk).status == OpeningStatus.FILLED
