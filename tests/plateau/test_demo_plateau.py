"""The demo's plateau: donated equipment in the three labs, one splicer under repair."""

from collections import Counter

import pytest
from django.test import override_settings

from tremplin.demo.builder import load_demo
from tremplin.plateau.models import Equipment


@pytest.mark.django_db
def test_the_demo_lists_the_partners_donations(tmp_path):
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=tmp_path
    ):
        load_demo()
    donors = Counter(Equipment.objects.values_list("donor__name", flat=True))
    assert donors == {"Digital Realty": 14, "Telenco": 6, "Free Pro": 9, "Legrand": 9}
    assert all(e.serial_number.startswith("DEMO-") for e in Equipment.objects.all())
    repair = Equipment.objects.get(status="under_repair")
    assert (repair.serial_number, repair.lab.name) == (
        "DEMO-TL-FSP-004",
        "Laboratoire fibre optique",
    )
