"""Who sees which labs, equipment and sessions, and who manages them."""

import pytest

from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.plateau import perms
from tremplin.plateau.services import session_create

SEES_MARSEILLE = {"network_admin", "coordinator", "trainer"}
ROLES = [
    "network_admin",
    "coordinator",
    "trainer",
    "prescriber",
    "employer",
    "funder",
    "learner",
    "outsider_coordinator",
    "outsider_trainer",
    "outsider_prescriber",
]


@pytest.fixture
def marseille(world):
    labs = builders.labs(world)
    splicer = builders.equipment(labs["fibre"], "FSP-DEMO-001")
    session = session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=labs["fibre"],
        equipment=[splicer],
    )
    return labs, splicer, session


@pytest.mark.parametrize("role", ROLES)
def test_the_platform_is_seen_by_its_site_staff_only(world, marseille, role):
    labs, splicer, session = marseille
    user = world.user(role)
    sees = role in SEES_MARSEILLE
    assert (labs["fibre"] in perms.labs_for_user(user)) is sees
    assert (splicer in perms.equipment_for_user(user)) is sees
    assert (session in perms.sessions_for_user(user)) is sees
    assert perms.can_manage_plateau(user, world.site) is (role in {"network_admin", "coordinator"})


@pytest.mark.parametrize("role", ["outsider_coordinator", "outsider_trainer"])
def test_lyon_staff_see_their_own_lab(world, marseille, role):
    labs, _, _ = marseille
    assert list(perms.labs_for_user(world.user(role))) == [labs["lyon"]]


def test_a_trainer_sees_sessions_of_a_cohort_they_teach_led_by_another(world, marseille):
    labs, _, _ = marseille
    world.upcoming.start_date = MONDAY
    world.upcoming.save(update_fields=["start_date"])
    other = session_create(
        by=world.user("coordinator"),
        cohort=world.upcoming,
        date=MONDAY,
        half_day="pm",
        trainer=builders.second_trainer(world),
        lab=labs["datacenter"],
    )
    assert other in perms.sessions_for_user(world.user("trainer"))
    world.upcoming.trainers.remove(world.user("trainer"))
    assert other not in perms.sessions_for_user(world.user("trainer"))
