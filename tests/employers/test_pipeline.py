"""The placement pipeline (issue 6 §4): every transition of a proposal and its refusals, the
immersion agreement signed by three parties, hiring, the emails, the thirty-day flag, and
closing, reopening and filling openings."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tests import factories
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.employers.enums import OpeningStatus, ProposalStatus
from tremplin.employers.matching import unanswered
from tremplin.employers.models import Opening, Proposal
from tremplin.employers.services import (
    PlacementError,
    agreement_sign,
    opening_close,
    opening_reopen,
    proposal_create,
    proposal_see,
    proposal_transition,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 7)
END = datetime.date(2026, 12, 18)


def learner_of(world, **person):
    """A learner in training in Marseille whose account is the world's learner user."""
    enrolment = factories.enrolled(world, world.running, **person)
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    enrolment.candidacy.person.refresh_from_db()
    return enrolment


def proposed(world, positions=2, **person):
    opening = factories.opening(world, positions=positions)
    return factories.proposal(world, opening, learner_of(world, **person))


def fresh(proposal):
    return Proposal.objects.select_related(
        "opening", "enrolment__cohort", "enrolment__candidacy__person"
    ).get(pk=proposal.pk)


def in_immersion(world, proposal):
    employer = world.user("employer")
    proposal_see(proposal=proposal, by=employer)
    proposal_transition(
        proposal=proposal,
        transition="immersion",
        by=employer,
        immersion_start=START,
        immersion_end=END,
        immersion_tutor="Paul Martin",
    )
    return fresh(proposal)


def sign_all(world, proposal):
    for role in ("employer", "learner", "coordinator"):
        agreement_sign(proposal=fresh(proposal), by=world.user(role))
    return fresh(proposal)


def hire(proposal, by, **overrides):
    values = {
        "contract_type": "cdi",
        "start_date": datetime.date(2027, 1, 4),
        "weekly_hours": Decimal(35),
    }
    values.update(overrides)
    return proposal_transition(proposal=proposal, transition="hire", by=by, **values)


def logs(obj, object_type="proposal"):
    return list(
        TransitionLog.objects.filter(object_type=object_type, object_id=obj.pk).values_list(
            "transition", flat=True
        )
    )


# --- seen ------------------------------------------------------------------------------


def test_the_employer_opening_the_proposal_marks_it_seen_once(world):
    proposal = proposed(world)
    proposal_see(proposal=proposal, by=world.user("coordinator"))
    proposal_see(proposal=proposal, by=world.user("outsider_employer"))
    assert fresh(proposal).status == ProposalStatus.PROPOSED

    proposal_see(proposal=proposal, by=world.user("employer"))
    proposal_see(proposal=fresh(proposal), by=world.user("employer"))
    seen = fresh(proposal)
    assert seen.status == ProposalStatus.SEEN
    assert seen.seen_at == timezone.now()
    assert logs(proposal) == ["see"]


def test_seeing_a_decided_proposal_changes_nothing(world):
    proposal = proposed(world)
    proposal_transition(proposal=proposal, transition="interview", by=world.user("employer"))
    proposal_see(proposal=fresh(proposal), by=world.user("employer"))
    assert fresh(proposal).status == ProposalStatus.INTERVIEW
    assert fresh(proposal).seen_at is None


# --- interview, immersion ----------------------------------------------------------------


def test_interview_then_immersion_records_dates_and_tutor(world):
    proposal = proposed(world)
    employer = world.user("employer")
    proposal_transition(proposal=proposal, transition="interview", by=employer)
    proposal_transition(
        proposal=fresh(proposal),
        transition="immersion",
        by=employer,
        immersion_start=START,
        immersion_end=START,
        immersion_tutor="  Paul Martin ",
    )
    row = fresh(proposal)
    assert row.status == ProposalStatus.IMMERSION
    assert (row.immersion_start, row.immersion_end) == (START, START)
    assert row.immersion_tutor == "Paul Martin"
    assert logs(proposal) == ["interview", "immersion"]


