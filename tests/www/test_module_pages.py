"""Module pages: a programme's modules by role, planning a session of a module, hours planned."""

import html
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.plateau.models import Lab, Session


@pytest.fixture
def kit(world: Any) -> dict[str, Any]:
    fibre = Lab.objects.create(site=world.site, name="Labo fibre", kind="fibre", workstations=8)
    datacenter = Lab.objects.create(
        site=world.site, name="Labo datacenter", kind="datacenter", workstations=8
    )
    return {
        "modules": factories.modules(world),
        "fibre": fibre,
        "datacenter": datacenter,
        "splicer": builders.equipment(fibre, "FSP-001"),
        "meter": builders.equipment(fibre, "PM-001", type="power_meter"),
    }


def form_data(world: Any, kit: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "date": MONDAY.isoformat(),
        "half_day": "am",
        "module": kit["modules"]["FO02"].pk,
        "trainer": world.user("trainer").pk,
        "lab": kit["fibre"].pk,
        "equipment": [kit["splicer"].pk, kit["meter"].pk],
        "title": "",
    } | overrides


@pytest.mark.parametrize("role", ["network_admin", "coordinator", "trainer", "outsider_trainer"])
def test_the_network_staff_read_the_programme_modules(client_for, world, kit, role):
    url = reverse("programme_modules", args=[world.programme.pk])
    page = html.unescape(client_for(role).get(url).content.decode())
    assert "Épissure et mesures optiques" in page
    assert "Soudeuse fibre optique, Photomètre (mesure de puissance)" in page
    assert "Tronc commun" in page and "Salle de formation" in page
    assert "525 heures de modules" in page


@pytest.mark.parametrize("role", ["prescriber", "employer", "funder", "learner"])
def test_others_do_not_see_the_programme_modules(client_for, world, kit, role):
    url = reverse("programme_modules", args=[world.programme.pk])
    assert client_for(role).get(url).status_code == 404


def test_coordinator_plans_a_session_of_a_module(client_for, world, kit):
    url = reverse("session_create", args=[world.running.pk])
    response = client_for("coordinator").post(url, form_data(world, kit), follow=True)
    session = Session.objects.get()
    assert session.module == kit["modules"]["FO02"]
    page = html.unescape(response.content.decode())
    # The week shows the module's title; the planning table counts its 3.5 hours.
    assert "Épissure et mesures optiques" in page
    assert "3,5 h" in page or "3.5 h" in page


def test_a_module_in_the_wrong_lab_is_refused_on_the_form(client_for, world, kit):
    url = reverse("session_create", args=[world.running.pk])
    data = form_data(world, kit, lab=kit["datacenter"].pk, equipment=[])
    page = html.unescape(client_for("coordinator").post(url, data).content.decode())
    assert "se tient dans un laboratoire « Fibre optique »" in page
    assert not Session.objects.exists()


def test_the_form_offers_only_the_cohort_programme_modules(client_for, world, kit):
    url = reverse("session_create", args=[world.running.pk])
    form = client_for("coordinator").get(url).context["form"]
    assert set(form.fields["module"].queryset) == set(kit["modules"].values())


def test_editing_keeps_the_module(client_for, world, kit):
    url = reverse("session_create", args=[world.running.pk])
    client_for("coordinator").post(url, form_data(world, kit))
    session = Session.objects.get()
    edit = reverse("session_edit", args=[session.pk])
    form = client_for("coordinator").get(edit).context["form"]
    assert form.initial["module"] == kit["modules"]["FO02"]
    client_for("coordinator").post(edit, form_data(world, kit, half_day="pm", title="TP 2"))
    session.refresh_from_db()
    assert (session.half_day, session.module, session.subject, session.title) == (
        "pm",
        kit["modules"]["FO02"],
        "Épissure et mesures optiques",
        "TP 2",
    )
