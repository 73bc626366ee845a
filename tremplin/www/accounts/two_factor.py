"""The two-factor pages: setting up an authenticator application, the code asked after the
password, turning it off (roles that may), and a network admin's reset of someone's 2FA."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from tremplin.accounts import two_factor
from tremplin.accounts.roles import is_network_admin
from tremplin.www.forms import StyledForm
from tremplin.www.http import AuthedRequest


class CodeForm(StyledForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _refusal(check: two_factor.CodeCheck) -> str:
    if check.wait_seconds:
        return ngettext(
            "Trop d'essais : patientez %(seconds)s seconde avant de saisir un code.",
            "Trop d'essais : patientez %(seconds)s secondes avant de saisir un code.",
            check.wait_seconds,
        ) % {"seconds": check.wait_seconds}
    return _(
        "Code incorrect. Saisissez le code à 6 chiffres affiché par votre application "
        "(vérifiez l'heure de votre téléphone) ou l'un de vos codes de secours."
    )


def _safe_next(request: AuthedRequest) -> str:
    """The page asked for before the second step, if it is one of ours (else "")."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_or_home(request: AuthedRequest) -> HttpResponse:
    return redirect(_safe_next(request) or "home")


def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    verified = two_factor.is_verified(user)
    if two_factor.has_two_factor(user):
        if not verified:
            return redirect("two_factor_verify")
        return render(
            request,
            "accounts/two_factor_status.html",
            {"required": two_factor.requires_two_factor(user)},
        )
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor.confirm_setup(user, device, form.cleaned_data["code"])
        if check.ok:
            codes = two_factor.two_factor_enable(user=user, device=device)
            two_factor.mark_verified(request, device)
            request.session[two_factor.ENROLLED_SESSION_KEY] = True
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error("code", _refusal(check))
    context = {
        "form": form,
        "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.requires_two_factor(user),
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_verified(user):
        return _next_or_home(request)
    if not two_factor.has_two_factor(user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor.check_code(user, form.cleaned_data["code"])
        if check.ok:
            two_factor.mark_verified(request, check.device)
            if isinstance(check.device, StaticDevice):
                remaining = check.device.token_set.count()
                messages.warning(
                    request,
                    _("Code de secours accepté : il ne servira plus. Il vous en reste %(count)s.")
                    % {"count": remaining},
                )
            return _next_or_home(request)
        form.add_error("code", _refusal(check))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@require_POST
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    if two_factor.requires_two_factor(request.user):
        raise PermissionDenied
    two_factor.two_factor_disable(user=request.user)
    request.session[two_factor.ENROLLED_SESSION_KEY] = False
    messages.success(request, _("La double authentification est désactivée."))
    return redirect("two_factor_setup")


def two_factor_accounts(request: AuthedRequest) -> HttpResponse:
    if not is_network_admin(request.user):
        raise PermissionDenied
    users = two_factor.users_for_reset(request.user).order_by("last_name", "first_name", "email")
    enrolled = two_factor.enrolled_user_ids(users)
    rows = [
        {
            "user": u,
            "enrolled": u.pk in enrolled,
            "required": two_factor.requires_two_factor(u),
        }
        for u in users
    ]
    return render(request, "accounts/two_factor_accounts.html", {"rows": rows})


@require_POST
def two_factor_reset(request: AuthedRequest, user_id: int) -> HttpResponse:
    if not is_network_admin(request.user):
        raise PermissionDenied
    target = get_object_or_404(two_factor.users_for_reset(request.user), pk=user_id)
    two_factor.two_factor_reset(by=request.user, user=target)
    messages.success(
        request,
        _(
            "La double authentification de %(name)s est réinitialisée : la personne la "
            "configurera de nouveau à sa prochaine connexion."
        )
        % {"name": target},
    )
    return redirect("two_factor_accounts")
