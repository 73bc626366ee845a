"""Each role's home page: what needs doing now."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

from tremplin.accounts.enums import Role
from tremplin.candidacies.perms import candidacies_for_user
from tremplin.cohorts.perms import cohorts_for_user
from tremplin.employers.perms import proposals_for_user
from tremplin.www.http import AuthedRequest

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
