"""A small plateau for the planner's tests: two labs, three modules, two trainers with
teaching profiles, for the world's upcoming cohort (tests/conftest.py: it starts on Wednesday
30/12/2026 and ends on 01/05/2027; 1 January is a public holiday)."""

from dataclasses import dataclass
from typing import Any

from tests.plateau import builders as plateau_builders
from tremplin.planner.services import trainer_profile_set
from tremplin.plateau.enums import LabKind
from tremplin.plateau.models import Equipment, Lab
from tremplin.programmes.models import Module
from tremplin.programmes.services import module_create, module_set_prerequisites


@dataclass
class SmallPlateau:
    fibre: Lab
    classroom: Lab
    splicers: list[Equipment]
    meter: Equipment
    modules: dict[str, Module]
    trainers: list[Any]


def small_plateau(world: Any) -> SmallPlateau:
    admin = world.user("network_admin")
    fibre = Lab.objects.create(
        site=world.site, name="Labo fibre", kind=LabKind.FIBRE, workstations=12
    )
    classroom = Lab.objects.create(
        site=world.site, name="Salle de cours", kind=LabKind.CLASSROOM, workstations=14
    )
    # Another site's lab and equipment: never part of Marseille's problem.
    lyon = Lab.objects.create(
        site=world.other_site, name="Labo Lyon", kind=LabKind.FIBRE, workstations=12
    )
    plateau_builders.equipment(lyon, "FSP-LYON-001")
    splicers = [plateau_builders.equipment(fibre, f"FSP-{n:03d}") for n in (1, 2)]
    # Under repair: not counted.
    plateau_builders.equipment(fibre, "FSP-003", status="under_repair")
    meter = plateau_builders.equipment(fibre, "PM-001", type="power_meter")
    accueil = module_create(
        by=admin,
        programme=world.programme,
        code="AC1",
        title="Accueil",
        track="",
        hours=7,
        lab_kind="classroom",
        position=1,
    )
    soudure = module_create(
        by=admin,
        programme=world.programme,
        code="SO1",
        title="Soudure",
        track="fibre",
        hours=14,
        lab_kind="fibre",
        equipment_types=["fusion_splicer", "power_meter"],
        position=2,
    )
    mesure = module_create(
        by=admin,
        programme=world.programme,
        code="ME1",
        title="Mesures",
        track="fibre",
        hours=7,
        lab_kind="fibre",
        position=3,
    )
    module_set_prerequisites(by=admin, module=soudure, prerequisites=[accueil])
    module_set_prerequisites(by=admin, module=mesure, prerequisites=[soudure])
    second = plateau_builders.second_trainer(world)
    trainer_profile_set(by=admin, trainer=world.user("trainer"), modules=[accueil, soudure, mesure])
    trainer_profile_set(
        by=admin, trainer=second, modules=[soudure, mesure], max_half_days_per_week=6
    )
    return SmallPlateau(
        fibre=fibre,
        classroom=classroom,
        splicers=splicers,
        meter=meter,
        modules={"AC1": accueil, "SO1": soudure, "ME1": mesure},
        trainers=[world.user("trainer"), second],
    )
