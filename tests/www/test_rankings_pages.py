"""Ranking pages per role: the opening's candidates, a learner's openings, their job search."""

import datetime

import pytest
from django.utils.html import escape

from tests import factories
from tremplin.cohorts.services import competency_assess
from tremplin.employers.models import JobSearch, Opening, Proposal
from tremplin.geo.services import person_locate
from tremplin.people.enums import Mobility
from tremplin.programmes.models import Competency

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(world):
    """An opening in Vitrolles asking two fibre competencies, and Inès Benali (learner
    account, in the running cohort, from Marseille 13e with a car) who holds them."""
    factories.communes_loaded(["13"])
    fibre = list(
        Competency.objects.filter(block__certification__code="irtfo").order_by(
            "block__position", "position"
        )[:2]
    )
    opening = factories.opening(world, postal_code="13127", commune="Vitrolles")
    opening.required_competencies.set(fibre)
    enrolment = factories.enrolled(
        world,
        world.running,
        first_name="Inès",
        last_name="Benali",
        email="ines.benali@example.org",
        phone="06 98 76 54 32",
        address="12 rue des Lilas",
        has_driving_licence=True,
        mobility=Mobility.CAR,
    )
    person = enrolment.candidacy.person
    person_locate(person=person)
    factories.link_account(person, world.user("learner"))
    for competency in fibre:
        competency_assess(
            enrolment=enrolment,
            competency=competency,
            level="acquired",
            evidence="Soudure validée",
            on_date=datetime.date(2026, 11, 2),
            by=world.user("trainer"),
        )
    return {"opening": opening, "enrolment": enrolment, "competencies": fibre}


