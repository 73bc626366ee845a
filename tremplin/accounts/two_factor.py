"""Two-factor authentication (TOTP, django-otp): who needs it, enrolment, login codes, resets."""

import dataclasses
import datetime
import math
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.core.audit import audit

from .enums import Role
from .models import User

# Roles that reach many people's records, or the whole network's: 2FA is mandatory for them.
ROLES_REQUIRING_TWO_FACTOR = frozenset({Role.NETWORK_ADMIN, Role.COORDINATOR})
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Application d'authentification"
ISSUER = "Tremplin"


def requires_two_factor(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in ROLES_REQUIRING_TWO_FACTOR)


def has_two_factor(user: Any) -> bool:
    """The user has confirmed an authenticator application."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_device(user: User) -> TOTPDevice:
    """The not yet confirmed device whose secret the setup page shows (the same one on reload,
    so that a QR code already scanned stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator applications take it typed by hand: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_url(device: TOTPDevice) -> str:
    # config_url reads the issuer from settings; ours is fixed, so it is added here.
    label = f"{ISSUER}:{device.user.get_username()}"
    secret = b32encode(device.bin_key).decode()
    params = urlencode(
        {
            "secret": secret,
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{params}"


def qr_data_uri(device: TOTPDevice) -> str:
    """The QR code as an SVG data URI for an <img> (the CSP allows data: images, and an image
    cannot run script)."""
    return str(segno.make(otpauth_url(device), error="m").svg_data_uri(scale=5, border=2))


@dataclasses.dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code typed by the user: the device it matched, or why it did not."""

    device: Any = None
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def _throttle_wait(device: Any) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or data.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    locked_until: datetime.datetime = data["locked_until"]
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def _normalised(code: str) -> str:
    return "".join(code.split()).lower()


def check_code(user: User, code: str) -> CodeCheck:
    """A 6-digit code from the user's application, or one of their recovery codes.

    django-otp throttles each device (1, 2, 4… seconds between tries after a failure), and a
    TOTP code is refused a second time: a code seen over someone's shoulder is already spent."""
    code = _normalised(code)
    with transaction.atomic():
        # Application codes are 6 digits; recovery codes 8 characters of base32.
        if code.isdigit() and len(code) == 6:
            devices: list[Any] = list(
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        else:
            devices = list(
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        for device in devices:
            if wait := _throttle_wait(device):
                return CodeCheck(wait_seconds=wait)
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    audit(
                        actor=user,
                        action="account.two_factor_recovery_code",
                        obj=user,
                        remaining=device.token_set.count(),
                    )
                return CodeCheck(device=device)
    return CodeCheck()


def confirm_setup(user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Checks the first code of the pending device (throttled like the login codes)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if wait := _throttle_wait(device):
            return CodeCheck(wait_seconds=wait)
        if device.verify_token(_normalised(code)):
            return CodeCheck(device=device)
    return CodeCheck()


def two_factor_enable(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirms the device, replaces any earlier devices, and returns fresh recovery codes
    (shown once: only the user keeps them)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        recovery = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        audit(actor=user, action="account.two_factor_enable", obj=user)
    return codes


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_disable(*, user: User) -> None:
    """A user whose role does not require it turns 2FA off."""
    if requires_two_factor(user):
        raise PermissionError("La double authentification est obligatoire pour ce rôle.")
    with transaction.atomic():
        _remove_devices(user)
        audit(actor=user, action="account.two_factor_disable", obj=user)


def two_factor_reset(*, by: User, user: User) -> None:
    """A network admin removes someone's devices (lost phone): they set 2FA up again at their
    next page. Their open sessions lose their verification at once (the device is gone)."""
    with transaction.atomic():
        _remove_devices(user)
        audit(actor=by, action="account.two_factor_reset", obj=user)


def is_verified(user: Any) -> bool:
    """The session passed the second step (OTPMiddleware set the device that verified it)."""
    return getattr(user, "otp_device", None) is not None


def mark_verified(request: HttpRequest, device: Any) -> None:
    """The session has passed the second step with ``device``."""
    otp_login(request, device)


def can_reset_two_factor(by: Any, user: User) -> bool:
    return bool(
        by.is_authenticated
        and by.is_active
        and by.role == Role.NETWORK_ADMIN
        and by.pk != user.pk
        and users_for_reset(by).filter(pk=user.pk).exists()
    )


def users_for_reset(by: Any) -> QuerySet[User]:
    """The accounts of the admin's network: its own staff, its sites' and its partners'."""
    if not (by.is_authenticated and by.is_active and by.role == Role.NETWORK_ADMIN):
        return User.objects.none()
    network = by.organisation_id
    return (
        User.objects.filter(
            Q(organisation_id=network)
            | Q(organisation__network_id=network)
            | Q(site__network_id=network)
        )
        .exclude(pk=by.pk)
        .select_related("organisation")
        .distinct()
    )


def enrolled_user_ids(users: QuerySet[User]) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


# Session key: this user had turned 2FA on when they logged in. It spares users of roles that
# do not require 2FA a query on every page to learn whether they owe the second step.
ENROLLED_SESSION_KEY = "two_factor_enrolled"


def remember_enrolment(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On login (user_logged_in): note in the session whether the user turned 2FA on."""
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = has_two_factor(user)


def owes_second_step(request: HttpRequest) -> str | None:
    """Where a signed-in, not yet verified user must go: "two_factor_setup", "two_factor_verify",
    or None if their role does not require 2FA and they have not turned it on."""
    user: Any = request.user
    required = requires_two_factor(user)
    if not required and not request.session.get(ENROLLED_SESSION_KEY):
        return None
    if has_two_factor(user):
        return "two_factor_verify"
    if not required:
        # Turned off since the login (an admin's reset): nothing owed any more.
        request.session.pop(ENROLLED_SESSION_KEY, None)
        return None
    return "two_factor_setup"
