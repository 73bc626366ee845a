"""Login, logout and password reset by email; every page needs a login by default."""

import re

import pytest
from django.core import mail

from tests import factories

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client, world):
    response = client.post(
        "/connexion/", {"username": "coord.marseille@example.org", "password": factories.PASSWORD}
    )
    assert response["Location"] == "/"
    # A coordinator must then set up two-factor authentication (tests/accounts/test_two_factor.py).
    assert client.get("/")["Location"].startswith("/mon-compte/double-authentification/")
    client.post("/deconnexion/")
    response = client.post(
        "/connexion/", {"username": "conseiller.ft@example.org", "password": factories.PASSWORD}
    )
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_says_so_in_french(client, world):
    response = client.post(
        "/connexion/", {"username": "coord.marseille@example.org", "password": "x"}
    )
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_logout_is_a_post(client_for, world):
    client = client_for("coordinator")
    assert client.post("/deconnexion/")["Location"] == "/connexion/"
    assert client.get("/")["Location"].startswith("/connexion/")


def test_password_reset_by_email(client, world):
    response = client.post("/mot-de-passe/oubli/", {"email": "conseiller.ft@example.org"})
    assert response["Location"] == "/mot-de-passe/oubli/envoye/"
    (message,) = mail.outbox
    assert message.subject == "Tremplin : choisir un nouveau mot de passe"
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    new_password = "Fibre-optique-2027!"
    response = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == "/mot-de-passe/modifie/"
    assert client.login(username="conseiller.ft@example.org", password=new_password)


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, world):
    response = client.post("/mot-de-passe/oubli/", {"email": "inconnu@example.org"})
    assert response["Location"] == "/mot-de-passe/oubli/envoye/"
    assert mail.outbox == []


def test_english_is_available(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/connexion/"})
    html = client.get("/connexion/").content.decode()
    assert '<html lang="en">' in html


def test_advisor_opts_out_of_status_emails(client_for, world, django_capture_on_commit_callbacks):
    from tremplin.candidacies.services import candidacy_transition

    client = client_for("prescriber")
    assert client.get("/mon-compte/").status_code == 200
    response = client.post("/mon-compte/", {})  # the box unticked
    assert response["Location"] == "/mon-compte/"
    world.user("prescriber").refresh_from_db()
    assert not world.user("prescriber").notify_candidacy_updates
    candidacy = factories.referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        candidacy_transition(candidacy=candidacy, transition="invite", by=world.user("coordinator"))
    assert mail.outbox == []
