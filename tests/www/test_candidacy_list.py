"""The candidacy list: advisors follow their people with statuses, filters, search and pages."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import candidacy_create, candidacy_transition

pytestmark = pytest.mark.django_db


def names(response):
    """The people listed, in the order shown."""
    return re.findall(r'href="/candidatures/\d+/">([^<]+)</a>', unescape(response.content.decode()))


def status_count(response, status):
    html = response.content.decode()
    match = re.search(rf'data-status="{status}"[^>]*>[^<]*<span class="badge[^"]*">(\d+)<', html)
    assert match, status
    return int(match.group(1))


@pytest.fixture
def referrals(world):
    """Three referrals by France Travail, one by the Mission locale, one public application."""
    helene = factories.referral(
        world, first_name="Hélène", last_name="Dupré", email="helene.d@example.org"
    )
    karim = factories.referral(
        world, world.other_cohort, first_name="Karim", last_name="Ouali", phone="07 11 22 33 44"
    )
    awa = factories.referral(world, first_name="Awa", last_name="Diallo")
    candidacy_transition(candidacy=awa, transition="invite", by=world.user("coordinator"))
    other = candidacy_create(
        cohort=world.upcoming,
        person_data=factories.person_data(first_name="Léo", last_name="Martin"),
        motivation="",
        by=world.user("outsider_prescriber"),
    )
    public = candidacy_create(
        cohort=world.upcoming,
        person_data=factories.person_data(first_name="Inès", last_name="Benali"),
        motivation="",
        by=None,
    )
    return {"helene": helene, "karim": karim, "awa": awa, "other": other, "public": public}


def test_a_prescriber_sees_their_organisation_s_referrals_only(client_for, world, referrals):
    listed = names(client_for("prescriber").get("/candidatures/"))
    assert sorted(listed) == ["Awa DIALLO", "Hélène DUPRÉ", "Karim OUALI"]


def test_the_other_prescriber_sees_only_theirs(client_for, world, referrals):
    assert names(client_for("outsider_prescriber").get("/candidatures/")) == ["Léo MARTIN"]


def test_a_coordinator_sees_their_site_public_applications_included(client_for, referrals):
    listed = names(client_for("coordinator").get("/candidatures/"))
    assert sorted(listed) == ["Awa DIALLO", "Hélène DUPRÉ", "Inès BENALI", "Léo MARTIN"]


def test_the_lyon_coordinator_sees_lyon_only(client_for, referrals):
    assert names(client_for("outsider_coordinator").get("/candidatures/")) == ["Karim OUALI"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", ["Hélène DUPRÉ"]),  # without accents
        ("DUPRE hélène", ["Hélène DUPRÉ"]),  # any order, any case
        ("HELENE.D@", ["Hélène DUPRÉ"]),  # part of an email address
        ("+33 7 11 22 33 44", ["Karim OUALI"]),  # phone typed another way
        ("07.11.22", ["Karim OUALI"]),  # the beginning of a phone number
        ("Benali", []),  # a public application: not the prescriber's
        ("zzz", []),
    ],
)
def test_search_by_name_email_or_phone(client_for, referrals, query, expected):
    assert names(client_for("prescriber").get("/candidatures/", {"q": query})) == expected


def test_filters_status_cohort_source_and_dates(client_for, world, referrals, frozen_clock):
    prescriber = client_for("prescriber")
    by_cohort = names(prescriber.get("/candidatures/", {"promotion": world.other_cohort.pk}))
    assert by_cohort == ["Karim OUALI"]
    client = client_for("coordinator")
    assert names(client.get("/candidatures/", {"statut": "invited"})) == ["Awa DIALLO"]
    assert names(client.get("/candidatures/", {"origine": "public"})) == ["Inès BENALI"]
    today = datetime.date(2026, 11, 30)
    assert len(names(client.get("/candidatures/", {"du": today, "au": today}))) == 4
    assert names(client.get("/candidatures/", {"du": "2026-12-01"})) == []
    assert names(client.get("/candidatures/", {"au": "2026-11-29"})) == []


def test_a_cohort_of_another_site_cannot_be_chosen(client_for, world, referrals):
    response = client_for("coordinator").get("/candidatures/", {"promotion": world.other_cohort.pk})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert "Karim OUALI" not in names(response)


def test_an_inverted_date_range_is_explained(client_for, referrals):
    response = client_for("coordinator").get(
        "/candidatures/", {"du": "2026-12-01", "au": "2026-11-01"}
    )
    assert "La date de fin doit suivre la date de début." in unescape(response.content.decode())
    assert "Ce champ" not in response.content.decode()


def test_counts_per_status_follow_the_other_filters(client_for, world, referrals):
    client = client_for("coordinator")
    everything = client.get("/candidatures/")
    assert status_count(everything, "new") == 3
    assert status_count(everything, "invited") == 1
    assert status_count(everything, "accepted") == 0
    # Filtering on a status keeps the counts of the others, so each link says what it gives.
    invited = client.get("/candidatures/", {"statut": "invited"})
    assert status_count(invited, "new") == 3
    public = client.get("/candidatures/", {"origine": "public"})
    assert status_count(public, "new") == 1 and status_count(public, "invited") == 0


def test_sorted_by_name_and_by_date(client_for, referrals, frozen_clock):
    client = client_for("coordinator")
    assert names(client.get("/candidatures/", {"tri": "nom"})) == [
        "Inès BENALI",
        "Awa DIALLO",
        "Hélène DUPRÉ",
        "Léo MARTIN",
    ]
    newest_first = names(client.get("/candidatures/"))
    assert newest_first == list(reversed(names(client.get("/candidatures/", {"tri": "anciennes"}))))
    assert newest_first[0] == "Inès BENALI"  # the last one created


def test_fifty_per_page(client_for, world):
    for n in range(53):
        factories.referral(world, first_name=f"Personne{n:02d}", last_name="Test")
    client = client_for("prescriber")
    first = client.get("/candidatures/", {"tri": "anciennes"})
    assert len(names(first)) == 50
    assert names(first)[0] == "Personne00 TEST"
    assert "53 candidatures — page 1 sur 2" in first.content.decode()
    second = client.get("/candidatures/", {"tri": "anciennes", "page": 2})
    assert names(second) == ["Personne50 TEST", "Personne51 TEST", "Personne52 TEST"]
    assert '?tri=anciennes&amp;page=1"' in second.content.decode()


def test_no_query_per_row(client_for, world):
    client = client_for("coordinator")
    for n in range(3):
        factories.referral(world, first_name=f"Avant{n}", last_name="Test")
    client.get("/candidatures/")  # session and user loaded once
    with CaptureQueriesContext(connection) as few:
        assert len(names(client.get("/candidatures/", {"q": "test"}))) == 3
    spring = factories.cohort(
        world.programme,
        world.site,
        "Promo de printemps",
        world.upcoming.start_date + datetime.timedelta(days=60),
    )
    for n in range(15):
        factories.referral(world, spring, first_name=f"Apres{n}", last_name="Test")
        factories.referral(world, first_name=f"Ensuite{n}", last_name="Test")
    with CaptureQueriesContext(connection) as many:
        assert len(names(client.get("/candidatures/", {"q": "test"}))) == 33
    assert len(many) == len(few)
    # Session, user, the 2FA device that verified the session (django_otp's OTPMiddleware),
    # counts per status (which also give the page count), the sites and the cohorts (with
    # their site) of the filters, the page.
    assert len(few) == 7, [q["sql"] for q in few.captured_queries]


@pytest.mark.parametrize("role", ["trainer", "employer", "funder", "learner"])
def test_roles_without_the_list(client_for, role):
    assert client_for(role).get("/candidatures/").status_code == 403


def test_only_site_managers_get_the_person_link(client_for, referrals):
    person = referrals["helene"].person_id
    assert (
        f"/personnes/{person}/" in client_for("coordinator").get("/candidatures/").content.decode()
    )
    assert (
        f"/personnes/{person}/"
        not in client_for("prescriber").get("/candidatures/").content.decode()
    )


def test_the_list_is_unchanged_by_a_bad_page_number(client_for, referrals):
    client = client_for("prescriber")
    assert names(client.get("/candidatures/", {"page": "abc"})) == names(
        client.get("/candidatures/")
    )
    assert Candidacy.objects.count() == 5


def options(response, name):
    """The (value, label) options of the filter ``name``, the empty one left out."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return [
        (v, unescape(label))
        for v, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select.group(0))
    ]


