"""Login throttling: 5 wrong passwords lock a username on one address for 15 minutes."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "coord.marseille@example.org"
LOCKED = "Connexion temporairement bloquée"


def attempt(client, password, *, email=EMAIL, address="127.0.0.1"):
    return client.post(
        "/connexion/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, **kwargs):
    for _ in range(5):
        attempt(client, "mauvais-mot-de-passe", **kwargs)


def test_four_wrong_passwords_do_not_lock(client, world):
    for _ in range(4):
        response = attempt(client, "mauvais-mot-de-passe")
        assert response.status_code == 200
        assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert attempt(client, factories.PASSWORD)["Location"] == "/"


def test_five_wrong_passwords_lock_even_the_right_one(client, world):
    fail_five_times(client)
    response = attempt(client, factories.PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert "Réessayez dans 15 minutes." in html
    assert "_auth_user_id" not in client.session


def test_the_address_is_counted_whatever_its_case(client, world):
    fail_five_times(client, email=EMAIL.upper())
    assert attempt(client, factories.PASSWORD).status_code == 429


def test_another_address_is_not_locked(client, world):
    fail_five_times(client)
    response = attempt(client, factories.PASSWORD, address="192.0.2.44")
    assert response["Location"] == "/"


def test_another_user_on_the_same_address_is_not_locked(client, world):
    fail_five_times(client)
    response = attempt(client, factories.PASSWORD, email="conseiller.ft@example.org")
    assert response["Location"] == "/"


def test_unlocked_after_the_cool_off(client, world, frozen_clock):
    fail_five_times(client)
    frozen_clock.shift(datetime.timedelta(minutes=14))
    assert attempt(client, factories.PASSWORD).status_code == 429
    # That refused attempt counted too: the 15 minutes run again from it.
    frozen_clock.shift(datetime.timedelta(minutes=2))
    assert attempt(client, factories.PASSWORD).status_code == 429
    frozen_clock.shift(datetime.timedelta(minutes=15, seconds=1))
    assert attempt(client, factories.PASSWORD)["Location"] == "/"


def test_a_successful_login_resets_the_count(client, world):
    for _ in range(4):
        attempt(client, "mauvais-mot-de-passe")
    assert attempt(client, factories.PASSWORD)["Location"] == "/"
    client.post("/deconnexion/")
    for _ in range(4):
        attempt(client, "mauvais-mot-de-passe")
    assert attempt(client, factories.PASSWORD)["Location"] == "/"


def test_behind_a_proxy_the_forwarded_address_counts(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in range(5):
        client.post(
            "/connexion/",
            {"username": EMAIL, "password": "mauvais-mot-de-passe"},
            REMOTE_ADDR="10.0.0.1",
            # The client forges the left part; the proxy appends the address it saw.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{forged}, 203.0.113.7",
        )
    locked = client.post(
        "/connexion/",
        {"username": EMAIL, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        "/connexion/",
        {"username": EMAIL, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert elsewhere["Location"] == "/"


def test_test_client_login_still_works(client, world):
    assert client.login(username=EMAIL, password=factories.PASSWORD)
