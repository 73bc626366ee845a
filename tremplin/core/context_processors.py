"""The navigation menu, built from the user's role so nobody sees links they cannot follow."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tremplin.accounts.enums import Role

# Who works with which part of the site; each menu entry names one of these groups.
EVERYONE = tuple(Role.values)
REFERRERS = (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN)
SITE_MANAGERS = (Role.COORDINATOR, Role.NETWORK_ADMIN)
SITE_STAFF = (Role.COORDINATOR, Role.TRAINER, Role.NETWORK_ADMIN)
PLACEMENT = (Role.EMPLOYER, Role.COORDINATOR, Role.NETWORK_ADMIN)
FIGURES = (Role.COORDINATOR, Role.NETWORK_ADMIN, Role.FUNDER)

# Labels are marked for extraction only (gettext_noop) and translated per request below.
MENU: list[tuple[str, str, tuple[str, ...]]] = [
    ("home", gettext_noop("Accueil"), EVERYONE),
    ("candidacy_list", gettext_noop("Candidatures"), REFERRERS),
    ("referral_create", gettext_noop("Orienter une personne"), REFERRERS),
    ("import_upload", gettext_noop("Importer une liste"), REFERRERS),
    ("person_list", gettext_noop("Personnes"), SITE_MANAGERS),
    ("cohort_list", gettext_noop("Promotions"), SITE_STAFF),
    ("opening_list", gettext_noop("Offres d'emploi"), PLACEMENT),
    ("proposal_list", gettext_noop("Candidats proposés"), PLACEMENT),
    ("follow_up_list", gettext_noop("Suivi des sorties"), SITE_MANAGERS),
    ("eligibility_rules", gettext_noop("Éligibilité"), REFERRERS),
    ("dashboard", gettext_noop("Tableau de bord"), FIGURES),
    ("location_lookup", gettext_noop("Localiser une adresse"), REFERRERS),
    ("quality_home", gettext_noop("Qualité"), SITE_MANAGERS),
    ("qpv_import", gettext_noop("Quartiers prioritaires"), (Role.NETWORK_ADMIN,)),
    ("audit_journal", gettext_noop("Journal d'audit"), (Role.NETWORK_ADMIN,)),
    ("retention_list", gettext_noop("Conservation des données"), SITE_MANAGERS),
    ("plateau_home", gettext_noop("Plateau technique"), SITE_STAFF),
    ("attendance_today", gettext_noop("Émargement"), SITE_STAFF),
    ("attendance_alerts", gettext_noop("Alertes d'absences"), SITE_MANAGERS),
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