@pytest.mark.parametrize(
    ("start", "end", "tutor", "message"),
    [
        (None, END, "Paul Martin", "dates de début et de fin"),
        (START, None, "Paul Martin", "dates de début et de fin"),
        (END, START, "Paul Martin", "ne peut pas précéder"),
        (START, END, "   ", "tuteur"),
    ],
)
def test_immersion_needs_dates_in_order_and_a_tutor(world, start, end, tutor, message):
    proposal = proposed(world)
    proposal_see(proposal=proposal, by=world.user("employer"))
    before = TransitionLog.objects.count()
    with pytest.raises(PlacementError, match=message):
        proposal_transition(
            proposal=fresh(proposal),
            transition="immersion",
            by=world.user("employer"),
            immersion_start=start,
            immersion_end=end,
            immersion_tutor=tutor,
        )
    row = fresh(proposal)
    assert row.status == ProposalStatus.SEEN
    assert row.immersion_start is None and row.immersion_tutor == ""
    assert TransitionLog.objects.count() == before


def test_immersion_is_not_offered_before_the_proposal_is_seen(world):
    proposal = proposed(world)
    with pytest.raises(TransitionNotAllowed):
        proposal_transition(
            proposal=proposal,
            transition="immersion",
            by=world.user("employer"),
            immersion_start=START,
            immersion_end=END,
            immersion_tutor="Paul Martin",
        )
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_another_employer_cannot_decide(world):
    proposal = proposed(world)
    with pytest.raises(PlacementError, match="employeur de l'offre"):
        proposal_transition(
            proposal=proposal, transition="interview", by=world.user("outsider_employer")
        )
    assert fresh(proposal).status == ProposalStatus.PROPOSED


# --- the immersion agreement -----------------------------------------------------------


def test_the_three_parties_sign_the_agreement(world):
    proposal = in_immersion(world, proposed(world))
    assert not proposal.agreement_signed
    assert agreement_sign(proposal=proposal, by=world.user("employer")) == "employer"
    assert agreement_sign(proposal=fresh(proposal), by=world.user("learner")) == "learner"
    assert agreement_sign(proposal=fresh(proposal), by=world.user("coordinator")) == "prescriber"
    row = fresh(proposal)
    assert row.agreement_signed
    assert row.agreement_employer_by == world.user("employer")
    assert row.agreement_learner_by == world.user("learner")
    assert row.agreement_prescriber_by == world.user("coordinator")
    assert row.agreement_learner_at == timezone.now()
    parties = AuditEntry.objects.filter(
        action="proposal.agreement_sign", object_id=str(proposal.pk)
    ).values_list("details__party", flat=True)
    assert sorted(parties) == ["employer", "learner", "prescriber"]


def test_a_party_signs_only_once(world):
    proposal = in_immersion(world, proposed(world))
    agreement_sign(proposal=proposal, by=world.user("employer"))
    signed_at = fresh(proposal).agreement_employer_at
    with pytest.raises(PlacementError, match="déjà signé"):
        agreement_sign(proposal=fresh(proposal), by=world.user("employer"))
    assert fresh(proposal).agreement_employer_at == signed_at
    assert AuditEntry.objects.filter(action="proposal.agreement_sign").count() == 1


@pytest.mark.parametrize(
    "role",
    [
        "outsider_employer",
        "outsider_coordinator",
        "outsider_learner",
        "network_admin",
        "trainer",
        "prescriber",
        "funder",
    ],
)
def test_only_the_three_parties_may_sign(world, role):
    proposal = in_immersion(world, proposed(world))
    with pytest.raises(PlacementError, match="pas partie"):
        agreement_sign(proposal=proposal, by=world.user(role))
    row = fresh(proposal)
    assert (row.agreement_employer_at, row.agreement_learner_at, row.agreement_prescriber_at) == (
        None,
        None,
        None,
    )


def without_account(world):
    """A proposal of a learner who has no Tremplin account."""
    opening = factories.opening(world, positions=2)
    return factories.proposal(world, opening, factories.enrolled(world, world.running))


def test_the_coordinator_records_the_paper_signature_of_a_learner_without_account(world):
    proposal = in_immersion(world, without_account(world))
    coordinator = world.user("coordinator")
    assert agreement_sign(proposal=proposal, by=coordinator, learner_on_paper=True) == "learner"
    row = fresh(proposal)
    assert row.agreement_learner_by == coordinator
    assert row.agreement_prescriber_at is None  # recording it is not the prescriber's signature
    entry = AuditEntry.objects.get(action="proposal.agreement_sign")
    assert entry.details | {"changes": None} == {
        "party": "learner",
        "on_paper": "True",
        "changes": None,
    }
    assert entry.details["changes"]["agreement_learner_by"] == {"old": None, "new": coordinator.pk}
    with pytest.raises(PlacementError, match="déjà signé"):
        agreement_sign(proposal=fresh(proposal), by=coordinator, learner_on_paper=True)


