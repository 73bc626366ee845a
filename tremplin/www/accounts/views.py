"""Each role's home page (what needs doing now) and the user's own preferences."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.services import account_preferences_update
from tremplin.candidacies.perms import candidacies_for_user
from tremplin.cohorts.perms import cohorts_for_user
from tremplin.employers.perms import proposals_for_user
from tremplin.www.http import AuthedRequest

from .forms import PreferencesForm

HOME_BY_ROLE: dict[str, str] = {
    Role.FUNDER: "dashboard",
    Role.LEARNER: "learner_home",
}


def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role in HOME_BY_ROLE:
        return redirect(HOME_BY_ROLE[user.role])
    context = {
        "recent_candidacies": candidacies_for_user(user)[:8],
        "cohorts": cohorts_for_user(user)[:8],
        "proposals": proposals_for_user(user)[:8],
    }
    return render(request, "accounts/home.html", context)


def account_preferences(request: AuthedRequest) -> HttpResponse:
    # Not `request.POST or None`: unticking the only box posts an empty form.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        account_preferences_update(
            user=request.user,
            notify_candidacy_updates=form.cleaned_data["notify_candidacy_updates"],
        )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("account_preferences")
    return render(request, "accounts/preferences.html", {"form": form})
