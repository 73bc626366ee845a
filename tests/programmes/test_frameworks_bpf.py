"""The BPF facts a framework file carries: the training objective (cadre F-3) and the NSF
speciality (cadre F-4), checked when read, installed and updated with the certification."""

import dataclasses
import re
from pathlib import Path

import pytest

from tests.programmes.test_frameworks import VALID, write
from tremplin.programmes.enums import TrainingObjective
from tremplin.programmes.frameworks import available_frameworks, install_framework, read_framework
from tremplin.programmes.models import Certification

WITH_BPF = VALID.replace(
    'track = "fibre"\n',
    'track = "fibre"\nobjective = "rncp"\nnsf_code = "255"\n'
    'nsf_label = "Électricité, électronique"\n',
)


def test_every_shipped_file_states_its_objective_and_speciality() -> None:
    stated = {fw.code: (fw.objective, fw.nsf_code) for fw in available_frameworks()}
    assert stated == {
        "irtfo": ("rncp", "255"),
        "technicien-datacenter": ("other", "326"),
        "tssiv": ("rncp", "255"),
    }
    assert all(fw.nsf_label for fw in available_frameworks())


def test_the_bpf_keys_are_optional(tmp_path: Path) -> None:
    fw = read_framework(write(tmp_path, VALID))
    assert (fw.objective, fw.nsf_code, fw.nsf_label) == ("", "", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (WITH_BPF.replace('"rncp"\nnsf', '"diplome"\nnsf'), "unknown objective 'diplome'"),
        (WITH_BPF.replace('nsf_code = "255"', 'nsf_code = "25"'), "must be three digits"),
        (WITH_BPF.replace('nsf_code = "255"', 'nsf_code = "25a"'), "must be three digits"),
        (WITH_BPF.replace('nsf_label = "Électricité, électronique"\n', ""), "go together"),
    ],
)
def test_bad_bpf_values_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        read_framework(write(tmp_path, text))


@pytest.mark.django_db
def test_installing_sets_then_updates_the_bpf_fields(tmp_path: Path) -> None:
    fw = read_framework(write(tmp_path, WITH_BPF))
    certification = install_framework(fw)
    assert (certification.objective, certification.nsf_code) == (TrainingObjective.RNCP, "255")
    install_framework(
        dataclasses.replace(fw, objective="other", nsf_code="326", nsf_label="Informatique")
    )
    certification = Certification.objects.get(pk=certification.pk)
    assert (certification.objective, certification.nsf_code, certification.nsf_label) == (
        "other",
        "326",
        "Informatique",
    )
