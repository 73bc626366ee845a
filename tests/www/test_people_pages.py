"""People pages: search, likely duplicates, merging two records and undoing it, per role.

Forged requests (another site's person, a person merged with themself, values not offered)
get a clear answer and write nothing: every table a merge touches is compared before and after.
"""

import datetime
import re
from html import unescape

import pytest
from django.contrib.messages import ERROR, SUCCESS, get_messages

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.core.models import AuditEntry
from tremplin.people.models import Person, PersonMerge

pytestmark = pytest.mark.django_db

BORN = datetime.date(1980, 5, 4)


@pytest.fixture
def people(world):
    """Samira Haddad twice in Marseille (once misspelt), Awa Diallo in Lyon only."""
    spring = factories.cohort(
        world.programme,
        world.site,
        "Promo de printemps",
        world.upcoming.start_date + datetime.timedelta(days=60),
    )
    samira = factories.referral(
        world, first_name="Samira", last_name="Haddad", birth_date=BORN, email="s@example.org"
    )
    typo = factories.referral(
        world,
        spring,
        first_name="Samira",
        last_name="Hadad",
        birth_date=BORN,
        email="samira.h@example.org",
        phone="07 00 00 00 01",
    )
    awa = factories.referral(
        world, world.other_cohort, first_name="Awa", last_name="Diallo", phone="07 99 99 99 99"
    )
    return {"samira": samira.person, "typo": typo.person, "awa": awa.person, "spring": spring}


def text(response):
    return unescape(response.content.decode())


def listed(response):
    """The people of the list (the likely duplicates above it left aside)."""
    table = text(response).split('id="people"')[1]
    return re.findall(r'href="/personnes/\d+/">([^<]+)</a>', table)


