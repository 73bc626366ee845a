"""French by default, English on request: the interface is translated, not just the <html lang>.

French is the source language (msgids are the French texts); English comes from
tremplin/locale/en/LC_MESSAGES/django.po, compiled to django.mo by the Makefile.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core import mail

from tests import factories
from tremplin.engine.indicators import STAGES
from tremplin.www.reports.views import FUNNEL_STAGE_LABELS

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[2] / "tremplin/locale/en/LC_MESSAGES/django.po"


def referral_data(world, **overrides):
    return {
        "cohort": world.upcoming.pk,
        "first_name": "Samira",
        "last_name": "Haddad",
        "birth_date": "1980-05-04",
        "commune": "Marseille",
        "postal_code": "13013",
        "highest_diploma": "cap_bep",
        "mobility": "public_transport",
        "consent_programme": "on",
        **overrides,
    }


def in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/connexion/"})
    assert response.status_code == 302
    return client


def navigation(html):
    return re.search(r'<nav[^>]*aria-label="[^"]*">.*?</nav>', html, re.S).group(0)


def test_french_is_the_default(client, world):
    html = client.get("/connexion/").content.decode()
    assert '<html lang="fr">' in html
    assert "Connexion à Tremplin" in html
    assert "Log in to Tremplin" not in html


def test_login_page_in_english(client, world):
    html = in_english(client).get("/connexion/").content.decode()
    assert '<html lang="en">' in html
    for text in ("Log in to Tremplin", "Email address", "Password", "Forgot your password?"):
        assert text in html
    for text in ("Connexion à Tremplin", "Adresse électronique", "Mot de passe oublié"):
        assert text not in html
    wrong = client.post(
        "/connexion/", {"username": "coord.marseille@example.org", "password": "x"}
    ).content.decode()
    assert "Incorrect email address or password." in wrong
    assert "Adresse électronique ou mot de passe incorrect." not in wrong


def test_password_reset_email_in_english(client, world):
    in_english(client).post("/mot-de-passe/oubli/", {"email": "conseiller.ft@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Tremplin: choose a new password"
    assert "To choose a new password, follow this link:" in message.body
    assert "mot de passe" not in message.body


def test_coordinator_navigation_in_english(client_for, world):
    client = client_for("coordinator")
    french = navigation(client.get("/").content.decode())
    assert "Tableau de bord" in french
    assert "Se déconnecter" in french

    nav = navigation(in_english(client).get("/").content.decode())
    for text in (
        "Main navigation",
        "Home",
        "Applications",
        "Refer a person",
        "Cohorts",
        "Job openings",
        "Proposed candidates",
        "Post-training follow-up",
        "Dashboard",
        "Site coordinator",
        "Log out",
    ):
        assert text in nav, text
    for text in ("Accueil", "Orienter une personne", "Tableau de bord", "Se déconnecter"):
        assert text not in nav, text


def test_referral_form_and_its_errors_in_english(client_for, world):
    client = in_english(client_for("prescriber"))
    html = client.get("/orienter/").content.decode()
    for text in (
        "Refer a person to a cohort",
        "Target cohort",
        "First name",
        "Postcode",
        "Highest qualification",
        "Fields marked * are required.",
        "(starts on ",
        "— Choose —",
        "Own vehicle",  # an enum label (people.enums.Mobility)
    ):
        assert text in html, text
    for text in ("Promotion visée", "Code postal", "Prénom", "(début le "):
        assert text not in html, text

    html = client.post("/orienter/", referral_data(world, postal_code="13")).content.decode()
    assert "The postcode has five digits." in html
    assert "Le code postal compte cinq chiffres." not in html


def test_workflow_buttons_and_statuses_in_english(client_for, world):
    candidacy = factories.referral(world)
    html = in_english(client_for("coordinator")).get(f"/candidatures/{candidacy.pk}/")
    html = html.content.decode()
    assert "Invite to an information session" in html
    assert ">New</span>" in html
    assert "Inviter en réunion" not in html


def test_dashboard_in_english(client_for, world):
    client = in_english(client_for("coordinator"))
    html = client.get(f"/tableau-de-bord/sites/{world.site.pk}/").content.decode()
    for text in (
        f"Dashboard — {world.site.name}",
        "Export the indicators (CSV)",
        "By cohort",
        "Site total",
        "Referred",
        "Started training",
        "In work at 6 months",
    ):
        assert text in html, text
    for text in ("Tableau de bord", "Orientés", "Entrés en formation", "Total du site"):
        assert text not in html, text
    assert 'data-stage="employed_6m"' in html


def test_every_funnel_stage_label_is_in_the_catalogue():
    # The engine's labels are plain French strings; the dashboard translates them.
    assert tuple(label for _key, label in STAGES) == FUNNEL_STAGE_LABELS


def test_english_catalogue_is_complete():
    with PO.open("rb") as f:
        catalogue = read_po(f)
    assert not catalogue.fuzzy
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 400
    assert not [m.id for m in messages if m.fuzzy]
    untranslated = [
        m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert not untranslated


def decide(client, candidacy, **data):
    return client.post(f"/candidatures/{candidacy.pk}/decision/", data, follow=True)


def test_workflow_buttons_follow_each_requests_language(client_for, world):
    # The transition labels are lazy: built once at import, rendered per request.
    candidacy = factories.referral(world)
    client = client_for("coordinator")
    french = client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Inviter en réunion d&#x27;information</button>" in french
    assert "Refuser</button>" in french
    english = in_english(client).get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Invite to an information session</button>" in english
    assert "Decline</button>" in english
    assert "Refuser" not in english


def test_refused_decision_messages_in_english(client_for, world):
    candidacy = factories.referral(world)
    client = in_english(client_for("coordinator"))
    html = decide(client, candidacy, transition="accept").content.decode()
    assert "“Accept” is not possible from the current status (New)." in html
    assert "impossible depuis" not in html
    html = decide(client, candidacy, transition="refuse", reason="").content.decode()
    assert "Choose a reason from the list." in html
    assert "Choisissez un motif" not in html


def test_history_in_english(client_for, world):
    candidacy = factories.referral(world)
    client = in_english(client_for("coordinator"))
    decide(client, candidacy, transition="refuse", reason="not_eligible")
    html = client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "New → <strong>Declined</strong>" in html
    assert "(reason: " in html
    assert "Refusée" not in html


def test_full_cohort_message_in_english(client_for, world):
    world.upcoming.capacity = 1
    world.upcoming.save(update_fields=["capacity"])
    factories.enrolled(world)
    candidacy = factories.accepted(world)
    response = in_english(client_for("coordinator")).post(
        f"/promotions/{world.upcoming.pk}/inscrire/", {"candidacy": candidacy.pk}, follow=True
    )
    html = response.content.decode()
    assert f"The cohort “{world.upcoming.name}” is full (1 place)." in html
    assert "est complète" not in html


def test_prescriber_email_stays_french_when_the_coordinator_browses_in_english(
    client_for, world, django_capture_on_commit_callbacks
):
    candidacy = factories.referral(world)
    client = in_english(client_for("coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, candidacy, transition="refuse", reason="not_eligible")
    (message,) = mail.outbox
    assert message.subject == f"Candidature de {candidacy.person.full_name} : Refusée"
    assert "est passée à l'état : Refusée." in message.body
    assert "Motif : Critères d'éligibilité non remplis" in message.body
    assert "Declined" not in message.body


def test_export_stays_french_when_requested_in_english(
    client_for, world, django_capture_on_commit_callbacks
):
    # The task runs without the request's language: the CSV is in the site's language.
    factories.referral(world)
    client = in_english(client_for("coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tableau-de-bord/sites/{world.site.pk}/export/")
    page = client.get(response["Location"]).content.decode()
    assert "1 promotion exportée" in page
    csv_lines = client.get(f"{response['Location']}resultat/").content.decode().splitlines()
    assert csv_lines[0] == ";".join(["promotion", *(label for _key, label in STAGES)])
    assert csv_lines[0].startswith("promotion;Orientés;Acceptés;")
    assert csv_lines[-1].startswith("Total du site;1;")
