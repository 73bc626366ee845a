"""The audit journal page (/reseau/journal/): network admins only; newest first, 50 a page;
filters by action, object type and id, author and dates; sensitive details masked; a wrong
filter is explained and every entry stays listed; the CSV export masks the same way."""

import datetime
import re
from html import unescape

import pytest

from tremplin.core.audit import audit
from tremplin.core.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/reseau/journal/"


def text(response):
    return unescape(response.content.decode())


def entry_ids(response):
    """The entries listed, in page order."""
    return [int(n) for n in re.findall(r'<tr id="entry-(\d+)">', text(response))]


def count_line(response):
    return re.search(r'<p id="result-count">([^<]+)', text(response)).group(1)


@pytest.fixture
def journal(world, frozen_clock):
    """Entries on three days: the coordinator's on 28/11, the prescriber's on 29/11, the
    admin's today (30/11), and one without an author."""
    coordinator, prescriber = world.user("coordinator"), world.user("prescriber")
    frozen_clock.move_to(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC))
    audit(actor=coordinator, action="cohort.update", obj=world.upcoming, capacity="14")
    audit(actor=coordinator, action="cohort.funding_add", obj=world.running, amount="1000")
    frozen_clock.move_to(datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC))
    audit(
        actor=prescriber,
        action="candidacy.create",
        obj=world.site,
        rqth="oui",
        situation_handicap="reconnue",
        revenu_mensuel="six-cent-vingt",
        nir="1850313055001",
        reset_token="jeton-secret",
        sante="asthme",
        motif="réorientation",
    )
    frozen_clock.move_to(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC))
    audit(actor=world.user("network_admin"), action="qpv.import", obj=world.network, rows="12")
    audit(actor=None, action="survey.answer", obj=world.running)
    return list(AuditEntry.objects.order_by("id"))


@pytest.mark.parametrize(
    "role",
    [
        "coordinator",
        "trainer",
        "prescriber",
        "employer",
        "funder",
        "learner",
        "outsider_coordinator",
    ],
)
def test_only_network_admins_read_the_journal(client_for, journal, role):
    assert client_for(role).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, journal):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={URL}")


def test_entries_are_listed_newest_first_with_who_what_and_when(client_for, journal):
    response = client_for("network_admin").get(URL)
    assert response.status_code == 200
    assert entry_ids(response) == [e.pk for e in reversed(journal)]
    page = text(response)
    assert "5 entrées" in count_line(response)
    assert "28/11/2026" in page and "cohort.funding_add" in page
    assert "coord.marseille@example.org" in page
    assert "Aucun compte (système ou lien public)" in page
    assert "capacity :" in page and "14" in page


def test_the_network_admin_has_a_menu_link_others_do_not(client_for, journal):
    assert f'href="{URL}"' in text(client_for("network_admin").get("/"))
    assert f'href="{URL}"' not in text(client_for("coordinator").get("/"))


def test_sensitive_details_are_masked(client_for, journal):
    page = text(client_for("network_admin").get(URL))
    for secret in ("1850313055001", "jeton-secret", "asthme", "six-cent-vingt", "reconnue"):
        assert secret not in page
    row = page.split(f'id="entry-{journal[2].pk}"')[1].split("</tr>")[0]
    assert row.count("masqué") == 6
    assert "réorientation" in row  # the reason is no secret


def test_the_csv_export_masks_the_same_details(client_for, journal):
    response = client_for("network_admin").get(URL, {"format": "csv", "action": "candidacy"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert len(lines) == 2  # header + the one candidacy entry
    assert "masqué" in lines[1] and "1850313055001" not in content
    assert journal[2].entry_hash in lines[1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "cohort"}, [1, 0]),
        ({"action": "cohort.update"}, [0]),
        ({"type_objet": "cohort"}, [4, 1, 0]),
        ({"type_objet": "cohort", "objet": "PK_RUNNING"}, [4, 1]),
        ({"auteur": "COORD.marseille@example.org"}, [1, 0]),
        ({"du": "2026-11-29"}, [4, 3, 2]),
        ({"au": "2026-11-28"}, [1, 0]),
        ({"du": "2026-11-29", "au": "2026-11-29"}, [2]),
        ({"action": "cohort", "du": "2026-11-29"}, []),
    ],
)
def test_filters(client_for, world, journal, query, expected):
    query = {k: str(world.running.pk) if v == "PK_RUNNING" else v for k, v in query.items()}
    response = client_for("network_admin").get(URL, query)
    assert response.status_code == 200
    assert 'id="filter-errors"' not in text(response)
    assert entry_ids(response) == [journal[i].pk for i in expected]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"du": "2026-13-45"}, "Saisissez une date valide."),
        ({"du": "2026-11-30", "au": "2026-11-28"}, "La date de fin doit suivre la date de début."),
        ({"auteur": "personne@example.org"}, "Aucun compte n'a cette adresse électronique."),
        ({"auteur": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"action": "DROP TABLE"}, "Une action s'écrit en minuscules"),
        ({"type_objet": "inconnu"}, "Sélectionnez un choix valide."),
    ],
)
def test_a_wrong_filter_is_explained_and_every_entry_shown(client_for, journal, query, message):
    response = client_for("network_admin").get(URL, query)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Les filtres n'ont pas pu être appliqués" in page
    assert entry_ids(response) == [e.pk for e in reversed(journal)]


def test_fifty_entries_a_page(client_for, world, journal):
    for n in range(60):
        audit(actor=None, action="test.bulk", obj=world.upcoming, n=str(n))
    client = client_for("network_admin")
    first = client.get(URL)
    ids = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True))
    assert entry_ids(first) == ids[:50]
    assert "65 entrées — page 1 sur 2" in count_line(first)
    second = client.get(URL, {"page": 2})
    assert entry_ids(second) == ids[50:]
    # A page number out of range shows the last page.
    assert entry_ids(client.get(URL, {"page": 99})) == ids[50:]
    # Filters are kept from page to page.
    filtered = client.get(URL, {"action": "test", "page": 2})
    assert entry_ids(filtered) == ids[50:60]
    assert "action=test" in text(filtered)
