"""Logging a test client in as a user, the way every test does it.

Tests log in through ``log_in`` (or the ``client_for`` fixture, which calls it) rather than
``client.force_login``, so that what a real session carries after the login steps lives here:
the password step (``force_login``) and, for users who need or turned on two-factor
authentication, the second step (a confirmed TOTP device recorded in the session, as
``django_otp.login`` does after a right code).
"""

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.accounts.two_factor import requires_two_factor


def totp_device(user: Any) -> Any:
    """The user's confirmed authenticator device, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)
    return device


def current_code(device: Any) -> str:
    """The code the user's application shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(client: Any, user: Any, *, verified: bool = True) -> Any:
    """``client`` logged in as ``user`` with every login step passed; returns the client.

    ``verified=False`` stops after the password, as a real login does before the code page."""
    client.force_login(user)
    if not verified:
        return client
    if requires_two_factor(user):
        device: Any = totp_device(user)
    else:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