@pytest.mark.parametrize("role", ["employer", "network_admin", "outsider_coordinator", "trainer"])
def test_only_the_sites_coordinator_records_a_paper_signature(world, role):
    proposal = in_immersion(world, without_account(world))
    with pytest.raises(PlacementError, match="signature papier"):
        agreement_sign(proposal=proposal, by=world.user(role), learner_on_paper=True)
    assert fresh(proposal).agreement_learner_at is None


def test_a_learner_with_an_account_signs_online_not_on_paper(world):
    proposal = in_immersion(world, proposed(world))
    with pytest.raises(PlacementError, match="signent en ligne"):
        agreement_sign(proposal=proposal, by=world.user("coordinator"), learner_on_paper=True)
    assert fresh(proposal).agreement_learner_at is None


def test_the_agreement_is_signed_only_during_the_immersion(world):
    proposal = proposed(world)
    proposal_transition(proposal=proposal, transition="interview", by=world.user("employer"))
    with pytest.raises(PlacementError, match="pendant l'immersion"):
        agreement_sign(proposal=fresh(proposal), by=world.user("employer"))
    assert fresh(proposal).agreement_employer_at is None


# --- hire ------------------------------------------------------------------------------


def test_hire_after_an_immersion_needs_the_signed_agreement(world):
    proposal = in_immersion(world, proposed(world))
    agreement_sign(proposal=proposal, by=world.user("employer"))
    agreement_sign(proposal=fresh(proposal), by=world.user("learner"))
    with pytest.raises(PlacementError, match="convention signée"):
        hire(fresh(proposal), world.user("employer"))
    row = fresh(proposal)
    assert row.status == ProposalStatus.IMMERSION
    assert row.hired_start_date is None

    agreement_sign(proposal=row, by=world.user("coordinator"))
    hire(fresh(proposal), world.user("employer"))
    row = fresh(proposal)
    assert row.status == ProposalStatus.HIRED
    assert row.hired_weekly_hours == Decimal(35)
    assert logs(proposal) == ["see", "immersion", "hire"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contract_type": ""}, "type de contrat"),
        ({"start_date": None}, "date d'embauche"),
        ({"contract_type": "cdd"}, "durée du CDD"),
        ({"weekly_hours": None}, "heures par semaine"),
        ({"weekly_hours": Decimal(0)}, "entre 1 et 48"),
        ({"weekly_hours": Decimal("48.5")}, "entre 1 et 48"),
    ],
)
def test_hire_needs_contract_start_hours_and_cdd_length(world, fields, message):
    proposal = proposed(world)
    with pytest.raises(PlacementError, match=message):
        hire(proposal, world.user("employer"), **fields)
    row = fresh(proposal)
    assert row.status == ProposalStatus.PROPOSED
    assert row.hired_contract_type == ""
    assert logs(proposal) == []


def test_a_cdd_hire_keeps_its_length_and_the_last_hire_fills_the_opening(world):
    opening = factories.opening(world, positions=1)
    first = factories.proposal(world, opening, learner_of(world))
    second = factories.proposal(world, opening, factories.enrolled(world, world.running))
    hire(first, world.user("employer"), contract_type="cdd", contract_months=6)
    row = fresh(first)
    assert (row.hired_contract_type, row.hired_contract_months) == ("cdd", 6)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FILLED
    assert logs(opening, "opening") == ["fill"]
    with pytest.raises(PlacementError, match="déjà pourvus"):
        hire(second, world.user("employer"))
    assert fresh(second).status == ProposalStatus.PROPOSED


# --- not retained, withdrawn -------------------------------------------------------------


def test_not_retained_needs_a_reason_from_the_list(world):
    proposal = proposed(world)
    employer = world.user("employer")
    for reason in ("", "too_old"):
        with pytest.raises(TransitionNotAllowed, match="motif"):
            proposal_transition(
                proposal=proposal, transition="not_retain", by=employer, reason=reason
            )
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    proposal_transition(proposal=proposal, transition="not_retain", by=employer, reason="skills")
    row = fresh(proposal)
    assert row.status == ProposalStatus.NOT_RETAINED
    assert TransitionLog.objects.get(object_type="proposal", object_id=row.pk).reason == "skills"


