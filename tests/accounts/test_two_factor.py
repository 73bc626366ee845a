"""Two-factor authentication: mandatory for network admins and coordinators, optional for the
other roles; setup, the code page after the password, recovery codes, throttling, resets."""

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.auth import current_code, log_in, totp_device
from tremplin.core.models import AuditEntry

pytestmark = pytest.mark.django_db

REQUIRED = ["network_admin", "coordinator", "outsider_coordinator"]
OPTIONAL = ["trainer", "prescriber", "employer", "funder", "learner"]
# Pages of every kind: home, lists, the account page, an admin-only page, Django admin.
PAGES = ["/", "/candidatures/", "/mon-compte/", "/reseau/journal/", "/admin/"]
WRONG = "Code incorrect."
THROTTLED = "patientez 1 seconde avant"


def next_step(frozen_clock: Any) -> None:
    """A TOTP code is good once: the next one comes with the next 30-second step."""
    frozen_clock.shift(datetime.timedelta(seconds=31))


def location(response: Any) -> str:
    assert response.status_code == 302, response.status_code
    return str(response["Location"])


def enrol_through_the_page(client: Any, user: Any) -> list[str]:
    """Sets 2FA up as the user would: the setup page, then the app's code; the codes shown."""
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": current_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    return codes


@pytest.mark.parametrize("role", REQUIRED)
@pytest.mark.parametrize("page", PAGES)
def test_required_roles_without_a_device_must_set_it_up_first(
    client: Any, world: Any, role: str, page: str
) -> None:
    log_in(client, world.user(role), verified=False)
    target = location(client.get(page))
    assert target.startswith(reverse("two_factor_setup"))
    assert f"next={page.replace('/', '%2F')}" in target


@pytest.mark.parametrize("role", REQUIRED)
@pytest.mark.parametrize("page", PAGES)
def test_required_roles_with_a_device_must_type_a_code(
    client: Any, world: Any, role: str, page: str
) -> None:
    totp_device(world.user(role))
    log_in(client, world.user(role), verified=False)
    assert location(client.get(page)).startswith(reverse("two_factor_verify"))
    # Forms too: a POST is not let through either.
    assert location(client.post("/mon-compte/", {})).startswith(reverse("two_factor_verify"))


@pytest.mark.parametrize("role", REQUIRED)
def test_verified_sessions_reach_the_pages(client: Any, world: Any, role: str) -> None:
    log_in(client, world.user(role))
    assert client.get("/mon-compte/").status_code == 200
    assert client.get("/candidatures/").status_code == 200


@pytest.mark.parametrize("role", OPTIONAL)
def test_other_roles_are_not_asked(client: Any, world: Any, role: str) -> None:
    log_in(client, world.user(role), verified=False)
    assert client.get("/mon-compte/").status_code == 200


def test_logout_static_and_language_stay_open(client: Any, world: Any) -> None:
    log_in(client, world.user("coordinator"), verified=False)
    assert client.post(reverse("set_language"), {"language": "fr"}).status_code == 302
    assert location(client.post(reverse("logout"))) == reverse("login")
    assert "_auth_user_id" not in client.session


def test_password_then_code_through_the_forms(client: Any, world: Any, frozen_clock: Any) -> None:
    device = totp_device(world.user("coordinator"))
    response = client.post(
        "/connexion/?next=/candidatures/",
        {
            "username": "coord.marseille@example.org",
            "password": factories.PASSWORD,
            "next": "/candidatures/",
        },
    )
    assert location(response) == "/candidatures/"
    code_page = location(client.get("/candidatures/"))
    assert code_page == reverse("two_factor_verify") + "?next=%2Fcandidatures%2F"
    page = client.get(code_page)
    assert "Code de vérification" in page.content.decode()

    wrong = client.post(code_page, {"code": "000000", "next": "/candidatures/"})
    assert wrong.status_code == 200
    assert WRONG in wrong.content.decode()
    next_step(frozen_clock)
    right = client.post(code_page, {"code": current_code(device), "next": "/candidatures/"})
    assert location(right) == "/candidatures/"
    assert client.get("/candidatures/").status_code == 200


def test_wrong_codes_are_throttled(client: Any, world: Any, frozen_clock: Any) -> None:
    device = totp_device(world.user("coordinator"))
    log_in(client, world.user("coordinator"), verified=False)
    url = reverse("two_factor_verify")
    assert WRONG in client.post(url, {"code": "123456"}).content.decode()
    # Straight after a failure, even the right code waits (1 s, then 2, 4, 8…).
    refused = client.post(url, {"code": current_code(device)})
    assert THROTTLED in refused.content.decode()
    assert client.get("/mon-compte/").status_code == 302
    next_step(frozen_clock)
    assert location(client.post(url, {"code": current_code(device)})) == reverse("home")


