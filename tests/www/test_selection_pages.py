"""Selection decisions through the pages: allowed moves, refused moves, messages."""

import pytest

from tests import factories
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.core.models import TransitionLog

pytestmark = pytest.mark.django_db


def decide(client, candidacy, **data):
    return client.post(f"/candidatures/{candidacy.pk}/decision/", data, follow=True)


def test_coordinator_moves_a_candidacy_and_prescriber_sees_it(client_for, world):
    candidacy = factories.referral(world)
    client = client_for("coordinator")
    page = client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Inviter en réunion d&#x27;information" in page
    response = decide(client, candidacy, transition="invite", comment="Réunion jeudi 9h")
    assert "Candidature : Invitée en réunion d&#x27;information." in response.content.decode()
    html = client_for("prescriber").get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Invitée en réunion d&#x27;information" in html
    assert "Réunion jeudi 9h" in html


def test_invalid_transition_shows_message_and_keeps_state(client_for, world):
    candidacy = factories.referral(world)
    response = decide(client_for("coordinator"), candidacy, transition="accept")
    assert (
        "« Accepter » est impossible depuis l&#x27;état actuel (Nouvelle)."
        in response.content.decode()
    )
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.NEW
    assert not TransitionLog.objects.exists()


def test_refusal_without_reason_is_refused(client_for, world):
    candidacy = factories.referral(world)
    response = decide(client_for("coordinator"), candidacy, transition="refuse", reason="")
    assert "Choisissez un motif dans la liste." in response.content.decode()
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.NEW


@pytest.mark.parametrize("role", ["prescriber", "trainer", "outsider_coordinator"])
def test_others_cannot_decide(client_for, world, role):
    candidacy = factories.referral(world)
    response = client_for(role).post(
        f"/candidatures/{candidacy.pk}/decision/", {"transition": "invite"}
    )
    assert response.status_code in (403, 404)
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.NEW


def test_enrolment_through_the_cohort_page(client_for, world):
    candidacy = factories.accepted(world)
    client = client_for("coordinator")
    assert (
        candidacy.person.full_name
        in client.get(f"/promotions/{world.upcoming.pk}/").content.decode()
    )
    response = client.post(
        f"/promotions/{world.upcoming.pk}/inscrire/", {"candidacy": candidacy.pk}
    )
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ENROLLED
    assert response["Location"] == f"/parcours/{candidacy.enrolment.pk}/"


def test_full_cohort_says_so(client_for, world):
    world.upcoming.capacity = 1
    world.upcoming.save(update_fields=["capacity"])
    factories.enrolled(world)
    candidacy = factories.accepted(world)
    response = client_for("coordinator").post(
        f"/promotions/{world.upcoming.pk}/inscrire/", {"candidacy": candidacy.pk}, follow=True
    )
    assert f"La promotion « {world.upcoming.name} » est complète (1 place)." in (
        response.content.decode()
    )
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ACCEPTED


def test_learner_sees_own_history_without_staff_comments(client_for, world):
    candidacy = factories.referral(world)
    Person = type(candidacy.person)
    Person.objects.filter(pk=candidacy.person_id).update(account=world.user("learner"))
    decide(client_for("coordinator"), candidacy, transition="invite", comment="Note interne")
    html = client_for("learner").get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Invitée en réunion d&#x27;information" in html
    assert "Note interne" not in html


def test_candidacy_page_shows_the_detected_priority_neighbourhood(client_for, world):
    candidacy = factories.referral(world, qpv_declared=False)
    type(candidacy.person).objects.filter(pk=candidacy.person_id).update(
        qpv_code="QN01306M", qpv_name="Frais Vallon", location_source="address"
    )
    html = client_for("coordinator").get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "oui : Frais Vallon (QN01306M), d'après l'adresse" in html


def test_candidacy_page_flags_a_declared_qpv_the_address_contradicts(client_for, world):
    candidacy = factories.referral(world, qpv_declared=True)
    type(candidacy.person).objects.filter(pk=candidacy.person_id).update(location_source="address")
    html = client_for("coordinator").get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "non, d'après l'adresse" in html
    assert "déclaré : oui, à vérifier" in html


def test_site_managers_reach_the_person_page_from_the_candidacy(client_for, world):
    candidacy = factories.referral(world)
    link = f'href="/personnes/{candidacy.person_id}/"'
    assert link in client_for("coordinator").get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert (
        link not in client_for("prescriber").get(f"/candidatures/{candidacy.pk}/").content.decode()
    )