def test_only_the_coordinator_withdraws(world):
    proposal = proposed(world)
    with pytest.raises(PlacementError):
        proposal_transition(proposal=proposal, transition="withdraw", by=world.user("employer"))
    proposal_transition(proposal=proposal, transition="withdraw", by=world.user("coordinator"))
    assert fresh(proposal).status == ProposalStatus.WITHDRAWN
    with pytest.raises(TransitionNotAllowed):
        proposal_transition(proposal=proposal, transition="interview", by=world.user("employer"))


# --- proposals refused -------------------------------------------------------------------


def test_no_proposal_to_a_closed_or_filled_opening_nor_without_consent(world):
    closed = factories.opening(world)
    opening_close(opening=closed, by=world.user("employer"), reason="cancelled")
    filled = factories.opening(world, positions=1)
    hire(factories.proposal(world, filled, learner_of(world)), world.user("employer"))
    candidate = factories.enrolled(world, world.running)
    coordinator = world.user("coordinator")
    count = Proposal.objects.count()
    with pytest.raises(PlacementError, match="fermée"):
        proposal_create(opening=closed, enrolment=candidate, by=coordinator)
    with pytest.raises(PlacementError, match="pourvue"):
        proposal_create(opening=filled, enrolment=candidate, by=coordinator)
    refusing = factories.enrolled(world, world.running, consent_employers=False)
    with pytest.raises(PlacementError, match="consenti"):
        proposal_create(opening=factories.opening(world), enrolment=refusing, by=coordinator)
    assert Proposal.objects.count() == count


# --- openings: close, reopen, fill -------------------------------------------------------


def test_opening_closes_with_a_reason_and_reopens(world):
    opening = factories.opening(world)
    employer = world.user("employer")
    with pytest.raises(TransitionNotAllowed, match="motif"):
        opening_close(opening=opening, by=employer, reason="bored")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    opening_close(opening=opening, by=employer, reason="filled_elsewhere", comment="Interne")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED
    log = TransitionLog.objects.get(object_type="opening", object_id=opening.pk)
    assert (log.reason, log.comment) == ("filled_elsewhere", "Interne")
    opening_reopen(opening=opening, by=world.user("coordinator"))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    assert logs(opening, "opening") == ["close", "reopen"]
    assert AuditEntry.objects.filter(action__in=["opening.close", "opening.reopen"]).count() == 2


@pytest.mark.parametrize("role", ["outsider_employer", "trainer", "prescriber", "learner"])
def test_only_the_employer_and_the_coordinators_close_or_reopen(world, role):
    opening = factories.opening(world)
    with pytest.raises(PlacementError):
        opening_close(opening=opening, by=world.user(role), reason="cancelled")
    opening_close(opening=opening, by=world.user("network_admin"), reason="cancelled")
    with pytest.raises(PlacementError):
        opening_reopen(opening=opening, by=world.user(role))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED


def test_an_open_opening_is_not_reopened(world):
    opening = factories.opening(world)
    with pytest.raises(TransitionNotAllowed):
        opening_reopen(opening=opening, by=world.user("employer"))


def test_a_filled_opening_reopens_only_with_a_free_position(world):
    opening = factories.opening(world, positions=1)
    hire(factories.proposal(world, opening, learner_of(world)), world.user("employer"))
    with pytest.raises(PlacementError, match="ne peut pas être rouverte"):
        opening_reopen(opening=opening, by=world.user("employer"))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FILLED
    with pytest.raises(TransitionNotAllowed):
        opening_close(opening=opening, by=world.user("employer"), reason="cancelled")
    # The employer raises the number of positions: a place is free again.
    Opening.objects.filter(pk=opening.pk).update(positions=2)
    opening_reopen(opening=opening, by=world.user("employer"))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


# --- the thirty-day flag -----------------------------------------------------------------


