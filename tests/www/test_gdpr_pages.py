"""The rights pages: export, rectification, erasure, retention notices, a learner's own data."""

import datetime
import json

from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from tests.auth import log_in
from tests.gdpr.helpers import refused_on
from tremplin.gdpr.models import Anonymisation, RetentionNotice
from tremplin.gdpr.services import apply_retention
from tremplin.people.models import Person


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_person_page_links_to_the_rights(client_for, world):
    person = factories.referral(world).person
    page = client_for("coordinator").get(reverse("person_detail", args=[person.pk]))
    assert reverse("person_rights", args=[person.pk]) in page.content.decode()
    rights = client_for("coordinator").get(reverse("person_rights", args=[person.pk]))
    html = rights.content.decode()
    assert 'id="export-json"' in html and 'id="rectify"' in html
    assert 'id="erasure-refused"' in html  # an open candidacy
    assert "Effacer les données" not in html


def test_exports_download_json_and_pdf(client_for, world):
    person = factories.referral(world, last_name="Benali").person
    client = client_for("coordinator")
    response = client.get(reverse("person_export_json", args=[person.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["person"]["last_name"] == "Benali"
    pdf = client.get(reverse("person_export_pdf", args=[person.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_rectification_form_errors_are_clear_and_nothing_is_written(client_for, world):
    other = factories.referral(world, first_name="Léa", last_name="Martin").person
    person = factories.referral(
        world, first_name="Léa", last_name="Martine", birth_date=other.birth_date
    ).person
    url = reverse("person_rectify", args=[person.pk])
    client = client_for("coordinator")
    base = {
        "first_name": "Léa",
        "last_name": "Martine",
        "birth_date": person.birth_date.isoformat(),
        "email": person.email,
        "phone": "",
        "address": "",
        "commune": "Marseille",
        "postal_code": "13013",
    }
    bad = client.post(url, base | {"postal_code": "130", "phone": "12", "email": "pas-une-adresse"})
    html = bad.content.decode()
    assert bad.status_code == 200
    assert "Le code postal compte cinq chiffres." in html
    assert "Saisissez un numéro de téléphone valide" in html
    clash = client.post(url, base | {"last_name": "Martin", "email": "lea@example.org"})
    assert "Fusionnez les deux fiches" in clash.content.decode()
    nir_number = "2 69 05 49 588 157 " + f"{97 - 2690549588157 % 97:02d}"
    nir = client.post(url, base | {"address": nir_number})
    assert "sécurité sociale" in nir.content.decode()
    person.refresh_from_db()
    assert (person.last_name, person.postal_code) == ("Martine", "13013")
    assert person.email.endswith("@example.org") and person.address == ""
    ok = client.post(url, base | {"email": "lea.martine@example.org"})
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.email == "lea.martine@example.org"


def test_erasure_refused_then_accepted(client_for, world):
    learner = factories.ended(world).candidacy.person
    admin = client_for("network_admin")
    refused = admin.post(reverse("person_erase", args=[learner.pk]), {"confirm": "on"})
    assert refused.status_code == 302
    assert any("effacement possible à partir du" in m for m in _messages(refused))
    assert not Anonymisation.objects.exists()
    done = refused_on(world, datetime.date(2026, 9, 1)).person
    unconfirmed = admin.post(reverse("person_erase", args=[done.pk]), {})
    assert any("Cochez la case" in m for m in _messages(unconfirmed))
    assert not Anonymisation.objects.exists()
    page = admin.get(reverse("person_rights", args=[done.pk]))
    assert "Effacer les données" in page.content.decode()
    erased = admin.post(reverse("person_erase", args=[done.pk]), {"confirm": "on"})
    assert any("anonymisée" in m for m in _messages(erased))
    done.refresh_from_db()
    assert done.first_name == "Personne anonymisée"


def test_coordinators_cannot_erase(client_for, world):
    person = refused_on(world, datetime.date(2026, 9, 1)).person
    response = client_for("coordinator").post(
        reverse("person_erase", args=[person.pk]), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert not Anonymisation.objects.exists()


def test_retention_page_lists_the_site_notices_only(client, world):
    soon = refused_on(world, datetime.date(2024, 12, 20), last_name="Bientôt").person
    lyon = refused_on(world, datetime.date(2024, 12, 20), last_name="Lyonnaise")
    from tremplin.candidacies.models import Candidacy

    Candidacy.objects.filter(pk=lyon.pk).update(cohort=world.other_cohort)
    apply_retention()
    assert RetentionNotice.objects.count() == 2
    html = log_in(client, world.user("coordinator")).get(reverse("retention_list")).content.decode()
    assert soon.full_name in html and "20/12/2026" in html
    assert "LYONNAISE" not in html
    other = log_in(client, world.user("outsider_coordinator")).get(reverse("retention_list"))
    assert "LYONNAISE" in other.content.decode() and soon.full_name not in other.content.decode()


def test_learner_downloads_their_own_data(client, world):
    enrolment = factories.enrolled(world, world.running, last_name="Benali")
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    client = log_in(client, world.user("learner"))
    home = client.get(reverse("learner_home")).content.decode()
    assert reverse("learner_export_pdf") in home
    data = json.loads(client.get(reverse("learner_export_json")).content)
    assert data["person"]["last_name"] == "Benali"
    assert data["account"]["email"] == world.user("learner").email
    assert Person.objects.filter(account=world.user("outsider_learner")).count() == 0
    log_in(client, world.user("outsider_learner"))
    assert client.get(reverse("learner_export_json")).status_code == 404