def test_the_network_admin_chooses_a_site_then_one_of_its_cohorts(client_for, world, referrals):
    client = client_for("network_admin")
    everything = client.get("/candidatures/")
    assert {label for _v, label in options(everything, "site")} == {
        world.site.name,
        world.other_site.name,
    }
    # Thousands of cohorts in a network: none offered before a site is chosen.
    assert options(everything, "promotion") == []
    assert "Choisissez un site pour lister ses promotions." in everything.content.decode()
    lyon = client.get("/candidatures/", {"site": world.other_site.pk})
    assert names(lyon) == ["Karim OUALI"]
    assert {int(v) for v, _l in options(lyon, "promotion")} == {world.other_cohort.pk}
    # A link to one cohort still works without its site, and the cohort is shown chosen.
    one = client.get("/candidatures/", {"promotion": world.other_cohort.pk})
    assert names(one) == ["Karim OUALI"]
    assert [int(v) for v, _l in options(one, "promotion")] == [world.other_cohort.pk]


def test_a_site_of_another_network_is_refused_and_filters_nothing(client_for, world, referrals):
    response = client_for("network_admin").get("/candidatures/", {"site": 999999})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert len(names(response)) == 5


def test_a_coordinator_of_one_site_gets_every_cohort_and_no_site_filter(
    client_for, world, referrals
):
    response = client_for("coordinator").get("/candidatures/")
    assert '<select name="site"' not in response.content.decode()
    assert {int(v) for v, _l in options(response, "promotion")} >= {world.upcoming.pk}