def tables():
    return (
        list(Person.objects.order_by("pk").values()),
        list(Candidacy.objects.order_by("pk").values_list("pk", "person_id", "cohort_id")),
        list(PersonMerge.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def merge_url(kept, removed):
    return f"/personnes/{kept.pk}/fusionner/{removed.pk}/"


def messages_of(response, level):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


# Who sees whom.


def test_a_coordinator_lists_the_people_of_their_site(client_for, people):
    response = client_for("coordinator").get("/personnes/")
    assert set(listed(response)) == {"Samira HADDAD", "Samira HADAD"}


def test_the_lyon_coordinator_lists_lyon(client_for, people):
    assert set(listed(client_for("outsider_coordinator").get("/personnes/"))) == {"Awa DIALLO"}


def test_a_network_admin_lists_the_whole_network(client_for, people):
    names = set(listed(client_for("network_admin").get("/personnes/")))
    assert names == {"Samira HADDAD", "Samira HADAD", "Awa DIALLO"}


@pytest.mark.parametrize(
    "role", ["prescriber", "outsider_prescriber", "trainer", "employer", "funder", "learner"]
)
def test_other_roles_have_no_people_pages(client_for, people, role):
    client = client_for(role)
    assert client.get("/personnes/").status_code == 403
    assert client.get(f"/personnes/{people['samira'].pk}/").status_code == 403
    assert client.get(merge_url(people["samira"], people["typo"])).status_code == 403
    assert client.get("/fusions/").status_code == 403


def test_another_site_s_person_is_not_found(client_for, people):
    client = client_for("coordinator")
    assert client.get(f"/personnes/{people['awa'].pk}/").status_code == 404
    assert client.get(merge_url(people["samira"], people["awa"])).status_code == 404


def test_search_by_name_email_or_phone(client_for, people):
    client = client_for("network_admin")
    assert listed(client.get("/personnes/", {"q": "DIALLO awa"})) == ["Awa DIALLO"]
    assert listed(client.get("/personnes/", {"q": "samira.h@"})) == ["Samira HADAD"]
    assert listed(client.get("/personnes/", {"q": "+33 7 99"})) == ["Awa DIALLO"]


def test_likely_duplicates_are_listed_with_their_reasons(client_for, people):
    html = text(client_for("coordinator").get("/personnes/"))
    assert "Doublons probables" in html
    assert "nom et prénom à une ou deux lettres près" in html
    samira, typo = people["samira"], people["typo"]
    assert merge_url(samira, typo) in html


def test_the_person_page_offers_to_merge(client_for, people):
    samira, typo = people["samira"], people["typo"]
    client = client_for("coordinator")
    html = text(client.get(f"/personnes/{samira.pk}/"))
    assert "Fusionner avec…" in html
    assert merge_url(samira, typo) in html
    assert "Promo à venir" in html  # her candidacy
    # Searching another record finds only the people the coordinator follows.
    found = text(client.get(f"/personnes/{samira.pk}/", {"q": "07 99 99"}))
    assert "Aucune autre fiche ne correspond." in found
    found = text(client.get(f"/personnes/{samira.pk}/", {"q": "hadad"}))
    assert merge_url(samira, typo) in found


# Merging.


def test_the_merge_page_compares_both_records(client_for, people):
    samira, typo = people["samira"], people["typo"]
    html = text(client_for("coordinator").get(merge_url(samira, typo)))
    assert "Fiche conservée : Samira HADDAD" in html
    assert "Autre fiche : Samira HADAD" in html
    assert 'id="last_name_kept" value="kept" checked' in html
    assert 'id="last_name_other" value="other"' in html
    assert "Candidatures : 1" in html
    assert merge_url(typo, samira) in html  # keep the other record instead


def test_a_coordinator_merges_with_chosen_values(client_for, people):
    samira, typo = people["samira"], people["typo"]
    response = client_for("coordinator").post(
        merge_url(samira, typo), {"last_name": "kept", "email": "other", "phone": "other"}
    )
    assert response.status_code == 302 and response["Location"] == f"/personnes/{samira.pk}/"
    # Her candidacy, and the records of the two consents she gave when referred.
    assert messages_of(response, SUCCESS) == [
        "Fiches fusionnées : Samira HADDAD (3 lignes rattachées)."
    ]
    samira.refresh_from_db()
    assert samira.email == "samira.h@example.org" and samira.last_name == "Haddad"
    assert not Person.objects.filter(pk=typo.pk).exists()
    assert set(samira.candidacies.values_list("cohort__name", flat=True)) == {
        "Promo à venir",
        "Promo de printemps",
    }
    merge = PersonMerge.objects.get()
    assert merge.by.role == "coordinator"


def test_merging_a_person_with_themself_is_refused(client_for, people):
    before = tables()
    samira = people["samira"]
    response = client_for("coordinator").post(merge_url(samira, samira), {})
    assert response["Location"] == f"/personnes/{samira.pk}/"
    assert messages_of(response, ERROR) == [
        "Une personne ne peut pas être fusionnée avec elle-même."
    ]
    assert tables() == before


@pytest.mark.parametrize("order", ["kept_is_lyon", "removed_is_lyon"])
def test_merging_with_another_site_s_person_is_not_found(client_for, people, order):
    samira, awa = people["samira"], people["awa"]
    url = merge_url(awa, samira) if order == "kept_is_lyon" else merge_url(samira, awa)
    before = tables()
    assert client_for("coordinator").post(url, {}).status_code == 404
    assert tables() == before


@pytest.mark.parametrize(
    ("role", "status"), [("prescriber", 403), ("trainer", 403), ("outsider_coordinator", 404)]
)
def test_merge_posted_by_a_role_that_may_not(client_for, people, role, status):
    before = tables()
    response = client_for(role).post(merge_url(people["samira"], people["typo"]), {})
    assert response.status_code == status
    assert tables() == before


def test_a_value_not_offered_is_refused(client_for, people):
    before = tables()
    response = client_for("coordinator").post(
        merge_url(people["samira"], people["typo"]), {"last_name": "both"}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert tables() == before


def test_two_candidacies_for_one_cohort_are_refused_naming_it(client_for, world, people):
    factories.referral(
        world, people["spring"], first_name="Samira", last_name="Haddad", birth_date=BORN
    )
    before = tables()
    response = client_for("coordinator").post(merge_url(people["samira"], people["typo"]), {})
    assert response.status_code == 200
    html = text(response)
    assert "Fusion impossible : les deux personnes ont chacune une fiche « candidature »" in html
    assert "Promo de printemps" in html
    assert tables() == before


# The merge log and undoing.


@pytest.fixture
def merge(client_for, people):
    client_for("coordinator").post(merge_url(people["samira"], people["typo"]), {})
    return PersonMerge.objects.get()


def test_the_log_lists_the_network_s_merges_for_admins_and_one_s_own_for_coordinators(
    client_for, merge
):
    for role in ("network_admin", "coordinator"):
        html = text(client_for(role).get("/fusions/"))
        assert f'href="/fusions/{merge.pk}/"' in html and "Samira HADAD" in html
    assert f'href="/fusions/{merge.pk}/"' not in text(
        client_for("outsider_coordinator").get("/fusions/")
    )
    assert client_for("outsider_coordinator").get(f"/fusions/{merge.pk}/").status_code == 404


def test_the_merge_page_shows_the_snapshot_and_only_admins_may_undo(client_for, merge):
    admin = text(client_for("network_admin").get(f"/fusions/{merge.pk}/"))
    assert "Hadad" in admin and "Haddad" in admin
    assert "Candidature" in admin  # the moved row
    assert "CAP, BEP" in admin and "04/05/1980" in admin  # values as people read them
    assert "True" not in admin and "cap_bep" not in admin
    assert "Annuler la fusion" in admin
    coordinator = text(client_for("coordinator").get(f"/fusions/{merge.pk}/"))
    assert "Annuler la fusion" not in coordinator


def test_a_network_admin_undoes_a_merge(client_for, people, merge):
    typo = people["typo"]
    response = client_for("network_admin").post(f"/fusions/{merge.pk}/annuler/")
    assert response["Location"] == f"/fusions/{merge.pk}/"
    assert "Fusion annulée : Samira HADAD retrouve sa fiche et 3 lignes." in messages_of(
        response, SUCCESS
    )
    assert Person.objects.get(pk=typo.pk).email == "samira.h@example.org"
    assert Candidacy.objects.get(cohort=people["spring"]).person_id == typo.pk
    before = tables()
    again = client_for("network_admin").post(f"/fusions/{merge.pk}/annuler/")
    assert "Cette fusion a déjà été annulée." in messages_of(again, ERROR)
    assert tables() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 403), ("outsider_coordinator", 404), ("prescriber", 403), ("learner", 403)],
)
def test_only_network_admins_undo(client_for, merge, role, status):
    before = tables()
    assert client_for(role).post(f"/fusions/{merge.pk}/annuler/").status_code == status
    assert tables() == before


def test_undo_is_refused_when_a_moved_row_changed_person(client_for, world, people, merge):
    moved = Candidacy.objects.get(cohort=people["spring"])
    third = factories.referral(world, first_name="Léa", last_name="Roux").person
    Candidacy.objects.filter(pk=moved.pk).update(person=third)
    before = tables()
    response = client_for("network_admin").post(f"/fusions/{merge.pk}/annuler/")
    (error,) = messages_of(response, ERROR)
    assert error.startswith("Annulation impossible : depuis la fusion, candidature n°")
    assert tables() == before
