"""The shipped criteria catalogue, its validation, idempotent installation and default rules."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tremplin.eligibility.catalogue import (
    CRITERIA_DIR,
    available_catalogues,
    install_catalogue,
    install_default_rules,
    read_catalogue,
    rule_of,
)
from tremplin.eligibility.models import CriteriaCatalogue, Criterion, EligibilityRule
from tremplin.engine.eligibility import Rule
from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Programme

LEVEL_1 = {"rsa", "ass", "aah", "detld"}
LEVEL_2 = {
    "qpv",
    "zrr",
    "under_26",
    "over_50",
    "deld",
    "rqth",
    "low_qualification",
    "single_parent",
    "refugee",
    "mobility",
}

VALID = """\
version = 1
title = "Catalogue de test"
source = "Rédigé pour les tests."

[default_rule]
level1_needed = 1
level2_needed = 2
france_travail_required = true
min_age = 18
max_age = 64

[[criteria]]
code = "rsa"
label = "Bénéficiaire du RSA"
level = 1
proof = "Attestation CAF"
proof_validity_days = 90
derive = { fact = "rsa" }

[[criteria]]
code = "qpv"
label = "Résident QPV"
level = 2
proof = "Justificatif de domicile"
proof_validity_days = 90
derive = { fact = "qpv" }
derived_is_proof = true
"""


def write(tmp_path: Path, text: str, name: str = "test.v1.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_catalogue_has_every_criterion_of_the_brief():
    (catalogue,) = available_catalogues()
    assert catalogue.version == 1
    codes = {c.code: c for c in catalogue.criteria}
    assert {c for c, v in codes.items() if v.level == "1"} == LEVEL_1
    assert {c for c, v in codes.items() if v.level == "2"} == LEVEL_2
    assert codes["rsa"].proof_validity_days == 90
    assert "moins de 3 mois" in codes["rsa"].proof
    assert (codes["detld"].derived_fact, codes["detld"].derive_min) == ("unemployed_months", 24)
    assert (codes["deld"].derived_fact, codes["deld"].derive_min) == ("unemployed_months", 12)
    assert (codes["under_26"].derive_max, codes["over_50"].derive_min) == (25, 50)
    assert codes["qpv"].derived_is_proof and not codes["rsa"].derived_is_proof
    assert codes["low_qualification"].derive_values == ("none", "cap_bep")
    assert catalogue.default_rule == Rule(1, 2, True, 18, 64)
    assert all(c.proof for c in catalogue.criteria)


@pytest.mark.django_db
def test_install_twice_changes_nothing_and_rewording_updates_in_place(tmp_path):
    install_catalogue(read_catalogue(CRITERIA_DIR / "criteria.v1.toml"))
    ids = set(Criterion.objects.values_list("id", flat=True))
    install_catalogue(read_catalogue(CRITERIA_DIR / "criteria.v1.toml"))
    assert set(Criterion.objects.values_list("id", flat=True)) == ids
    assert len(ids) == len(LEVEL_1 | LEVEL_2)

    path = write(tmp_path, VALID)
    install_catalogue(read_catalogue(path))
    rsa = Criterion.objects.get(code="rsa", catalogue__version=1)
    assert rsa.label == "Bénéficiaire du RSA"
    assert rsa.proof == "Attestation CAF"
    assert Criterion.objects.filter(catalogue__version=1).count() == len(ids)  # none deleted
    assert CriteriaCatalogue.objects.get().title == "Catalogue de test"


@pytest.mark.django_db
def test_a_new_version_is_installed_beside_the_old_one(tmp_path):
    install_catalogue(read_catalogue(write(tmp_path, VALID)))
    install_catalogue(
        read_catalogue(write(tmp_path, VALID.replace("version = 1", "version = 2"), "t.v2.toml"))
    )
    assert list(CriteriaCatalogue.objects.values_list("version", flat=True)) == [2, 1]
    assert Criterion.objects.filter(code="rsa").count() == 2


@pytest.mark.django_db
def test_load_command_installs_and_gives_programmes_the_default_rule_once():
    network = Organisation.objects.create(kind="network", name="Réseau")
    programme = Programme.objects.create(network=network, name="Parcours")
    out = StringIO()
    call_command("load_eligibility", stdout=out)
    assert "v1" in out.getvalue() and "4 critères de niveau 1, 10 de niveau 2" in out.getvalue()
    assert "Règle par défaut donnée au parcours « Parcours »" in out.getvalue()
    rule = EligibilityRule.objects.get(programme=programme)
    assert rule_of(rule) == Rule(1, 2, True, 18, 64)

    # A rule edited by an admin is never overwritten by a new run.
    rule.max_age = 60
    rule.save(update_fields=["max_age"])
    again = StringIO()
    call_command("load_eligibility", stdout=again)
    assert "Règle par défaut" not in again.getvalue()
    rule.refresh_from_db()
    assert rule.max_age == 60
    assert install_default_rules(Rule()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (VALID.replace("level = 2", "level = 3"), "'level' must be 1 or 2"),
        (VALID.replace('code = "qpv"', 'code = "rsa"'), "duplicate criterion code(s) rsa"),
        (VALID.replace('fact = "qpv"', 'fact = "astrology"'), "unknown fact 'astrology'"),
        (
            VALID.replace(
                'proof_validity_days = 90\nderive = { fact = "rsa" }', 'derive = { fact = "rsa" }'
            ),
            "'proof_validity_days' must be",
        ),
        (VALID.replace("level2_needed = 2", "level2_needed = 0"), "at least one criterion"),
        (VALID.replace("min_age = 18", "min_age = 70"), "'min_age' is above 'max_age'"),
        (VALID.replace('label = "Résident QPV"\n', ""), "'label' must be a non-empty string"),
        (VALID.replace("level = 2", "level = 1"), "criteria of both levels are needed"),
        (VALID.replace('source = "', 'sorce = "'), "unknown key(s) 'sorce'"),
        (VALID + "\nversion = ", "invalid TOML"),
    ],
)
def test_malformed_file_raises_a_clear_value_error(tmp_path, text, message):
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        read_catalogue(write(tmp_path, text))
    assert "test.v1.toml" in str(error.value)


def test_file_name_must_carry_the_version(tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.v1\.toml"):
        read_catalogue(write(tmp_path, VALID, "test.v2.toml"))