def test_coordinator_sees_ranked_candidates_and_proposes(client_for, world, ranked):
    opening, enrolment = ranked["opening"], ranked["enrolment"]
    unlocated = factories.enrolled(world, world.running, first_name="Yanis", last_name="Haddad")
    client = client_for("coordinator")
    html = client.get(f"/offres/{opening.pk}/").content.decode()
    assert 'id="ranked-candidates"' in html
    assert "Inès BENALI" in html
    assert "Pourquoi ?" in html and "Score 0,85 sur 1" in html  # 18 km of a 30 km reach
    assert f'name="enrolment" value="{enrolment.pk}"' in html
    # Left out, with the reason, and not proposable.
    assert "Yanis HADDAD" in html and "non localisé" in html
    assert f'name="enrolment" value="{unlocated.pk}"' not in html

    response = client.post(
        f"/offres/{opening.pk}/proposer/", {"enrolment": enrolment.pk, "note": "Très motivée."}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/propositions/{proposal.pk}/"
    assert (proposal.enrolment, proposal.note) == (enrolment, "Très motivée.")
    # Proposed: no longer among the candidates to propose.
    html = client.get(f"/offres/{opening.pk}/").content.decode()
    assert f'name="enrolment" value="{enrolment.pk}"' not in html


def test_the_openings_employer_sees_anonymised_candidates(client_for, world, ranked):
    html = client_for("employer").get(f"/offres/{ranked['opening'].pk}/").content.decode()
    assert 'id="anonymous-candidates"' in html
    assert "Inès B." in html
    for identifying in ("Benali", "BENALI", "06 98 76 54 32", "ines.benali@example.org"):
        assert identifying not in html
    assert "12 rue des Lilas" not in html and "Lilas" not in html
    assert "RSA" not in html and "QPV" not in html
    assert f"/parcours/{ranked['enrolment'].pk}/" not in html
    assert "Proposer" not in html
    for competency in ranked["competencies"]:
        assert escape(competency.title) in html
    assert "disponible à partir du" in html


def test_other_roles_on_the_opening_page(client_for, world, ranked):
    url = f"/offres/{ranked['opening'].pk}/"
    for role in ("outsider_employer", "trainer", "prescriber", "funder", "learner"):
        assert client_for(role).get(url).status_code == 404, role


def test_enrolment_openings_page_per_role(client_for, world, ranked):
    enrolment = ranked["enrolment"]
    url = f"/inscriptions/{enrolment.pk}/offres/"
    coordinator = client_for("coordinator").get(url).content.decode()
    assert ranked["opening"].title in coordinator
    assert f'href="/offres/{ranked["opening"].pk}/"' in coordinator
    assert 'name="max_km"' in coordinator  # the job search form
    assert "Proposer" in coordinator
    # The trainer of the cohort reads the ranking; proposing and editing stay with the site.
    trainer = client_for("trainer").get(url).content.decode()
    assert ranked["opening"].title in trainer
    assert 'name="max_km"' not in trainer and "Proposer" not in trainer
    assert f'href="/offres/{ranked["opening"].pk}/"' not in trainer
    assert client_for("trainer").post(url, {"max_km": "10"}).status_code == 403
    for role, status in [
        ("outsider_coordinator", 404),
        ("outsider_trainer", 404),
        ("prescriber", 404),
        ("funder", 404),
        ("employer", 404),
        ("learner", 403),
    ]:
        assert client_for(role).get(url).status_code == status, role
    detail = client_for("coordinator").get(f"/parcours/{enrolment.pk}/").content.decode()
    assert f'href="{url}"' in detail


def test_coordinator_saves_the_job_search(client_for, world, ranked):
    enrolment = ranked["enrolment"]
    url = f"/inscriptions/{enrolment.pk}/offres/"
    response = client_for("coordinator").post(
        url,
        {
            "max_km": "10",
            "contracts": ["cdd", "interim"],
            "working_time": "part",
            "available_from": "2027-01-04",
            "experience": "Manutentionnaire",
        },
    )
    assert response["Location"] == url
    search = JobSearch.objects.get()
    assert (search.max_km, search.contracts, search.working_time) == (
        10,
        ["cdd", "interim"],
        "part",
    )
    # Vitrolles is 20 km away: beyond the new reach, the opening leaves the ranking.
    html = client_for("coordinator").get(url).content.decode()
    assert 'id="ranked-openings"' not in html


def test_learner_sees_their_offers_and_saves_their_job_search(client_for, world, ranked):
    client = client_for("learner")
    html = client.get("/mon-parcours/").content.decode()
    assert "Offres pour vous" in html
    assert ranked["opening"].title in html and "Pourquoi ?" in html
    assert "Ma recherche d'emploi" in html
    assert f'href="/offres/{ranked["opening"].pk}/"' not in html  # not a learner's page

    response = client.post(
        "/mon-parcours/",
        {"max_km": "45", "contracts": ["cdi"], "working_time": "full", "available_from": ""},
    )
    assert response["Location"] == "/mon-parcours/"
    search = JobSearch.objects.get()
    assert (search.enrolment, search.max_km, search.contracts) == (ranked["enrolment"], 45, ["cdi"])
    assert search.updated_by == world.user("learner")
    assert 'value="45"' in client.get("/mon-parcours/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"max_km": "0", "working_time": "any"},
        {"max_km": "301", "working_time": "any"},
        {"max_km": "douze", "working_time": "any"},
        {"max_km": "20", "working_time": "any", "contracts": ["stage"]},
        {"max_km": "20", "working_time": "nuit"},
        {"max_km": "20", "working_time": "any", "available_from": "2026-13-45"},
    ],
)
def test_bad_job_search_input_writes_nothing(client_for, world, ranked, data):
    for role, url in [
        ("learner", "/mon-parcours/"),
        ("coordinator", f"/inscriptions/{ranked['enrolment'].pk}/offres/"),
    ]:
        response = client_for(role).post(url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "n&#x27;a pas été enregistrée" in html
        assert "is-invalid" in html
    assert not JobSearch.objects.exists()


def test_opening_with_an_unknown_commune_is_refused(client_for, world):
    factories.communes_loaded(["13"])
    data = {
        "employer": world.employer.pk,
        "title": "Technicien datacenter",
        "rome_code": "I1403",
        "contract_type": "cdi",
        "commune": "Atlantis",
        "postal_code": "13999",
        "working_time": "full",
        "positions": "1",
    }
    html = client_for("employer").post("/offres/nouvelle/", data).content.decode()
    assert "Commune introuvable" in html and "Atlantis" in html
    assert not Opening.objects.exists()
    html = (
        client_for("employer")
        .post("/offres/nouvelle/", data | {"postal_code": "1300"})
        .content.decode()
    )
    assert "cinq chiffres" in html
    assert not Opening.objects.exists()


def test_opening_created_through_the_page_is_placed(client_for, world):
    factories.communes_loaded(["13"])
    desired = Competency.objects.filter(block__certification__code="irtfo").first()
    response = client_for("coordinator").post(
        "/offres/nouvelle/",
        {
            "employer": world.employer.pk,
            "title": "Technicien datacenter",
            "rome_code": "I1403",
            "contract_type": "cdd",
            "commune": "vitrolles",
            "postal_code": "13127",
            "working_time": "part",
            "starts_on": "2027-01-11",
            "desired_competencies": [desired.pk],
            "positions": "1",
        },
    )
    opening = Opening.objects.get()
    assert response["Location"] == f"/offres/{opening.pk}/"
    assert (opening.commune, opening.commune_code, opening.working_time) == (
        "Vitrolles",
        "13117",
        "part",
    )
    assert opening.latitude is not None and opening.longitude is not None
    assert opening.starts_on == datetime.date(2027, 1, 11)
    assert list(opening.desired_competencies.all()) == [desired]