def test_a_code_is_good_only_once(client: Any, world: Any, frozen_clock: Any) -> None:
    coordinator = world.user("coordinator")
    device = totp_device(coordinator)
    code = current_code(device)
    log_in(client, coordinator, verified=False)
    assert location(client.post(reverse("two_factor_verify"), {"code": code})) == "/"
    client.post(reverse("logout"))
    frozen_clock.shift(datetime.timedelta(seconds=5))  # same 30-second step, after the throttle
    log_in(client, coordinator, verified=False)
    assert WRONG in client.post(reverse("two_factor_verify"), {"code": code}).content.decode()


def test_setup_then_recovery_codes_are_single_use(
    client: Any, world: Any, frozen_clock: Any
) -> None:
    coordinator = world.user("coordinator")
    log_in(client, coordinator, verified=False)
    assert location(client.get("/")).startswith(reverse("two_factor_setup"))
    codes = enrol_through_the_page(client, coordinator)
    assert client.get("/mon-compte/").status_code == 200  # the setup verified the session
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10
    assert AuditEntry.objects.filter(action="account.two_factor_enable").count() == 1

    client.post(reverse("logout"))
    log_in(client, coordinator, verified=False)
    used = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert location(used) == "/"
    entry = AuditEntry.objects.get(action="account.two_factor_recovery_code")
    assert entry.details["remaining"] == "9"

    client.post(reverse("logout"))
    next_step(frozen_clock)
    log_in(client, coordinator, verified=False)
    again = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert WRONG in again.content.decode()
    next_step(frozen_clock)
    assert location(client.post(reverse("two_factor_verify"), {"code": codes[1]})) == "/"


def test_a_wrong_first_code_does_not_enable(client: Any, world: Any) -> None:
    coordinator = world.user("coordinator")
    log_in(client, coordinator, verified=False)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert WRONG in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    assert location(client.get("/")).startswith(reverse("two_factor_setup"))


def test_admin_resets_a_coordinators_two_factor(client: Any, world: Any) -> None:
    coordinator = world.user("coordinator")
    log_in(client, coordinator)
    StaticDevice.objects.create(user=coordinator, name="Codes de secours")
    assert client.get("/mon-compte/").status_code == 200

    admin_client = log_in(client.__class__(), world.user("network_admin"))
    listing = admin_client.get(reverse("two_factor_accounts")).content.decode()
    assert "coord.marseille@example.org" in listing
    response = admin_client.post(reverse("two_factor_reset", args=[coordinator.pk]))
    assert location(response) == reverse("two_factor_accounts")
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    entry = AuditEntry.objects.get(action="account.two_factor_reset")
    assert entry.actor == world.user("network_admin")
    assert entry.object_id == str(coordinator.pk)
    # The coordinator's open session lost its second step: set up again.
    assert location(client.get("/mon-compte/")).startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("role", ["coordinator", "trainer", "prescriber", "learner"])
def test_only_network_admins_reset(client: Any, world: Any, role: str) -> None:
    target = world.user("trainer" if role != "trainer" else "prescriber")
    totp_device(target)
    log_in(client, world.user(role))
    assert client.post(reverse("two_factor_reset", args=[target.pk])).status_code == 403
    assert client.get(reverse("two_factor_accounts")).status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


def test_an_admin_cannot_reset_an_account_outside_the_network(client: Any, world: Any) -> None:
    other = factories.org("network", "Un autre réseau")
    stranger = factories.user("network_admin", "admin.autre@example.org", other, is_staff=True)
    totp_device(stranger)
    log_in(client, world.user("network_admin"))
    assert client.post(reverse("two_factor_reset", args=[stranger.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).exists()


def test_optional_role_turns_it_on_then_off(client: Any, world: Any, frozen_clock: Any) -> None:
    trainer = world.user("trainer")
    log_in(client, trainer)
    enrol_through_the_page(client, trainer)
    client.post(reverse("logout"))

    # Turned on, it is asked at every login like for the roles that must.
    log_in(client, trainer, verified=False)
    assert location(client.get("/mon-compte/")).startswith(reverse("two_factor_verify"))
    next_step(frozen_clock)
    device = TOTPDevice.objects.get(user=trainer)
    client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert client.get("/mon-compte/").status_code == 200
    assert location(client.post(reverse("two_factor_disable"))) == reverse("two_factor_setup")
    assert not TOTPDevice.objects.filter(user=trainer, confirmed=True).exists()
    assert AuditEntry.objects.filter(action="account.two_factor_disable").count() == 1


def test_required_roles_cannot_turn_it_off(client: Any, world: Any) -> None:
    log_in(client, world.user("coordinator"))
    assert client.post(reverse("two_factor_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=world.user("coordinator"), confirmed=True).exists()


def test_the_code_page_does_not_redirect_elsewhere(
    client: Any, world: Any, frozen_clock: Any
) -> None:
    device = totp_device(world.user("coordinator"))
    log_in(client, world.user("coordinator"), verified=False)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": current_code(device), "next": "https://example.com/piege"},
    )
    assert location(response) == reverse("home")
