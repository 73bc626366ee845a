"""Each role's home page: what needs doing now."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tremplin.accounts.enums import Role
from tremplin.candidacies.perms import candidacies_for_user
from tremplin.cohorts.perms import cohorts_for_user
from tremplin.employers.perms import proposals_for_user

HOME_BY_ROLE = {
    Role.FUNDER: "dashboard",
    Role.LEARNER: "learner_home",
}


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role in HOME_BY_ROLE:  # type: ignore[union-attr]
        return redirect(HOME_BY_ROLE[user.role])  # type: ignore[union-attr]
    context = {
        "recent_candidacies": candidacies_for_user(user)[:8],
        "cohorts": cohorts_for_user(user)[:8],
        "proposals": proposals_for_user(user)[:8],
    }
    return render(request, "accounts/home.html", context)
