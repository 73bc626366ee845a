"""The shipped practical evaluation grids and their reader."""

import pytest

from tremplin.assessments.evaluation_grids import available_grids
from tremplin.programmes.frameworks import available_frameworks


def test_every_framework_has_grids_naming_its_own_competencies():
    grids = available_grids()
    frameworks = {(f.code, f.version): f for f in available_frameworks()}
    assert set(grids) == set(frameworks)
    for key, grid_file in grids.items():
        codes = {c.code for c in frameworks[key].competencies()}
        assert grid_file.grids
        assert {g.competency for g in grid_file.grids} <= codes


def test_the_issue_examples_are_criteria_of_the_right_competencies():
    grids = available_grids()
    fibre = grids[("irtfo", "1")].for_competency("BC02.2")
    assert "Réaliser et mesurer une soudure, perte < 0,3 dB" in fibre[0].criteria
    disk = grids[("technicien-datacenter", "1")].for_competency("BC02.1")
    assert "Remplacer un disque défectueux selon la procédure" in disk[0].criteria
    camera = grids[("tssiv", "1")].for_competency("BC02.2")
    assert "Installer et paramétrer une caméra IP" in camera[0].criteria


GOOD = """certification = "irtfo"
version = "1"
[[evaluations]]
competency = "BC02.2"
title = "Épissure"
criteria = ["Cliver", "Souder"]
"""


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (GOOD.replace('"BC02.2"', '"BC09.9"'), "unknown competency 'BC09.9'"),
        (GOOD.replace('"irtfo"', '"inconnue"'), "no framework inconnue v1"),
        (GOOD.replace('["Cliver", "Souder"]', "[]"), "'criteria' must be a non-empty list"),
        (GOOD.replace('"Souder"', '"Cliver"'), "duplicate criterion"),
        (GOOD.replace('title = "Épissure"', 'title = ""'), "title: expected a non-empty string"),
        (GOOD + "extra = 1\n", "unknown key"),
        (GOOD.replace("[[evaluations]]", "[[evaluations"), "invalid TOML"),
    ],
)
def test_a_bad_grid_file_is_refused_with_where_and_why(tmp_path, text, error):
    (tmp_path / "irtfo.v1.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        available_grids(tmp_path)


def test_a_good_file_reads(tmp_path):
    (tmp_path / "irtfo.v1.toml").write_text(GOOD, encoding="utf-8")
    grids = available_grids(tmp_path)[("irtfo", "1")]
    assert grids.grids[0].criteria == ("Cliver", "Souder")
