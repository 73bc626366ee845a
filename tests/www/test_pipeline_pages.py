"""Pages of the placement pipeline, role by role: what the employer reads of a candidate,
the decisions with their fields, the immersion agreement's signatures, the thirty-day flag,
closing and reopening an opening, and the learner's « Mes propositions »."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import ERROR, get_messages
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tremplin.assessments.services import evaluation_record
from tremplin.cohorts.services import competencies_of
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.employers.enums import OpeningStatus, ProposalStatus
from tremplin.employers.models import Opening, Proposal
from tremplin.employers.services import proposal_see, proposal_transition

pytestmark = pytest.mark.django_db

LEARNER = {
    "first_name": "Inès",
    "last_name": "Benali",
    "birth_date": datetime.date(1998, 5, 4),
    "email": "ines.benali@example.org",
    "phone": "06 98 76 54 32",
    "address": "12 rue des Lilas",
    "commune": "Marseille",
    "postal_code": "13013",
}


@pytest.fixture
def proposal(world):
    enrolment = factories.enrolled(world, world.running, **LEARNER)
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    competency = competencies_of(enrolment).first()
    evaluation_record(
        enrolment=enrolment,
        competency=competency,
        title="Épissure par fusion",
        held_on=timezone.localdate(),
        criteria=[("Soudure mesurée", True)],
        passed=True,
        evidence="Atténuation mesurée à 0,02 dB",
        by=world.user("trainer"),
    )
    return factories.proposal(world, factories.opening(world), enrolment)


def fresh(proposal):
    return Proposal.objects.get(pk=proposal.pk)


def errors(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]


def decide(client, proposal, **data):
    return client.post(reverse("proposal_decide", args=[proposal.pk]), data)


def to_immersion(world, proposal):
    employer = world.user("employer")
    proposal_see(proposal=proposal, by=employer)
    proposal_transition(
        proposal=proposal,
        transition="immersion",
        by=employer,
        immersion_start=datetime.date(2026, 12, 7),
        immersion_end=datetime.date(2026, 12, 18),
        immersion_tutor="Paul Martin",
    )
    return fresh(proposal)


# --- the proposal page ------------------------------------------------------------------


def test_employer_sees_only_the_shared_profile_and_marks_it_seen(client_for, world, proposal):
    html = client_for("employer").get(reverse("proposal_detail", args=[proposal.pk])).content
    page = html.decode()
    assert "Inès B." in page
    assert "BENALI" not in page and "Benali" not in page
    for private in ("ines.benali", "06 98 76 54 32", "12 rue des Lilas", "04/05/1998", "13013"):
        assert private not in page
    assert "RSA" not in page and "QPV" not in page
    assert "Atténuation mesurée à 0,02 dB" in page  # the evidence of the acquired competency
    assert "Épissure par fusion" in page  # the practical evaluation
    end = proposal.enrolment.cohort.end_date
    assert f"{end:%d/%m/%Y}" in page  # available at the cohort's end, no job search saved
    assert fresh(proposal).status == ProposalStatus.SEEN


def test_coordinator_sees_the_full_page_and_does_not_mark_it_seen(client_for, proposal):
    page = client_for("coordinator").get(reverse("proposal_detail", args=[proposal.pk]))
    html = page.content.decode()
    assert "Inès BENALI" in html
    assert "ines.benali@example.org" in html and "06 98 76 54 32" in html
    assert fresh(proposal).status == ProposalStatus.PROPOSED


@pytest.mark.parametrize(
    "role",
    ["outsider_employer", "trainer", "prescriber", "funder", "learner", "outsider_coordinator"],
)
def test_others_reach_neither_the_page_nor_its_actions(client_for, role, proposal):
    client = client_for(role)
    assert client.get(reverse("proposal_detail", args=[proposal.pk])).status_code == 404
    assert decide(client, proposal, transition="interview").status_code == 404
    assert client.post(reverse("proposal_sign", args=[proposal.pk])).status_code == 404
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    assert not TransitionLog.objects.filter(object_type="proposal").exists()


@pytest.mark.parametrize("role", ["trainer", "prescriber", "funder", "learner"])
def test_the_proposal_list_is_for_employers_and_coordinators(client_for, role, proposal):
    assert client_for(role).get(reverse("proposal_list")).status_code == 403


def test_the_employer_list_names_the_candidate_by_first_name_and_initial(client_for, proposal):
    html = client_for("employer").get(reverse("proposal_list")).content.decode()
    assert "Inès B." in html and "BENALI" not in html


# --- decisions with their fields ----------------------------------------------------------


def test_employer_offers_an_immersion_with_its_fields(client_for, proposal):
    client = client_for("employer")
    client.get(reverse("proposal_detail", args=[proposal.pk]))  # seen
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert 'name="immersion_start"' in page and 'name="immersion_tutor"' in page
    response = decide(
        client,
        proposal,
        transition="immersion",
        immersion_start="2026-12-07",
        immersion_end="2026-12-18",
        immersion_tutor="Paul Martin",
    )
    assert not errors(response)
    row = fresh(proposal)
    assert row.status == ProposalStatus.IMMERSION
    assert row.immersion_tutor == "Paul Martin"
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Paul Martin" in page and "en attente de signature" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"immersion_tutor": "Paul Martin"}, "dates de début et de fin"),
        (
            {
                "immersion_start": "2026-12-18",
                "immersion_end": "2026-12-07",
                "immersion_tutor": "Paul Martin",
            },
            "ne peut pas précéder",
        ),
        ({"immersion_start": "2026-12-07", "immersion_end": "2026-12-18"}, "tuteur"),
        ({"immersion_start": "pas une date", "immersion_end": "2026-12-18"}, "date valide"),
    ],
)
def test_a_bad_immersion_says_why_and_writes_nothing(client_for, proposal, data, message):
    client = client_for("employer")
    client.get(reverse("proposal_detail", args=[proposal.pk]))
    before = (TransitionLog.objects.count(), AuditEntry.objects.count())
    response = decide(client, proposal, transition="immersion", **data)
    assert response.status_code == 302
    assert any(message in e for e in errors(response)), errors(response)
    row = fresh(proposal)
    assert row.status == ProposalStatus.SEEN and row.immersion_start is None
    assert (TransitionLog.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("hours", "message"),
    [("0", "de 1 à 48"), ("49", "de 1 à 48"), ("", "heures par semaine"), ("abc", "nombre")],
)
def test_hire_hours_out_of_range_are_refused(client_for, proposal, hours, message):
    response = decide(
        client_for("employer"),
        proposal,
        transition="hire",
        contract_type="cdi",
        start_date="2027-01-04",
        weekly_hours=hours,
    )
    assert any(message in e for e in errors(response)), errors(response)
    row = fresh(proposal)
    assert row.status == ProposalStatus.PROPOSED and row.hired_weekly_hours is None


def test_not_retained_with_an_unknown_reason_is_refused(client_for, proposal):
    response = decide(client_for("employer"), proposal, transition="not_retain", reason="age")
    assert any("motif" in e for e in errors(response))
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    page = client_for("employer").get(reverse("proposal_detail", args=[proposal.pk]))
    assert "Mobilité incompatible avec le poste" in page.content.decode()  # the list offered


def test_coordinator_of_the_site_withdraws(client_for, proposal):
    assert decide(client_for("employer"), proposal, transition="withdraw").status_code == 302
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    decide(client_for("coordinator"), proposal, transition="withdraw")
    assert fresh(proposal).status == ProposalStatus.WITHDRAWN


# --- the agreement ------------------------------------------------------------------------


def test_the_three_parties_sign_on_their_pages_then_the_employer_hires(client_for, world, proposal):
    proposal = to_immersion(world, proposal)
    employer = client_for("employer")
    hire = {
        "transition": "hire",
        "contract_type": "cdi",
        "start_date": "2027-01-04",
        "weekly_hours": "35",
    }
    response = decide(employer, proposal, **hire)
    assert any("convention signée" in e for e in errors(response))
    assert fresh(proposal).status == ProposalStatus.IMMERSION

    page = employer.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert reverse("proposal_sign", args=[proposal.pk]) in page
    employer.post(reverse("proposal_sign", args=[proposal.pk]))
    again = employer.post(reverse("proposal_sign", args=[proposal.pk]))
    assert any("déjà signé" in e for e in errors(again))

    coordinator = client_for("coordinator")
    coordinator.post(reverse("proposal_sign", args=[proposal.pk]))
    page = coordinator.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert reverse("proposal_sign", args=[proposal.pk]) not in page  # already signed

    learner = client_for("learner")
    listing = learner.get(reverse("learner_proposals")).content.decode()
    assert proposal.opening.title in listing and "Free Pro" in listing
    sign_url = reverse("learner_proposal_sign", args=[proposal.pk])
    assert sign_url in listing
    response = learner.post(sign_url)
    assert response["Location"] == reverse("learner_proposals")
    assert sign_url not in learner.get(reverse("learner_proposals")).content.decode()

    row = fresh(proposal)
    assert row.agreement_signed
    assert row.agreement_prescriber_by == world.user("coordinator")
    decide(client_for("employer"), proposal, **hire)
    row = fresh(proposal)
    assert row.status == ProposalStatus.HIRED and row.hired_weekly_hours == Decimal(35)


def test_a_learner_signs_only_their_own_agreement(client_for, world, proposal):
    proposal = to_immersion(world, proposal)
    other = client_for("outsider_learner")
    assert proposal.opening.title not in other.get(reverse("learner_proposals")).content.decode()
    assert other.post(reverse("learner_proposal_sign", args=[proposal.pk])).status_code == 404
    assert (
        client_for("employer")
        .post(reverse("learner_proposal_sign", args=[proposal.pk]))
        .status_code
        == 403
    )
    assert fresh(proposal).agreement_learner_at is None


def test_the_coordinator_records_the_paper_signature_of_a_learner_without_account(
    client_for, world
):
    enrolment = factories.enrolled(world, world.running)
    proposal = to_immersion(world, factories.proposal(world, factories.opening(world), enrolment))
    url = reverse("proposal_sign", args=[proposal.pk])
    # The employer cannot pass off a signature for the learner (client_for logs the one test
    # client in as each role in turn: the employer first, then the coordinator).
    response = client_for("employer").post(url, {"party": "learner_on_paper"})
    assert "signature papier" in errors(response)[0]
    assert fresh(proposal).agreement_learner_at is None
    coordinator = client_for("coordinator")
    page = coordinator.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Enregistrer la signature papier" in page
    response = coordinator.post(url, {"party": "learner_on_paper"})
    assert response.status_code == 302 and not errors(response)
    row = fresh(proposal)
    assert row.agreement_learner_by == world.user("coordinator")
    assert row.agreement_prescriber_at is None
    page = coordinator.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Enregistrer la signature papier" not in page


def test_no_paper_signature_for_a_learner_with_an_account(client_for, world, proposal):
    proposal = to_immersion(world, proposal)
    coordinator = client_for("coordinator")
    page = coordinator.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Enregistrer la signature papier" not in page
    response = coordinator.post(
        reverse("proposal_sign", args=[proposal.pk]), {"party": "learner_on_paper"}
    )
    assert "signent en ligne" in errors(response)[0]
    assert fresh(proposal).agreement_learner_at is None


def test_the_network_admin_is_not_a_party(client_for, world, proposal):
    proposal = to_immersion(world, proposal)
    response = client_for("network_admin").post(reverse("proposal_sign", args=[proposal.pk]))
    assert any("pas partie" in e for e in errors(response))
    assert fresh(proposal).agreement_prescriber_at is None


def test_the_learner_page_is_for_learners(client_for):
    assert client_for("coordinator").get(reverse("learner_proposals")).status_code == 403


# --- the thirty-day flag ------------------------------------------------------------------


def test_unanswered_proposals_carry_a_badge_and_a_filter(client_for, world, proposal):
    answered = factories.proposal(
        world, proposal.opening, factories.enrolled(world, world.running, first_name="Karim")
    )
    Proposal.objects.filter(pk__in=[proposal.pk, answered.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    proposal_transition(proposal=answered, transition="interview", by=world.user("employer"))
    client = client_for("coordinator")
    html = client.get(reverse("proposal_list")).content.decode()
    assert html.count("Sans réponse depuis 30 jours") == 1
    filtered = client.get(reverse("proposal_list") + "?sans_reponse=1").content.decode()
    assert "Inès BENALI" in filtered and "Karim" not in filtered


# --- closing and reopening an opening ------------------------------------------------------


def test_the_employer_closes_and_reopens_the_opening(client_for, proposal):
    opening = proposal.opening
    client = client_for("employer")
    page = client.get(reverse("opening_detail", args=[opening.pk])).content.decode()
    assert reverse("opening_close", args=[opening.pk]) in page
    response = client.post(reverse("opening_close", args=[opening.pk]), {"reason": "unknown"})
    assert errors(response)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    client.post(reverse("opening_close", args=[opening.pk]), {"reason": "cancelled"})
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED
    page = client.get(reverse("opening_detail", args=[opening.pk])).content.decode()
    assert reverse("opening_reopen", args=[opening.pk]) in page
    client.post(reverse("opening_reopen", args=[opening.pk]))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


def test_a_filled_opening_is_not_reopened_from_the_page(client_for, world, proposal):
    opening = proposal.opening
    Opening.objects.filter(pk=opening.pk).update(positions=1)
    proposal_transition(
        proposal=proposal,
        transition="hire",
        by=world.user("employer"),
        contract_type="cdi",
        start_date=datetime.date(2027, 1, 4),
        weekly_hours=Decimal(35),
    )
    client = client_for("coordinator")
    page = client.get(reverse("opening_detail", args=[opening.pk])).content.decode()
    assert reverse("opening_reopen", args=[opening.pk]) not in page
    response = client.post(reverse("opening_reopen", args=[opening.pk]))
    assert any("ne peut pas être rouverte" in e for e in errors(response))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FILLED


@pytest.mark.parametrize("role", ["outsider_employer", "trainer", "prescriber", "funder"])
def test_others_cannot_close_an_opening(client_for, role, proposal):
    response = client_for(role).post(
        reverse("opening_close", args=[proposal.opening.pk]), {"reason": "cancelled"}
    )
    assert response.status_code == 404
    proposal.opening.refresh_from_db()
    assert proposal.opening.status == OpeningStatus.OPEN
