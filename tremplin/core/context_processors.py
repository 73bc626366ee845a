"""The navigation menu, built from the user's role so nobody sees links they cannot follow."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tremplin.accounts.enums import Role

# Labels are marked for extraction only (gettext_noop) and translated per request below.
MENU: list[tuple[str, str, tuple[str, ...]]] = [
    ("home", gettext_noop("Accueil"), tuple(Role.values)),
    (
        "candidacy_list",
        gettext_noop("Candidatures"),
        (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    (
        "referral_create",
        gettext_noop("Orienter une personne"),
        (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    (
        "import_upload",
        gettext_noop("Importer une liste"),
        (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    ("person_list", gettext_noop("Personnes"), (Role.COORDINATOR, Role.NETWORK_ADMIN)),
    (
        "cohort_list",
        gettext_noop("Promotions"),
        (Role.COORDINATOR, Role.TRAINER, Role.NETWORK_ADMIN),
    ),
    (
        "opening_list",
        gettext_noop("Offres d'emploi"),
        (Role.EMPLOYER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    (
        "proposal_list",
        gettext_noop("Candidats proposés"),
        (Role.EMPLOYER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    ("follow_up_list", gettext_noop("Suivi des sorties"), (Role.COORDINATOR, Role.NETWORK_ADMIN)),
    (
        "eligibility_rules",
        gettext_noop("Éligibilité"),
        (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    (
        "dashboard",
        gettext_noop("Tableau de bord"),
        (Role.COORDINATOR, Role.NETWORK_ADMIN, Role.FUNDER),
    ),
    (
        "location_lookup",
        gettext_noop("Localiser une adresse"),
        (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN),
    ),
    ("quality_home", gettext_noop("Qualité"), (Role.COORDINATOR, Role.NETWORK_ADMIN)),
    ("qpv_import", gettext_noop("Quartiers prioritaires"), (Role.NETWORK_ADMIN,)),
    (
        "plateau_home",
        gettext_noop("Plateau technique"),
        (Role.COORDINATOR, Role.TRAINER, Role.NETWORK_ADMIN),
    ),
    ("learner_home", gettext_noop("Mon parcours"), (Role.LEARNER,)),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {
            "url": reverse(name),
            "label": _(label),
            "active": request.resolver_match is not None
            and request.resolver_match.url_name == name,
        }
        for name, label, roles in MENU
        if user.role in roles
    ]
    return {"nav_items": items}
