"""A programme's modules: the shipped plan, each module's checks, prerequisites without cycles."""

import pytest

from tests import factories
from tremplin.core.models import AuditEntry
from tremplin.programmes.models import Module, Programme
from tremplin.programmes.plans import available_plans, install_plan, plan_for
from tremplin.programmes.services import ModuleError, module_create, module_set_prerequisites


def test_the_shipped_plan_fills_four_months_less_the_immersion():
    (plan,) = available_plans()
    # 17 weeks of 35 h, less two weeks in a company.
    assert plan.hours == 17 * 35 - 2 * 35
    assert {m.track for m in plan.modules} == {"", "fibre", "datacenter", "iot"}
    titles = {m.title for m in plan.modules}
    assert {"Sécurité et habilitation électrique", "Épissure et mesures optiques"} <= titles


def test_installing_the_plan_twice_adds_nothing(world):
    modules = factories.modules(world)
    assert len(modules) == 14
    assert [m.code for m in modules["FO03"].prerequisites.all()] == ["FO02"]
    assert modules["FO02"].equipment_labels == [
        "Soudeuse fibre optique",
        "Photomètre (mesure de puissance)",
    ]
    plan = plan_for(world.programme)
    assert install_plan(programme=world.programme, plan=plan) == []
    assert Module.objects.count() == 14


def _module(world, code, **overrides):
    values = {
        "by": world.user("network_admin"),
        "programme": world.programme,
        "code": code,
        "title": f"Module {code}",
        "track": "fibre",
        "hours": 21,
        "lab_kind": "fibre",
        "equipment_types": ["otdr"],
    }
    return module_create(**(values | overrides))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours": 0}, "La durée du module « Module X1 » est un nombre d'heures positif."),
        ({"lab_kind": "garage"}, "doit indiquer le type de laboratoire requis."),
        ({"equipment_types": ["otdr", "grue"]}, "Type d'équipement inconnu"),
        ({"equipment_types": ["otdr", "otdr"]}, "figure deux fois"),
        ({"track": "plomberie"}, "Filière inconnue : plomberie."),
        ({"title": "  "}, "Un module a un code et un intitulé."),
    ],
)
def test_a_module_with_a_bad_value_is_refused(world, overrides, message):
    with pytest.raises(ModuleError, match=message):
        _module(world, "X1", **overrides)
    assert not Module.objects.exists()


def test_a_code_is_unique_within_the_programme(world):
    _module(world, "X1")
    with pytest.raises(ModuleError, match="Le parcours a déjà un module de code X1."):
        _module(world, "X1")


def test_prerequisites_are_set_and_audited(world):
    first, second = _module(world, "X1"), _module(world, "X2")
    module_set_prerequisites(by=world.user("network_admin"), module=second, prerequisites=[first])
    assert list(second.prerequisites.all()) == [first]
    assert list(first.required_by.all()) == [second]
    assert AuditEntry.objects.filter(action="module.prerequisites", object_id=second.pk).exists()


def test_a_prerequisite_cycle_is_refused_and_nothing_changes(world):
    admin = world.user("network_admin")
    a, b, c = (
        _module(world, code, title=title)
        for code, title in (("A", "Bases"), ("B", "Épissure"), ("C", "Raccordement"))
    )
    module_set_prerequisites(by=admin, module=b, prerequisites=[a])
    module_set_prerequisites(by=admin, module=c, prerequisites=[b])
    with pytest.raises(ModuleError) as error:
        module_set_prerequisites(by=admin, module=a, prerequisites=[c])
    assert "Ces prérequis formeraient un cercle" in error.value.message
    assert all(
        f"« {title} »" in error.value.message for title in ("Bases", "Épissure", "Raccordement")
    )
    assert not a.prerequisites.exists()
    assert not AuditEntry.objects.filter(action="module.prerequisites", object_id=a.pk).exists()


def test_a_module_is_not_its_own_prerequisite(world):
    a = _module(world, "A", title="Bases")
    with pytest.raises(ModuleError, match="ne peut pas être son propre prérequis"):
        module_set_prerequisites(by=world.user("network_admin"), module=a, prerequisites=[a])


def test_a_prerequisite_of_another_programme_is_refused(world):
    other = Programme.objects.create(network=world.network, name="Autre parcours")
    mine = _module(world, "A")
    theirs = _module(world, "B", programme=other, title="Leur module")
    with pytest.raises(ModuleError, match="« Leur module » appartient à un autre parcours"):
        module_set_prerequisites(
            by=world.user("network_admin"), module=mine, prerequisites=[theirs]
        )
