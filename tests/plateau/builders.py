"""Labs, equipment and users of the platform for the plateau tests (world of tests/conftest.py)."""

import datetime
from typing import Any

from tests import factories
from tremplin.accounts.enums import Role
from tremplin.organisations.enums import OrganisationKind
from tremplin.plateau.models import Equipment, Lab

# A Monday within the running cohort, neither a holiday nor a closure.
MONDAY = datetime.date(2026, 11, 30)


def labs(world: Any) -> dict[str, Lab]:
    return {
        "fibre": Lab.objects.create(site=world.site, name="Labo fibre optique", workstations=6),
        "datacenter": Lab.objects.create(site=world.site, name="Labo datacenter", workstations=8),
        "lyon": Lab.objects.create(site=world.other_site, name="Labo Lyon", workstations=6),
    }


def equipment(lab: Lab, serial: str, type: str = "fusion_splicer", **extra: Any) -> Equipment:
    return Equipment.objects.create(lab=lab, type=type, serial_number=serial, **extra)


def second_trainer(world: Any) -> Any:
    return factories.user(
        Role.TRAINER, "formateur2.marseille@example.org", world.site.host, world.site
    )


def donor(name: str = "Digital Realty") -> Any:
    return factories.org(OrganisationKind.EMPLOYER, name)