def test_proposals_without_an_answer_for_thirty_days_are_flagged(world, settings):
    assert settings.PROPOSAL_UNANSWERED_DAYS == 30
    opening = factories.opening(world, positions=3)
    old = factories.proposal(world, opening, learner_of(world))
    old_seen = factories.proposal(world, opening, factories.enrolled(world, world.running))
    old_answered = factories.proposal(world, opening, factories.enrolled(world, world.running))
    recent = factories.proposal(world, opening, factories.enrolled(world, world.running))
    proposal_see(proposal=old_seen, by=world.user("employer"))
    proposal_transition(proposal=old_answered, transition="interview", by=world.user("employer"))
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Proposal.objects.filter(pk__in=[old.pk, old_seen.pk, old_answered.pk]).update(
        created_at=long_ago
    )
    Proposal.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=29)
    )
    flagged = set(unanswered(Proposal.objects.all()).values_list("pk", flat=True))
    assert flagged == {old.pk, old_seen.pk}


# --- emails ------------------------------------------------------------------------------


def test_a_new_proposal_is_mailed_to_the_employer_without_contact_details(
    world, django_capture_on_commit_callbacks
):
    opening = factories.opening(world)
    enrolment = learner_of(
        world,
        first_name="Inès",
        last_name="Benali",
        email="ines.benali@example.org",
        phone="06 98 76 54 32",
        birth_date=datetime.date(1998, 5, 4),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = factories.proposal(world, opening, enrolment)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.user("employer").email]
    text = message.subject + message.body
    assert "Inès" in text
    assert opening.title in text
    assert f"/propositions/{proposal.pk}/" in message.body
    for private in ("Benali", "BENALI", "ines.benali", "06 98 76 54 32", "04/05/1998", "1998"):
        assert private not in text
    person = enrolment.candidacy.person
    if person.address:
        assert person.address not in text


def test_each_answer_and_signature_is_mailed_to_the_coordinators(
    world, django_capture_on_commit_callbacks
):
    proposal = proposed(world)
    coordinator = world.user("coordinator")
    employer = world.user("employer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_see(proposal=proposal, by=employer)
    assert mail.outbox == []  # taking note is not an answer
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(proposal=proposal, transition="interview", by=employer)
        proposal_transition(
            proposal=fresh(proposal),
            transition="immersion",
            by=employer,
            immersion_start=START,
            immersion_end=END,
            immersion_tutor="Paul Martin",
        )
    with django_capture_on_commit_callbacks(execute=True):
        agreement_sign(proposal=fresh(proposal), by=employer)
        agreement_sign(proposal=fresh(proposal), by=world.user("learner"))
    with django_capture_on_commit_callbacks(execute=True):
        agreement_sign(proposal=fresh(proposal), by=coordinator)  # the author is not told
    with django_capture_on_commit_callbacks(execute=True):
        hire(fresh(proposal), employer)
    learner = world.user("learner")
    assert [m.to for m in mail.outbox] == [[coordinator.email]] * 2 + [[learner.email]] + [
        [coordinator.email]
    ] * 3
    subjects = [m.subject for m in mail.outbox]
    assert "Entretien" in subjects[0]
    assert "Immersion" in subjects[1]
    # The immersion asks the learner to sign in their space, without the coordinators' details.
    assert subjects[2] == "Tremplin : votre convention d'immersion à signer"
    assert "/mon-parcours/propositions/" in mail.outbox[2].body
    assert "Paul Martin" not in mail.outbox[2].body
    assert "l'employeur" in subjects[3] and "l'apprenant" in subjects[4]
    assert "Embauche" in subjects[5]
    assert "Paul Martin" in mail.outbox[1].body
    assert "35" in mail.outbox[5].body


def test_not_retained_mail_names_the_reason(world, django_capture_on_commit_callbacks):
    proposal = proposed(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(
            proposal=proposal, transition="not_retain", by=world.user("employer"), reason="mobility"
        )
    assert len(mail.outbox) == 1
    assert "Mobilité incompatible avec le poste" in mail.outbox[0].body


def test_a_refused_write_sends_nothing(world, django_capture_on_commit_callbacks):
    proposal = proposed(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PlacementError):
        hire(proposal, world.user("employer"), weekly_hours=Decimal(60))
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["outsider_coordinator", "trainer", "prescriber"])
def test_only_the_learners_site_withdraws(world, role):
    proposal = proposed(world)
    with pytest.raises(PlacementError, match="site de l'apprenant"):
        proposal_transition(proposal=proposal, transition="withdraw", by=world.user(role))
    assert fresh(proposal).status == ProposalStatus.PROPOSED
